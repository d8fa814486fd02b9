import { ObjectRef } from '@kube-ts/core';

/**
 * Why a reconcile ran. The scheduler records the reason of the request that wins (the
 * one with the earliest run time), and the controller logs it with every reconcile.
 *
 * - `objectUpdated`: the object itself was created or changed (or the initial list).
 * - `relatedObjectUpdated`: an owned child (`owns`) or a watched object (`watches`)
 *   changed; `related` names it.
 * - `requeue`: the previous reconcile returned `Action.requeue(afterMs)`.
 * - `errorBackoff`: the previous reconcile failed and `errorPolicy` asked to retry.
 * - `reconcileAll`: a `reconcileAllOn` trigger fired.
 */
export type ReconcileReason =
  | { readonly type: 'objectUpdated' }
  | { readonly type: 'relatedObjectUpdated'; readonly related: ObjectRef }
  | { readonly type: 'requeue'; readonly afterMs: number }
  | { readonly type: 'errorBackoff'; readonly afterMs: number }
  | { readonly type: 'reconcileAll' };

/** The human text of a reason, e.g. `related object updated (ConfigMap/ns/a)`. */
export function describeReason(reason: ReconcileReason): string {
  switch (reason.type) {
    case 'objectUpdated':
      return 'object updated';
    case 'relatedObjectUpdated':
      return `related object updated (${ObjectRef.format(reason.related)})`;
    case 'requeue':
      return `requeue requested (${reason.afterMs}ms)`;
    case 'errorBackoff':
      return `error backoff (${reason.afterMs}ms)`;
    case 'reconcileAll':
      return 'reconcile all';
  }
}
