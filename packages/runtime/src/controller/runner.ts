import PQueue from 'p-queue';
import type { ScheduledEntry } from './scheduler.js';

/** Options of a {@link Runner}. */
export interface RunnerOptions<T> {
  /** Upper bound on runs in progress at once, over all keys (>= 1, may be `Infinity`). */
  readonly concurrency: number;
  /**
   * Runs one entry. A rejection is caught and ignored (the controller's run function
   * reports its own errors), so it can never wedge the runner.
   */
  readonly run: (entry: ScheduledEntry<T>) => Promise<void>;
}

/**
 * Runs due entries with bounded concurrency (a p-queue) and per-key mutual exclusion.
 *
 * Guarantees:
 * - Never two runs of the same key at once.
 * - A submission for a key that is running is kept (one per key, the earlier `runAt` wins)
 *   and runs after the current run finishes; it is never lost and never runs concurrently.
 * - A submission for a key that is queued but not started is merged into the queued one
 *   (the earlier `runAt` wins), so the queue holds at most one entry per key: thousands of
 *   submissions for a few keys cannot grow it without bound.
 * - At most `concurrency` runs are in progress at any time.
 * - `shutdown()` stops taking work, drops everything not yet started and resolves once the
 *   runs in progress have finished.
 */
export class Runner<T> {
  readonly #run: (entry: ScheduledEntry<T>) => Promise<void>;
  readonly #queue: PQueue;
  readonly #queued = new Map<string, ScheduledEntry<T>>();
  readonly #running = new Set<string>();
  readonly #waiting = new Map<string, ScheduledEntry<T>>();
  #closed = false;

  /** Creates a runner; see {@link RunnerOptions}. */
  constructor(options: RunnerOptions<T>) {
    const { concurrency } = options;
    if (!(concurrency >= 1)) {
      throw new RangeError(`Runner: concurrency must be >= 1 (or Infinity), got ${concurrency}`);
    }
    this.#run = options.run;
    this.#queue = new PQueue({ concurrency });
  }

  /** Number of runs in progress. */
  get running(): number {
    return this.#running.size;
  }

  /** Number of entries queued or waiting for their key's current run to finish. */
  get backlog(): number {
    return this.#queued.size + this.#waiting.size;
  }

  /** Whether a run of `key` is in progress. */
  isRunning(key: string): boolean {
    return this.#running.has(key);
  }

  /** Hands a due entry to the runner (ignored after `shutdown()`). */
  submit(entry: ScheduledEntry<T>): void {
    if (this.#closed) return;
    const { key } = entry;
    if (this.#running.has(key)) {
      this.#waiting.set(key, earlier(this.#waiting.get(key), entry));
      return;
    }
    const queued = this.#queued.get(key);
    this.#queued.set(key, earlier(queued, entry));
    if (queued === undefined) void this.#queue.add(() => this.#start(key));
  }

  /** Resolves when nothing is queued, waiting or running. */
  async onIdle(): Promise<void> {
    await this.#queue.onIdle();
  }

  /**
   * Stops taking work, drops queued and waiting entries, and resolves once every run in
   * progress has finished.
   */
  async shutdown(): Promise<void> {
    this.#closed = true;
    this.#queue.clear();
    this.#queued.clear();
    this.#waiting.clear();
    await this.#queue.onIdle();
  }

  async #start(key: string): Promise<void> {
    const entry = this.#queued.get(key);
    if (entry === undefined) return; // dropped by shutdown()
    this.#queued.delete(key);
    this.#running.add(key);
    try {
      await this.#run(entry);
    } catch {
      // The run function reports its own failures; see RunnerOptions.run.
    } finally {
      this.#running.delete(key);
      const next = this.#waiting.get(key);
      if (next !== undefined) {
        this.#waiting.delete(key);
        this.submit(next);
      }
    }
  }
}

function earlier<T>(
  current: ScheduledEntry<T> | undefined,
  next: ScheduledEntry<T>,
): ScheduledEntry<T> {
  return current !== undefined && current.runAt <= next.runAt ? current : next;
}
