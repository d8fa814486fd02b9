import fc from 'fast-check';
import { expect, vi } from 'vitest';

/**
 * Checks a scheduling property over `numRuns` random scenarios, each simulated in virtual
 * time (fake timers from 0): `check` names the first broken guarantee in the simulated
 * events, or returns `undefined`. A failing scenario and its events are printed.
 */
export async function assertSchedules<S extends { concurrency: number }, E>(
  scenarioArb: fc.Arbitrary<S>,
  simulate: (scenario: S) => Promise<E[]>,
  check: (events: E[], concurrency: number) => string | undefined,
  numRuns: number,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(scenarioArb, async (scenario) => {
      vi.useFakeTimers({ now: 0 });
      try {
        const events = await simulate(scenario);
        const problem = check(events, scenario.concurrency);
        if (problem) console.log(JSON.stringify(scenario), JSON.stringify(events));
        expect(problem).toBeUndefined();
      } finally {
        vi.useRealTimers();
      }
    }),
    { numRuns },
  );
}
