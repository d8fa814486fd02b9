import { describe, expect, test } from 'vitest';
import { formatGoTime, parseGoTime } from './times.js';

const roundTrip = (kind: 'Time' | 'MicroTime', v: string) => {
  const t = parseGoTime(kind, v);
  return typeof t === 'string' ? t : formatGoTime(kind, t);
};

describe('Go time parsing', () => {
  test('Time: RFC 3339 with any fraction and offset, written in UTC whole seconds', () => {
    expect(roundTrip('Time', '2024-01-02T03:04:05Z')).toBe('2024-01-02T03:04:05Z');
    expect(roundTrip('Time', '2024-01-02T03:04:05.987654321Z')).toBe('2024-01-02T03:04:05Z');
    expect(roundTrip('Time', '2024-01-02T01:04:05-03:30')).toBe('2024-01-02T04:34:05Z');
    expect(roundTrip('Time', '2024-01-01T00:30:00+01:00')).toBe('2023-12-31T23:30:00Z');
  });

  test('MicroTime: exactly six fractional digits, kept', () => {
    expect(roundTrip('MicroTime', '2024-01-02T03:04:05.000001+02:00')).toBe(
      '2024-01-02T01:04:05.000001Z',
    );
    expect(roundTrip('MicroTime', '2024-01-02T03:04:05.123Z')).toBe(
      'parsing time "2024-01-02T03:04:05.123Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".123Z" as ".000000"',
    );
  });

  test("errors are worded as Go's time.Parse words them", () => {
    expect(roundTrip('Time', 'yesterday')).toBe(
      'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"',
    );
    expect(roundTrip('Time', '2024-1-02T03:04:05Z')).toBe(
      'parsing time "2024-1-02T03:04:05Z" as "2006-01-02T15:04:05Z07:00": cannot parse "1-02T03:04:05Z" as "01"',
    );
    expect(roundTrip('Time', '2024-13-02T03:04:05Z')).toBe(
      'parsing time "2024-13-02T03:04:05Z": month out of range',
    );
    expect(roundTrip('Time', '2023-02-29T03:04:05Z')).toBe(
      'parsing time "2023-02-29T03:04:05Z": day out of range',
    );
    expect(roundTrip('Time', '2024-01-02T03:04:05Zjunk')).toBe(
      'parsing time "2024-01-02T03:04:05Zjunk": extra text: "junk"',
    );
    expect(roundTrip('Time', '2024-01-02T03:04:05+0200')).toBe(
      'parsing time "2024-01-02T03:04:05+0200" as "2006-01-02T15:04:05Z07:00": cannot parse "+0200" as "Z07:00"',
    );
  });
});
