import { type KubeObject, ObjectRef } from '@kube-ts/core';
import type { Logger } from 'pino';
import { Observable } from 'rxjs';
import type { Store } from '../store/store.js';
import {
  type ControllerConfig,
  type ControllerGauges,
  DEFAULT_CONCURRENCY,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  type InFlightReconcile,
} from './config.js';
import { ErrorBackoff } from './error-backoff.js';
import { controllerLogger, describeError } from './logging.js';
import type { ReconcileResult, Reconciler } from './reconciler.js';
import { Scheduler } from './scheduler.js';
import { exitAfterDeadline, ShutdownSignal, type ShutdownTrigger } from './shutdown.js';
import type { ReconcileRequest } from './triggers.js';
import { type WorkerContext, work } from './worker.js';

/** Options of {@link applier}. */
export interface ApplierOptions<K, Ctx> {
  /** Where each reconcile reads its object; nothing runs until it is ready. */
  readonly store: Store<K>;
  /** What to reconcile (from triggers: watches, relations, timers, anything). */
  readonly requests: Observable<ReconcileRequest>;
  /** Handed to every `reconcile` and `errorPolicy` call. */
  readonly context: Ctx;
  /** Concurrency, debounce, error backoff, logger, metrics; see {@link ControllerConfig}. */
  readonly config?: ControllerConfig;
  /** The name in logs (`{ controller: name }`). Default `applier`. */
  readonly name?: string;
  /** Shut down gracefully when any of these fires (see `Controller.gracefulShutdownOn`). */
  readonly shutdownOn?: readonly ShutdownTrigger[];
  /** Shut down gracefully on SIGINT/SIGTERM (see `Controller.shutdownOnSignal`). */
  readonly shutdownOnSignal?: boolean;
}

/**
 * The controller loop: reconciles the objects named by `requests` with `reconciler`,
 * reading each from `store`, and emits one {@link ReconcileResult} per reconcile. What
 * `Controller.run` runs after it has set up the store and the triggers; use it directly to
 * drive reconciles from your own streams. It owns, in one place:
 *
 * - the queue (a {@link Scheduler}): one pending request per object, the earliest wins;
 *   never two reconciles of one object at once — not even after a timeout: a timed-out
 *   reconcile frees its worker slot but keeps its object held until the call settles;
 *   at most `concurrency` reconciles in progress;
 * - the readiness gate: nothing runs before `store` is ready; requests are merged meanwhile;
 * - the per-object error backoff of `Action.backoff()` (the default `errorPolicy`);
 * - the metrics hooks (`config.metrics`) and the logs;
 * - graceful shutdown (`shutdownOn`, `shutdownOnSignal`): stop taking requests, drop the
 *   pending ones, let reconciles in progress finish (their results are still emitted; an
 *   abandoned call is not waited for), then complete. After a process signal, the wait is
 *   bounded by `config.shutdownTimeoutMs`; then the stuck objects are logged and the
 *   process exits with code 124. A second signal, or unsubscribing, stops at once.
 *
 * Starts when subscribed; never errors.
 */
export function applier<K extends KubeObject, Ctx>(
  reconciler: Reconciler<K, Ctx>,
  options: ApplierOptions<K, Ctx>,
): Observable<ReconcileResult> {
  return new Observable<ReconcileResult>((subscriber) => {
    const { store, config = {} } = options;
    const name = options.name ?? 'applier';
    const logger = controllerLogger(config.logger, name);
    const concurrency = config.concurrency ?? DEFAULT_CONCURRENCY;
    const stopping = new AbortController();
    let emitting = true;
    const w: WorkerContext<K, Ctx> = {
      name,
      reconciler,
      store,
      context: options.context,
      logger,
      metrics: config.metrics,
      mayReconcile: config.mayReconcile,
      backoff: new ErrorBackoff(config.errorBackoff),
      scheduler: new Scheduler<ObjectRef>({
        concurrency,
        ...(config.debounceMs === undefined ? {} : { debounceMs: config.debounceMs }),
        startAfter: store.waitUntilReady(stopping.signal), // the readiness gate
        onDue: (entry) => {
          work(w, entry).catch((error: unknown) =>
            logger.error({ error: describeError(error) }, 'a metrics hook threw'),
          );
        },
      }),
      enqueue: (key, ref, reason, delayMs) => {
        config.metrics?.enqueued?.();
        w.scheduler.schedule(key, ref, reason, delayMs);
      },
      emit: (result) => {
        if (emitting) subscriber.next(result);
      },
    };
    const requests = options.requests.subscribe({
      next: ({ ref, reason }) => w.enqueue(ObjectRef.key(ref), ref, reason, 0),
      error: (error: unknown) => logger.error({ error: describeError(error) }, 'trigger failed'),
    });
    const stopInputs = () => {
      requests.unsubscribe();
      stopping.abort(new Error('controller shutting down'));
      w.scheduler.close();
    };
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const silence = () => {
      emitting = false;
      signals.dispose();
      clearTimeout(deadline);
    };
    const finish = () => {
      silence();
      subscriber.complete();
    };
    const signals = new ShutdownSignal(
      options.shutdownOn ?? [],
      options.shutdownOnSignal ?? false,
      {
        graceful: (why, bySignal) => {
          logger.info({ reason: why, inFlight: w.scheduler.working }, 'shutting down gracefully');
          stopInputs();
          if (bySignal)
            deadline = exitOnDeadline(
              w,
              name,
              config.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
            );
          void w.scheduler.whenIdle().then(() => {
            logger.info('controller stopped');
            finish();
          });
        },
        immediate: (why) => {
          logger.warn({ reason: why }, 'second signal: stopping without waiting for reconciles');
          finish();
        },
      },
    );
    config.metrics?.started?.(gauges(w.scheduler, concurrency));
    logger.info('controller started');
    return () => {
      silence();
      stopInputs();
    };
  });
}

/** The live values a metrics hook reads from the scheduler. */
function gauges(scheduler: Scheduler<ObjectRef>, concurrency: number): ControllerGauges {
  return {
    concurrency,
    queueDepth: () => scheduler.size,
    activeWorkers: () => scheduler.working,
    inFlight: () => inFlight(scheduler),
  };
}

function inFlight(scheduler: Scheduler<ObjectRef>): InFlightReconcile[] {
  const now = Date.now();
  return [...scheduler.holds()].map((h) => ({
    object: h.key,
    runningMs: now - h.since,
    abandoned: !h.working,
  }));
}

/** Arms the deadline of a shutdown started by a process signal. */
function exitOnDeadline<K extends KubeObject, Ctx>(
  w: WorkerContext<K, Ctx>,
  name: string,
  timeoutMs: number,
): ReturnType<typeof setTimeout> {
  const log: Logger = w.logger;
  return setTimeout(() => {
    const stuck = inFlight(w.scheduler).map((r) => ({ controller: name, ...r }));
    exitAfterDeadline(log, timeoutMs, stuck);
  }, timeoutMs);
}
