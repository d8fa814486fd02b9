import { describe, expect, it } from 'vitest';
import { allocateConcurrency } from './concurrency-allocation.js';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('allocateConcurrency', () => {
  it('divides in proportion to the targets when no bound is met', () => {
    const allocs = allocateConcurrency(30, [
      { target: 1, lowerBound: 0, upperBound: 100 },
      { target: 2, lowerBound: 0, upperBound: 100 },
    ])!;
    expect(allocs[0]).toBeCloseTo(10);
    expect(allocs[1]).toBeCloseTo(20);
  });

  it('holds a class at its upper bound and gives the rest to the others', () => {
    const allocs = allocateConcurrency(30, [
      { target: 1, lowerBound: 0, upperBound: 4 },
      { target: 1, lowerBound: 0, upperBound: 100 },
    ])!;
    expect(allocs).toEqual([4, 26]);
  });

  it('holds a class at its lower bound when its share would be less', () => {
    const allocs = allocateConcurrency(20, [
      { target: 8, lowerBound: 8, upperBound: 8 },
      { target: 1, lowerBound: 1, upperBound: 100 },
      { target: 1, lowerBound: 1, upperBound: 100 },
    ])!;
    expect(allocs).toEqual([8, 6, 6]);
    expect(sum(allocs)).toBe(20);
  });

  it('gives the bounds when they leave no room, and nothing when they cannot meet the sum', () => {
    const classes = [
      { target: 2, lowerBound: 2, upperBound: 3 },
      { target: 3, lowerBound: 3, upperBound: 4 },
    ];
    expect(allocateConcurrency(5, classes)).toEqual([2, 3]);
    expect(allocateConcurrency(7, classes)).toEqual([3, 4]);
    expect(allocateConcurrency(4, classes)).toBeUndefined();
    expect(allocateConcurrency(8, classes)).toBeUndefined();
    expect(allocateConcurrency(0, [])).toEqual([]);
  });

  it('treats a zero target as a tiny one', () => {
    const allocs = allocateConcurrency(10, [
      { target: 0, lowerBound: 0, upperBound: 100 },
      { target: 1, lowerBound: 0, upperBound: 100 },
    ])!;
    expect(sum(allocs)).toBeCloseTo(10);
    expect(allocs[0]).toBeLessThan(0.01);
  });
});
