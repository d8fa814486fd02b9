export {
  Cache,
  type CacheConfig,
  type CacheListOptions,
  type CacheReader,
} from './cache/cache.js';
export {
  CacheNotRegisteredError,
  CacheNotSyncedError,
  type CacheReadTarget,
} from './cache/errors.js';
export type { CacheLease, SharedWatchState } from './cache/shared-watch.js';
export type { CacheOptions, CacheSource } from './cache/source.js';
export { type Condition, conditions } from './conditions.js';
export { Action } from './controller/action.js';
export { type ApplierOptions, applier } from './controller/applier.js';
export type {
  ControllerConfig,
  ControllerGauges,
  ControllerMetrics,
  InFlightReconcile,
  ReconcileMetricResult,
} from './controller/config.js';
export { Controller, type ControllerApi, type RelatedSource } from './controller/controller.js';
export type { ErrorBackoffOptions } from './controller/error-backoff.js';
export { describeError } from './controller/logging.js';
export type { ReconcileReason } from './controller/reason.js';
export {
  type ReconcileInfo,
  type ReconcileResult,
  Reconciler,
  ReconcileTimeoutError,
} from './controller/reconciler.js';
export {
  type Hold,
  type ScheduledEntry,
  Scheduler,
  type SchedulerOptions,
} from './controller/scheduler.js';
export type { ShutdownTrigger } from './controller/shutdown.js';
export type { ReconcileRequest, RelationMapper } from './controller/triggers.js';
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
export { Manager } from './manager/manager.js';
export type { ManagerOptions } from './manager/options.js';
export type { Runnable } from './manager/runnable.js';
export { backoff } from './operators/backoff.js';
export { modify } from './operators/modify.js';
export { appliedObjects, touchedObjects } from './operators/objects.js';
export { type PredicateFilterOptions, predicateFilter } from './operators/predicate-filter.js';
export { type Predicate, predicate, predicates } from './operators/predicates.js';
export { type EventSpec, Recorder, type RecorderOptions, type Reporter } from './recorder.js';
export type {
  ControllerSharding,
  ShardedSource,
  ShardedSources,
} from './sharding/controller-sharding.js';
export { RING_LABEL, type ShardLabels, shardLabels } from './sharding/labels.js';
export type { ShardingOptions } from './sharding/options.js';
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
