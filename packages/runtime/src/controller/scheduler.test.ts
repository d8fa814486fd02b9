import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReconcileReason } from './reason.js';
import { type ScheduledEntry, Scheduler } from './scheduler.js';

const updated: ReconcileReason = { type: 'objectUpdated' };
const requeue = (afterMs: number): ReconcileReason => ({ type: 'requeue', afterMs });

function collect(debounceMs = 0) {
  const due: (ScheduledEntry<string> & { at: number })[] = [];
  const scheduler = new Scheduler<string>({
    debounceMs,
    onDue: (entry) => due.push({ ...entry, at: Date.now() }),
  });
  return { scheduler, due };
}

describe('Scheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('emits an entry at its time, not before', () => {
    const { scheduler, due } = collect();
    scheduler.schedule('a', 'A', requeue(100), 100);
    vi.advanceTimersByTime(99);
    expect(due).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(due.map((d) => [d.key, d.at])).toEqual([['a', 100]]);
    expect(scheduler.size).toBe(0);
  });

  it('fires an entry that is already due on the next event-loop turn, without waiting a timer tick', async () => {
    vi.useRealTimers();
    const { scheduler, due } = collect();
    scheduler.schedule('a', 'A', updated, 0);
    expect(due).toEqual([]);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(due.map((d) => d.key)).toEqual(['a']);
    scheduler.close();
  });

  it('emits at most 512 due entries per event-loop turn, the rest on the next turns, in time order', async () => {
    const { scheduler, due } = collect();
    for (let i = 0; i < 1200; i++) scheduler.schedule(`k${i}`, `V${i}`, requeue(10), 10 + (i % 3));
    await vi.advanceTimersByTimeAsync(12);
    expect(due).toHaveLength(1200);
    // In time order across the slices: runAt never goes down.
    for (let i = 1; i < due.length; i++)
      expect(due[i]!.runAt).toBeGreaterThanOrEqual(due[i - 1]!.runAt);

    const burst = collect();
    for (let i = 0; i < 1200; i++) burst.scheduler.schedule(`k${i}`, `V${i}`, updated, 0);
    await vi.advanceTimersToNextTimerAsync();
    expect(burst.due).toHaveLength(512);
    await vi.advanceTimersToNextTimerAsync();
    expect(burst.due).toHaveLength(1024);
    await vi.advanceTimersToNextTimerAsync();
    expect(burst.due).toHaveLength(1200);
  });

  it('keeps one entry per key: the earlier time wins and its reason is recorded', () => {
    const { scheduler, due } = collect();
    scheduler.schedule('a', 'A', requeue(300), 300);
    scheduler.schedule('a', 'A', updated, 10);
    scheduler.schedule('a', 'A', requeue(200), 200);
    expect(scheduler.size).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(due.map((d) => [d.key, d.at, d.reason])).toEqual([['a', 10, updated]]);
  });

  it('keeps the first request on a tie', () => {
    const { scheduler, due } = collect();
    scheduler.schedule('a', 'A', updated, 50);
    scheduler.schedule('a', 'A', requeue(50), 50);
    vi.advanceTimersByTime(50);
    expect(due.map((d) => d.reason)).toEqual([updated]);
  });

  it('emits different keys in time order, ties in request order', () => {
    const { scheduler, due } = collect();
    scheduler.schedule('c', 'C', updated, 30);
    scheduler.schedule('a', 'A', updated, 10);
    scheduler.schedule('b', 'B', updated, 10);
    vi.advanceTimersByTime(100);
    expect(due.map((d) => d.key)).toEqual(['a', 'b', 'c']);
  });

  it('uses one timer however many keys are pending', () => {
    const { scheduler, due } = collect();
    for (let i = 0; i < 1000; i++) scheduler.schedule(`k${i}`, 'x', updated, 1000 - i);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(due).toHaveLength(1000);
    expect(due[0]!.key).toBe('k999');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('re-arms its timer when an earlier entry arrives', () => {
    const { scheduler, due } = collect();
    scheduler.schedule('late', 'L', updated, 1000);
    scheduler.schedule('early', 'E', updated, 5);
    vi.advanceTimersByTime(5);
    expect(due.map((d) => [d.key, d.at])).toEqual([['early', 5]]);
  });

  it('lets onDue schedule again (a requeue from the callback)', () => {
    const due: number[] = [];
    const scheduler: Scheduler<string> = new Scheduler<string>({
      onDue: (entry) => {
        due.push(Date.now());
        if (due.length < 3) scheduler.schedule(entry.key, entry.value, requeue(10), 10);
      },
    });
    scheduler.schedule('a', 'A', updated);
    vi.advanceTimersByTime(100);
    expect(due).toEqual([0, 10, 20]);
  });

  it('keeps emitting other entries after onDue throws', () => {
    const due: string[] = [];
    const scheduler = new Scheduler<string>({
      onDue: (entry) => {
        due.push(entry.key);
        if (entry.key === 'bad') throw new Error('boom');
      },
    });
    scheduler.schedule('bad', 'B', updated, 10);
    scheduler.schedule('good', 'G', updated, 20);
    expect(() => vi.advanceTimersByTime(10)).toThrow('boom');
    vi.advanceTimersByTime(10);
    expect(due).toEqual(['bad', 'good']);
  });

  it('cancel drops a pending entry; close drops all and ignores later requests', () => {
    const { scheduler, due } = collect();
    scheduler.schedule('a', 'A', updated, 10);
    scheduler.schedule('b', 'B', updated, 10);
    expect(scheduler.cancel('a')).toBe(true);
    expect(scheduler.cancel('a')).toBe(false);
    vi.advanceTimersByTime(10);
    expect(due.map((d) => d.key)).toEqual(['b']);
    scheduler.schedule('c', 'C', updated, 10);
    scheduler.close();
    scheduler.schedule('d', 'D', updated, 10);
    vi.advanceTimersByTime(100);
    expect(due.map((d) => d.key)).toEqual(['b']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('compacts stale heap nodes so replaced requests do not accumulate', () => {
    const { scheduler, due } = collect();
    // Each request is earlier than the last, so each replaces the pending entry.
    for (let i = 0; i < 10_000; i++) scheduler.schedule('a', 'A', updated, 20_000 - i);
    expect(scheduler.size).toBe(1);
    expect(scheduler.heapNodes).toBeLessThanOrEqual(2 * scheduler.size + 65);
    vi.advanceTimersByTime(20_000);
    expect(due.map((d) => d.at)).toEqual([10_001]);
  });

  describe('debounce', () => {
    it('collapses a burst into one run, debounceMs after the last request', () => {
      const { scheduler, due } = collect(100);
      scheduler.schedule('a', 'A', updated);
      vi.advanceTimersByTime(50);
      scheduler.schedule('a', 'A', updated);
      vi.advanceTimersByTime(50);
      scheduler.schedule('a', 'A', updated);
      vi.advanceTimersByTime(99);
      expect(due).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(due.map((d) => d.at)).toEqual([200]);
    });

    it('delays even a single request by debounceMs', () => {
      const { scheduler, due } = collect(100);
      scheduler.schedule('a', 'A', updated);
      vi.advanceTimersByTime(99);
      expect(due).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(due.map((d) => d.at)).toEqual([100]);
    });

    it('does not let a later requeue postpone a pending change', () => {
      const { scheduler, due } = collect(100);
      scheduler.schedule('a', 'A', updated);
      scheduler.schedule('a', 'A', requeue(5000), 5000);
      vi.advanceTimersByTime(100);
      expect(due.map((d) => [d.at, d.reason])).toEqual([[100, updated]]);
    });
  });

  it('rejects a negative debounce with a message that says what to pass', () => {
    expect(() => new Scheduler({ debounceMs: -1, onDue: () => {} })).toThrow(/debounceMs/);
  });
});
