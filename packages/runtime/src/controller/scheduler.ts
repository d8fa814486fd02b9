import { MinHeap } from './min-heap.js';
import type { ReconcileReason } from './reason.js';

/** One pending request of the {@link Scheduler}, handed to `onDue` when its time comes. */
export interface ScheduledEntry<T> {
  /** The object key (`ObjectRef.key`): at most one entry per key is pending. */
  readonly key: string;
  /** What to run: for a controller, the object's `ObjectRef`. */
  readonly value: T;
  /** The reason of the request that won (see {@link Scheduler.schedule}). */
  readonly reason: ReconcileReason;
  /** When the entry is due, in `Date.now()` milliseconds. */
  readonly runAt: number;
}

/** Options of a {@link Scheduler}. */
export interface SchedulerOptions<T> {
  /**
   * Called, synchronously from the scheduler's timer, with every entry whose time has come,
   * earliest first (ties in request order). It may call `schedule` again.
   */
  readonly onDue: (entry: ScheduledEntry<T>) => void;
  /**
   * Delay added to every request so that a burst of changes to one object collapses into
   * one reconcile: a request that arrives while the object's entry is still pending
   * restarts the wait. Default 0 (no debounce). A steady stream of requests less than
   * `debounceMs` apart postpones the run for as long as it lasts, so keep it short
   * (a few seconds at most).
   */
  readonly debounceMs?: number;
}

interface Node<T> extends ScheduledEntry<T> {
  readonly seq: number;
}

/** setTimeout cannot wait longer than 2^31 - 1 ms; longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Due entries emitted per turn of the event loop; the rest follow on the next turns
 * (`setImmediate`). A pass over 10k objects then starts its reconciles in slices, so the
 * work started by one slice can finish before the next begins, instead of 10k calls in
 * flight at once (measured in bench scenario 4: unbounded dispatch at 10k objects).
 */
const FIRE_SLICE = 512;

/**
 * Delays requests until their time and deduplicates them per object key.
 *
 * Guarantees:
 * - At most one pending entry per key.
 * - Without debounce, a new request for a key that is already pending keeps the
 *   EARLIER run time, and the entry carries the reason of the request with that time
 *   (on a tie the request that came first wins). So an immediate change always overrides a
 *   pending `requeue(5 min)`, and a later requeue never postpones a pending change.
 * - With `debounceMs`, each request is due `debounceMs` after its requested time; a request
 *   whose time is not later than the pending entry's replaces it (restarting the wait), so a
 *   burst of changes yields one entry, due `debounceMs` after the last one.
 * - Nothing is emitted before its time; every pending entry is emitted once its time has
 *   come (unless `cancel`led or the scheduler is closed), earliest first. At most 512 are
 *   emitted per turn of the event loop; more due entries follow on the next turns.
 * - `schedule` is O(log n) in the number of pending entries: a binary heap with lazy
 *   deletion (replaced entries stay in the heap, marked stale, and are compacted away when
 *   they outnumber the live ones). There is ONE timer, armed for the earliest entry, never
 *   one per object.
 */
export class Scheduler<T> {
  readonly #onDue: (entry: ScheduledEntry<T>) => void;
  readonly #debounceMs: number;
  readonly #pending = new Map<string, Node<T>>();
  readonly #heap = new MinHeap<Node<T>>((a, b) =>
    a.runAt === b.runAt ? a.seq < b.seq : a.runAt < b.runAt,
  );
  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #closed = false;

  /** Creates a scheduler that hands due entries to `options.onDue`. */
  constructor(options: SchedulerOptions<T>) {
    const debounceMs = options.debounceMs ?? 0;
    if (!Number.isFinite(debounceMs) || debounceMs < 0) {
      throw new RangeError(`Scheduler: debounceMs must be a finite number >= 0, got ${debounceMs}`);
    }
    this.#onDue = options.onDue;
    this.#debounceMs = debounceMs;
  }

  /** Number of pending entries (one per key). */
  get size(): number {
    return this.#pending.size;
  }

  /**
   * Number of nodes in the heap, stale ones included (a diagnostic): compaction keeps it at
   * most `2 * size + 65`, however many requests replaced earlier ones.
   */
  get heapNodes(): number {
    return this.#heap.size;
  }

  /** Whether an entry for `key` is pending. */
  has(key: string): boolean {
    return this.#pending.has(key);
  }

  /** The pending entry for `key`, if any. */
  get(key: string): ScheduledEntry<T> | undefined {
    return this.#pending.get(key);
  }

  /**
   * Requests that `key` runs `delayMs` from now (default 0) for `reason`, merged with any
   * pending entry for the same key as described on the class. Ignored after `close()`.
   */
  schedule(key: string, value: T, reason: ReconcileReason, delayMs = 0): void {
    if (this.#closed) return;
    const requested = Date.now() + Math.max(0, Number.isFinite(delayMs) ? delayMs : 0);
    const existing = this.#pending.get(key);
    if (existing) {
      const replaces =
        this.#debounceMs === 0 ? requested < existing.runAt : requested <= existing.runAt;
      if (!replaces) return;
    }
    const node: Node<T> = {
      key,
      value,
      reason,
      runAt: requested + this.#debounceMs,
      seq: this.#seq++,
    };
    this.#pending.set(key, node);
    this.#heap.push(node);
    this.#compactIfNeeded();
    this.#arm();
  }

  /** Drops the pending entry for `key`; returns whether there was one. */
  cancel(key: string): boolean {
    const had = this.#pending.delete(key);
    if (had) this.#compactIfNeeded();
    return had;
  }

  /** Drops every pending entry and stops the timer; later `schedule` calls are ignored. */
  close(): void {
    this.#closed = true;
    this.#pending.clear();
    this.#heap.clear();
    this.#disarm();
  }

  #isLive(node: Node<T>): boolean {
    return this.#pending.get(node.key) === node;
  }

  #compactIfNeeded(): void {
    if (this.#heap.size > 2 * this.#pending.size + 64) {
      this.#heap.retain((node) => this.#isLive(node));
    }
  }

  /** The earliest live node, dropping stale ones from the top. */
  #top(): Node<T> | undefined {
    for (;;) {
      const top = this.#heap.peek();
      if (top === undefined || this.#isLive(top)) return top;
      this.#heap.pop();
    }
  }

  #arm(): void {
    const top = this.#top();
    if (top === undefined) {
      this.#disarm();
      return;
    }
    if (this.#timer !== undefined && this.#timerAt <= top.runAt) return;
    this.#disarm();
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, top.runAt - Date.now()));
    this.#timerAt = top.runAt;
    // An entry already due fires on the next turn of the event loop: setTimeout(0) waits
    // at least 1 ms, setImmediate does not.
    this.#timer =
      wait === 0 ? setImmediate(() => this.#fire()) : setTimeout(() => this.#fire(), wait);
  }

  #disarm(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer as ReturnType<typeof setTimeout>);
      clearImmediate(this.#timer as ReturnType<typeof setImmediate>);
    }
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    try {
      for (let fired = 0; fired < FIRE_SLICE; fired++) {
        const top = this.#top();
        if (top === undefined || top.runAt > now) break;
        this.#heap.pop();
        this.#pending.delete(top.key);
        this.#onDue(top);
        if (this.#closed) return;
      }
    } finally {
      // Re-arm even if onDue threw, so the remaining entries are not stranded.
      if (!this.#closed) this.#arm();
    }
  }
}
