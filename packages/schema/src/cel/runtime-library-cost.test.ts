import { describe, expect, it } from 'vitest';
import { CelCidr, CelIp } from './ip.js';
import { runtimeLibraryCost } from './runtime-library-cost.js';

describe("runtimeLibraryCost: kube-apiserver's CallCost", () => {
  it('charges a list function one traversal of its target, rounding each string down', () => {
    expect(runtimeLibraryCost('isSorted', [['a', 'b', 'c']], true)).toBe(0);
    expect(runtimeLibraryCost('isSorted', [[1n, 2n, 3n]], true)).toBe(3);
    expect(runtimeLibraryCost('sum', [['x'.repeat(25), 'y'.repeat(19)]], '')).toBe(3);
    expect(runtimeLibraryCost('indexOf', ['x'.repeat(29), 'x'], 0n)).toBe(2);
  });

  it("charges join its result's characters times 0.2 and split its target's", () => {
    expect(runtimeLibraryCost('join', [['ab', 'cd'], ','], 'ab,cd')).toBe(1);
    expect(runtimeLibraryCost('split', ['a,'.repeat(50), ','], [])).toBe(20);
  });

  it("prices a CIDR's ip() as a field read and containment by the prefix's bytes", () => {
    const cidr = new CelCidr(new CelIp(4, 0x0a000000n), 24);
    expect(runtimeLibraryCost('ip', [cidr], undefined)).toBe(1);
    expect(runtimeLibraryCost('ip', ['10.0.0.1'], undefined)).toBe(1);
    expect(runtimeLibraryCost('containsIP', [cidr, '10.0.0.1'], true)).toBe(2);
    expect(runtimeLibraryCost('containsIP', [cidr, new CelIp(4, 0x0a000001n)], true)).toBe(1);
    expect(runtimeLibraryCost('containsCIDR', [cidr, cidr], true)).toBe(3);
  });

  it('leaves other functions to cel-go', () => {
    expect(runtimeLibraryCost('size', ['abc'], 3n)).toBeUndefined();
  });
});
