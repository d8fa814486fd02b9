/**
 * When a cron schedule next fires, as robfig/cron's `Schedule.Next` (the CronJob
 * controller's) finds it: the first whole second after a time whose wall clock in the
 * schedule's zone matches every field (day of month and day of week both when either was
 * written `*`, else either), searched at most five years ahead; `@every` adds its delay
 * to the time's whole second. Wall clocks are read with `Intl` (the zones are IANA's).
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

/**
 * The instant whose wall clock in `zone` reads `wall` (ms, as if UTC), as Go's `time.Date`
 * finds it: the offset in force at `wall` read as UTC, unless the instant it gives falls
 * under another offset, then that one (a time in a gap moves by the gap, one in an overlap
 * is the first).
 */
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

function dayMatches(wall: Date, dom: CronField, dow: CronField): boolean {
  const domMatch = dom.values.has(wall.getUTCDate());
  const dowMatch = dow.values.has(wall.getUTCDay());
  return dom.star || dow.star ? domMatch && dowMatch : domMatch || dowMatch;
}

/**
 * The next time (ms) after `after` that `spec` fires, in the zone of its `TZ=` prefix or
 * else `zone`; undefined when none comes within five years. robfig/cron's walk, step for
 * step: months and days move by the wall clock (Go's `time.Date`, a wall time in a gap or
 * overlap taken as {@link instantOf} takes it), hours, minutes and seconds by elapsed
 * time, so a time in a daylight-saving gap is skipped and one in an overlap fires twice.
 */
export function nextFiring(
  spec: CronSpec,
  zone: string | undefined,
  after: number,
): number | undefined {
  if ('everySeconds' in spec) return Math.floor(after / 1000) * 1000 + spec.everySeconds * 1000;
  const tz = spec.zone ?? zone;
  let t = Math.floor(after / 1000) * 1000 + 1000;
  let w = new Date(wallOf(tz, t));
  const go = (at: number) => {
    t = at;
    w = new Date(wallOf(tz, t));
  };
  /** Go's `time.Date` in the zone, from `w`'s fields with some changed. */
  const date = (month: number, day: number, hour: number, minute: number, second: number) =>
    go(instantOf(tz, Date.UTC(w.getUTCFullYear(), month, day, hour, minute, second)));
  const yearLimit = w.getUTCFullYear() + 5;
  let added = false;
  wrap: for (;;) {
    if (w.getUTCFullYear() > yearLimit) return undefined;
    while (!spec.months.values.has(w.getUTCMonth() + 1)) {
      if (!added) {
        added = true;
        date(w.getUTCMonth(), 1, 0, 0, 0);
      }
      const [d, h, mi, sec] = [
        w.getUTCDate(),
        w.getUTCHours(),
        w.getUTCMinutes(),
        w.getUTCSeconds(),
      ];
      date(w.getUTCMonth() + 1, d, h, mi, sec);
      if (w.getUTCMonth() === 0) continue wrap;
    }
    while (!dayMatches(w, spec.daysOfMonth, spec.daysOfWeek)) {
      if (!added) {
        added = true;
        date(w.getUTCMonth(), w.getUTCDate(), 0, 0, 0);
      }
      date(
        w.getUTCMonth(),
        w.getUTCDate() + 1,
        w.getUTCHours(),
        w.getUTCMinutes(),
        w.getUTCSeconds(),
      );
      // A day whose midnight a daylight-saving change moved: back to the hour 0 near it.
      const h = w.getUTCHours();
      if (h !== 0) go(t + (h > 12 ? 24 - h : -h) * 3_600_000);
      if (w.getUTCDate() === 1) continue wrap;
    }
    while (!spec.hours.values.has(w.getUTCHours())) {
      if (!added) {
        added = true;
        date(w.getUTCMonth(), w.getUTCDate(), w.getUTCHours(), 0, 0);
      }
      go(t + 3_600_000);
      if (w.getUTCHours() === 0) continue wrap;
    }
    while (!spec.minutes.values.has(w.getUTCMinutes())) {
      if (!added) {
        added = true;
        go(Math.floor(t / 60_000) * 60_000);
      }
      go(t + 60_000);
      if (w.getUTCMinutes() === 0) continue wrap;
    }
    while (w.getUTCSeconds() !== 0) {
      added = true;
      go(t + 1000);
      if (w.getUTCSeconds() === 0) continue wrap;
    }
    return t;
  }
}
