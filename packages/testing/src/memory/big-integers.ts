/**
 * Integers JavaScript cannot hold exactly (beyond 2^53) that kube-apiserver keeps: its
 * decoders read an int64 field, and a custom resource's integer, as an int64, so a Pod's
 * `terminationGracePeriodSeconds` written `9007199254740993` reads back so, where
 * `JSON.parse` gives `9007199254740992`. The literal of such an integer, as the request's
 * text wrote it, is kept on the object or list holding it (under a symbol, so it is copied
 * with the holder by spreads and ignored by `JSON.stringify` and `Object.keys`) and written
 * back by the JSON writer (go-json.ts) while the holder still has that value. Nothing is
 * kept, and nothing costs anything, for a body without such an integer.
 */
import { isObject, type Json } from './json.js';
import { scanJson } from './json-scan.js';

const LITERALS = Symbol('int64 literals');

/** An object or list that may keep literals. */
type Holder = object & { [LITERALS]?: Record<string, string> };

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

let seen = false;

/** Whether some object ever kept a literal (the JSON writer looks for them only then). */
export function bigIntegersSeen(): boolean {
  return seen;
}

/** A run of digits as long as an integer beyond 2^53 is written. */
const LONG_DIGITS = /[0-9]{16}/;

/** Whether a JSON text may hold an integer beyond 2^53 (a run of 16 digits somewhere). */
export function mayHoldBigIntegers(text: string): boolean {
  return LONG_DIGITS.test(text);
}

/**
 * A JSON text parsed, its integers beyond 2^53 kept as it wrote them (the text is scanned
 * for them only when it may hold one).
 */
export function parseKeeping(text: string): Json {
  const value = JSON.parse(text) as Json;
  if (mayHoldBigIntegers(text)) keepBigIntegers(value, scanJson(text).numbers);
  return value;
}

/** Whether a number literal is an integer that fits an int64 (Go's `strconv.ParseInt`). */
export function isInt64Literal(literal: string): boolean {
  if (!INTEGER.test(literal)) return false;
  const value = BigInt(literal);
  return value >= INT64_MIN && value <= INT64_MAX;
}

/**
 * Keeps, on their holders in `value`, the literals of the integers beyond 2^53 of the JSON
 * text it was parsed from. `numbers` is that text's scan (json-scan.ts): literals by the
 * path it names them by (`spec.containers[0].ports[1].containerPort`).
 */
export function keepBigIntegers(value: Json, numbers: ReadonlyMap<string, string>): void {
  let any = false;
  for (const literal of numbers.values()) {
    if (isInt64Literal(literal) && !Number.isSafeInteger(Number(literal))) any = true;
  }
  if (any) walk(value, '', numbers);
}

/**
 * Keeps `literal` for `holder[key]`. The holder gets a record of its own: a spread copy
 * shares its original's, which must not change with it.
 */
function setLiteral(holder: Holder, key: string, literal: string): void {
  holder[LITERALS] = { ...holder[LITERALS], [key]: literal };
  seen = true;
}

function walk(value: Json, path: string, numbers: ReadonlyMap<string, string>): void {
  const visit = (holder: Holder, key: string, item: Json, at: string) => {
    if (typeof item === 'number') {
      if (Number.isSafeInteger(item) || !Number.isInteger(item)) return;
      const literal = numbers.get(at);
      if (literal === undefined || !isInt64Literal(literal) || Number(literal) !== item) return;
      setLiteral(holder, key, literal);
    } else walk(item, at, numbers);
  };
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      visit(value, String(i), item, `${path}[${i}]`);
    });
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      visit(value, key, item, path ? `${path}.${key}` : key);
    }
  }
}

/**
 * A `reviver` (`this` the holder, as `JSON.parse` calls one) that turns a bigint into its
 * number and keeps its literal on the holder when it is an int64.
 */
export function keepBigInt(this: object, key: unknown, value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  const literal = String(value);
  if (isInt64Literal(literal)) setLiteral(this, String(key), literal);
  return Number(value);
}

/** The literal kept for `holder[key]`, while the holder still has its value. */
export function keptLiteral(holder: object, key: string): string | undefined {
  const literal = (holder as Holder)[LITERALS]?.[key];
  if (literal === undefined) return undefined;
  return Number(literal) === (holder as Record<string, unknown>)[key] ? literal : undefined;
}

/**
 * Gives `to[toKey]`, a value taken from `from[fromKey]`, the literal `from` keeps for it,
 * or none (`to` may keep one for the value it had there).
 */
export function carryLiteral(from: object, fromKey: string, to: object, toKey: string): void {
  const literal = keptLiteral(from, fromKey);
  if (literal !== undefined) setLiteral(to, toKey, literal);
  else if ((to as Holder)[LITERALS]?.[toKey] !== undefined) {
    const { [toKey]: _dropped, ...rest } = (to as Holder)[LITERALS]!;
    (to as Holder)[LITERALS] = rest;
  }
}

