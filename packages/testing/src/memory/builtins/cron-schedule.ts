/**
 * A CronJob's `schedule` as kube-apiserver reads it: with the standard parser of the
 * robfig/cron library it uses (five fields, or a `@` descriptor, after an optional
 * `TZ=`/`CRON_TZ=` zone, looked up as Go's `time.LoadLocation` looks it up), returning
 * that parser's error words.
 */
import { loadLocationError } from './go-time-zones.js';

/** The range of one field and the names it accepts. */
interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DAYS_OF_MONTH: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = {
  min: 1,
  max: 12,
  names: {
    jan: 1,
    feb: 2,
    mar: 3,
    apr: 4,
    may: 5,
    jun: 6,
    jul: 7,
    aug: 8,
    sep: 9,
    oct: 10,
    nov: 11,
    dec: 12,
  },
};
const DAYS_OF_WEEK: Bounds = {
  min: 0,
  max: 6,
  names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 },
};
const FIELDS = [MINUTES, HOURS, DAYS_OF_MONTH, MONTHS, DAYS_OF_WEEK];
const DESCRIPTORS = new Set([
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
]);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's `strconv.Atoi`: the number, or its error's words. */
function atoi(text: string): number | string {
  if (!/^[+-]?\d+$/.test(text))
    return `strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`;
  const n = BigInt(text);
  if (n > INT64_MAX || n < -INT64_MAX - 1n) {
    return `strconv.Atoi: parsing ${JSON.stringify(text)}: value out of range`;
  }
  return Number(n);
}

/** `mustParseInt`: a non-negative integer, or the error. */
function nonNegativeInt(text: string): number | Error {
  const n = atoi(text);
  if (typeof n === 'string') return new Error(`failed to parse int from ${text}: ${n}`);
  if (n < 0) return new Error(`negative number (${n}) not allowed: ${text}`);
  return n;
}

function parseIntOrName(text: string, bounds: Bounds): number | Error {
  const named = bounds.names?.[text.toLowerCase()];
  return named ?? nonNegativeInt(text);
}

/** One range of a field (`*`, `5`, `1-5`, `mon-fri/2`, a step after a star); the error if it is bad. */
function rangeError(expr: string, bounds: Bounds): string | undefined {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
  } else {
    const low = parseIntOrName(lowAndHigh[0]!, bounds);
    if (low instanceof Error) return low.message;
    start = low;
    end = low;
    if (lowAndHigh.length === 2) {
      const high = parseIntOrName(lowAndHigh[1]!, bounds);
      if (high instanceof Error) return high.message;
      end = high;
    } else if (lowAndHigh.length > 2) {
      return `too many hyphens: ${expr}`;
    }
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const parsed = nonNegativeInt(rangeAndStep[1]!);
    if (parsed instanceof Error) return parsed.message;
    step = parsed;
    if (lowAndHigh.length === 1) end = bounds.max;
  } else if (rangeAndStep.length > 2) {
    return `too many slashes: ${expr}`;
  }
  if (start < bounds.min) {
    return `beginning of range (${start}) below minimum (${bounds.min}): ${expr}`;
  }
  if (end > bounds.max) return `end of range (${end}) above maximum (${bounds.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  if (step === 0) return `step of range should be a positive number: ${expr}`;
  return undefined;
}

/** The units Go's `time.ParseDuration` knows. */
const DURATION_UNITS = new Set(['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h']);

/** Go's `time.ParseDuration`: undefined when valid, else its error's words. */
function durationError(text: string): string | undefined {
  const quoted = JSON.stringify(text);
  let rest = text.replace(/^[+-]/, '');
  if (rest === '0') return undefined;
  if (rest === '') return `time: invalid duration ${quoted}`;
  while (rest !== '') {
    const number = /^(\d*)(\.\d*)?/.exec(rest)!;
    if (number[0] === '' || number[0] === '.') return `time: invalid duration ${quoted}`;
    rest = rest.slice(number[0].length);
    const unit = /^[^\d.]*/.exec(rest)![0];
    if (unit === '') return `time: missing unit in duration ${quoted}`;
    if (!DURATION_UNITS.has(unit)) {
      return `time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`;
    }
    rest = rest.slice(unit.length);
  }
  return undefined;
}

/** A descriptor (`@daily`, `@every 1h`); the error if it is not one. */
function descriptorError(spec: string): string | undefined {
  if (DESCRIPTORS.has(spec)) return undefined;
  const every = '@every ';
  if (spec.startsWith(every)) {
    const err = durationError(spec.slice(every.length));
    return err === undefined ? undefined : `failed to parse duration ${spec}: ${err}`;
  }
  return `unrecognized descriptor: ${spec}`;
}

/**
 * The error words of the standard cron parser for `schedule` (kube-apiserver's
 * `ParseCronScheduleWithPanicRecovery`), or undefined when it parses.
 */
export function scheduleError(schedule: string): string | undefined {
  let spec = schedule;
  if (spec === '') return 'empty spec string';
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    const eq = spec.indexOf('=');
    if (space < 0) {
      // The parser slices up to a space it does not find and panics; the panic is recovered.
      return `invalid schedule format: runtime error: slice bounds out of range [:${space}]`;
    }
    const zone = spec.slice(eq + 1, space);
    const error = loadLocationError(zone);
    if (error !== undefined) return `provided bad location ${zone}: ${error}`;
    spec = spec.slice(space).trim();
  }
  if (spec.startsWith('@')) return descriptorError(spec);
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) {
    return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  }
  for (const [i, field] of fields.entries()) {
    for (const expr of field.split(',').filter((e) => e !== '')) {
      const err = rangeError(expr, FIELDS[i]!);
      if (err !== undefined) return err;
    }
  }
  return undefined;
}
