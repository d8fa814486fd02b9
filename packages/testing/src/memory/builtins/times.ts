/**
 * kube-apiserver's two time types as its JSON decoder reads them: `metav1.Time` parses
 * RFC 3339 (any fraction of a second) and is written back in UTC, truncated to seconds;
 * `metav1.MicroTime` parses RFC 3339 with exactly six fractional digits and keeps them.
 * A value that does not parse is refused with Go's `time.Parse` error, which clients see
 * verbatim, so the parser below follows Go's layout walk element by element (a date
 * library would accept and word things differently).
 */

/** Go's layouts for the two types. */
export const TIME_LAYOUT = '2006-01-02T15:04:05Z07:00';
/** The layout of `metav1.MicroTime`. */
export const MICRO_TIME_LAYOUT = '2006-01-02T15:04:05.000000Z07:00';

type Element = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'micro' | 'zone';

/** [literal prefix, element, the element as the layout writes it] */
type Step = [string, Element, string];

/** The date and the time to the second, the same in both layouts. */
const TO_SECONDS: Step[] = [
  ['', 'year', '2006'],
  ['-', 'month', '01'],
  ['-', 'day', '02'],
  ['T', 'hour', '15'],
  [':', 'minute', '04'],
  [':', 'second', '05'],
];
const ZONE: Step = ['', 'zone', 'Z07:00'];

const STEPS: Record<'Time' | 'MicroTime', Step[]> = {
  Time: [...TO_SECONDS, ZONE],
  MicroTime: [...TO_SECONDS, ['', 'micro', '.000000'], ZONE],
};

const isDigit = (s: string, i: number) => i < s.length && s[i]! >= '0' && s[i]! <= '9';

class Bad extends Error {}

/** Go's `getnum`: one or two digits (exactly two when `fixed`). */
function getnum(s: string, fixed: boolean): [number, string] {
  if (!isDigit(s, 0)) throw new Bad();
  if (!isDigit(s, 1)) {
    if (fixed) throw new Bad();
    return [Number(s[0]), s.slice(1)];
  }
  return [Number(s.slice(0, 2)), s.slice(2)];
}

const daysIn = (month: number, year: number) =>
  month === 2
    ? (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;

const quote = (s: string) => JSON.stringify(s);

/** A parsed instant: UTC milliseconds since the epoch plus the sub-millisecond nanoseconds. */
interface Instant {
  ms: number;
  nanos: number;
}

/** Go's `time.Parse(layout, value)` for the two layouts: the instant, or Go's error text. */
export function parseGoTime(kind: 'Time' | 'MicroTime', value: string): Instant | string {
  const layout = kind === 'Time' ? TIME_LAYOUT : MICRO_TIME_LAYOUT;
  const f = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, nanos: 0, offset: 0 };
  let rest = value;
  for (const [prefix, element, std] of STEPS[kind]) {
    if (prefix && rest[0] !== prefix) {
      return `parsing time ${quote(value)} as ${quote(layout)}: cannot parse ${quote(rest)} as ${quote(prefix)}`;
    }
    rest = rest.slice(prefix.length);
    const hold = rest;
    let range = '';
    try {
      switch (element) {
        case 'year':
          if (rest.length < 4 || !/^\d{4}/.test(rest)) throw new Bad();
          f.year = Number(rest.slice(0, 4));
          rest = rest.slice(4);
          break;
        case 'month':
          [f.month, rest] = getnum(rest, true);
          if (f.month <= 0 || f.month > 12) range = 'month';
          break;
        case 'day':
          [f.day, rest] = getnum(rest, true);
          if (f.day > 31) range = 'day';
          break;
        case 'hour':
          [f.hour, rest] = getnum(rest, false);
          if (f.hour >= 24) range = 'hour';
          break;
        case 'minute':
          [f.minute, rest] = getnum(rest, true);
          if (f.minute >= 60) range = 'minute';
          break;
        case 'second': {
          [f.second, rest] = getnum(rest, true);
          if (f.second >= 60) {
            range = 'second';
            break;
          }
          // A fraction the layout does not spell out is read anyway (Time only).
          if (kind === 'Time' && rest.length >= 2 && '.,'.includes(rest[0]!) && isDigit(rest, 1)) {
            let n = 2;
            while (isDigit(rest, n)) n++;
            f.nanos = Number(rest.slice(1, Math.min(n, 10)).padEnd(9, '0'));
            rest = rest.slice(n);
          }
          break;
        }
        case 'micro':
          if (rest.length < 7 || !'.,'.includes(rest[0]!) || !/^\d{6}$/.test(rest.slice(1, 7))) {
            throw new Bad();
          }
          f.nanos = Number(rest.slice(1, 7)) * 1000;
          rest = rest.slice(7);
          break;
        case 'zone': {
          if (rest[0] === 'Z') {
            rest = rest.slice(1);
            break;
          }
          if (rest.length < 6 || rest[3] !== ':' || !'+-'.includes(rest[0]!)) throw new Bad();
          const [h] = getnum(rest.slice(1, 3), true);
          const [m] = getnum(rest.slice(4, 6), true);
          if (h > 24) range = 'time zone offset hour';
          else if (m > 60) range = 'time zone offset minute';
          f.offset = (rest[0] === '-' ? -1 : 1) * (h * 60 + m);
          rest = rest.slice(6);
          break;
        }
      }
    } catch (e) {
      if (!(e instanceof Bad)) throw e;
      return `parsing time ${quote(value)} as ${quote(layout)}: cannot parse ${quote(hold)} as ${quote(std)}`;
    }
    if (range) return `parsing time ${quote(value)}: ${range} out of range`;
  }
  if (rest.length) return `parsing time ${quote(value)}: extra text: ${quote(rest)}`;
  if (f.day < 1 || f.day > daysIn(f.month, f.year)) {
    return `parsing time ${quote(value)}: day out of range`;
  }
  const d = new Date(0);
  d.setUTCFullYear(f.year, f.month - 1, f.day);
  d.setUTCHours(f.hour, f.minute - f.offset, f.second, Math.floor(f.nanos / 1e6));
  return { ms: d.getTime(), nanos: f.nanos % 1e6 };
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** An instant as kube-apiserver writes the type: UTC, whole seconds (Time) or microseconds. */
export function formatGoTime(kind: 'Time' | 'MicroTime', t: Instant): string {
  const d = new Date(t.ms);
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
  const time = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  if (kind === 'Time') return `${date}T${time}Z`;
  const micros = d.getUTCMilliseconds() * 1000 + Math.floor(t.nanos / 1000);
  return `${date}T${time}.${pad(micros, 6)}Z`;
}
