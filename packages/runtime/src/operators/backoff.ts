/** `backoff(policy)`: resubscribe to a failing stream after the policy's delay. */
import { type MonoTypeOperatorFunction, retry, timer } from 'rxjs';
import type { BackoffPolicy } from '../watcher/backoff.js';

/**
 * When the source Observable errors, resubscribes to it after `policy.next()` ms, forever;
 * the policy's own quiet-period reset brings delays back down once the source is healthy.
 *
 * A watcher stream never errors (it backs off by itself, with `WatcherConfig.backoff`,
 * and reports failures as `Error` values), so this operator is for other streams that
 * do: a polling Observable, a custom source, a pipeline stage that may throw.
 */
export function backoff<T>(policy: BackoffPolicy): MonoTypeOperatorFunction<T> {
  return retry({ delay: () => timer(policy.next()) });
}
