import type { ReconcileReason } from './reason.js';
import { Runner } from './runner.js';
import type { ScheduledEntry } from './scheduler.js';
import { Scheduler } from './scheduler.js';

/** Options of a {@link WorkQueue}. */
export interface WorkQueueOptions<T> {
  /** Upper bound on runs in progress at once (>= 1, may be `Infinity`). */
  readonly concurrency: number;
  /** See {@link SchedulerOptions.debounceMs}. Default 0. */
  readonly debounceMs?: number;
  /** Runs one due entry; rejections are ignored (report failures yourself). */
  readonly run: (entry: ScheduledEntry<T>) => Promise<void>;
}

/**
 * The controller's scheduling pipeline: a {@link Scheduler} (one pending entry per key,
 * earliest time wins, debounce) feeding a {@link Runner} (per-key mutual exclusion, bounded
 * concurrency). It adds one rule that joins the two: when a run of a key starts, a request
 * for that key that is already due but still in the scheduler is dropped, because the run
 * that is starting serves it (it reads the object's current state). So every request is
 * served exactly once — never by two runs — and no run happens without a due request.
 */
export class WorkQueue<T> {
  readonly #scheduler: Scheduler<T>;
  readonly #runner: Runner<T>;

  /** Creates the queue; see {@link WorkQueueOptions}. */
  constructor(options: WorkQueueOptions<T>) {
    this.#runner = new Runner<T>({
      concurrency: options.concurrency,
      run: (entry) => {
        const pending = this.#scheduler.get(entry.key);
        if (pending !== undefined && pending.runAt <= Date.now()) {
          this.#scheduler.cancel(entry.key);
        }
        return options.run(entry);
      },
    });
    this.#scheduler = new Scheduler<T>({
      ...(options.debounceMs === undefined ? {} : { debounceMs: options.debounceMs }),
      onDue: (entry) => this.#runner.submit(entry),
    });
  }

  /** Requests a run of `key` after `delayMs` (default 0); see {@link Scheduler.schedule}. */
  schedule(key: string, value: T, reason: ReconcileReason, delayMs = 0): void {
    this.#scheduler.schedule(key, value, reason, delayMs);
  }

  /** Whether `key` has a request pending in the scheduler (not yet due or handed on). */
  isScheduled(key: string): boolean {
    return this.#scheduler.has(key);
  }

  /** Number of requests waiting: in the scheduler, queued, or waiting for their key. */
  get backlog(): number {
    return this.#scheduler.size + this.#runner.backlog;
  }

  /** Number of runs in progress. */
  get running(): number {
    return this.#runner.running;
  }

  /** Resolves when the runner has nothing queued or running (scheduled entries may remain). */
  onIdle(): Promise<void> {
    return this.#runner.onIdle();
  }

  /**
   * Stops taking work: drops every pending and queued request and resolves once the runs in
   * progress have finished.
   */
  shutdown(): Promise<void> {
    this.#scheduler.close();
    return this.#runner.shutdown();
  }
}
