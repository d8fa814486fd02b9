import type { Lease } from '@kube-ts/k8s/coordination/v1';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeLeaseApi } from './fake-lease-api.test-helper.js';
import { LeaderElector, type LeaseApi } from './leader-elector.js';

const logger = pino({ level: 'silent' });

/** A candidate's own view of the shared lease store, cut off while `down` is set. */
function partitioned(store: FakeLeaseApi): LeaseApi & { down: boolean } {
  const view = {
    down: false,
    getOpt: (name: string) =>
      view.down ? Promise.reject(new Error('partitioned')) : store.getOpt(name),
    create: (lease: Lease) =>
      view.down ? Promise.reject(new Error('partitioned')) : store.create(lease),
    replace: (name: string, lease: Lease) =>
      view.down ? Promise.reject(new Error('partitioned')) : store.replace(name, lease),
  };
  return view;
}

type Step =
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'partition'; readonly who: number; readonly down: boolean }
  | { readonly kind: 'stop'; readonly who: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.integer({ min: 1, max: 6_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('partition' as const),
      who: fc.integer({ min: 0, max: 2 }),
      down: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('stop' as const),
      who: fc.integer({ min: 0, max: 2 }),
    }),
  },
);

describe('LeaderElector property (virtual time)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('never two leaders at once, over random partitions, stops and delays', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        const store = new FakeLeaseApi();
        const views = [0, 1, 2].map(() => partitioned(store));
        const electors = views.map(
          (view, i) => new LeaderElector(view, { name: 'op', identity: `c${i}`, logger }),
        );
        let overlap = false;
        const check = () => {
          if (electors.filter((e) => e.isLeader).length > 1) overlap = true;
        };
        for (const e of electors) {
          e.leading.subscribe(check);
          e.start();
        }
        for (const s of steps) {
          if (s.kind === 'advance') await vi.advanceTimersByTimeAsync(s.ms);
          else if (s.kind === 'partition') (views[s.who] as { down: boolean }).down = s.down;
          else await electors[s.who]?.stop();
          check();
        }
        await Promise.all(electors.map((e) => e.stop()));
        expect(overlap).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('stopping the leader hands over within one jittered retry period (the lease is released)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 20_000 }), async (wait) => {
        const store = new FakeLeaseApi();
        const electors = [0, 1, 2].map(
          (i) => new LeaderElector(store, { name: 'op', identity: `c${i}`, logger }),
        );
        for (const e of electors) e.start();
        await vi.advanceTimersByTimeAsync(wait);
        const leader = electors.find((e) => e.isLeader);
        expect(leader).toBeDefined();
        await leader?.stop();
        await vi.advanceTimersByTimeAsync(2_000 * 2.2);
        expect(electors.filter((e) => e.isLeader)).toHaveLength(1);
        await Promise.all(electors.map((e) => e.stop()));
      }),
      { numRuns: 50 },
    );
  });
});
