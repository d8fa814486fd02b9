import type { KubeObject } from '@kube-ts/core';
import fc from 'fast-check';
import { pino } from 'pino';
import { Subject } from 'rxjs';
import { afterEach, describe, it, vi } from 'vitest';
import { createStore } from '../store/store.js';
import { Action } from './action.js';
import { applier } from './applier.js';
import { Reconciler, ReconcileTimeoutError } from './reconciler.js';
import { assertSchedules } from './schedule-property.test-helper.js';
import type { ReconcileRequest } from './triggers.js';

/**
 * Property test of the whole loop (applier → Scheduler → worker → callReconciler) over
 * random schedules in virtual time, timeouts included: reconciles that outlive
 * `timeoutMs` are abandoned while they keep running, requeues and error retries come
 * from the reconciler, requests from outside. Checked on every schedule:
 * - never two reconciles of one object at once (an abandoned one counts until it settles);
 * - at most `concurrency` reconciles that have not been abandoned;
 * - every request served exactly once, by a reconcile that starts when one is due.
 */

const KEYS = ['a', 'b', 'c', 'd'] as const;
/** Reconciles after which the reconciler stops asking for more, so every schedule ends. */
const MAX_FOLLOW_UPS = 25;
const silent = pino({ level: 'silent' });

const scenarioArb = fc.record({
  requests: fc.array(
    fc.record({ key: fc.constantFrom(...KEYS), at: fc.integer({ min: 0, max: 1500 }) }),
    { minLength: 1, maxLength: 25 },
  ),
  durations: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 8 }),
  // What each reconcile returns: undefined = awaitChange, a number = requeue(ms), 'throw'.
  actions: fc.array(
    fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 300 }), fc.constant('throw')),
    { minLength: 1, maxLength: 8 },
  ),
  timeoutMs: fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 300 })),
  retryMs: fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 200 })),
  concurrency: fc.integer({ min: 1, max: 3 }),
  debounceMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100 })),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

type Event =
  | { type: 'request'; key: string; time: number; due: number }
  | { type: 'start'; key: string; time: number; run: number }
  | { type: 'settle'; key: string; time: number; run: number }
  | { type: 'abandon'; key: string; time: number };

const object = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Thing',
  metadata: { name },
});

async function simulate(s: Scenario): Promise<Event[]> {
  const events: Event[] = [];
  const { reader, writer } = createStore<KubeObject>();
  writer.apply({ type: 'Restarted', objects: KEYS.map(object) });
  let runs = 0;
  const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;
  class Random extends Reconciler<KubeObject> {
    override timeoutMs = s.timeoutMs;
    async reconcile(obj: KubeObject): Promise<Action> {
      const key = obj.metadata?.name ?? '';
      const run = runs++;
      events.push({ type: 'start', key, time: Date.now(), run });
      await new Promise((resolve) => setTimeout(resolve, pick(s.durations, run)));
      events.push({ type: 'settle', key, time: Date.now(), run });
      const action = run < MAX_FOLLOW_UPS ? pick(s.actions, run) : undefined;
      if (action === 'throw') throw new Error('failed');
      return action === undefined ? Action.awaitChange() : Action.requeue(action);
    }
    override errorPolicy(): Action {
      return runs < MAX_FOLLOW_UPS && s.retryMs !== undefined
        ? Action.requeue(s.retryMs)
        : Action.awaitChange();
    }
  }
  const requests = new Subject<ReconcileRequest>();
  const subscription = applier(new Random(), {
    store: reader,
    requests,
    context: undefined,
    config: { concurrency: s.concurrency, debounceMs: s.debounceMs, logger: silent },
  }).subscribe((result) => {
    const key = result.ref.name;
    const now = Date.now();
    if (!result.ok && result.error instanceof ReconcileTimeoutError) {
      events.push({ type: 'abandon', key, time: now });
    }
    const after = result.action.requeueAfterMs;
    if (after !== undefined) {
      events.push({ type: 'request', key, time: now, due: now + after + s.debounceMs });
    }
  });
  for (const r of s.requests) {
    setTimeout(() => {
      const now = Date.now();
      events.push({ type: 'request', key: r.key, time: now, due: now + s.debounceMs });
      requests.next({ ref: { name: r.key }, reason: { type: 'objectUpdated' } });
    }, r.at);
  }
  await vi.runAllTimersAsync();
  subscription.unsubscribe();
  return events;
}

/** The first violation of the guarantees, if any. */
function check(events: Event[], concurrency: number): string | undefined {
  const running = new Map<string, number>(); // key → run in progress (abandoned or not)
  const working = new Set<number>(); // runs that hold a worker slot
  const unserved = new Map<string, number[]>(); // key → due times of unserved requests
  for (const e of events) {
    switch (e.type) {
      case 'request':
        unserved.set(e.key, [...(unserved.get(e.key) ?? []), e.due]);
        break;
      case 'start': {
        if (running.has(e.key)) return `two reconciles of ${e.key} at once (t=${e.time})`;
        running.set(e.key, e.run);
        working.add(e.run);
        if (working.size > concurrency) return `more than ${concurrency} working at t=${e.time}`;
        const dues = unserved.get(e.key) ?? [];
        if (!dues.some((due) => due <= e.time)) {
          return `reconcile of ${e.key} at t=${e.time} without a due request`;
        }
        unserved.set(e.key, []); // it serves every request of its key so far
        break;
      }
      case 'abandon':
        working.delete(running.get(e.key) ?? -1);
        break;
      case 'settle':
        running.delete(e.key);
        working.delete(e.run);
        break;
    }
  }
  for (const [key, dues] of unserved) {
    if (dues.length > 0) return `request(s) for ${key} never served`;
  }
  return undefined;
}

describe('applier (property, with timeouts)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('over 10,000 schedules: never two at once, every request served once after its time', async () => {
    await assertSchedules(scenarioArb, simulate, check, 10_000);
  }, 600_000);
});
