// watcher (streaming half)
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
