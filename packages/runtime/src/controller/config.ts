import type { Logger } from 'pino';
import type { ErrorBackoffOptions } from './error-backoff.js';

/** Default of {@link ControllerConfig.concurrency}. */
export const DEFAULT_CONCURRENCY = 16;

/** Default of {@link ControllerConfig.shutdownTimeoutMs} (and of the Manager's). */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;

/** Options of a controller's loop: `Controller.withConfig`, `applier`'s `config`. */
export interface ControllerConfig {
  /** Most reconciles in progress at once, over all objects. Default 16. */
  readonly concurrency?: number;
  /**
   * Wait this long after a request before reconciling, so that a burst of changes to one
   * object gives one reconcile (see `SchedulerOptions.debounceMs`). Default 0.
   */
  readonly debounceMs?: number;
  /** The per-object backoff of `Action.backoff()` (default 500 ms, × 2, up to 5 min). */
  readonly errorBackoff?: ErrorBackoffOptions;
  /**
   * With `shutdownOnSignal()`: how long a graceful shutdown waits for the reconciles in
   * progress. When it passes, each one still running is logged (object, how long it has
   * run) and the process exits with code 124. Default 30 000 ms.
   */
  readonly shutdownTimeoutMs?: number;
  /** Your pino logger; the controller logs through `logger.child({ controller: name })`. */
  readonly logger?: Logger;
  /** Receives counts and timings (the `Manager` passes one to serve `/metrics`). */
  readonly metrics?: ControllerMetrics;
  /**
   * Called right before each reconcile starts; when it returns false the reconcile does not
   * start and its request is dropped. Return false only when this process must stop
   * reconciling for good: the `Manager` sets it to `LeaderElector.confirmLeadership`, so a
   * leader that was paused past its renew deadline steps down before it reconciles.
   */
  readonly mayReconcile?: () => boolean;
}

/**
 * The outcome label of one reconcile, as controller-runtime names it: `error` (it failed),
 * `requeue` (`Action.requeue(0)`), `requeue_after` (`Action.requeue(ms)`, ms > 0, or
 * `Action.backoff()` returned by a successful reconcile), `success` (`Action.awaitChange()`).
 */
export type ReconcileMetricResult = 'success' | 'error' | 'requeue' | 'requeue_after';

/** A reconcile in progress, as {@link ControllerGauges.inFlight} lists it. */
export interface InFlightReconcile {
  /** The object key (`ns/name`). */
  readonly object: string;
  /** How long it has run, in milliseconds. */
  readonly runningMs: number;
  /** True when it timed out and was abandoned but has not settled yet. */
  readonly abandoned: boolean;
}

/** Live values of a running controller, handed to {@link ControllerMetrics.started}. */
export interface ControllerGauges {
  /** The configured `concurrency`. */
  readonly concurrency: number;
  /** Requests waiting: scheduled, due, or waiting for their object's reconcile to end. */
  queueDepth(): number;
  /** Reconciles in progress (abandoned ones not included). */
  activeWorkers(): number;
  /** Every reconcile in progress, abandoned ones included. */
  inFlight(): InFlightReconcile[];
}

/**
 * Hooks a controller calls while it runs; every method is optional and must not throw
 * (the controller does not catch). Calls happen synchronously on the controller's path.
 */
export interface ControllerMetrics {
  /** Once, when the controller starts. */
  started?(gauges: ControllerGauges): void;
  /** Each time a request is handed to the work queue (changes, requeues, backoffs). */
  enqueued?(): void;
  /** When a reconcile starts: how long its request waited after it was due, in ms. */
  dequeued?(waitedMs: number): void;
  /** After each reconcile (not for requests dropped because the object is gone). */
  reconciled?(result: ReconcileMetricResult, durationMs: number): void;
  /** When a failed reconcile is retried with the error backoff (`Action.backoff()`). */
  retried?(): void;
  /** When a reconcile times out and is abandoned. */
  abandoned?(): void;
}
