import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { compareRankedPods, type RankedPod } from './active-pods-order.js';

const NOW = Date.parse('2026-01-01T01:00:00Z');

interface Shape {
  readonly uid?: string;
  readonly node?: string;
  readonly phase?: string;
  readonly readySince?: string;
  readonly restarts?: number;
  readonly created?: string;
  readonly cost?: string;
  readonly rank?: number;
}

/** A ranked Pod in the given state. */
function ranked(shape: Shape = {}): RankedPod {
  const conditions =
    shape.readySince === undefined
      ? []
      : [{ type: 'Ready', status: 'True', lastTransitionTime: shape.readySince }];
  const pod: JsonObject = {
    metadata: {
      uid: shape.uid ?? 'u',
      creationTimestamp: shape.created ?? '2026-01-01T00:00:00Z',
      ...(shape.cost === undefined
        ? {}
        : { annotations: { 'controller.kubernetes.io/pod-deletion-cost': shape.cost } }),
    },
    spec: shape.node === undefined ? {} : { nodeName: shape.node },
    status: {
      phase: shape.phase ?? 'Pending',
      conditions,
      containerStatuses: [{ name: 'app', restartCount: shape.restarts ?? 0 }],
    },
  };
  return { pod, rank: shape.rank ?? 0 };
}

/** Whether `a` is deleted before `b` (and not the other way round). */
const first = (a: Shape, b: Shape) => {
  const ab = compareRankedPods(ranked(a), ranked(b), NOW);
  const ba = compareRankedPods(ranked(b), ranked(a), NOW);
  return ab < 0 && ba > 0;
};

describe('compareRankedPods (ActivePodsWithRanks)', () => {
  it('puts unscheduled, then earlier phases, then not Ready Pods first', () => {
    expect(first({ phase: 'Running' }, { node: 'n', phase: 'Pending' })).toBe(true);
    expect(first({ phase: 'Unknown' }, { phase: 'Running' })).toBe(true);
    expect(
      first({ phase: 'Running' }, { phase: 'Running', readySince: '2026-01-01T00:00:00Z' }),
    ).toBe(true);
  });

  it('then the lower pod-deletion-cost, an invalid one counting as 0', () => {
    expect(first({ cost: '-5', rank: 0 }, { rank: 9 })).toBe(true);
    expect(first({ cost: '+5' }, { cost: '1' })).toBe(true);
    expect(first({ cost: '007' }, { cost: '1' })).toBe(true);
    expect(first({ cost: '2147483648' }, { cost: '1' })).toBe(true);
    expect(first({ cost: '-2147483648' }, { cost: '0' })).toBe(true);
  });

  it('then the Pod doubled up with more of its family on its node', () => {
    expect(first({ node: 'a', rank: 3 }, { node: 'b', rank: 1, restarts: 9 })).toBe(true);
  });

  it('then the later power-of-two bucket of Ready time, the lower uid within one', () => {
    const ready = (since: string, uid: string) => ({ phase: 'Running', readySince: since, uid });
    // 10 minutes ago and 50 minutes ago are in different buckets.
    expect(first(ready('2026-01-01T00:50:00Z', 'b'), ready('2026-01-01T00:10:00Z', 'a'))).toBe(
      true,
    );
    // 40 and 50 minutes ago share one (2^41 to 2^42 ns): the lower uid first.
    expect(first(ready('2026-01-01T00:20:00Z', 'a'), ready('2026-01-01T00:10:00Z', 'b'))).toBe(
      true,
    );
    expect(first(ready('2026-01-01T00:10:00Z', 'a'), ready('2026-01-01T00:20:00Z', 'b'))).toBe(
      true,
    );
  });

  it('then more restarts, then the later bucket of age, the lower uid within one', () => {
    expect(
      first({ restarts: 2, created: '2026-01-01T00:00:00Z' }, { created: '2026-01-01T00:59:00Z' }),
    ).toBe(true);
    expect(
      first({ created: '2026-01-01T00:59:00Z', uid: 'z' }, { created: '2026-01-01T00:00:00Z' }),
    ).toBe(true);
    expect(
      first(
        { created: '2026-01-01T00:00:01Z', uid: 'a' },
        { created: '2026-01-01T00:00:02Z', uid: 'b' },
      ),
    ).toBe(true);
  });
});
