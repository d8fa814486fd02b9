import { MinHeap } from './min-heap.js';
import type { ReconcileReason } from './reason.js';

/** One request of the {@link Scheduler}, handed to `onDue` when its time comes. */
export interface ScheduledEntry<T> {
  /** The object key (`ObjectRef.key`): at most one request per key is pending. */
  readonly key: string;
  /** What to run: for a controller, the object's `ObjectRef`. */
  readonly value: T;
  /** The reason of the request that won (see {@link Scheduler.schedule}). */
  readonly reason: ReconcileReason;
  /** When the entry became due, in `Date.now()` milliseconds. */
  readonly runAt: number;
}

/** Options of a {@link Scheduler}. */
export interface SchedulerOptions<T> {
  /**
   * Called, synchronously from the scheduler's timer, with each entry it hands out, earliest
   * first (ties in request order). The entry's key is then HELD until {@link
   * Scheduler.release}. It may call `schedule` again.
   */
  readonly onDue: (entry: ScheduledEntry<T>) => void;
  /**
   * Most keys held at once whose hold still takes a worker slot (see
   * {@link Scheduler.freeSlot}). Default `Infinity`.
   */
  readonly concurrency?: number;
  /**
   * Delay added to every request so that a burst of changes to one object collapses into
   * one reconcile: a request that arrives while the object's request is still pending
   * restarts the wait. Default 0 (no debounce). A steady stream of requests less than
   * `debounceMs` apart postpones the run for as long as it lasts, so keep it short
   * (a few seconds at most).
   */
  readonly debounceMs?: number;
  /**
   * Nothing is handed out before this settles (requests are merged meanwhile): the
   * readiness gate of a controller, resolved when its store has the initial list. If it
   * rejects, nothing is ever handed out.
   */
  readonly startAfter?: PromiseLike<unknown>;
}

interface Node<T> extends ScheduledEntry<T> {
  readonly seq: number;
}

/** The whole state of one key: its pending request and its hold. */
interface KeyState<T> {
  /** The one pending request; in the heap only while the key is not held. */
  request: Node<T> | undefined;
  /** `Date.now()` when the key was handed out, while it is held. */
  heldSince: number | undefined;
  /** Whether the hold takes a worker slot (false once `freeSlot` was called). */
  working: boolean;
}

/** A key that is held: for logs and metrics of work in progress. */
export interface Hold {
  readonly key: string;
  /** `Date.now()` when it was handed out. */
  readonly since: number;
  /** False once its worker slot was freed (an abandoned reconcile that has not settled). */
  readonly working: boolean;
}

/** setTimeout cannot wait longer than 2^31 - 1 ms; longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Entries handed out per turn of the event loop; the rest follow on the next turns
 * (`setImmediate`). A pass over 10k objects then starts its reconciles in slices, so the
 * work started by one slice can finish before the next begins, instead of 10k calls in
 * flight at once (measured in bench scenario 4: unbounded dispatch at 10k objects).
 *
 * The slice counts every entry handed out since the scheduler's own timer last fired,
 * including those a release hands out at once: reconciles that settle without I/O (a
 * reconciler with nothing to do) release from microtasks, and without that count a pass
 * over 20k objects ran as one chain of microtasks, never yielding to the event loop — no
 * timer ran meanwhile, not even a Lease renewal (bench scenario 10: a replica missed its
 * 30 s renew deadline).
 */
const FIRE_SLICE = 512;

