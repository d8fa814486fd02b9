/**
 * What the sharder does with one object: the assignment rules, as a pure function.
 */
import type { HashRing } from './ring.js';

/** Where the shard an object is labelled with stands. */
export type CurrentShard =
  /** On the ring: it may be reconciling the object, so moving it needs the drain handshake. */
  | 'ready'
  /** Its Lease expired but is not taken over yet: wait (it may still be finishing a reconcile). */
  | 'expired'
  /** Released, taken over by the sharder, or unknown: it reconciles nothing, move at once. */
  | 'gone';

/** The facts about one object that its assignment depends on. */
export interface AssignmentInput {
  /** The object's ring key; `undefined`: not sharded (e.g. a child with no controller in the ring). */
  readonly key: string | undefined;
  /** The shard label's value (`undefined` or `''`: unassigned). */
  readonly current: string | undefined;
  /** Whether the drain label is set. */
  readonly draining: boolean;
  /** The state of `current` (ignored when unassigned). */
  readonly currentState: CurrentShard;
  /**
   * For a controlled object: whether its controller (the main object) is still labelled
   * with `current`. `undefined` for a main object.
   */
  readonly ownerOnCurrent?: boolean;
}

/** What to write to the object. */
export type AssignmentAction =
  | { readonly type: 'none' }
  /** Label it with `shard` and clear the drain label (guarded by its resourceVersion). */
  | { readonly type: 'assign'; readonly shard: string }
  /** Add the drain label: its shard lets go of it (removes both labels), then it is assigned. */
  | { readonly type: 'drain' };

const NONE: AssignmentAction = { type: 'none' };

/**
 * The rules:
 * - an unassigned object, or one whose shard is gone, is assigned to its shard on the
 *   ring at once (no shard can be reconciling it);
 * - a main object on a ready shard that is not its shard on the ring is drained; nothing
 *   more until that shard acknowledges (an object already draining is left alone);
 * - a controlled object follows its controller: it is moved directly once the controller
 *   has left the old shard (the controller is what the shards synchronise on);
 * - an object of an expired (not yet fenced) shard waits;
 * - with no ready shard, nothing happens.
 */
export function decideAssignment(
  input: AssignmentInput,
  ring: Pick<HashRing, 'shardFor'>,
): AssignmentAction {
  if (input.key === undefined) return NONE;
  const desired = ring.shardFor(input.key);
  if (desired === undefined) return NONE;
  const current = input.current || undefined;
  if (current === desired) return NONE;
  if (current === undefined || input.currentState === 'gone') {
    return { type: 'assign', shard: desired };
  }
  if (input.currentState === 'expired') return NONE;
  if (input.ownerOnCurrent !== undefined) {
    return input.ownerOnCurrent ? NONE : { type: 'assign', shard: desired };
  }
  return input.draining ? NONE : { type: 'drain' };
}
