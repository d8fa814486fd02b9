import { describe, expect, it } from 'vitest';
import { humanAge, humanDuration, listWithMore, selector } from './print-format.js';

describe('printer formatting', () => {
  it('humanDuration follows duration.HumanDuration', () => {
    expect(humanDuration(59_000)).toBe('59s');
    expect(humanDuration(125_000)).toBe('2m5s');
    expect(humanDuration(3 * 3600_000 + 60_000)).toBe('3h1m');
    expect(humanDuration(50 * 3600_000)).toBe('2d2h');
    expect(humanDuration(-5)).toBe('0s');
  });

  it('humanAge is <unknown> without a timestamp', () => {
    expect(humanAge(undefined)).toBe('<unknown>');
    expect(humanAge('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:00:42Z'))).toBe('42s');
  });

  it('listWithMore shows the first entries and counts the rest', () => {
    expect(listWithMore(['a', 'b'], 3)).toBe('a,b');
    expect(listWithMore(['a', 'b', 'c', 'd', 'e'], 3)).toBe('a,b,c + 2 more...');
  });

  it('selector prints labels and expressions sorted by key', () => {
    expect(
      selector({
        matchLabels: { z: '1' },
        matchExpressions: [
          { key: 'a', operator: 'NotIn', values: ['y', 'x'] },
          { key: 'm', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('a notin (x,y),!m,z=1');
    expect(selector({})).toBe('<none>');
  });
});
