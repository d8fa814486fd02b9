export { type Condition, conditions } from './conditions.js';
export { Action } from './controller/action.js';
export {
  Controller,
  type ControllerApi,
  type ControllerConfig,
  type ControllerGauges,
  type ControllerMetrics,
  type ReconcileMetricResult,
  type ReconcileResult,
} from './controller/controller.js';
export { ErrorBackoff, type ErrorBackoffOptions } from './controller/error-backoff.js';
export { invokeReconciler, type ReconcileOutcome } from './controller/invoke.js';
export { describeError } from './controller/logging.js';
export { describeReason, type ReconcileReason } from './controller/reason.js';
export {
  type ReconcileInfo,
  Reconciler,
  ReconcileTimeoutError,
} from './controller/reconciler.js';
export { Runner, type RunnerOptions } from './controller/runner.js';
export {
  type ScheduledEntry,
  Scheduler,
  type SchedulerOptions,
} from './controller/scheduler.js';
export type { ReconcileRequest, RelationMapper } from './controller/triggers.js';
export { WorkQueue, type WorkQueueOptions } from './controller/work-queue.js';
export {
  type FinalizerApi,
  FinalizerError,
  type FinalizerHandlers,
  type FinalizerStep,
  finalizer,
} from './finalizer.js';
export {
  LeaderElector,
  type LeaderElectorOptions,
  type LeaseApi,
} from './leader/leader-elector.js';
export { Manager, type ManagerOptions } from './manager/manager.js';
export {
  Counter,
  Gauge,
  Histogram,
  type Labels,
  type Metric,
  MetricsRegistry,
  PROMETHEUS_CONTENT_TYPE,
} from './manager/metrics-registry.js';
export type { Runnable } from './manager/runnable.js';
export { RECONCILE_TIME_BUCKETS, RuntimeMetrics } from './manager/runtime-metrics.js';
export { backoff } from './operators/backoff.js';
export { modify } from './operators/modify.js';
export { appliedObjects, touchedObjects } from './operators/objects.js';
export { type PredicateFilterOptions, predicateFilter } from './operators/predicate-filter.js';
export { type Predicate, predicate, predicates } from './operators/predicates.js';
export { type EventSpec, Recorder, type RecorderOptions, type Reporter } from './recorder.js';
export type { IndexFunction } from './store/indexes.js';
export {
  deepFreeze,
  dropManagedFields,
  type FreezeMode,
  type IngestTransform,
  keepAll,
} from './store/ingest.js';
export { reflect, reflector } from './store/reflector.js';
export { createStore, type Store, type StoreOptions, type StoreWriter } from './store/store.js';
export { type AwaitConditionOptions, AwaitConditionTimeoutError, awaitCondition } from './wait.js';
export {
  type BackoffPolicy,
  defaultBackoff,
  type ExponentialBackoffOptions,
  exponentialBackoff,
} from './watcher/backoff.js';
export type {
  AppliedEvent,
  DeletedEvent,
  ErrorEvent,
  RestartedEvent,
  WatcherEvent,
  WatcherObjectEvent,
  WatcherPhase,
  WatcherRecovery,
} from './watcher/events.js';
export { WatcherError } from './watcher/events.js';
export type { WatchSource } from './watcher/source.js';
export { watchObject } from './watcher/watch-object.js';
export { type WatcherConfig, watcher } from './watcher/watcher.js';
