import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { delay } from './delay.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test('resolves after the time, not before', async () => {
  let done = false;
  const waiting = delay(100).then(() => {
    done = true;
  });
  await vi.advanceTimersByTimeAsync(99);
  expect(done).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  await waiting;
  expect(done).toBe(true);
});

test('rejects with the reason when the signal aborts, and leaves no timer behind', async () => {
  const abort = new AbortController();
  const waiting = delay(10_000, abort.signal);
  abort.abort(new Error('stop'));
  await expect(waiting).rejects.toThrow('stop');
  expect(vi.getTimerCount()).toBe(0);
});

test('rejects at once for a signal that has already aborted', async () => {
  await expect(delay(10, AbortSignal.abort(new Error('early')))).rejects.toThrow('early');
  expect(vi.getTimerCount()).toBe(0);
});
