import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { matchPodFailurePolicy } from './job-pod-failure-policy.js';

/** A failed Pod `ns/p` whose containers ended with the given exit codes. */
function pod(
  codes: Record<string, number | undefined>,
  conditions: JsonObject[] = [],
  init: Record<string, number> = {},
): JsonObject {
  const statuses = (c: Record<string, number | undefined>) =>
    Object.entries(c).map(([name, exitCode]): JsonObject => {
      const state: JsonObject =
        exitCode === undefined ? { running: {} } : { terminated: { exitCode } };
      return { name, state };
    });
  return {
    metadata: { namespace: 'ns', name: 'p' },
    status: {
      phase: 'Failed',
      conditions,
      containerStatuses: statuses(codes),
      initContainerStatuses: statuses(init),
    },
  };
}

const spec = (...rules: JsonObject[]): JsonObject => ({ podFailurePolicy: { rules } });
const exitCodes = (action: string, operator: string, values: number[], containerName?: string) => ({
  action,
  onExitCodes: { operator, values, ...(containerName === undefined ? {} : { containerName }) },
});

describe('matchPodFailurePolicy', () => {
  it('counts every failure of a Job without a policy', () => {
    expect(matchPodFailurePolicy({}, pod({ app: 1 }))).toEqual({ counted: true });
  });

  it('fails the Job on an exit code In the values, naming the container and the rule', () => {
    expect(matchPodFailurePolicy(spec(exitCodes('FailJob', 'In', [42])), pod({ app: 42 }))).toEqual(
      {
        counted: true,
        action: 'FailJob',
        failJob:
          'Container app for pod ns/p failed with exit code 42 matching FailJob rule at index 0',
      },
    );
  });

  it('matches NotIn, skips exit code 0, running containers and other container names', () => {
    const rules = spec(exitCodes('Ignore', 'In', [3], 'side'), exitCodes('Count', 'NotIn', [1, 2]));
    expect(matchPodFailurePolicy(rules, pod({ app: 0, side: 3 }))).toEqual({
      counted: false,
      action: 'Ignore',
    });
    expect(matchPodFailurePolicy(rules, pod({ app: 3, side: undefined }))).toEqual({
      counted: true,
      action: 'Count',
    });
    expect(matchPodFailurePolicy(rules, pod({ app: 2, side: 0 }))).toEqual({ counted: true });
  });

  it('reads init containers after the regular ones', () => {
    const rules = spec(exitCodes('FailJob', 'In', [7]));
    expect(matchPodFailurePolicy(rules, pod({ app: 0 }, [], { setup: 7 })).failJob).toBe(
      'Container setup for pod ns/p failed with exit code 7 matching FailJob rule at index 0',
    );
  });

  it('matches a Pod condition of the type and status; the first matching rule decides', () => {
    const rules = spec(
      exitCodes('FailJob', 'In', [9]),
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      { action: 'FailJob', onPodConditions: [{ type: 'ConfigIssue', status: 'True' }] },
    );
    const disrupted = { type: 'DisruptionTarget', status: 'True' };
    expect(matchPodFailurePolicy(rules, pod({ app: 1 }, [disrupted]))).toEqual({
      counted: false,
      action: 'Ignore',
    });
    expect(matchPodFailurePolicy(rules, pod({ app: 9 }, [disrupted])).action).toBe('FailJob');
    expect(
      matchPodFailurePolicy(rules, pod({ app: 1 }, [{ ...disrupted, status: 'False' }])),
    ).toEqual({ counted: true });
    expect(
      matchPodFailurePolicy(rules, pod({ app: 1 }, [{ type: 'ConfigIssue', status: 'True' }])),
    ).toEqual({
      counted: true,
      action: 'FailJob',
      failJob: 'Pod ns/p has condition ConfigIssue matching FailJob rule at index 2',
    });
  });

  it('counts a Pod a FailIndex rule matches', () => {
    expect(matchPodFailurePolicy(spec(exitCodes('FailIndex', 'In', [5])), pod({ app: 5 }))).toEqual(
      { counted: true, action: 'FailIndex' },
    );
  });
});
