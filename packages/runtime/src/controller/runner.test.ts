import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReconcileReason } from './reason.js';
import { Runner } from './runner.js';
import type { ScheduledEntry } from './scheduler.js';

const updated: ReconcileReason = { type: 'objectUpdated' };
const entry = (key: string, runAt = Date.now()): ScheduledEntry<string> => ({
  key,
  value: key,
  reason: updated,
  runAt,
});
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A runner whose runs take `durationMs` of virtual time and record start/end. */
function recordingRunner(concurrency: number, durationMs = 100) {
  const log: { key: string; start: number; end: number }[] = [];
  let running = 0;
  let maxRunning = 0;
  const runner = new Runner<string>({
    concurrency,
    run: async (e) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      const start = Date.now();
      await sleep(durationMs);
      log.push({ key: e.key, start, end: Date.now() });
      running--;
    },
  });
  return { runner, log, maxRunning: () => maxRunning };
}

describe('Runner', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs a request that arrives during a run of the same key after that run', async () => {
    const { runner, log } = recordingRunner(10);
    runner.submit(entry('a'));
    await vi.advanceTimersByTimeAsync(50);
    expect(runner.isRunning('a')).toBe(true);
    runner.submit(entry('a'));
    runner.submit(entry('a'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(log).toEqual([
      { key: 'a', start: 0, end: 100 },
      { key: 'a', start: 100, end: 200 },
    ]);
  });

  it('bounds the total number of runs in progress by concurrency', async () => {
    const { runner, log, maxRunning } = recordingRunner(3);
    for (let i = 0; i < 10; i++) runner.submit(entry(`k${i}`));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(log).toHaveLength(10);
    expect(maxRunning()).toBe(3);
  });

  it('merges queued submissions of one key (one run, not one per submission)', async () => {
    const { runner, log } = recordingRunner(1);
    runner.submit(entry('busy'));
    for (let i = 0; i < 1000; i++) runner.submit(entry('a'));
    expect(runner.backlog).toBe(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(log.map((l) => l.key)).toEqual(['busy', 'a']);
  });

  it('serves thousands of submissions over many keys without losing any', async () => {
    const { runner, log } = recordingRunner(8, 5);
    const keys = Array.from({ length: 2000 }, (_, i) => `k${i}`);
    for (const key of keys) runner.submit(entry(key));
    for (const key of keys) runner.submit(entry(key));
    await vi.advanceTimersByTimeAsync(60_000);
    await runner.onIdle();
    expect(new Set(log.map((l) => l.key)).size).toBe(2000);
    expect(runner.backlog).toBe(0);
  });

  it('survives a run that rejects, and still runs the waiting request of that key', async () => {
    let calls = 0;
    const runner = new Runner<string>({
      concurrency: 1,
      run: async () => {
        calls++;
        await sleep(10);
        throw new Error('run failed');
      },
    });
    runner.submit(entry('a'));
    await vi.advanceTimersByTimeAsync(5);
    runner.submit(entry('a'));
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toBe(2);
  });

  it('shutdown drops queued work and resolves after runs in progress finish', async () => {
    const { runner, log } = recordingRunner(1);
    runner.submit(entry('a'));
    runner.submit(entry('b'));
    await vi.advanceTimersByTimeAsync(10);
    runner.submit(entry('a'));
    let done = false;
    const shutdown = runner.shutdown().then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(50);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(50);
    await shutdown;
    expect(done).toBe(true);
    expect(log.map((l) => l.key)).toEqual(['a']);
    runner.submit(entry('c'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(log.map((l) => l.key)).toEqual(['a']);
  });

  it('rejects a concurrency below 1 with a message naming the option', () => {
    expect(() => new Runner({ concurrency: 0, run: async () => {} })).toThrow(/concurrency/);
  });
});
