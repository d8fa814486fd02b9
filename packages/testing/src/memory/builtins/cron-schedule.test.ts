import { describe, expect, test } from 'vitest';
import { scheduleError } from './cron-schedule.js';

describe('scheduleError', () => {
  test('five fields of ranges, names, steps and descriptors parse', () => {
    for (const s of [
      '* * * * *',
      '0 9 * JAN-mar MON-fri',
      '*/15 0-6/2 1,15 * *',
      '@daily',
      '@every 1h30m',
    ]) {
      expect([s, scheduleError(s)]).toEqual([s, undefined]);
    }
  });

  test("the cron parser's words", () => {
    expect(scheduleError('nope')).toBe('expected exactly 5 fields, found 1: [nope]');
    expect(scheduleError('* * 0 * *')).toBe('beginning of range (0) below minimum (1): 0');
    expect(scheduleError('5-1 * * * *')).toBe(
      'beginning of range (5) beyond end of range (1): 5-1',
    );
    expect(scheduleError('*/0 * * * *')).toBe('step of range should be a positive number: */0');
    expect(scheduleError('@every 5')).toBe(
      'failed to parse duration @every 5: time: missing unit in duration "5"',
    );
    expect(scheduleError('TZ=Nowhere/City 0 0 * * *')).toBe(
      'provided bad location Nowhere/City: unknown time zone Nowhere/City',
    );
    expect(scheduleError('CRON_TZ=UTC')).toBe(
      'invalid schedule format: runtime error: slice bounds out of range [:-1]',
    );
  });
});
