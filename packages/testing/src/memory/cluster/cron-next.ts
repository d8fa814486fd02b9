/**
 * When a cron schedule next fires, as robfig/cron's `Schedule.Next` (the CronJob
 * controller's) finds it: the first whole second after a time whose wall clock in the
 * schedule's zone matches every field (day of month and day of week both when either was
 * written `*`, else either), searched at most five years ahead; `@every` adds its delay
 * to the time's whole second. Wall clocks are read with `Intl` (the zones are IANA's);
 * a time in a daylight-saving gap or overlap is resolved by the offset in force an hour
 * around it, where Go normalizes it by its own rule.
 */
import type { CronField, CronSpec } from '../builtins/cron-schedule.js';

const formats = new Map<string, Intl.DateTimeFormat>();

/** The offset of `zone` from UTC at `instant`, in ms. */
function offsetAt(zone: string | undefined, instant: number): number {
  if (zone === undefined || zone === 'UTC' || zone === '') return 0;
  let format = formats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, format);
  }
  const part: Record<string, number> = {};
  for (const p of format.formatToParts(instant)) part[p.type] = Number(p.value);
  const wall = Date.UTC(
    part.year ?? 1970,
    (part.month ?? 1) - 1,
    part.day ?? 1,
    part.hour ?? 0,
    part.minute ?? 0,
    part.second ?? 0,
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant whose wall clock in `zone` reads `wall` (ms, as if UTC). */
function instantOf(zone: string | undefined, wall: number): number {
  const guess = wall - offsetAt(zone, wall);
  return wall - offsetAt(zone, guess);
}

/** The wall clock of `instant` in `zone`, in ms as if UTC. */
function wallOf(zone: string | undefined, instant: number): number {
  return instant + offsetAt(zone, instant);
}

/**
 * RFC 3339 (Go's `time.RFC3339`) of `instant` in `zone`: `Z` in UTC, else the zone's
 * offset (`2026-01-02T03:04:00+01:00`).
 */
export function rfc3339In(zone: string | undefined, instant: number): string {
  const offset = offsetAt(zone, instant);
  const wall = new Date(Math.floor(instant / 1000) * 1000 + offset).toISOString().slice(0, 19);
  if (offset === 0) return `${wall}Z`;
  const minutes = Math.abs(offset) / 60_000;
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${wall}${offset < 0 ? '-' : '+'}${hh}:${mm}`;
}

function dayMatches(t: Date, dom: CronField, dow: CronField): boolean {
  const domMatch = dom.values.has(t.getUTCDate());
  const dowMatch = dow.values.has(t.getUTCDay());
  return dom.star || dow.star ? domMatch && dowMatch : domMatch || dowMatch;
}

/**
 * The next time (ms) after `after` that `spec` fires, in the zone of its `TZ=` prefix or
 * else `zone`; undefined when none comes within five years.
 */
export function nextFiring(
  spec: CronSpec,
  zone: string | undefined,
  after: number,
): number | undefined {
  if ('everySeconds' in spec) return Math.floor(after / 1000) * 1000 + spec.everySeconds * 1000;
  const tz = spec.zone ?? zone;
  let t = new Date(Math.floor(wallOf(tz, after) / 1000) * 1000 + 1000);
  const set = (y: number, mo: number, d = 1, h = 0, mi = 0, sec = 0) => {
    t = new Date(Date.UTC(y, mo, d, h, mi, sec));
  };
  const yearLimit = t.getUTCFullYear() + 5;
  let added = false;
  wrap: for (;;) {
    if (t.getUTCFullYear() > yearLimit) return undefined;
    while (!spec.months.values.has(t.getUTCMonth() + 1)) {
      if (!added) {
        added = true;
        set(t.getUTCFullYear(), t.getUTCMonth());
      }
      set(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
      if (t.getUTCMonth() === 0) continue wrap;
    }
    while (!dayMatches(t, spec.daysOfMonth, spec.daysOfWeek)) {
      if (!added) {
        added = true;
        set(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
      }
      set(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() + 1);
      if (t.getUTCDate() === 1) continue wrap;
    }
    while (!spec.hours.values.has(t.getUTCHours())) {
      if (!added) {
        added = true;
        set(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCHours());
      }
      t = new Date(t.getTime() + 3_600_000);
      if (t.getUTCHours() === 0) continue wrap;
    }
    while (!spec.minutes.values.has(t.getUTCMinutes())) {
      if (!added) {
        added = true;
        t = new Date(Math.floor(t.getTime() / 60_000) * 60_000);
      }
      t = new Date(t.getTime() + 60_000);
      if (t.getUTCMinutes() === 0) continue wrap;
    }
    while (t.getUTCSeconds() !== 0) {
      added = true;
      t = new Date(t.getTime() + 1000);
      if (t.getUTCSeconds() === 0) continue wrap;
    }
    return instantOf(tz, t.getTime());
  }
}