/**
 * The controller's work queue: the ONE owner of per-key state. For each key it keeps at
 * most one pending request and whether the key is held (handed out and not yet released).
 *
 * **Invariant.** A key's pending request is in the time heap exactly when the key is not
 * held; a request leaves the scheduler only by being handed to `onDue`, which holds its
 * key until `release`. Everything else follows from it:
 * - never two holders of one key (a reconcile, or an abandoned one that has not settled,
 *   holds it), so never two reconciles of one object at once;
 * - every request is handed out exactly once: alone, or merged into the key's pending
 *   request, which the next holder serves (it reads the object's current state); a request
 *   that arrives while the key is held waits for the release;
 * - nothing is handed out before its time, nor before `startAfter` settles;
 * - at most `concurrency` holds take a worker slot.
 *
 * Merging: without debounce, a new request keeps the EARLIER run time, and the entry
 * carries the reason of the request with that time (on a tie the first one). So an
 * immediate change overrides a pending `requeue(5 min)`, and a later requeue never
 * postpones a pending change. With `debounceMs`, each request is due `debounceMs` after its
 * requested time, and a request whose time is not later than the pending one replaces it
 * (restarting the wait), so a burst of changes yields one entry.
 *
 * Cost: `schedule` is O(log n) (a binary heap with lazy deletion: replaced entries stay in
 * the heap and are compacted away when they outnumber the live ones); ONE timer, armed for
 * the earliest entry; at most 512 entries handed out per turn of the event loop.
 *
 * Modelled on kube-runtime's scheduler with `hold_unless` and its runner's concurrency
 * limit: one structure, so the guarantees do not depend on several classes agreeing. The
 * worker slots are a counter here rather than a p-queue: the order in which waiting work
 * starts is the time heap's (earliest due first), and a second queue would hold a second
 * copy of per-key state.
 */
