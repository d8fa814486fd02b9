export { backoff } from './operators/backoff.js';
export { modify } from './operators/modify.js';
export { appliedObjects, touchedObjects } from './operators/objects.js';
export { type PredicateFilterOptions, predicateFilter } from './operators/predicate-filter.js';
export { type Predicate, predicate, predicates } from './operators/predicates.js';
export { reflect } from './operators/reflect.js';
export type { IndexFunction } from './store/indexes.js';
export {
  deepFreeze,
  dropManagedFields,
  type FreezeMode,
  type IngestTransform,
  keepAll,
} from './store/ingest.js';
export { reflector } from './store/reflector.js';
export { createStore, type Store, type StoreOptions, type StoreWriter } from './store/store.js';
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
export type {
  SourceListParams,
  SourceWatchEvent,
  SourceWatchParams,
  WatchSource,
} from './watcher/source.js';
export { watchObject } from './watcher/watch-object.js';
export { type WatcherConfig, watcher } from './watcher/watcher.js';
