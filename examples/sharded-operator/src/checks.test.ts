import { describe, expect, test } from 'vitest';
import {
  foreignCaches,
  maxReconcileLagMs,
  overlappingReconciles,
  unbalanced,
  unreconciledWrites,
} from './checks.js';
import type { LogRecord } from './replica.js';

const span = (replica: string, object: string, start: number, end: number): LogRecord[] => [
  { replica, object, phase: 'start', resourceVersion: '5', t: start },
  { replica, object, phase: 'end', resourceVersion: '5', t: end },
];

describe('the checks find what they look for', () => {
  test('overlapping reconciles of one object by two replicas, not by one nor of two objects', () => {
    const records = [
      ...span('r0', 'a', 0, 10),
      ...span('r1', 'a', 5, 15),
      ...span('r0', 'b', 0, 10),
      ...span('r1', 'b', 10, 20),
      ...span('r0', 'c', 0, 10),
      ...span('r0', 'c', 5, 12),
    ];
    expect(overlappingReconciles(records, new Map())).toEqual(['a: r0 [0, 10] and r1 [5, 15]']);
  });

  test('an unfinished reconcile lasts until its replica was killed, or forever', () => {
    const records: LogRecord[] = [
      { replica: 'r0', object: 'a', phase: 'start', resourceVersion: '5', t: 0 },
      ...span('r1', 'a', 20, 30),
    ];
    expect(overlappingReconciles(records, new Map([['r0', 10]]))).toEqual([]);
    expect(overlappingReconciles(records, new Map())).toHaveLength(1);
  });

  test('writes not reconciled, or reconciled too late; deleted objects are not expected', () => {
    const records = [...span('r0', 'a', 1_000, 2_000), ...span('r0', 'b', 900_000, 901_000)];
    const last = new Map([
      ['a', { deleted: false, resourceVersion: '5', t: 0 }],
      ['b', { deleted: false, resourceVersion: '5', t: 0 }],
      ['c', { deleted: false, resourceVersion: '7', t: 0 }],
      ['d', { deleted: true, resourceVersion: '', t: 0 }],
    ]);
    expect(unreconciledWrites(records, last, 60)).toEqual([
      'b: reconciled 900 ms after its last write',
      'c: never reconciled after rv 7',
    ]);
    // The figure: b's 900 ms; c (not reconciled yet) and d (deleted) are left out.
    expect(maxReconcileLagMs(records, last)).toBe(900);
  });

  test('shards outside ±25% of an even share, and objects on shards that are not replicas', () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `o${i}`);
    const byShard = new Map([
      ['r0', names(10)],
      ['r1', names(13)],
      ['r2', names(7)],
    ]);
    expect(unbalanced(byShard, ['r0', 'r1', 'r2'])).toEqual([
      'r1: 13 objects, even is 10',
      'r2: 7 objects, even is 10',
    ]);
    byShard.set('r1', names(12));
    byShard.set('r2', names(8));
    expect(unbalanced(byShard, ['r0', 'r1', 'r2'])).toEqual([]);
    expect(unbalanced(new Map([['gone', names(2)]]), ['r0'])).toEqual([
      "2 objects on 'gone'",
      'r0: 0 objects, even is 2',
    ]);
  });

  test('a cache that is not exactly its shard, by its latest snapshot', () => {
    const records: LogRecord[] = [
      { replica: 'r0', phase: 'cache', objects: ['a', 'b'], t: 1 },
      { replica: 'r0', phase: 'cache', objects: ['b', 'a'], t: 2 },
      { replica: 'r1', phase: 'cache', objects: ['c'], t: 1 },
      { replica: 'r1', phase: 'cache', objects: ['c', 'd'], t: 2 },
    ];
    const byShard = new Map([
      ['r0', ['a', 'b']],
      ['r1', ['c']],
    ]);
    expect(foreignCaches(records, byShard, ['r0', 'r1', 'r2'])).toEqual([
      'r1: caches c,d',
      'r2: caches nothing yet',
    ]);
  });
});