export class Scheduler<T> {
  readonly #onDue: (entry: ScheduledEntry<T>) => void;
  readonly #debounceMs: number;
  readonly #concurrency: number;
  readonly #keys = new Map<string, KeyState<T>>();
  readonly #heap = new MinHeap<Node<T>>((a, b) =>
    a.runAt === b.runAt ? a.seq < b.seq : a.runAt < b.runAt,
  );
  #seq = 0;
  #pending = 0;
  #working = 0;
  #started: boolean;
  #idleWaiters: (() => void)[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #immediate: ReturnType<typeof setImmediate> | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #firing = false;
  #closed = false;
  /** Entries handed out since the timer last fired (at most `FIRE_SLICE`, see there). */
  #sliced = 0;

  /** Creates a scheduler that hands due entries to `options.onDue`. */
  constructor(options: SchedulerOptions<T>) {
    const debounceMs = options.debounceMs ?? 0;
    if (!Number.isFinite(debounceMs) || debounceMs < 0) {
      throw new RangeError(`Scheduler: debounceMs must be a finite number >= 0, got ${debounceMs}`);
    }
    const concurrency = options.concurrency ?? Number.POSITIVE_INFINITY;
    if (!(concurrency >= 1)) {
      throw new RangeError(`Scheduler: concurrency must be >= 1 (or Infinity), got ${concurrency}`);
    }
    this.#onDue = options.onDue;
    this.#debounceMs = debounceMs;
    this.#concurrency = concurrency;
    this.#started = options.startAfter === undefined;
    options.startAfter?.then(
      () => {
        this.#started = true;
        this.#arm();
      },
      () => {},
    );
  }

  /** Number of pending requests (at most one per key). */
  get size(): number {
    return this.#pending;
  }

  /** Number of holds that take a worker slot. */
  get working(): number {
    return this.#working;
  }

  /** The keys held now, with when they were handed out. */
  *holds(): IterableIterator<Hold> {
    for (const [key, state] of this.#keys) {
      if (state.heldSince !== undefined) {
        yield { key, since: state.heldSince, working: state.working };
      }
    }
  }

  /** Whether `key` has a pending request. */
  has(key: string): boolean {
    return this.#keys.get(key)?.request !== undefined;
  }

  /**
   * Requests that `key` runs `delayMs` from now (default 0) for `reason`, merged with its
   * pending request as described on the class. Ignored after `close()`.
   */
  schedule(key: string, value: T, reason: ReconcileReason, delayMs = 0): void {
    if (this.#closed) return;
    const requested = Date.now() + Math.max(0, Number.isFinite(delayMs) ? delayMs : 0);
    let state = this.#keys.get(key);
    const existing = state?.request;
    if (existing !== undefined) {
      const replaces =
        this.#debounceMs === 0 ? requested < existing.runAt : requested <= existing.runAt;
      if (!replaces) return;
    } else {
      this.#pending++;
    }
    const node: Node<T> = {
      key,
      value,
      reason,
      runAt: requested + this.#debounceMs,
      seq: this.#seq++,
    };
    if (state === undefined) {
      state = { request: node, heldSince: undefined, working: false };
      this.#keys.set(key, state);
    } else {
      state.request = node;
    }
    if (state.heldSince === undefined) this.#enqueue(node);
  }

  /**
   * Ends the hold of `key` (its reconcile, and any call it abandoned, has settled). A
   * request that arrived meanwhile becomes eligible.
   */
  release(key: string): void {
    const state = this.#keys.get(key);
    if (state?.heldSince === undefined) return;
    if (state.working) this.#working--;
    state.working = false;
    state.heldSince = undefined;
    if (state.request === undefined) {
      this.#keys.delete(key);
    } else {
      this.#heap.push(state.request);
    }
    this.#afterSlotFreed();
  }

  /**
   * Lets the hold of `key` stop counting against `concurrency` while the key stays held:
   * for a reconcile that timed out and was abandoned but has not settled.
   */
  freeSlot(key: string): void {
    const state = this.#keys.get(key);
    if (state === undefined || !state.working) return;
    state.working = false;
    this.#working--;
    this.#afterSlotFreed();
  }

  /**
   * Hands out what is due at once (a freed slot is taken without waiting for the timer's
   * turn of the event loop) and wakes `whenIdle` waiters.
   */
  #afterSlotFreed(): void {
    if (this.#working === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
    this.#drain();
  }

  /** Resolves once no hold takes a worker slot (abandoned holds are not waited for). */
  whenIdle(): Promise<void> {
    if (this.#working === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Drops every pending request and stops handing out; later `schedule` calls are
   * ignored. Holds remain until released.
   */
  close(): void {
    this.#closed = true;
    for (const [key, state] of this.#keys) {
      state.request = undefined;
      if (state.heldSince === undefined) this.#keys.delete(key);
    }
    this.#pending = 0;
    this.#heap.clear();
    this.#disarm();
  }

  #enqueue(node: Node<T>): void {
    this.#heap.push(node);
    if (this.#heap.size > 2 * this.#pending + 64) {
      this.#heap.retain((n) => this.#isLive(n));
    }
    this.#arm();
  }

  /** Live: the key's current request, and the key is not held (invariant: then in heap). */
  #isLive(node: Node<T>): boolean {
    const state = this.#keys.get(node.key);
    return state !== undefined && state.request === node && state.heldSince === undefined;
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
    if (this.#firing) return; // #fire arms once at its end
    if (this.#closed || !this.#started || this.#working >= this.#concurrency) {
      this.#disarm();
      return;
    }
    const top = this.#top();
    if (top === undefined) {
      this.#disarm();
      return;
    }
    if (this.#timerAt <= top.runAt) return; // armed early enough already
    this.#disarm();
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, top.runAt - Date.now()));
    this.#timerAt = top.runAt;
    // An entry already due fires on the next turn of the event loop: setTimeout(0) waits
    // at least 1 ms, setImmediate does not.
    if (wait === 0) {
      this.#immediate = setImmediate(() => this.#fire());
    } else {
      this.#timer = setTimeout(() => this.#fire(), wait);
    }
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#immediate !== undefined) clearImmediate(this.#immediate);
    this.#timer = undefined;
    this.#immediate = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  #fire(): void {
    this.#timer = undefined;
    this.#immediate = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    this.#sliced = 0;
    this.#drain();
  }

  /**
   * Hands out due entries, earliest first, while worker slots are free: at most 512 since
   * the timer last fired, then the timer continues on the next turn. Not re-entered: a
   * release from inside `onDue` (a request dropped at once) only lets this loop go on, so
   * the stack never grows.
   */
  #drain(): void {
    if (this.#firing || this.#closed || !this.#started) return;
    const now = Date.now();
    this.#firing = true;
    try {
      for (; this.#sliced < FIRE_SLICE && this.#working < this.#concurrency; this.#sliced++) {
        const top = this.#top();
        if (top === undefined || top.runAt > now) break;
        this.#heap.pop();
        const state = this.#keys.get(top.key) as KeyState<T>;
        state.request = undefined;
        state.heldSince = now;
        state.working = true;
        this.#pending--;
        this.#working++;
        this.#onDue(top);
        if (this.#closed) return;
      }
    } finally {
      this.#firing = false;
      // Re-arm even if onDue threw, so the remaining entries are not stranded.
      this.#arm();
    }
  }
}
