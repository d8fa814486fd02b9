import type { KubeObject } from '@kube-ts/core';
import { ObjectRef } from '@kube-ts/core';
import type { Logger } from 'pino';
import { objectKey } from '../watcher/object-key.js';
import { Action } from './action.js';
import type { ReconcileReason } from './reason.js';
import { type ReconcileInfo, type Reconciler, ReconcileTimeoutError } from './reconciler.js';

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
  const key = objectKey(obj);
  const describe = () => ObjectRef.format(ObjectRef.from(obj));
  const info = new Info(reason, makeLogger);
  const timeoutMs = reconciler.timeoutMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    let result: unknown;
    if (timeoutMs === undefined) {
      // A synchronous throw lands in the catch below, like a rejection.
      result = await reconciler.reconcile(obj, ctx, info);
    } else {
      const call = new Promise<unknown>((resolve) => resolve(reconciler.reconcile(obj, ctx, info)));
      result = await Promise.race([
        call,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const error = new ReconcileTimeoutError(describe(), timeoutMs);
            info.abort(error);
            reject(error);
          }, timeoutMs);
        }),
      ]);
    }
    if (!(result instanceof Action)) {
      throw new TypeError(
        `reconcile of ${describe()} resolved to ${describeValue(result)} instead ` +
          'of an Action; return Action.requeue(ms) or Action.awaitChange()',
      );
    }
    reconciler.errorBackoff.reset(key);
    return { ok: true, action: result };
  } catch (error) {
    return {
      ok: false,
      error,
      action: policyAction(reconciler, obj, error, ctx, key, info.logger),
    };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/**
 * The `info` of one reconcile. Its logger (a pino child) and its signal (an
 * AbortController) are made only when read: most reconcilers use neither, and both are
 * costly to create at tens of thousands of reconciles per second.
 */
class Info implements ReconcileInfo {
  #logger: Logger | undefined;
  #abort: AbortController | undefined;

  constructor(
    readonly reason: ReconcileReason,
    private readonly makeLogger: () => Logger,
  ) {}

  get logger(): Logger {
    this.#logger ??= this.makeLogger();
    return this.#logger;
  }

  get signal(): AbortSignal {
    this.#abort ??= new AbortController();
    return this.#abort.signal;
  }

  /** Aborts `signal` (made now if it was never read, so a late read sees it aborted). */
  abort(reason: unknown): void {
    this.#abort ??= new AbortController();
    this.#abort.abort(reason);
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
