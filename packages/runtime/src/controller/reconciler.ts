import type { KubeObject } from '@kube-ts/core';
import { ObjectRef } from '@kube-ts/core';
import type { Logger } from 'pino';
import { Action } from './action.js';
import { ErrorBackoff } from './error-backoff.js';
import type { ReconcileReason } from './reason.js';

/** Extra information handed to each {@link Reconciler.reconcile} call. */
export interface ReconcileInfo {
  /** Why this reconcile runs. */
  readonly reason: ReconcileReason;
  /**
   * Aborted when the reconcile exceeds {@link Reconciler.timeoutMs}; pass it to API calls
   * (and check it in long loops) so an abandoned reconcile stops.
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
 * Guarantees (enforced by the controller):
 * - Never two `reconcile` calls for the same object at once (see {@link timeoutMs} for the
 *   one exception).
 * - Anything `reconcile` throws or rejects with — an `Error` or any other value — goes to
 *   `errorPolicy`, which picks the retry; it never crashes the process. If `errorPolicy`
 *   itself throws, the default backoff is used.
 * - The default `errorPolicy` retries with a per-object exponential backoff: 500 ms,
 *   1 s, 2 s, … up to 5 min; it starts again at 500 ms after a successful reconcile.
 *
 * @typeParam K - the object type.
 * @typeParam Ctx - the context handed to every call (clients, config); `undefined` if none.
 */
export abstract class Reconciler<K extends KubeObject, Ctx = undefined> {
  /**
   * Optional bound on one reconcile, in milliseconds. A reconcile still running after it is
   * abandoned: its `info.signal` is aborted, it counts as failed with a
   * {@link ReconcileTimeoutError} (which goes to `errorPolicy`), and the object is free to
   * be reconciled again. A reconcile that ignores the signal may thus still be running when
   * the retry starts — the only case where two calls for one object can overlap.
   */
  timeoutMs: number | undefined = undefined;

  /** The per-object backoff used by the default `errorPolicy`. */
  readonly errorBackoff: ErrorBackoff = new ErrorBackoff();

  /** Makes the world match `obj`; returns what to do next. Read-only: do not mutate `obj`. */
  abstract reconcile(obj: K, ctx: Ctx, info: ReconcileInfo): Promise<Action>;

  /**
   * Decides the retry after `reconcile` failed with `error` (any thrown value). Default:
   * `Action.requeue` with the object's next {@link ErrorBackoff} delay.
   */
  errorPolicy(obj: K, _error: unknown, _ctx: Ctx): Action {
    return Action.requeue(this.errorBackoff.next(ObjectRef.key(ObjectRef.from(obj))));
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
        '(its AbortSignal is aborted) and errorPolicy decides the retry. Raise ' +
        'Reconciler.timeoutMs or make the reconcile honour info.signal.',
    );
    this.name = 'ReconcileTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}
