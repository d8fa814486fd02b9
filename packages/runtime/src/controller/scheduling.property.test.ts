import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReconcileReason } from './reason.js';
import { assertSchedules } from './schedule-property.test-helper.js';
import { Scheduler } from './scheduler.js';

/**
 * Property test of the Scheduler as the controller uses it (hand out, run, release), over
 * random schedules in virtual time: random keys, request times, delays, run durations,
 * concurrency and debounce. applier.property.test.ts adds timeouts, through the applier.
 */

const requestArb = fc.record({
  key: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
  at: fc.integer({ min: 0, max: 2000 }),
  delayMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1500 })),
});

const scenarioArb = fc.record({
  requests: fc.array(requestArb, { minLength: 1, maxLength: 40 }),
  durations: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 10 }),
  concurrency: fc.integer({ min: 1, max: 4 }),
  debounceMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 200 })),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

type Event =
  | { type: 'request'; seq: number; key: string; time: number; due: number }
  | { type: 'start'; seq: number; key: string; time: number; stillScheduled: boolean }
  | { type: 'end'; seq: number; key: string; time: number };

async function simulate(scenario: Scenario): Promise<Event[]> {
  const events: Event[] = [];
  let seq = 0;
  let runIndex = 0;
  const queue: Scheduler<string> = new Scheduler<string>({
    concurrency: scenario.concurrency,
    debounceMs: scenario.debounceMs,
    onDue: (entry) => {
      events.push({
        type: 'start',
        seq: seq++,
        key: entry.key,
        time: Date.now(),
        stillScheduled: queue.has(entry.key),
      });
      const duration = scenario.durations[runIndex++ % scenario.durations.length]!;
      setTimeout(() => {
        events.push({ type: 'end', seq: seq++, key: entry.key, time: Date.now() });
        queue.release(entry.key);
      }, duration);
    },
  });
  for (const request of scenario.requests) {
    setTimeout(() => {
      const reason: ReconcileReason = { type: 'requeue', afterMs: request.delayMs };
      const now = Date.now();
      events.push({
        type: 'request',
        seq: seq++,
        key: request.key,
        time: now,
        // Debounce delays every request (see SchedulerOptions.debounceMs).
        due: now + request.delayMs + scenario.debounceMs,
      });
      queue.schedule(request.key, request.key, reason, request.delayMs);
    }, request.at);
  }
  await vi.runAllTimersAsync();
  await queue.whenIdle();
  expect(queue.size).toBe(0);
  expect([...queue.holds()]).toEqual([]);
  return events;
}

/** Checks the invariants; returns a description of the first violation, if any. */
function check(events: Event[], concurrency: number): string | undefined {
  const running = new Set<string>();
  const unserved = new Map<string, { due: number; seq: number }[]>();
  for (const event of events) {
    if (event.type === 'request') {
      const list = unserved.get(event.key) ?? [];
      list.push({ due: event.due, seq: event.seq });
      unserved.set(event.key, list);
    } else if (event.type === 'start') {
      if (running.has(event.key)) return `two runs of ${event.key} at once (t=${event.time})`;
      running.add(event.key);
      if (running.size > concurrency) return `more than ${concurrency} runs at t=${event.time}`;
      const pending = unserved.get(event.key) ?? [];
      if (pending.length === 0) return `run of ${event.key} at t=${event.time} without a request`;
      if (!pending.some((r) => r.due <= event.time)) {
        return `run of ${event.key} at t=${event.time} before any request was due`;
      }
      // The run serves every request that arrived before it and is due. A request that is
      // not due yet either still has its scheduler entry (it will get its own run) or was
      // merged into the earlier entry that this run serves.
      unserved.set(
        event.key,
        event.stillScheduled ? pending.filter((r) => r.due > event.time) : [],
      );
    } else {
      running.delete(event.key);
      if (event.type !== 'end') return 'unknown event';
    }
  }
  for (const [key, list] of unserved) {
    if (list.length > 0) return `request(s) for ${key} never served`;
  }
  return undefined;
}

describe('Scheduler (property)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('never runs one key twice at once, never runs early, serves every request exactly once', async () => {
    await assertSchedules(scenarioArb, simulate, check, 2000);
    // Its own time budget: about 1 s of CPU on a quiet machine, ten times that and more on
    // a loaded CI machine, where the default 20 s ran out (applier's runs 10,000 in 600 s).
  }, 300_000);
});
