import type { KubeObject, ObjectRef } from '@kube-ts/core';
import type { Logger } from 'pino';
import { Action } from './action.js';
import type { ReconcileReason } from './reason.js';

/** Extra information handed to each {@link Reconciler.reconcile} call. */
export interface ReconcileInfo {
  /** Why this reconcile runs. */
  readonly reason: ReconcileReason;
  /**
   * Aborted when the reconcile exceeds {@link Reconciler.timeoutMs}; pass it to API calls
   * (and check it in long loops) so an abandoned reconcile stops: the object is not
   * reconciled again until it has.
   */
  readonly signal: AbortSignal;
  /** The controller's logger, bound to this object (`{ object: 'ns/name' }`). */
  readonly logger: Logger;
}

/**
 * The base class operator authors subclass. A controller calls `reconcile` with the
 * CURRENT object from its cache each time the object (or a related object) changes, a
 * requeue is due, or a bulk trigger fires; `reconcile` makes the world match the object and
 * returns what to do next.
 *
 * Guarantees (enforced by the controller, see `applier`):
 * - Never two `reconcile` calls for the same object at once, not even after a timeout.
 * - Anything `reconcile` throws or rejects with — an `Error` or any other value — goes to
 *   `errorPolicy`, which picks the retry; it never crashes the process. If `errorPolicy`
 *   itself throws, or returns something else than an `Action`, the default backoff is used.
 * - The default `errorPolicy` returns {@link Action.backoff}: the controller's per-object
 *   exponential backoff (500 ms, 1 s, 2 s, … up to 5 min), started again after a
 *   successful reconcile. The backoff belongs to the controller, not to this object, so
 *   one reconciler instance may serve several controllers.
 *
 * @typeParam K - the object type.
 * @typeParam Ctx - the context handed to every call (clients, config); `undefined` if none.
 */
export abstract class Reconciler<K extends KubeObject, Ctx = undefined> {
  /**
   * Optional bound on one reconcile, in milliseconds. A reconcile still running after it is
   * abandoned: its `info.signal` is aborted, it counts as failed with a
   * {@link ReconcileTimeoutError} (which goes to `errorPolicy`, whose retry is scheduled),
   * its worker slot is freed for other objects — and the object stays held until the
   * abandoned call settles, so its retry never overlaps it. A call that never settles is
   * logged and counted (`kube_ts_reconcile_abandoned`); its object is not reconciled again
   * and the controller's graceful shutdown does not wait for it.
   */
  timeoutMs: number | undefined = undefined;

  /** Makes the world match `obj`; returns what to do next. Read-only: do not mutate `obj`. */
  abstract reconcile(obj: K, ctx: Ctx, info: ReconcileInfo): Promise<Action>;

  /**
   * Decides the retry after `reconcile` failed with `error` (any thrown value, or a
   * {@link ReconcileTimeoutError}). Default: {@link Action.backoff}, the controller's
   * per-object exponential backoff. Override it to record an event or to choose another
   * delay; return `super.errorPolicy(obj, error, ctx)` to keep the default.
   */
  errorPolicy(_obj: K, _error: unknown, _ctx: Ctx): Action {
    return Action.backoff();
  }
}

/** The failure recorded when a reconcile exceeds {@link Reconciler.timeoutMs}. */
export class ReconcileTimeoutError extends Error {
  /** The limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;

  /** Creates the error for `object` (a formatted ref) and the limit. */
  constructor(object: string, timeoutMs: number) {
    super(
      `reconcile of ${object} did not finish within ${timeoutMs}ms; it was abandoned ` +
        '(its AbortSignal is aborted), errorPolicy decides the retry, and the object waits ' +
        'until the abandoned call settles. Raise Reconciler.timeoutMs or make the ' +
        'reconcile honour info.signal.',
    );
    this.name = 'ReconcileTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The outcome of one reconcile, as emitted by `Controller.run` and `applier`. `action` is
 * what happens next: the reconcile's own, or after a failure the one `errorPolicy` chose;
 * `Action.backoff()` appears resolved, as `Action.requeue(delay)`.
 */
export type ReconcileResult =
  | {
      readonly ok: true;
      readonly ref: ObjectRef;
      readonly action: Action;
      readonly reason: ReconcileReason;
    }
  | {
      readonly ok: false;
      readonly ref: ObjectRef;
      readonly error: unknown;
      readonly action: Action;
      readonly reason: ReconcileReason;
    };
