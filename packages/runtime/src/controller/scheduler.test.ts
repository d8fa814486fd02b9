import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReconcileReason } from './reason.js';
import { type ScheduledEntry, Scheduler } from './scheduler.js';

const updated: ReconcileReason = { type: 'objectUpdated' };
const requeue = (afterMs: number): ReconcileReason => ({ type: 'requeue', afterMs });

function collect(debounceMs = 0) {
  const due: (ScheduledEntry<string> & { at: number })[] = [];
  const scheduler: Scheduler<string> = new Scheduler<string>({
    debounceMs,
    onDue: (entry) => {
      due.push({ ...entry, at: Date.now() });
      scheduler.release(entry.key);
    },
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

  it('yields to the event loop after 512 entries even when each reconcile settles in a microtask', async () => {
    vi.useRealTimers();
    // A reconciler with nothing to do settles without I/O: its release comes from a
    // microtask, and each release hands out the next entry. Those must count against the
    // slice too, or a pass over every object runs without a turn of the event loop and
    // starves every timer (a Lease renewal among them).
    const due: string[] = [];
    const scheduler: Scheduler<string> = new Scheduler<string>({
      concurrency: 4,
      onDue: (entry) => {
        due.push(entry.key);
        void Promise.resolve().then(() => scheduler.release(entry.key));
      },
    });
    for (let i = 0; i < 2000; i++) scheduler.schedule(`k${i}`, `V${i}`, updated, 0);
    const seenByTimers: number[] = [];
    while (due.length < 2000) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      seenByTimers.push(due.length);
    }
    // Between two turns of the event loop at most one slice (512) was handed out.
    const steps = seenByTimers.map((n, i) => n - (seenByTimers[i - 1] ?? 0));
    expect(Math.max(...steps)).toBeLessThanOrEqual(512);
    expect(new Set(due).size).toBe(2000);
    scheduler.close();
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
        scheduler.release(entry.key);
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

  it('close drops all pending requests and ignores later ones', () => {
    const { scheduler, due } = collect();
    scheduler.schedule('b', 'B', updated, 10);
    vi.advanceTimersByTime(10);
    expect(due.map((d) => d.key)).toEqual(['b']);
    scheduler.schedule('c', 'C', updated, 10);
    scheduler.close();
    scheduler.schedule('d', 'D', updated, 10);
    vi.advanceTimersByTime(100);
    expect(due.map((d) => d.key)).toEqual(['b']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('serves thousands of replacing requests for one key with one entry', () => {
    const { scheduler, due } = collect();
    // Each request is earlier than the last, so each replaces the pending entry.
    for (let i = 0; i < 10_000; i++) scheduler.schedule('a', 'A', updated, 20_000 - i);
    expect(scheduler.size).toBe(1);
    vi.advanceTimersByTime(20_000);
    expect(due.map((d) => d.at)).toEqual([10_001]);
  });

  describe('holds (per-key exclusion, concurrency, readiness gate)', () => {
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

    /** A scheduler whose holds last `durationMs` of virtual time, recording start/end. */
    function timed(concurrency: number, durationMs = 100) {
      const log: { key: string; start: number; end: number }[] = [];
      let maxWorking = 0;
      const scheduler: Scheduler<string> = new Scheduler<string>({
        concurrency,
        onDue: (entry) => {
          maxWorking = Math.max(maxWorking, scheduler.working);
          const start = Date.now();
          void sleep(durationMs).then(() => {
            log.push({ key: entry.key, start, end: Date.now() });
            scheduler.release(entry.key);
          });
        },
      });
      return { scheduler, log, maxWorking: () => maxWorking };
    }

    it('holds a key until release: a request meanwhile runs after it, once', async () => {
      const { scheduler, log } = timed(10);
      scheduler.schedule('a', 'A', updated);
      await vi.advanceTimersByTimeAsync(50);
      expect([...scheduler.holds()].map((h) => h.key)).toEqual(['a']);
      scheduler.schedule('a', 'A', updated);
      scheduler.schedule('a', 'A', updated);
      await vi.advanceTimersByTimeAsync(1000);
      expect(log).toHaveLength(2);
      expect(log[0]).toEqual({ key: 'a', start: 0, end: 100 });
      // The second starts once the first released the key (on the next event-loop turn).
      expect(log[1]!.start).toBeGreaterThanOrEqual(100);
      expect(log[1]!.start).toBeLessThanOrEqual(101);
    });

    it('bounds the holds that take a worker slot by concurrency', async () => {
      const { scheduler, log, maxWorking } = timed(3);
      for (let i = 0; i < 10; i++) scheduler.schedule(`k${i}`, 'x', updated);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(log).toHaveLength(10);
      expect(maxWorking()).toBe(3);
    });

    it('merges requests for a key waiting for a slot (one run, not one per request)', async () => {
      const { scheduler, log } = timed(1);
      scheduler.schedule('busy', 'B', updated);
      await vi.advanceTimersByTimeAsync(1);
      for (let i = 0; i < 1000; i++) scheduler.schedule('a', 'A', updated);
      expect(scheduler.size).toBe(1);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(log.map((l) => l.key)).toEqual(['busy', 'a']);
    });

    it('freeSlot lets other keys run while the key itself stays held', async () => {
      const handed: string[] = [];
      const scheduler: Scheduler<string> = new Scheduler<string>({
        concurrency: 1,
        onDue: (entry) => handed.push(entry.key),
      });
      scheduler.schedule('stuck', 'S', updated);
      scheduler.schedule('b', 'B', updated);
      await vi.advanceTimersByTimeAsync(10);
      expect(handed).toEqual(['stuck']);
      scheduler.freeSlot('stuck');
      scheduler.schedule('stuck', 'S', updated);
      await vi.advanceTimersByTimeAsync(10);
      expect(handed).toEqual(['stuck', 'b']);
      expect([...scheduler.holds()]).toEqual([
        { key: 'stuck', since: 0, working: false },
        { key: 'b', since: 10, working: true },
      ]);
      let idle = false;
      const whenIdle = scheduler.whenIdle().then(() => {
        idle = true;
      });
      await vi.advanceTimersByTimeAsync(10);
      expect(idle).toBe(false); // 'b' works; the abandoned 'stuck' is not waited for
      scheduler.release('b');
      await whenIdle;
      scheduler.release('stuck');
      await vi.advanceTimersByTimeAsync(10);
      expect(handed).toEqual(['stuck', 'b', 'stuck']);
    });

    it('hands nothing out before startAfter resolves, then every key once', async () => {
      let open: () => void = () => {};
      const handed: string[] = [];
      const scheduler = new Scheduler<string>({
        startAfter: new Promise<void>((resolve) => {
          open = resolve;
        }),
        onDue: (entry) => handed.push(entry.key),
      });
      scheduler.schedule('a', 'A', updated);
      scheduler.schedule('a', 'A', updated);
      scheduler.schedule('b', 'B', updated, 50);
      await vi.advanceTimersByTimeAsync(1000);
      expect(handed).toEqual([]);
      open();
      await vi.advanceTimersByTimeAsync(10);
      expect(handed).toEqual(['a', 'b']);
    });

    it('rejects a concurrency below 1 with a message naming the option', () => {
      expect(() => new Scheduler({ concurrency: 0, onDue: () => {} })).toThrow(/concurrency/);
    });
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
