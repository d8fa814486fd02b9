import { type KubeObject, ObjectRef } from '@kube-ts/core';
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import { Action } from './action.js';
import type { ControllerMetrics, ReconcileMetricResult } from './config.js';
import type { ErrorBackoff } from './error-backoff.js';
import { callReconciler, Info, type ReconcileOutcome } from './invoke.js';
import { logReconcile } from './logging.js';
import type { ReconcileReason } from './reason.js';
import type { ReconcileResult, Reconciler } from './reconciler.js';
import type { ScheduledEntry, Scheduler } from './scheduler.js';
import { ReconcileSpan } from './tracing.js';

/** What the worker needs of its applier (one per running controller). */
export interface WorkerContext<K extends KubeObject, Ctx> {
  /** The controller's name (logs, the reconcile span). */
  readonly name: string;
  readonly reconciler: Reconciler<K, Ctx>;
  readonly store: Store<K>;
  readonly context: Ctx;
  readonly scheduler: Scheduler<ObjectRef>;
  readonly backoff: ErrorBackoff;
  readonly logger: Logger;
  readonly metrics: ControllerMetrics | undefined;
  /** See `ControllerConfig.mayReconcile`. */
  readonly mayReconcile: (() => boolean) | undefined;
  /** Schedules a request and counts it. */
  enqueue(key: string, ref: ObjectRef, reason: ReconcileReason, delayMs: number): void;
  /** Emits a result (unless the applier has stopped). */
  emit(result: ReconcileResult): void;
}

/**
 * Runs the entry the scheduler handed out — its key is held — and releases the key: one
 * reconcile of the CURRENT object, then {@link decide} turns the outcome into the next
 * request and the metric. A timed-out call frees its worker slot but keeps the key held
 * until it settles. A request whose object is gone is dropped and its backoff forgotten.
 */
export async function work<K extends KubeObject, Ctx>(
  w: WorkerContext<K, Ctx>,
  entry: ScheduledEntry<ObjectRef>,
): Promise<void> {
  const { key } = entry;
  let abandoned: Promise<void> | undefined;
  try {
    const obj = w.store.get(entry.value);
    if (obj === undefined) {
      w.backoff.reset(key);
      w.logger.debug({ object: key }, 'dropped request: object no longer exists');
      return;
    }
    if (w.mayReconcile?.() === false) {
      w.logger.debug({ object: key }, 'dropped request: reconciling is not allowed');
      return;
    }
    const started = Date.now();
    w.metrics?.dequeued?.(started - entry.runAt);
    const info = new Info(entry.reason, () => w.logger.child({ object: key }));
    const span = new ReconcileSpan(w.name, entry.value, entry.reason);
    const call = await span.run(() =>
      callReconciler(w.reconciler, obj, w.context, info, () =>
        ObjectRef.format(ObjectRef.from(obj)),
      ),
    );
    const durationMs = Date.now() - started;
    const next = decide(call.outcome, key, w.backoff);
    span.end(next.metric, next.outcome);
    w.metrics?.reconciled?.(next.metric, durationMs);
    if (next.retried) w.metrics?.retried?.();
    logReconcile(w.logger, { object: key, reason: entry.reason, durationMs, ...next.outcome });
    if (next.requeue !== undefined) w.enqueue(key, entry.value, next.requeue, next.requeue.afterMs);
    w.emit({ ...next.outcome, ref: entry.value, reason: entry.reason });
    abandoned = call.abandoned;
    if (abandoned !== undefined) holdUntilSettled(w, key, abandoned, started);
  } finally {
    if (abandoned === undefined) w.scheduler.release(key);
  }
}

/** Frees the worker slot of a timed-out reconcile; its key stays held until it settles. */
function holdUntilSettled<K extends KubeObject, Ctx>(
  w: WorkerContext<K, Ctx>,
  key: string,
  abandoned: Promise<void>,
  started: number,
): void {
  w.scheduler.freeSlot(key);
  w.metrics?.abandoned?.();
  w.logger.warn(
    { object: key, timeoutMs: w.reconciler.timeoutMs },
    'reconcile timed out and was abandoned; the object waits until the call settles',
  );
  void abandoned.then(() => {
    w.logger.info(
      { object: key, runningMs: Date.now() - started },
      'abandoned reconcile settled; the object is free again',
    );
    w.scheduler.release(key);
  });
}

/** What happens after one reconcile: the result to emit, the metric, the next request. */
interface Decision {
  readonly outcome: ReconcileOutcome;
  readonly metric: ReconcileMetricResult;
  readonly requeue: (ReconcileReason & { readonly afterMs: number }) | undefined;
  /** Whether the next request is an error-backoff retry (`workqueue_retries_total`). */
  readonly retried: boolean;
}

/**
 * The one switch from a reconcile's outcome to the queue action and the metric (as
 * controller-runtime's reconcileHandler): `Action.backoff()` takes the object's next
 * backoff delay; any other success forgets the object's backoff.
 */
export function decide(outcome: ReconcileOutcome, key: string, backoff: ErrorBackoff): Decision {
  const backingOff = outcome.action.isBackoff;
  const action = backingOff ? Action.requeue(backoff.next(key)) : outcome.action;
  if (outcome.ok && !backingOff) backoff.reset(key);
  const resolved: ReconcileOutcome = { ...outcome, action };
  const afterMs = action.requeueAfterMs;
  const kind = !outcome.ok ? 'error' : afterMs === undefined ? 'success' : 'requeue';
  switch (kind) {
    case 'error':
      return {
        outcome: resolved,
        metric: 'error',
        requeue: afterMs === undefined ? undefined : { type: 'errorBackoff', afterMs },
        retried: backingOff,
      };
    case 'success':
      return { outcome: resolved, metric: 'success', requeue: undefined, retried: false };
    case 'requeue':
      return {
        outcome: resolved,
        metric: afterMs === 0 ? 'requeue' : 'requeue_after',
        requeue: { type: 'requeue', afterMs: afterMs ?? 0 },
        retried: false,
      };
  }
}
