import { describe, expect, it } from 'vitest';
import { type Figure, floorRatioOf, ratioOf } from './figure.js';
import { formatNumber, renderTable } from './table.js';

const summary = (median: number) => ({ min: median - 1, median, max: median + 1, runs: 5 });

describe('formatNumber', () => {
  it('keeps about three significant digits', () => {
    expect(formatNumber(123_456.7)).toBe('123,457');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(1.2345)).toBe('1.23');
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(0)).toBe('0');
  });
});

describe('ratioOf', () => {
  it('divides the kube-ts median by the peer median', () => {
    const f: Figure = {
      backend: 'memory',
      scenario: 's',
      metric: 'm',
      unit: 'ms',
      better: 'lower',
      kubeTs: summary(50),
      peer: summary(100),
    };
    expect(ratioOf(f)).toBe(0.5);
  });

  it('is undefined without a peer', () => {
    expect(
      ratioOf({
        backend: 'memory',
        scenario: 's',
        metric: 'm',
        unit: 'ms',
        better: 'lower',
        kubeTs: summary(1),
      }),
    ).toBeUndefined();
  });
});

describe('floorRatioOf', () => {
  it('divides the kube-ts median by the floor median', () => {
    const f: Figure = {
      backend: 'memory',
      scenario: 's',
      metric: 'm',
      unit: 'ms',
      better: 'lower',
      kubeTs: summary(50),
      floor: summary(40),
    };
    expect(floorRatioOf(f)).toBe(1.25);
    expect(ratioOf(f)).toBeUndefined();
  });
});

describe('renderTable', () => {
  it('renders a header, a rule and one aligned row per figure', () => {
    const text = renderTable([
      {
        backend: 'memory',
        scenario: '1 sync',
        metric: 'time',
        unit: 'ms',
        better: 'lower',
        kubeTs: summary(50),
        peer: summary(100),
        floor: summary(40),
      },
      {
        backend: 'memory',
        scenario: '4 dispatch',
        metric: 'rate',
        unit: '/s',
        better: 'higher',
        kubeTs: summary(10),
      },
    ]);
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^backend +│ scenario +│ metric │ unit │ kube-ts +│ peer +│ floor +│ kube-ts\/floor │ kube-ts\/peer$/,
    );
    expect(lines[2]).toContain('50.0 (49.0–51.0)');
    expect(lines[2]).toMatch(/│ 1\.25x ↓ +│ 0\.50x ↓$/);
    expect(lines[3]).toMatch(/│ — +│ — +│ — +│ —$/);
    // Every row puts its column separators at the same offsets.
    const bars = (l: string) => [...l].flatMap((c, i) => (c === '│' ? [i] : []));
    expect(bars(lines[2]!)).toEqual(bars(lines[0]!));
    expect(bars(lines[3]!)).toEqual(bars(lines[0]!));
  });
});
