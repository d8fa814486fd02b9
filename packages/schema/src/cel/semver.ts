/**
 * Kubernetes' CEL `semver` library: `semver(…)`, `semver(…, normalize)`, `isSemver`, and
 * on a version `major()`, `minor()`, `patch()`, `compareTo`, `isGreaterThan`,
 * `isLessThan`, `==`. Written here because the library is Go's blang/semver v4 parser,
 * stricter than npm's `semver` (no `v` prefix, no whitespace trimming) and with its own
 * error words, which a rule that fails to evaluate shows; kube-apiserver 1.36.3 answered
 * the words below.
 */
import type { Environment } from '@marcbachmann/cel-js';

const NUMBERS = /^[0-9]*$/;
const ALPHANUM = /^[0-9A-Za-z-]*$/;
const leadingZero = (s: string) => s.length > 1 && s.startsWith('0');

/** A parsed version: its numbers and its pre-release identifiers (build metadata ignored). */
export class Semver {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: readonly (bigint | string)[],
  ) {}

  /** blang's `Compare`: -1, 0 or 1, by semver precedence. */
  compare(o: Semver): number {
    for (const [a, b] of [
      [this.major, o.major],
      [this.minor, o.minor],
      [this.patch, o.patch],
    ] as const) {
      if (a !== b) return a < b ? -1 : 1;
    }
    if (this.pre.length === 0 || o.pre.length === 0) {
      return Math.sign(o.pre.length - this.pre.length);
    }
    for (let i = 0; i < this.pre.length && i < o.pre.length; i++) {
      const a = this.pre[i] as bigint | string;
      const b = o.pre[i] as bigint | string;
      if (a === b) continue;
      if (typeof a !== typeof b) return typeof a === 'bigint' ? -1 : 1;
      return a < b ? -1 : 1;
    }
    return Math.sign(this.pre.length - o.pre.length);
  }
}

function number(text: string, name: string): bigint {
  const capital = name.charAt(0).toUpperCase() + name.slice(1);
  if (!NUMBERS.test(text))
    throw new Error(`Invalid character(s) found in ${name} number "${text}"`);
  if (leadingZero(text))
    throw new Error(`${capital} number must not contain leading zeroes "${text}"`);
  if (text === '') throw new Error('strconv.ParseUint: parsing "": invalid syntax');
  return BigInt(text);
}

function preRelease(text: string): bigint | string {
  if (text === '') throw new Error('Prerelease is empty');
  if (NUMBERS.test(text)) {
    if (leadingZero(text)) {
      throw new Error(`Numeric PreRelease version must not contain leading zeroes "${text}"`);
    }
    return BigInt(text);
  }
  if (ALPHANUM.test(text)) return text;
  throw new Error(`Invalid character(s) found in prerelease "${text}"`);
}

/** blang/semver's `Parse`, in its order of checks and with its words. */
function parse(text: string): Semver {
  if (text === '') throw new Error('Version string empty');
  const dot1 = text.indexOf('.');
  const dot2 = dot1 < 0 ? -1 : text.indexOf('.', dot1 + 1);
  if (dot2 < 0) throw new Error('No Major.Minor.Patch elements found');
  const major = number(text.slice(0, dot1), 'major');
  const minor = number(text.slice(dot1 + 1, dot2), 'minor');
  let patch = text.slice(dot2 + 1);
  const plus = patch.indexOf('+');
  const build = plus < 0 ? [] : patch.slice(plus + 1).split('.');
  if (plus >= 0) patch = patch.slice(0, plus);
  const dash = patch.indexOf('-');
  const pre = dash < 0 ? [] : patch.slice(dash + 1).split('.');
  if (dash >= 0) patch = patch.slice(0, dash);
  const version = new Semver(major, minor, number(patch, 'patch'), pre.map(preRelease));
  for (const b of build) {
    if (b === '') throw new Error('Build meta data is empty');
    if (!ALPHANUM.test(b)) throw new Error(`Invalid character(s) found in build meta data "${b}"`);
  }
  return version;
}

/**
 * The library's normalization: no `v` prefix, leading zeros of the (first three)
 * dot-separated parts removed, missing minor and patch added as 0.
 */
function normalizeAndParse(text: string): Semver {
  const parts = (text.startsWith('v') ? text.slice(1) : text).split('.');
  const head = parts.length > 3 ? [...parts.slice(0, 2), parts.slice(2).join('.')] : parts;
  const trimmed = head.map((p) => {
    if (p.length <= 1) return p;
    const t = p.replace(/^0+/, '');
    return t === '' || !/^[0-9]/.test(t) ? `0${t}` : t;
  });
  if (trimmed.length < 3) {
    if (/[+-]/.test(trimmed[trimmed.length - 1] ?? '')) {
      throw new Error('short version cannot contain PreRelease/Build meta data');
    }
    while (trimmed.length < 3) trimmed.push('0');
  }
  return parse(trimmed.join('.'));
}

const valid = (f: () => unknown) => {
  try {
    f();
    return true;
  } catch {
    return false;
  }
};

/** Adds the `semver` functions to `env`. */
export function addSemver(env: Environment): Environment {
  const T = 'kubernetes.Semver';
  return env
    .registerType(T, Semver)
    .registerOperator(`${T} == ${T}`, (a: Semver, b: Semver) => a.compare(b) === 0)
    .registerFunction(`semver(string): ${T}`, parse)
    .registerFunction(`semver(string, bool): ${T}`, (s: string, n: boolean) =>
      n ? normalizeAndParse(s) : parse(s),
    )
    .registerFunction('isSemver(string): bool', (s: string) => valid(() => parse(s)))
    .registerFunction('isSemver(string, bool): bool', (s: string, n: boolean) =>
      valid(() => (n ? normalizeAndParse(s) : parse(s))),
    )
    .registerFunction(`${T}.major(): int`, (v: Semver) => v.major)
    .registerFunction(`${T}.minor(): int`, (v: Semver) => v.minor)
    .registerFunction(`${T}.patch(): int`, (v: Semver) => v.patch)
    .registerFunction(`${T}.compareTo(${T}): int`, (a: Semver, b: Semver) => BigInt(a.compare(b)))
    .registerFunction(`${T}.isGreaterThan(${T}): bool`, (a: Semver, b: Semver) => a.compare(b) > 0)
    .registerFunction(`${T}.isLessThan(${T}): bool`, (a: Semver, b: Semver) => a.compare(b) < 0);
}