/** Gives `to`, a copy of `from` made member by member, the literals `from` keeps. */
export function carryBigIntegers(from: object, to: object): void {
  const literals = (from as Holder)[LITERALS];
  if (literals) (to as Holder)[LITERALS] = literals;
}

/**
 * Gives every object and list in `to`, a copy of `from` made anew (pruned, defaulted), the
 * literals its counterpart at the same place in `from` keeps. Nothing to do, and no walk,
 * before any object kept one.
 */
export function carryBigIntegersDeep(from: Json, to: Json): void {
  if (!seen || from === to || typeof from !== 'object' || typeof to !== 'object') return;
  if (from === null || to === null) return;
  carryBigIntegers(from, to);
  if (Array.isArray(from)) {
    if (!Array.isArray(to)) return;
    for (let i = 0; i < from.length && i < to.length; i++) carryBigIntegersDeep(from[i]!, to[i]!);
  } else if (!Array.isArray(to)) {
    for (const [key, item] of Object.entries(from)) {
      const copy = to[key];
      if (copy !== undefined) carryBigIntegersDeep(item, copy);
    }
  }
}

/**
 * A deep copy of a JSON value (`structuredClone`, which leaves symbols behind) whose objects
 * and lists keep the literals of their originals.
 */
export function cloneKeeping<T extends Json>(value: T): T {
  const copy = structuredClone(value);
  carryBigIntegersDeep(value, copy);
  return copy;
}

/**
 * Whether two values `deepEqual` finds equal also write their integers beyond 2^53 alike:
 * `9007199254740999` and `9007199254741001` are one number in JavaScript, two int64s in
 * kube-apiserver, whose update of one to the other is a write, not a no-op.
 */
export function sameBigIntegers(a: Json, b: Json): boolean {
  if (!seen || typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    return true;
  }
  const x = a as Record<string, Json>;
  const y = b as Record<string, Json>;
  for (const key of Object.keys(x)) {
    const value = x[key]!;
    if (typeof value === 'number') {
      if (Number.isSafeInteger(value)) continue;
      const text = JSON.stringify(value);
      if ((keptLiteral(x, key) ?? text) !== (keptLiteral(y, key) ?? text)) return false;
    } else if (!sameBigIntegers(value, y[key]!)) return false;
  }
  return true;
}

const FLOAT64_PATHS = Symbol('float64 paths');

/**
 * Keeps on `obj`, a custom resource decoded from a JSON text, the field paths of the whole
 * numbers up to 2^53 that text wrote as no int64 literal (`1.0`, `1e8`): kube-apiserver
 * decodes those as float64s, typed `number` in its messages and quoted as a float64
 * (`1e+08`). `numbers` is that text's scan (json-scan.ts). The mark lives on this decoded
 * object only: the stored copy is made anew, and reads back as int64s, as etcd's does.
 */
export function keepFloat64Paths(obj: Json, numbers: ReadonlyMap<string, string>): void {
  if (typeof obj !== 'object' || obj === null) return;
  const paths = new Set<string>();
  for (const [path, literal] of numbers) {
    if (!isInt64Literal(literal) && Number.isSafeInteger(Number(literal))) paths.add(path);
  }
  if (paths.size > 0) (obj as { [FLOAT64_PATHS]?: Set<string> })[FLOAT64_PATHS] = paths;
}

/**
 * The field paths (`spec.list[0]`) of the whole numbers in `value` kube-apiserver decoded
 * as float64s: those beyond 2^53 that keep no int64 literal (their text did not fit an
 * int64) and those its text wrote as a float (see {@link keepFloat64Paths}).
 */
export function float64Paths(value: Json): Set<string> {
  const out = new Set<string>();
  collectFloat64s(value, '', out);
  const kept = (value as { [FLOAT64_PATHS]?: Set<string> } | null)?.[FLOAT64_PATHS];
  for (const path of kept ?? []) out.add(path);
  return out;
}

function collectFloat64s(value: Json, path: string, out: Set<string>): void {
  if (typeof value !== 'object' || value === null) return;
  const entries: [string, Json, string][] = Array.isArray(value)
    ? value.map((item, i) => [String(i), item, `${path}[${i}]`])
    : Object.entries(value).map(([k, item]) => [k, item, path ? `${path}.${k}` : k]);
  for (const [key, item, at] of entries) {
    if (typeof item === 'number') {
      const whole = Number.isInteger(item) && !Number.isSafeInteger(item);
      if (whole && keptLiteral(value, key) === undefined) out.add(at);
    } else collectFloat64s(item, at, out);
  }
}
