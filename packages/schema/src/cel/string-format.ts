/**
 * cel-go's `strings` extension `format` (`'%s has %d'.format([name, n])`), which
 * kube-apiserver's CEL environment has and cel-js does not. Written here because its
 * output is cel-go's own (kube-apiserver 1.36.3 answered the examples in
 * `string-format.test.ts`): `%s` prints lists with quoted strings and doubles as `%f`, maps
 * as `{"k":1}`, doubles as Go's shortest `%g`; `%e` prints `1.234500×10⁰³`.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { goFloat } from '../go-format.js';

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

function fail(why: string): never {
  throw new Error(`error during formatting: ${why}`);
}

/** An integer (int, or cel-js's uint wrapper) as a bigint, else undefined. */
function integer(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (v !== null && typeof v === 'object' && typeof v.valueOf() === 'bigint') {
    return v.valueOf() as bigint;
  }
  return undefined;
}

/** A CEL map as cel-js holds it when it is no `Map`: an object of no class. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** How `%s` prints a value inside a list or map. */
function nested(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return v.toFixed(6);
  return text(v);
}

/** How `%s` prints a value. */
function text(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return goFloat(v);
  const i = integer(v);
  if (i !== undefined) return String(i);
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  if (Array.isArray(v)) return `[${v.map(nested).join(', ')}]`;
  if (v instanceof Map || isPlainObject(v)) {
    const pairs = v instanceof Map ? [...v] : Object.entries(v);
    const entries = pairs.map(([k, x]) => [nested(k), nested(x)] as const);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${k}:${x}`).join(', ')}}`;
  }
  if (v instanceof Date) return v.toISOString().replace(/\.000Z$/, 'Z');
  const d = v as { seconds?: unknown; nanos?: unknown };
  if (typeof d.seconds === 'bigint' && typeof d.nanos === 'number') {
    return `${Number(d.seconds) + d.nanos / 1e9}s`;
  }
  return String(v);
}

function fixed(v: unknown, precision: number): string {
  const n = typeof v === 'number' ? v : integer(v);
  if (n === undefined)
    fail(`fixed-point clause can only be used on doubles, was given ${typeof v}`);
  return Number(n).toFixed(precision);
}

/** `%e` as cel-go prints it: `d.dddddd×10ⁿⁿ` with a superscript exponent. */
function scientific(v: unknown, precision: number): string {
  const n = typeof v === 'number' ? v : integer(v);
  if (n === undefined) fail(`scientific clause can only be used on doubles, was given ${typeof v}`);
  const [mantissa = '', exp = '0'] = Number(n).toExponential(precision).split('e');
  const e = Number(exp);
  const digits = String(Math.abs(e)).padStart(2, '0');
  const sup = [...digits].map((c) => SUPERSCRIPT[Number(c)]).join('');
  return `${mantissa}×10${e < 0 ? '⁻' : ''}${sup}`;
}

function radix(v: unknown, base: 2 | 8 | 16, upper: boolean): string {
  const i = integer(v);
  let out: string;
  if (i !== undefined) out = i.toString(base);
  else if (base === 16 && (typeof v === 'string' || v instanceof Uint8Array)) {
    const bytes = typeof v === 'string' ? new TextEncoder().encode(v) : v;
    out = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  } else {
    const clause = { 2: 'binary', 8: 'octal', 16: 'hex' }[base];
    fail(`${clause} clause can only be used on integers, was given ${typeof v}`);
  }
  return upper ? out.toUpperCase() : out;
}

/** `format` itself: each `%[.precision]verb` replaced by the next argument. */
function format(template: string, args: unknown[]): string {
  let out = '';
  let next = 0;
  const directive = /%(?:\.(\d+))?([a-zA-Z%])/gy;
  for (let i = 0; i < template.length; ) {
    if (template[i] !== '%') {
      out += template[i];
      i++;
      continue;
    }
    directive.lastIndex = i;
    const m = directive.exec(template);
    if (!m) fail(`could not parse formatting clause at index ${i}`);
    i = directive.lastIndex;
    const verb = m[2] as string;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (next >= args.length) fail(`index ${next} out of range`);
    const arg = args[next++];
    const precision = m[1] === undefined ? 6 : Number(m[1]);
    switch (verb) {
      case 's':
        out += text(arg);
        break;
      case 'd': {
        const n = integer(arg);
        if (n === undefined)
          fail(`decimal clause can only be used on integers, was given ${typeof arg}`);
        out += String(n);
        break;
      }
      case 'f':
        out += fixed(arg, precision);
        break;
      case 'e':
        out += scientific(arg, precision);
        break;
      case 'x':
      case 'X':
        out += radix(arg, 16, verb === 'X');
        break;
      case 'o':
        out += radix(arg, 8, false);
        break;
      case 'b':
        out += radix(arg, 2, false);
        break;
      default:
        fail(`unrecognized formatting clause "${verb}"`);
    }
  }
  return out;
}

/** Adds `string.format(list)` to `env`. */
export function addStringFormat(env: Environment): Environment {
  return env.registerFunction('string.format(list<dyn>): string', format);
}
