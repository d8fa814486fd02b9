import { describe, expect, it } from 'vitest';
import { type AssignmentInput, decideAssignment } from './assignment.js';
import { controllerShardKey, groupOf, shardKey } from './keys.js';
import { checkShardName, shardLabels, shardLeaseName } from './labels.js';
import { HashRing } from './ring.js';

const widget = { group: 'example.com', kind: 'Widget' };
const ring = new HashRing(['a', 'b', 'c']);
const key = shardKey(widget, 'ns', 'w1');
const desired = ring.shardFor(key)!;
const other = ring.shards.find((s) => s !== desired)!;

function decide(input: Partial<AssignmentInput>) {
  return decideAssignment(
    { key, current: undefined, draining: false, currentState: 'ready', ...input },
    ring,
  );
}

describe('shard labels and keys', () => {
  it('names the labels and Lease of a ring', () => {
    expect(shardLabels('widgets')).toEqual({
      ring: 'widgets',
      shard: 'shard.sharding.kube-ts.dev/widgets',
      drain: 'drain.sharding.kube-ts.dev/widgets',
    });
    expect(shardLeaseName('widgets', 'op-0')).toBe('widgets-op-0');
  });

  it('refuses a ring or identity that cannot be a label value and a name', () => {
    expect(() => shardLabels('Widgets')).toThrow(/DNS-1123 label/);
    expect(() => checkShardName('identity', 'host_1234')).toThrow(/identity 'host_1234'/);
    expect(() => checkShardName('identity', 'a'.repeat(64))).toThrow(/at most 63/);
  });

  it('keys a controlled object by its controller, and only a controller of the ring kind', () => {
    expect(groupOf('v1')).toBe('');
    expect(groupOf('example.com/v1')).toBe('example.com');
    const owned = (kind: string, controller: boolean) => ({
      namespace: 'ns',
      ownerReferences: [{ apiVersion: 'example.com/v1', kind, name: 'w1', uid: 'u', controller }],
    });
    expect(controllerShardKey(owned('Widget', true), widget)).toBe(key);
    expect(controllerShardKey(owned('Widget', false), widget)).toBeUndefined();
    expect(controllerShardKey(owned('Gadget', true), widget)).toBeUndefined();
    expect(controllerShardKey({ namespace: 'ns' }, widget)).toBeUndefined();
  });
});

describe('decideAssignment', () => {
  it('assigns an unassigned object to its shard on the ring', () => {
    expect(decide({})).toEqual({ type: 'assign', shard: desired });
    expect(decide({ current: '' })).toEqual({ type: 'assign', shard: desired });
  });

  it('leaves an object on its shard alone, draining or not', () => {
    expect(decide({ current: desired })).toEqual({ type: 'none' });
    expect(decide({ current: desired, draining: true })).toEqual({ type: 'none' });
  });

  it('drains a main object from a ready shard that is not its shard, once', () => {
    expect(decide({ current: other })).toEqual({ type: 'drain' });
    expect(decide({ current: other, draining: true })).toEqual({ type: 'none' });
  });

  it('moves an object off a gone shard at once, draining or not', () => {
    expect(decide({ current: 'gone-shard', currentState: 'gone' })).toEqual({
      type: 'assign',
      shard: desired,
    });
    expect(decide({ current: other, draining: true, currentState: 'gone' })).toEqual({
      type: 'assign',
      shard: desired,
    });
  });

  it('waits while the current shard is expired but not fenced', () => {
    expect(decide({ current: other, currentState: 'expired' })).toEqual({ type: 'none' });
  });

  it('moves a controlled object only after its controller left the old shard', () => {
    expect(decide({ current: other, ownerOnCurrent: true })).toEqual({ type: 'none' });
    expect(decide({ current: other, ownerOnCurrent: false })).toEqual({
      type: 'assign',
      shard: desired,
    });
  });

  it('does nothing without a key or without a ready shard', () => {
    expect(decide({ key: undefined })).toEqual({ type: 'none' });
    expect(
      decideAssignment(
        { key, current: undefined, draining: false, currentState: 'gone' },
        new HashRing([]),
      ),
    ).toEqual({ type: 'none' });
  });
});
