import { describe, expect, test } from 'vitest';
import { type CronSpec, parseSchedule } from '../builtins/cron-schedule.js';
import { nextFiring, rfc3339In } from './cron-next.js';

function spec(schedule: string): CronSpec {
  const parsed = parseSchedule(schedule);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

const at = (iso: string) => Date.parse(iso);
const next = (schedule: string, after: string, zone?: string) => {
  const t = nextFiring(spec(schedule), zone, at(after));
  return t === undefined ? undefined : new Date(t).toISOString();
};

describe('nextFiring', () => {
  test('every minute: the next whole minute, strictly after', () => {
    expect(next('* * * * *', '2026-03-01T10:00:00Z')).toBe('2026-03-01T10:01:00.000Z');
    expect(next('* * * * *', '2026-03-01T10:00:59.900Z')).toBe('2026-03-01T10:01:00.000Z');
  });

  test('ranges, steps, names and the rollover into the next month and year', () => {
    expect(next('*/15 9-17 * * *', '2026-03-01T17:50:00Z')).toBe('2026-03-02T09:00:00.000Z');
    expect(next('0 0 1 jan *', '2026-03-01T00:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('@monthly', '2026-12-15T00:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
  });

  test('day of month or day of week unless one of them is a star', () => {
    // 2026-03-01 is a Sunday: the 13th or any Friday, whichever comes first.
    expect(next('0 0 13 * fri', '2026-03-01T00:00:00Z')).toBe('2026-03-06T00:00:00.000Z');
    // With a star for day of month, only Fridays.
    expect(next('0 0 * * fri', '2026-03-06T00:00:00Z')).toBe('2026-03-13T00:00:00.000Z');
    // A step above 1 clears the star: 1st, 3rd, … or Fridays.
    expect(next('0 0 */2 * fri', '2026-03-01T00:00:00Z')).toBe('2026-03-03T00:00:00.000Z');
  });

  test('the wall clock of the time zone, from timeZone or a TZ= prefix', () => {
    expect(next('0 9 * * *', '2026-07-01T00:00:00Z', 'Europe/Berlin')).toBe(
      '2026-07-01T07:00:00.000Z',
    );
    expect(next('TZ=America/New_York 0 9 * * *', '2026-01-01T00:00:00Z')).toBe(
      '2026-01-01T14:00:00.000Z',
    );
  });

  test("daylight-saving changes as robfig/cron's walk meets them (checked against it)", () => {
    const ny = 'America/New_York';
    // A time in the gap is skipped: to the next year, the next hour, the next day.
    expect(next('30 2 8 3 *', '2026-01-01T00:00:00Z', ny)).toBe('2027-03-08T07:30:00.000Z');
    expect(next('30 * * * *', '2026-03-08T06:30:00Z', ny)).toBe('2026-03-08T07:30:00.000Z');
    expect(next('0 2 * * *', '2026-03-07T07:00:00Z', ny)).toBe('2026-03-09T06:00:00.000Z');
    expect(next('30 2 * 3 0', '2026-03-28T00:00:00Z', 'Europe/Berlin')).toBe(
      '2027-03-07T01:30:00.000Z',
    );
    // A time in the overlap fires in both offsets.
    expect(next('30 1 1 11 *', '2026-10-01T00:00:00Z', ny)).toBe('2026-11-01T05:30:00.000Z');
    expect(next('30 1 1 11 *', '2026-11-01T05:30:00Z', ny)).toBe('2026-11-01T06:30:00.000Z');
    // A midnight that does not exist skips its day; half-hour changes too.
    expect(next('0 0 * * *', '2018-11-03T12:00:00Z', 'America/Sao_Paulo')).toBe(
      '2018-11-05T02:00:00.000Z',
    );
    const lordHowe = 'Australia/Lord_Howe';
    expect(next('15 2 * * *', '2026-10-03T00:00:00Z', lordHowe)).toBe('2026-10-04T15:15:00.000Z');
    expect(next('45 1 * * *', '2026-04-04T14:45:00Z', lordHowe)).toBe('2026-04-04T15:15:00.000Z');
  });

  test('@every adds its delay to the whole second', () => {
    expect(next('@every 90s', '2026-03-01T10:00:00.500Z')).toBe('2026-03-01T10:01:30.000Z');
  });

  test('none within five years', () => {
    expect(next('0 0 30 feb *', '2026-03-01T00:00:00Z')).toBeUndefined();
  });
});

describe('rfc3339In', () => {
  test('Z in UTC, the offset elsewhere', () => {
    expect(rfc3339In(undefined, at('2026-07-01T07:00:00Z'))).toBe('2026-07-01T07:00:00Z');
    expect(rfc3339In('Europe/Berlin', at('2026-07-01T07:00:00Z'))).toBe(
      '2026-07-01T09:00:00+02:00',
    );
    expect(rfc3339In('America/New_York', at('2026-01-01T14:00:00Z'))).toBe(
      '2026-01-01T09:00:00-05:00',
    );
  });
});
