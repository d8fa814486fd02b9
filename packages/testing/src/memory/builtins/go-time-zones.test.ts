import { describe, expect, test } from 'vitest';
import { isTzif, loadLocationError } from './go-time-zones.js';

/** A version 1 zone file with one zone (`UTC`, offset 0) and no transitions. */
function utcZoneFile(): Uint8Array {
  const data = new Uint8Array(54);
  data.set(new TextEncoder().encode('TZif'));
  const view = new DataView(data.buffer);
  view.setUint32(20 + 4 * 4, 1); // zones
  view.setUint32(20 + 5 * 4, 4); // abbreviation characters
  data.set(new TextEncoder().encode('UTC\0'), 50);
  return data;
}

describe('loadLocationError', () => {
  test('UTC, Local and the empty name; Go database names, case-sensitive', () => {
    for (const name of ['', 'UTC', 'Local', 'Europe/Paris', 'America/New_York', 'Etc/GMT+5'])
      expect(loadLocationError(name)).toBeUndefined();
    expect(loadLocationError('America/new_york')).toBe('unknown time zone America/new_york');
    expect(loadLocationError('utc')).toBe('unknown time zone utc');
  });

  test('a name with .. or a leading slash is no location', () => {
    expect(loadLocationError('a..b')).toBe('time: invalid location name');
    expect(loadLocationError('/etc/passwd')).toBe('time: invalid location name');
  });
});

describe('isTzif', () => {
  test('the magic, a known version, counts the data fills, a zone', () => {
    const good = utcZoneFile();
    expect(isTzif(good)).toBe(true);
    expect(isTzif(new TextEncoder().encode('# zone.tab\n'.padEnd(60, '#')))).toBe(false);
    expect(isTzif(good.subarray(0, 53))).toBe(false);
    const v4 = utcZoneFile();
    v4[4] = 0x34;
    expect(isTzif(v4)).toBe(false);
    const badAbbreviation = utcZoneFile();
    badAbbreviation[49] = 4;
    expect(isTzif(badAbbreviation)).toBe(false);
  });
});
