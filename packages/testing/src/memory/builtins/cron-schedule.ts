/**
 * A CronJob's `schedule` as kube-apiserver and the CronJob controller read it: with the
 * standard parser of the robfig/cron library they use (five fields, or a `@` descriptor,
 * after an optional `TZ=`/`CRON_TZ=` zone, looked up as Go's `time.LoadLocation` looks it
 * up): the values each field matches, or that parser's error words.
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

/** The values one field of a schedule matches, and whether it was written as `*` or `?`. */
export interface CronField {
  readonly values: ReadonlySet<number>;
  /** robfig/cron's star bit: the field began with `*`/`?` and had no step above 1. */
  readonly star: boolean;
}

/** One range of a field (`*`, `5`, `1-5`, `mon-fri/2`, a step after a star), or its error. */
function parseRange(expr: string, bounds: Bounds): CronField | string {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
    star = true;
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
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    return `too many slashes: ${expr}`;
  }
  if (start < bounds.min) {
    return `beginning of range (${start}) below minimum (${bounds.min}): ${expr}`;
  }
  if (end > bounds.max) return `end of range (${end}) above maximum (${bounds.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  if (step === 0) return `step of range should be a positive number: ${expr}`;
  const values = new Set<number>();
  for (let v = start; v <= end; v += step) values.add(v);
  return { values, star };
}

/** One comma-separated field: the union of its ranges, or the first range's error. */
function parseField(field: string, bounds: Bounds): CronField | string {
  const values = new Set<number>();
  let star = false;
  for (const expr of field.split(',').filter((e) => e !== '')) {
    const range = parseRange(expr, bounds);
    if (typeof range === 'string') return range;
    for (const v of range.values) values.add(v);
    star ||= range.star;
  }
  return { values, star };
}

const UNIT_SECONDS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  μs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/** Go's `time.ParseDuration`: the duration in seconds, or its error's words. */
function parseDuration(text: string): number | string {
  const quoted = JSON.stringify(text);
  const negative = text.startsWith('-');
  let rest = text.replace(/^[+-]/, '');
  if (rest === '0') return 0;
  if (rest === '') return `time: invalid duration ${quoted}`;
  let seconds = 0;
  while (rest !== '') {
    const number = /^(\d*)(\.\d*)?/.exec(rest)!;
    if (number[0] === '' || number[0] === '.') return `time: invalid duration ${quoted}`;
    rest = rest.slice(number[0].length);
    const unit = /^[^\d.]*/.exec(rest)![0];
    if (unit === '') return `time: missing unit in duration ${quoted}`;
    const scale = UNIT_SECONDS[unit];
    if (scale === undefined) {
      return `time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`;
    }
    seconds += Number(number[0]) * scale;
    rest = rest.slice(unit.length);
  }
  return negative ? -seconds : seconds;
}

/** A parsed schedule: five fields, or a constant delay (`@every`), in an optional zone. */
export type CronSpec = (
  | {
      readonly minutes: CronField;
      readonly hours: CronField;
      readonly daysOfMonth: CronField;
      readonly months: CronField;
      readonly daysOfWeek: CronField;
    }
  | {
      /** `@every`'s delay in whole seconds (at least 1), as robfig/cron rounds it. */
      readonly everySeconds: number;
    }
) & {
  /** The zone of a `TZ=`/`CRON_TZ=` prefix. */
  readonly zone?: string;
};

const DESCRIPTOR_FIELDS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Five fields, or the first field's error. */
function parseFields(spec: string): CronSpec | string {
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) {
    return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  }
  const parsed: CronField[] = [];
  for (const [i, field] of fields.entries()) {
    const values = parseField(field, FIELDS[i]!);
    if (typeof values === 'string') return values;
    parsed.push(values);
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = parsed as [
    CronField,
    CronField,
    CronField,
    CronField,
    CronField,
  ];
  return { minutes, hours, daysOfMonth, months, daysOfWeek };
}

/** A descriptor (`@daily`, `@every 1h`), or its error. */
function parseDescriptor(spec: string): CronSpec | string {
  const fields = DESCRIPTOR_FIELDS[spec];
  if (fields !== undefined) return parseFields(fields);
  const every = '@every ';
  if (spec.startsWith(every)) {
    const seconds = parseDuration(spec.slice(every.length));
    if (typeof seconds === 'string') return `failed to parse duration ${spec}: ${seconds}`;
    return { everySeconds: Math.max(1, Math.floor(seconds)) };
  }
  return `unrecognized descriptor: ${spec}`;
}

/**
 * `schedule` as the standard cron parser reads it (kube-apiserver's and the CronJob
 * controller's `ParseCronScheduleWithPanicRecovery`), or that parser's error words.
 */
export function parseSchedule(schedule: string): CronSpec | string {
  let spec = schedule;
  let zone: string | undefined;
  if (spec === '') return 'empty spec string';
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    const eq = spec.indexOf('=');
    if (space < 0) {
      // The parser slices up to a space it does not find and panics; the panic is recovered.
      return `invalid schedule format: runtime error: slice bounds out of range [:${space}]`;
    }
    zone = spec.slice(eq + 1, space);
    const error = loadLocationError(zone);
    if (error !== undefined) return `provided bad location ${zone}: ${error}`;
    spec = spec.slice(space).trim();
  }
  const parsed = spec.startsWith('@') ? parseDescriptor(spec) : parseFields(spec);
  if (typeof parsed === 'string' || zone === undefined) return parsed;
  return { ...parsed, zone };
}

/** The error words of the standard cron parser for `schedule`, or undefined when it parses. */
export function scheduleError(schedule: string): string | undefined {
  const parsed = parseSchedule(schedule);
  return typeof parsed === 'string' ? parsed : undefined;
}
