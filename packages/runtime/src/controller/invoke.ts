import type { KubeObject } from '@kube-ts/core';
import type { Logger } from 'pino';
import { Action } from './action.js';
import { describeError } from './logging.js';
import type { ReconcileReason } from './reason.js';
import { type ReconcileInfo, type Reconciler, ReconcileTimeoutError } from './reconciler.js';

/**
 * What one reconcile came to: the action to take next and, on failure, the thrown value.
 * The action may be `Action.backoff()`, which the applier turns into a delay.
 */
export type ReconcileOutcome =
  | { readonly ok: true; readonly action: Action }
  | { readonly ok: false; readonly error: unknown; readonly action: Action };

/** One call of `reconcile`: its outcome and, if it timed out, the abandoned call. */
export interface ReconcileCall {
  readonly outcome: ReconcileOutcome;
  /** Set when the call timed out: resolves when the abandoned call settles (if ever). */
  readonly abandoned?: Promise<void>;
}

const TIMED_OUT = Symbol('timed out');

/**
 * Calls `reconciler.reconcile(obj, ctx, info)` once and turns whatever happens into a
 * {@link ReconcileCall}; it never rejects.
 *
 * - A synchronous throw, a rejection with any value, or a result that is not an `Action`
 *   is a failure; its action comes from `reconciler.errorPolicy`, or is `Action.backoff()`
 *   if that throws or returns something else than an `Action` (logged).
 * - Exceeding `reconciler.timeoutMs` is a failure with a {@link ReconcileTimeoutError}:
 *   `info.signal` is aborted and `abandoned` tells when the call really settles.
 */
export async function callReconciler<K extends KubeObject, Ctx>(
  reconciler: Reconciler<K, Ctx>,
  obj: K,
  ctx: Ctx,
  info: Info,
  describe: () => string,
): Promise<ReconcileCall> {
  const failed = (error: unknown): ReconcileOutcome => ({
    ok: false,
    error,
    action: policyAction(reconciler, obj, error, ctx, info.logger),
  });
  // A synchronous throw becomes a rejection, like an async one.
  const call = new Promise<unknown>((resolve) => resolve(reconciler.reconcile(obj, ctx, info)));
  const timeoutMs = reconciler.timeoutMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let result: unknown;
  try {
    result =
      timeoutMs === undefined
        ? await call
        : await Promise.race([
            call,
            new Promise<typeof TIMED_OUT>((resolve) => {
              timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
            }),
          ]);
  } catch (error) {
    return { outcome: failed(error) };
  } finally {
    clearTimeout(timer);
  }
  if (result === TIMED_OUT) {
    const error = new ReconcileTimeoutError(describe(), timeoutMs ?? 0);
    info.abort(error);
    return { outcome: failed(error), abandoned: call.then(ignore, ignore) };
  }
  if (!(result instanceof Action)) {
    return {
      outcome: failed(
        new TypeError(
          `reconcile of ${describe()} resolved to ${describeValue(result)} instead ` +
            'of an Action; return Action.requeue(ms) or Action.awaitChange()',
        ),
      ),
    };
  }
  return { outcome: { ok: true, action: result } };
}

function ignore(): void {}

/**
 * The `info` of one reconcile. Its logger (a pino child) and its signal (an
 * AbortController) are made only when read: most reconcilers use neither, and both are
 * costly to create at tens of thousands of reconciles per second.
 */
export class Info implements ReconcileInfo {
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
      { error: describeError(policyError) },
      'errorPolicy threw; using the default backoff. errorPolicy must return an Action',
    );
  }
  return Action.backoff();
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  return typeof value;
}
