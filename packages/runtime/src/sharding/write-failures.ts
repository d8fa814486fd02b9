/**
 * The sharder's failed writes, made visible: every failure is counted by its reason, and a
 * write that keeps failing on the same target (a shard Lease, an object) is logged at
 * `warn` with its reason and how many times in a row it failed. A failure that is normal
 * once (a conflict, a vanished object: the next pass retries with fresh state) is logged at
 * `debug` the first time only, so that a write silently retried forever cannot happen.
 */
import { ApiError, isConflict, isNotFound } from '@kube-ts/core';
import type { Logger } from 'pino';
import type { Counter, Registry } from 'prom-client';
import { describeError } from '../controller/logging.js';
import { promClient } from '../prom-client.js';

/** The kinds of write the sharder makes. */
export type SharderWrite = 'assign' | 'drain' | 'fence' | 'delete';

/** The reason label of a failure: the API's reason (e.g. `Conflict`), else the error's name. */
export function failureReason(error: unknown): string {
  if (ApiError.is(error)) return error.reason || String(error.code);
  return error instanceof Error ? error.name : 'unknown';
}

/** Counts the sharder's failed writes and logs the ones that repeat. */
export class WriteFailures {
  readonly #counter: Counter<'ring' | 'write' | 'reason'>;
  readonly #ring: string;
  readonly #logger: Logger;
  /** Consecutive failures per target (`<write>/<target>`), over passes; a success clears it. */
  readonly #streaks = new Map<string, number>();
  /** The targets that failed in the pass under way. */
  readonly #failedThisPass = new Set<string>();

  constructor(ring: string, registry: Registry, logger: Logger) {
    this.#ring = ring;
    this.#logger = logger;
    this.#counter = new (promClient().Counter)({
      name: 'kube_ts_sharding_write_failures_total',
      help: 'Failed writes of the sharder by kind (assign, drain, fence, delete) and reason (Conflict, NotFound, the error name for a transport failure, …)',
      labelNames: ['ring', 'write', 'reason'],
      registers: [registry],
    });
  }

  /** Records a failure of `write` on `target` (a Lease or object name). */
  failed(write: SharderWrite, target: string, error: unknown): void {
    const reason = failureReason(error);
    this.#counter.inc({ ring: this.#ring, write, reason });
    const key = `${write}/${target}`;
    const times = (this.#streaks.get(key) ?? 0) + 1;
    this.#streaks.set(key, times);
    this.#failedThisPass.add(key);
    const entry = { write, target, reason, times, error: describeError(error) };
    const expected = isConflict(error) || isNotFound(error);
    if (expected && times === 1) {
      this.#logger.debug(entry, 'sharder write failed; retrying on the next pass');
    } else {
      this.#logger.warn(
        entry,
        times > 1
          ? 'sharder write failed again; retrying on the next pass'
          : 'sharder write failed; retrying on the next pass',
      );
    }
  }

  /**
   * Ends a pass: a target that did not fail in it (written, or in need of no write any
   * more, e.g. deleted) ends its streak, so the map holds only what is failing now.
   */
  endPass(): void {
    for (const key of this.#streaks.keys()) {
      if (!this.#failedThisPass.has(key)) this.#streaks.delete(key);
    }
    this.#failedThisPass.clear();
  }
}
