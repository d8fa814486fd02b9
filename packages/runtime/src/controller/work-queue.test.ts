import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReconcileReason } from './reason.js';
import { WorkQueue } from './work-queue.js';

const updated: ReconcileReason = { type: 'objectUpdated' };
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('WorkQueue', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('serves a due request still in the scheduler with the run that starts, not twice', async () => {
    const runs: [string, number][] = [];
    const queue = new WorkQueue<string>({
      concurrency: 1,
      run: async (entry) => {
        runs.push([entry.key, Date.now()]);
        await sleep(100);
      },
    });
    // Fires at t=100 just before 'a' ends: the request for 'e' is due but still in the
    // scheduler (its timer has not fired) when the run of 'e' starts.
    setTimeout(() => queue.schedule('e', 'e', updated), 100);
    queue.schedule('a', 'a', updated);
    queue.schedule('e', 'e', updated);
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toEqual([
      ['a', 0],
      ['e', 100],
    ]);
  });

  it('keeps a request that is not yet due when a run of its key starts', async () => {
    const runs: number[] = [];
    const queue: WorkQueue<string> = new WorkQueue<string>({
      concurrency: 1,
      run: async () => {
        runs.push(Date.now());
        if (runs.length === 1) queue.schedule('a', 'a', { type: 'requeue', afterMs: 500 }, 500);
        await sleep(10);
      },
    });
    queue.schedule('a', 'a', updated);
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toEqual([0, 500]);
  });

  it('shutdown drops scheduled requests and waits for runs in progress', async () => {
    const runs: number[] = [];
    const queue = new WorkQueue<string>({
      concurrency: 1,
      run: async () => {
        runs.push(Date.now());
        await sleep(100);
      },
    });
    queue.schedule('a', 'a', updated);
    queue.schedule('b', 'b', updated, 50);
    await vi.advanceTimersByTimeAsync(10);
    const shutdown = queue.shutdown();
    await vi.advanceTimersByTimeAsync(1000);
    await shutdown;
    expect(runs).toEqual([0]);
    expect(queue.backlog).toBe(0);
  });
});
