import { describe, expect, it } from 'vitest';
import { countQuantity, formatQuantity, parseQuantity } from './quantity.js';

const nanos = (v: string) => parseQuantity(v)?.nanos;

describe('quantity', () => {
  it('parses decimal, binary and exponent forms exactly', () => {
    expect(nanos('500m')).toBe(500_000_000n);
    expect(nanos('1')).toBe(1_000_000_000n);
    expect(nanos('0.1')).toBe(100_000_000n);
    expect(nanos('252Mi')).toBe(252n * 1024n * 1024n * 1_000_000_000n);
    expect(nanos('2e3')).toBe(2000n * 1_000_000_000n);
    expect(nanos('1.5k')).toBe(1500n * 1_000_000_000n);
    expect(nanos('-2')).toBe(-2_000_000_000n);
    expect(nanos('1n')).toBe(1n);
    expect(parseQuantity('abc')).toBeUndefined();
    expect(parseQuantity('')).toBeUndefined();
    expect(parseQuantity('1Gx')).toBeUndefined();
  });

  it('formats sums canonically', () => {
    const a = parseQuantity('0.1')!;
    const b = parseQuantity('0.2')!;
    expect(formatQuantity({ nanos: a.nanos + b.nanos, binary: false })).toBe('300m');
    expect(formatQuantity(parseQuantity('252Mi')!)).toBe('252Mi');
    expect(formatQuantity(parseQuantity('1024Ki')!)).toBe('1Mi');
    expect(formatQuantity(parseQuantity('30Gi')!)).toBe('30Gi');
    expect(formatQuantity(countQuantity(0))).toBe('0');
    expect(formatQuantity(countQuantity(3))).toBe('3');
    // Decimal thousands take their SI suffix, as Quantity.String() writes them.
    expect(formatQuantity(countQuantity(1000))).toBe('1k');
    const m = parseQuantity('500M')!;
    expect(formatQuantity({ nanos: m.nanos + m.nanos, binary: false })).toBe('1G');
  });
});
