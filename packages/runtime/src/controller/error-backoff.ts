/** Options of a controller's per-object error backoff (`ControllerConfig.errorBackoff`). */
export interface ErrorBackoffOptions {
  /** First delay after a failure. Default 500 ms. */
  readonly initialMs?: number;
  /** Largest delay. Default 300 000 ms (5 min). */
  readonly maxMs?: number;
  /** Growth factor per consecutive failure. Default 2. */
  readonly factor?: number;
}

/**
 * Per-key exponential backoff for failed reconciles: the n-th consecutive failure of a key
 * waits `initialMs * factor^(n-1)`, capped at `maxMs` (defaults: 500 ms, 1 s, 2 s, … 5 min).
 * `reset(key)` (called by the controller after a successful reconcile, or when the object
 * is gone) starts the key over at `initialMs` and frees its memory, so the map only holds
 * keys that are currently failing.
 */
export class ErrorBackoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #factor: number;
  readonly #failures = new Map<string, number>();

  /** Creates a backoff; see {@link ErrorBackoffOptions} for the defaults. */
  constructor(options: ErrorBackoffOptions = {}) {
    this.#initialMs = options.initialMs ?? 500;
    this.#maxMs = options.maxMs ?? 300_000;
    this.#factor = options.factor ?? 2;
    if (!(this.#initialMs > 0 && this.#maxMs >= this.#initialMs && this.#factor >= 1)) {
      throw new RangeError(
        'ErrorBackoff: need initialMs > 0, maxMs >= initialMs and factor >= 1 ' +
          `(got ${this.#initialMs}, ${this.#maxMs}, ${this.#factor})`,
      );
    }
  }

  /** Records one more failure of `key` and returns the delay before its retry. */
  next(key: string): number {
    const failures = (this.#failures.get(key) ?? 0) + 1;
    this.#failures.set(key, failures);
    const delay = this.#initialMs * this.#factor ** (failures - 1);
    return Math.min(this.#maxMs, delay);
  }

  /** Forgets the failures of `key`. */
  reset(key: string): void {
    this.#failures.delete(key);
  }

  /** Number of keys with recorded failures. */
  get size(): number {
    return this.#failures.size;
  }
}
