import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { timestamp } from '../state.js';
import {
  pausedConditions,
  progressCheckDelay,
  type RolloutCounts,
  rolloutConditions,
  setCondition,
} from './deployment-progress.js';

const spec = (more: JsonObject = {}): JsonObject => ({
  replicas: 2,
  progressDeadlineSeconds: 2,
  ...more,
});
const counts = (replicas: number, updated: number, available = 0): RolloutCounts => ({
  replicas,
  updatedReplicas: updated,
  readyReplicas: available,
  availableReplicas: available,
});
const progressing = (reason: string, status: string, at: string): JsonObject => ({
  type: 'Progressing',
  status,
  lastUpdateTime: at,
  lastTransitionTime: at,
  reason,
  message: 'm',
});
const ago = (s: number) => timestamp(new Date(Date.now() - s * 1000));
const rs = 'ReplicaSet "a-1"';

describe('setCondition', () => {
  it('keeps a condition of the same status and reason, moves a changed one to the end', () => {
    const first = [
      progressing('ReplicaSetUpdated', 'True', ago(5)),
      { type: 'Available', status: 'False', reason: 'x' },
    ];
    expect(setCondition(first, 'now', 'Progressing', 'True', 'ReplicaSetUpdated', 'other')).toBe(
      first,
    );
    const moved = setCondition(
      first,
      'now',
      'Progressing',
      'True',
      'NewReplicaSetAvailable',
      'done',
    );
    expect(moved.map((c) => c.type)).toEqual(['Available', 'Progressing']);
    expect(moved[1]).toMatchObject({
      lastUpdateTime: 'now',
      lastTransitionTime: first[0]?.lastTransitionTime,
    });
  });
});

describe('pausedConditions', () => {
  it('says paused and resumed once each, never over a timeout or without a deadline', () => {
    const paused = pausedConditions(spec({ paused: true }), [], 'now');
    expect(paused).toEqual([
      {
        type: 'Progressing',
        status: 'Unknown',
        lastUpdateTime: 'now',
        lastTransitionTime: 'now',
        reason: 'DeploymentPaused',
        message: 'Deployment is paused',
      },
    ]);
    expect(pausedConditions(spec({ paused: true }), paused ?? [], 'later')).toBeUndefined();
    expect(pausedConditions(spec(), paused ?? [], 'later')?.[0]).toMatchObject({
      reason: 'DeploymentResumed',
      message: 'Deployment is resumed',
    });
    const timedOut = [progressing('ProgressDeadlineExceeded', 'False', ago(1))];
    expect(pausedConditions(spec({ paused: true }), timedOut, 'now')).toBeUndefined();
    expect(
      pausedConditions(spec({ paused: true, progressDeadlineSeconds: 2147483647 }), [], 'now'),
    ).toBeUndefined();
  });
});

describe('rolloutConditions', () => {
  it('stamps progress afresh, and times out once the last stamp is the deadline old', () => {
    const fresh = [progressing('NewReplicaSetCreated', 'True', ago(0))];
    expect(rolloutConditions(spec(), fresh, counts(0, 0), counts(0, 0), rs, 'now')).toBe(fresh);
    const moved = rolloutConditions(spec(), fresh, counts(0, 0), counts(1, 1), rs, 'now');
    expect(moved[0]).toMatchObject({
      reason: 'ReplicaSetUpdated',
      lastUpdateTime: 'now',
      lastTransitionTime: fresh[0]?.lastTransitionTime,
      message: 'ReplicaSet "a-1" is progressing.',
    });
    const stale = [progressing('ReplicaSetUpdated', 'True', ago(3))];
    expect(
      rolloutConditions(spec(), stale, counts(1, 1), counts(1, 1), rs, 'now')[0],
    ).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      lastTransitionTime: 'now',
      message: 'ReplicaSet "a-1" has timed out progressing.',
    });
    expect(
      rolloutConditions(spec(), stale, counts(2, 2, 1), counts(2, 2, 2), rs, 'now')[0],
    ).toMatchObject({
      reason: 'NewReplicaSetAvailable',
      message: 'ReplicaSet "a-1" has successfully progressed.',
    });
    expect(
      rolloutConditions(
        spec({ progressDeadlineSeconds: 2147483647 }),
        stale,
        counts(0, 0),
        counts(0, 0),
        rs,
        'now',
      ),
    ).toEqual([]);
  });
});

describe('progressCheckDelay', () => {
  it('waits until a second past the deadline, and not for a finished or timed out rollout', () => {
    const delay = progressCheckDelay(
      spec({ progressDeadlineSeconds: 10 }),
      [progressing('ReplicaSetUpdated', 'True', ago(0))],
      counts(1, 1),
    );
    expect(delay).toBeGreaterThan(9_000);
    expect(delay).toBeLessThanOrEqual(11_000);
    expect(
      progressCheckDelay(
        spec(),
        [progressing('ProgressDeadlineExceeded', 'False', ago(5))],
        counts(1, 1),
      ),
    ).toBeUndefined();
    expect(
      progressCheckDelay(
        spec(),
        [progressing('ReplicaSetUpdated', 'True', ago(0))],
        counts(2, 2, 2),
      ),
    ).toBeUndefined();
    expect(progressCheckDelay(spec(), [], counts(1, 1))).toBeUndefined();
  });
});
