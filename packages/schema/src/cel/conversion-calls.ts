/**
 * CEL's type conversions as cel-go runs them when an expression is evaluated: `int()`,
 * `uint()`, `double()`, `bool()` and `string()` with cel-go's range checks and words (see
 * conversions.ts), `timestamp(int)` and `timestamp(string)` within cel-go's years 1 to
 * 9999 (`timestamp overflow`) and a string read as Go's `time.Parse(time.RFC3339, …)`
 * reads it, `duration(string)` read as Go's `time.ParseDuration`, and a refusal in cel-go's
 * words (`type conversion error from 'string' to 'google.protobuf.Timestamp'`). Our own
 * code: `@marcbachmann/cel-js` declares these overloads in its shared base registry with
 * its own rules (`int(1e100)` is a value there), and an environment cannot declare them
 * again, so each parsed conversion call's evaluation step is replaced instead: it reads
 * the argument and converts it as cel-go does; what is not modelled goes to the call's own
 * step (its overload resolution and errors).
 */
import { Environment, EvaluationError } from '@marcbachmann/cel-js';
import { type AstNode, nodesOf } from './ast-node.js';
import { constantOf, convert, Refused } from './conversions.js';

/** The evaluator's interface as the replaced step uses it. */
interface Evaluator {
  run(node: unknown, ctx: unknown): unknown;
}

/** A checked call node: its operands, and the step resolving its overload. */
interface CallNode extends AstNode {
  handle(args: unknown[], node: CallNode, ev: Evaluator): unknown;
}

/** cel-go's earliest and latest timestamps, in Unix seconds (years 1 and 9999). */
const MIN_UNIX = -62135596800;
const MAX_UNIX = 253402300799;

const TIMESTAMP = 'google.protobuf.Timestamp';
const DURATION = 'google.protobuf.Duration';
const stringError = (to: string) => new Refused(`type conversion error from 'string' to '${to}'`);

/** The days of month `m` (1-12) of year `y` in the proleptic Gregorian calendar. */
function daysIn(y: number, m: number): number {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * `timestamp(s)` as cel-go converts a string: Go's RFC 3339 layout (`T` and `Z` upper
 * case, a fraction after `.` or `,`), then the range check.
 */
function timestampOf(s: string): Date | Refused {
  const m = RFC3339.exec(s);
  if (!m) return stringError(TIMESTAMP);
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as [number, ...number[]];
  const [fraction = '', sign, oh = '0', om = '0'] = m.slice(7);
  const valid =
    mo! >= 1 && mo! <= 12 && d! >= 1 && d! <= daysIn(y, mo!) && h! < 24 && mi! < 60 && sec! < 60;
  if (!valid || Number(oh) > 24 || Number(om) > 59) return stringError(TIMESTAMP);
  const t = new Date(0);
  t.setUTCFullYear(y, mo! - 1, d!);
  t.setUTCHours(h!, mi!, sec!, Number(fraction.slice(0, 3).padEnd(3, '0')));
  const offset = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
  const at = new Date(t.getTime() - offset);
  const unix = Math.floor(at.getTime() / 1000);
  return unix < MIN_UNIX || unix > MAX_UNIX ? new Refused('timestamp overflow') : at;
}

/** Go's duration units, in nanoseconds. */
const UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const LIMIT = 1n << 63n;

/**
 * Go's `time.ParseDuration` of `s` in nanoseconds, undefined when it refuses it: signed
 * numbers with a fraction and a unit each (`1h30m`, `-1.5s`, `0`), the total within int64
 * (a fraction added as Go adds it, through a float64).
 */
export function goDuration(s: string): bigint | undefined {
  let rest = s;
  const negative = rest.startsWith('-');
  if (negative || rest.startsWith('+')) rest = rest.slice(1);
  if (rest === '0') return 0n;
  if (rest === '') return undefined;
  let total = 0n;
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(rest)!;
    const [whole, ints = '', fraction] = m;
    if (ints === '' && (fraction ?? '') === '') return undefined;
    let v = ints === '' ? 0n : BigInt(ints);
    if (v > LIMIT) return undefined;
    // Go keeps the fraction's digits while they fit in int64 (the scale with them).
    let f = 0n;
    let scale = 1;
    for (const digit of fraction ?? '') {
      const next = f * 10n + BigInt(digit);
      if (next > LIMIT - 1n) break;
      f = next;
      scale *= 10;
    }
    rest = rest.slice(whole.length);
    const unitText = /^[^.\d]*/.exec(rest)![0];
    const unit = UNITS[unitText];
    if (unit === undefined) return undefined;
    rest = rest.slice(unitText.length);
    if (v > LIMIT / unit) return undefined;
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > LIMIT) return undefined;
    }
    total += v;
    if (total > LIMIT) return undefined;
  }
  if (negative) return -total;
  return total > LIMIT - 1n ? undefined : total;
}

/** The evaluator's duration class (not exported by it): made from one of its values. */
type DurationClass = new (seconds: bigint, nanos: number) => unknown;
let durationClass: DurationClass | undefined;

/** A duration of `nanos` nanoseconds as the evaluator holds one. */
function durationValue(nanos: bigint): unknown {
  durationClass ??= (new Environment().evaluate("duration('0s')") as object)
    .constructor as unknown as DurationClass;
  return new durationClass(nanos / 1_000_000_000n, Number(nanos % 1_000_000_000n));
}

/** The names of the conversions cel-go runs otherwise than the evaluator. */
const CONVERTED = new Set(['int', 'uint', 'double', 'bool', 'string', 'timestamp', 'duration']);

/**
 * `name(v)` as cel-go converts it at run time: its value, its refusal, or undefined where
 * the evaluator's own conversion gives cel-go's result (a `uint` is made by it).
 */
function converted(name: string, v: unknown): { value: unknown } | Refused | undefined {
  const c = constantOf(v);
  if (name === 'timestamp') {
    if (c.t === 'string') {
      const t = timestampOf(c.v);
      return t instanceof Refused ? t : { value: t };
    }
    const outside = c.t === 'int' && (c.v < BigInt(MIN_UNIX) || c.v > BigInt(MAX_UNIX));
    return outside ? new Refused('timestamp overflow') : undefined;
  }
  if (name === 'duration') {
    if (c.t !== 'string') return undefined;
    const nanos = goDuration(c.v);
    return nanos === undefined ? stringError(DURATION) : { value: durationValue(nanos) };
  }
  const r = convert(name, c);
  if (r instanceof Refused) return r;
  return r.t === 'other' || r.t === 'uint' || r.t === 'bytes' ? undefined : { value: r.v };
}

function conversionStep(ev: Evaluator, node: CallNode, ctx: unknown): unknown {
  const [name, args] = node.args as [string, unknown[]];
  const v = ev.run(args[0], ctx);
  const r = converted(name, v);
  if (r instanceof Refused) throw new EvaluationError(r.why, node as never);
  return r ? r.value : node.handle([v], node, ev);
}

/** Makes every conversion call of the parsed expression `root` convert as cel-go does. */
export function convertAsCelGo(root: unknown): void {
  for (const n of nodesOf(root)) {
    if (n.op !== 'call') continue;
    const [name, args] = n.args as [unknown, unknown];
    if (typeof name !== 'string' || !CONVERTED.has(name)) continue;
    if (Array.isArray(args) && args.length === 1) n.setMeta('evaluate', conversionStep);
  }
}
