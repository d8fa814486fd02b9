import { describe, expect, it } from 'vitest';
import type { Figure } from './figure.js';
import { renderGoals } from './goals.js';

const summary = (median: number) => ({ min: median - 1, median, max: median + 1, runs: 5 });

function figure(scenario: string, metric: string, kubeTs: number, other: Partial<Figure>): Figure {
  return {
    backend: 'memory',
    scenario,
    metric,
    unit: 'µs',
    better: 'lower',
    kubeTs: summary(kubeTs),
    ...other,
  };
}

describe('renderGoals', () => {
  it('checks each goal against the figures it names, per backend and size', () => {
    const text = renderGoals([
      figure('6 watch ingest, replayed (100000 events)', 'CPU time per event', 22, {
        backend: 'replay',
        floor: summary(20),
        peer: summary(30),
      }),
      figure('1 initial sync (10000)', 'CPU time to ready', 120, { floor: summary(100) }),
      figure('1 initial sync (50000)', 'CPU time to ready', 500, { floor: summary(500) }),
      figure('1 initial sync (50000)', 'peak RSS', 900, { floor: summary(100) }),
      figure('8 write→reconcile latency (100/s, 10 s)', 'latency p99', 9, { peer: summary(10) }),
      figure('8 write→reconcile latency (100/s, 10 s)', 'latency p50', 5, {}),
    ]);
    const lines = text.split('\n');
    const row = (goal: string, where: string) =>
      lines
        .find((l) => l.startsWith(goal) && l.includes(where))
        ?.split('│')
        .map((c) => c.trim());
    expect(row('client CPU per watch event', '6 watch ingest')?.slice(4)).toEqual(['1.10x', 'yes']);
    expect(row('CPU to a synced store', '(10000)')?.slice(4)).toEqual(['1.20x', 'no']);
    expect(row('CPU to a synced store', '(50000)')?.slice(4)).toEqual(['1.00x', 'yes']);
    expect(row('latency p99', 'memory')?.slice(3)).toEqual(['10.0 (9.00–11.0)', '0.90x', 'yes']);
    expect(row('latency p50', 'memory')?.slice(3)).toEqual(['—', '—', 'not measured']);
    // Neither peak RSS nor the heap goal (no scenario 3 figure) has a row.
    expect(lines).toHaveLength(2 + 5);
  });

  it('says when a missed goal is within the runs’ spread (the ranges overlap)', () => {
    const wide = (median: number) => ({ min: median / 2, median, max: median * 2, runs: 5 });
    const text = renderGoals([
      figure('8 write→reconcile latency (20/s, 50 s)', 'latency p50', 12, { peer: wide(10) }),
      {
        ...figure('8 write→reconcile latency (20/s, 50 s)', 'latency p99', 30, {}),
        kubeTs: wide(30),
        peer: summary(10),
      },
    ]);
    const cells = (goal: string) =>
      text
        .split('\n')
        .find((l) => l.startsWith(goal))
        ?.split('│')
        .map((c) => c.trim())
        .slice(4);
    expect(cells('latency p50')).toEqual(['1.20x', 'no (ranges overlap)']);
    expect(cells('latency p99')).toEqual(['3.00x', 'no']);
  });

  it('checks the sharding goals (issue 17) against the same backend at one replica, at most 1.25/N', () => {
    const at = (n: number, metric: string, median: number, backend = 'memory') =>
      figure(`10 sharded controller (20000), ${n} replica${n > 1 ? 's' : ''}`, metric, median, {
        backend,
      });
    const text = renderGoals([
      at(1, 'objects per replica, largest', 20_000),
      at(1, 'heap per replica, largest', 100),
      at(2, 'objects per replica, largest', 10_200),
      at(4, 'objects per replica, largest', 6_500),
      at(4, 'heap of a replica without the sharder, largest', 30),
      at(4, 'heap of a replica without the sharder, largest', 30, 'kube-apiserver'),
    ]);
    const row = (goal: string, where: string) =>
      text
        .split('\n')
        .find((l) => l.startsWith(goal) && l.includes(where))
        ?.split('│')
        .map((c) => c.trim())
        .slice(4);
    expect(row('objects per replica', ', 2 replicas')).toEqual(['0.51x', 'yes']);
    expect(row('objects per replica', ', 4 replicas')).toEqual(['0.33x', 'no (> 0.31x)']);
    expect(row('heap of a replica without the sharder', 'memory')).toEqual(['0.30x', 'yes']);
    // No figure at one replica on that backend.
    expect(row('heap of a replica without the sharder', 'kube-apiserver')).toEqual([
      '—',
      'not measured',
    ]);
  });

  it('is empty when no goal has a figure', () => {
    expect(renderGoals([figure('4 reconcile dispatch (10)', 'reconciles/s', 1, {})])).toBe('');
  });
});
