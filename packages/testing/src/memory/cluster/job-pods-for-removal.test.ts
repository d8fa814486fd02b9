import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { compareActivePods } from './active-pods-order.js';
import { indexRanges, statusIndexes } from './job-completion-index.js';
import { activePodsForRemoval } from './job-pods-for-removal.js';

interface Shape {
  readonly node?: string;
  readonly phase?: string;
  readonly readySince?: string;
  readonly restarts?: number;
  readonly created?: string;
  readonly index?: string;
}

/** A Pod named `name` in the given state. */
function pod(name: string, shape: Shape = {}): JsonObject {
  const conditions =
    shape.readySince === undefined
      ? []
      : [{ type: 'Ready', status: 'True', lastTransitionTime: shape.readySince }];
  return {
    metadata: {
      name,
      creationTimestamp: shape.created ?? '2026-01-01T00:00:00Z',
      ...(shape.index === undefined
        ? {}
        : { annotations: { 'batch.kubernetes.io/job-completion-index': shape.index } }),
    },
    spec: shape.node === undefined ? {} : { nodeName: shape.node },
    status: {
      phase: shape.phase ?? 'Pending',
      conditions,
      containerStatuses: [{ name: 'app', restartCount: shape.restarts ?? 0 }],
    },
  };
}

const names = (pods: JsonObject[]) => pods.map((p) => (p.metadata as JsonObject).name);

describe('compareActivePods', () => {
  it('puts the Pods least far along first', () => {
    const pods = [
      pod('ready-early', { node: 'n', phase: 'Running', readySince: '2026-01-01T00:00:01Z' }),
      pod('ready-late', { node: 'n', phase: 'Running', readySince: '2026-01-01T00:00:09Z' }),
      pod('running', { node: 'n', phase: 'Running' }),
      pod('restarted', { node: 'n', phase: 'Running', restarts: 2 }),
      pod('unknown', { node: 'n', phase: 'Unknown' }),
      pod('pending-old', { node: 'n' }),
      pod('pending-new', { node: 'n', created: '2026-01-02T00:00:00Z' }),
      pod('unscheduled', { phase: 'Running' }),
    ];
    expect(names(pods.sort(compareActivePods))).toEqual([
      'unscheduled',
      'pending-new',
      'pending-old',
      'unknown',
      'restarted',
      'running',
      'ready-late',
      'ready-early',
    ]);
  });
});

describe('activePodsForRemoval', () => {
  it('takes as many as asked, in ActivePods order', () => {
    const pods = [pod('a', { phase: 'Running' }), pod('b'), pod('c', { phase: 'Unknown' })];
    expect(names(activePodsForRemoval(pods, 2))).toEqual(['b', 'c']);
    expect(activePodsForRemoval(pods, 0)).toEqual([]);
  });

  it("removes an Indexed Job's repeated, invalid and out-of-range indexes first", () => {
    const pods = [
      pod('zero', { index: '0', phase: 'Running' }),
      pod('zero-again', { index: '0' }),
      pod('one', { index: '1' }),
      pod('none'),
      pod('bad', { index: '-1' }),
      pod('past', { index: '3' }),
    ];
    expect(names(activePodsForRemoval(pods, 0, 3))).toEqual(['none', 'bad', 'past', 'zero-again']);
    expect(names(activePodsForRemoval(pods, 5, 3))).toEqual([
      'none',
      'bad',
      'past',
      'zero-again',
      'one',
    ]);
  });
});

describe('statusIndexes', () => {
  it('reads a list as the controller does: what is past completions is cut', () => {
    expect(statusIndexes('0,2-4,7', 4)).toEqual([0, 2, 3]);
    expect(statusIndexes('x,1', 4)).toEqual([1]);
    expect(statusIndexes('', 4)).toEqual([]);
    expect(statusIndexes(undefined, 4)).toEqual([]);
  });
});

describe('indexRanges', () => {
  it('writes runs of three or more as ranges, of two as two', () => {
    expect(indexRanges([0, 1, 3, 5, 6, 7, 9])).toBe('0,1,3,5-7,9');
    expect(indexRanges([])).toBe('');
  });
});
