import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import {
  beyondHistoryLimit,
  maxRevision,
  newReplicaSetAnnotations,
} from './deployment-revisions.js';

const REVISION = 'deployment.kubernetes.io/revision';
const HISTORY = 'deployment.kubernetes.io/revision-history';

const rs = (
  name: string,
  annotations: JsonObject,
  replicas = 0,
  created = '2026-01-01T00:00:00Z',
): JsonObject => ({
  metadata: { name, annotations, generation: 2, creationTimestamp: created },
  spec: { replicas },
  status: { replicas, observedGeneration: 2 },
});
const deployment = (annotations: JsonObject = {}): JsonObject => ({ metadata: { annotations } });

describe('newReplicaSetAnnotations', () => {
  it('copies all but the skipped annotations and adds the replica counts to a new one', () => {
    const d = deployment({
      a: '1',
      [REVISION]: '7',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
    });
    expect(newReplicaSetAnnotations(d, {}, 3, false, { 'x/desired': '2' })).toEqual({
      a: '1',
      [REVISION]: '3',
      'x/desired': '2',
    });
  });

  it('raises a lower revision and appends it to the history; leaves a higher one', () => {
    const back = rs('a', { [REVISION]: '3', [HISTORY]: '1' });
    expect(newReplicaSetAnnotations(deployment(), back, 5, true, {})).toEqual({
      [REVISION]: '5',
      [HISTORY]: '1,3',
    });
    expect(newReplicaSetAnnotations(deployment(), back, 3, true, {})).toBeUndefined();
    expect(newReplicaSetAnnotations(deployment(), rs('b', { [REVISION]: 'x' }), 9, true, {})).toBe(
      undefined,
    );
  });

  it('drops the oldest history entries to stay within 2000 characters', () => {
    const long = Array.from({ length: 400 }, (_, i) => String(1000 + i)).join(',');
    expect(long.length).toBe(1999);
    const out = newReplicaSetAnnotations(
      deployment(),
      rs('a', { [REVISION]: '9999', [HISTORY]: long }),
      10000,
      true,
      {},
    );
    expect(out?.[HISTORY]).toBe([...long.split(',').slice(1), '9999'].join(','));
  });
});

describe('beyondHistoryLimit', () => {
  it('takes the lowest revisions beyond the limit that have no replicas and were seen', () => {
    const old = [
      rs('late-low', { [REVISION]: '2' }, 0, '2026-01-03T00:00:00Z'),
      rs('high', { [REVISION]: '5' }),
      rs('busy', { [REVISION]: '1' }, 1),
    ];
    const names = (sets: JsonObject[]) => sets.map((s) => (s.metadata as JsonObject).name);
    expect(names(beyondHistoryLimit({ revisionHistoryLimit: 1 }, old))).toEqual(['late-low']);
    expect(names(beyondHistoryLimit({ revisionHistoryLimit: 0 }, old))).toEqual([
      'late-low',
      'high',
    ]);
    expect(beyondHistoryLimit({ revisionHistoryLimit: 2147483647 }, old)).toEqual([]);
    expect(maxRevision(old)).toBe(5);
  });
});
