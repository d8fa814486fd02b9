/**
 * Something a `Manager` runs: a controller, or any long-running task of an operator.
 */
export interface Runnable {
  /** A short name for logs, `/readyz` and errors. */
  readonly name: string;
  /**
   * Runs until `signal` aborts, then finishes its work in progress and resolves. A
   * rejection is a failure that shuts the whole manager down (`Manager.start` rejects).
   */
  start(signal: AbortSignal): Promise<void>;
  /** Whether it is ready to work (e.g. its cache is filled); checked by `/readyz` while it runs. Default: ready. */
  isReady?(): boolean;
  /**
   * Whether it runs only while this process leads (when the manager has a `LeaderElector`).
   * Default true; set false for work every replica must do (e.g. serving a webhook).
   */
  readonly needsLeaderElection?: boolean;
}
