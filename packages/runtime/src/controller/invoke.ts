import type { KubeObject } from '@kube-ts/core';
import { ObjectRef } from '@kube-ts/core';
import type { Logger } from 'pino';
import { Action } from './action.js';
import type { ReconcileReason } from './reason.js';
import { type Reconciler, ReconcileTimeoutError } from './reconciler.js';

/** What one reconcile came to: the action to take next and, on failure, the thrown value. */
export type ReconcileOutcome =
  | { readonly ok: true; readonly action: Action }
  | { readonly ok: false; readonly error: unknown; readonly action: Action };

/**
 * Calls `reconciler.reconcile(obj, ctx, info)` once and turns whatever happens into a
 * {@link ReconcileOutcome}; it never rejects.
 *
 * - A synchronous throw, a rejection with any value, a result that is not an `Action`, or
 *   exceeding `reconciler.timeoutMs` (which aborts `info.signal`) is a failure: its action
 *   comes from `reconciler.errorPolicy`; if that throws or returns something else than an
 *   `Action`, from `reconciler.errorBackoff` (the default backoff).
 * - A success resets the object's `errorBackoff`.
 */
export async function invokeReconciler<K extends KubeObject, Ctx>(
  reconciler: Reconciler<K, Ctx>,
  obj: K,
  ctx: Ctx,
  reason: ReconcileReason,
  makeLogger: () => Logger,
): Promise<ReconcileOutcome> {
  // The per-object child logger is made only when the reconciler (or the error path) uses it.
  let child: Logger | undefined;
  const logger = () => {
    child ??= makeLogger();
    return child;
  };
  const ref = ObjectRef.from(obj);
  const key = ObjectRef.key(ref);
  const abort = new AbortController();
  const timeoutMs = reconciler.timeoutMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const call = new Promise<unknown>((resolve) =>
      resolve(
        reconciler.reconcile(obj, ctx, {
          reason,
          signal: abort.signal,
          get logger() {
            return logger();
          },
        }),
      ),
    );
    const result =
      timeoutMs === undefined
        ? await call
        : await Promise.race([
            call,
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => {
                const error = new ReconcileTimeoutError(ObjectRef.format(ref), timeoutMs);
                abort.abort(error);
                reject(error);
              }, timeoutMs);
            }),
          ]);
    if (!(result instanceof Action)) {
      throw new TypeError(
        `reconcile of ${ObjectRef.format(ref)} resolved to ${describeValue(result)} instead ` +
          'of an Action; return Action.requeue(ms) or Action.awaitChange()',
      );
    }
    reconciler.errorBackoff.reset(key);
    return { ok: true, action: result };
  } catch (error) {
    return { ok: false, error, action: policyAction(reconciler, obj, error, ctx, key, logger()) };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

function policyAction<K extends KubeObject, Ctx>(
  reconciler: Reconciler<K, Ctx>,
  obj: K,
  error: unknown,
  ctx: Ctx,
  key: string,
  logger: Logger,
): Action {
  try {
    const action: unknown = reconciler.errorPolicy(obj, error, ctx);
    if (action instanceof Action) return action;
    logger.error(
      `errorPolicy returned ${describeValue(action)} instead of an Action; using the default backoff`,
    );
  } catch (policyError) {
    logger.error(
      { err: policyError },
      'errorPolicy threw; using the default backoff. errorPolicy must return an Action',
    );
  }
  return Action.requeue(reconciler.errorBackoff.next(key));
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  return typeof value;
}
