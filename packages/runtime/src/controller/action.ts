/**
 * What a reconcile asks the controller to do next. Build one with {@link Action.requeue},
 * {@link Action.awaitChange} or {@link Action.backoff}; the controller reads
 * {@link Action.requeueAfterMs}.
 */
export class Action {
  /**
   * Milliseconds after which the object is reconciled again, or `undefined` when the
   * controller waits for the next change of the object or of a related object.
   */
  readonly requeueAfterMs: number | undefined;

  private static readonly AWAIT_CHANGE = new Action(undefined);
  private static readonly BACKOFF = new Action(undefined);

  private constructor(requeueAfterMs: number | undefined) {
    this.requeueAfterMs = requeueAfterMs;
  }

  /**
   * Reconcile this object again after `ms` milliseconds (or earlier, if the object or a
   * related object changes first: the earlier of the two requests wins). Throws a
   * `RangeError` for a negative or non-finite delay.
   */
  static requeue(ms: number): Action {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(
        `Action.requeue(${ms}): the delay must be a finite number of milliseconds >= 0`,
      );
    }
    return new Action(ms);
  }

  /** Do nothing until the object or a related object changes. */
  static awaitChange(): Action {
    return Action.AWAIT_CHANGE;
  }

  /**
   * Retry after the controller's per-object error backoff: 500 ms, 1 s, 2 s, … capped at
   * 5 min by default (`ControllerConfig.errorBackoff`), started over after a successful
   * reconcile. What the default `errorPolicy` returns. The controller turns it into
   * `Action.requeue(delay)` in the result it emits.
   */
  static backoff(): Action {
    return Action.BACKOFF;
  }

  /** Whether this is {@link Action.backoff}. */
  get isBackoff(): boolean {
    return this === Action.BACKOFF;
  }

  /** A short human form for logs: `requeue after 500ms`, `await change` or `backoff`. */
  toString(): string {
    if (this.isBackoff) return 'backoff';
    return this.requeueAfterMs === undefined
      ? 'await change'
      : `requeue after ${this.requeueAfterMs}ms`;
  }
}
