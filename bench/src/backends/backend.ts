/** A server the scenarios run against. */
export interface Backend {
  /** Short name used in the table, e.g. `memory`. */
  readonly name: string;
  /** Path of a kubeconfig file for an admin user of the server. */
  readonly kubeconfigPath: string;
  /**
   * Watches of one resource (`plural` in API group `group`) the server has open now, in
   * every namespace: what the server itself counts, not what a client says it opened.
   */
  watchesOf(group: string, plural: string): Promise<number>;
  /** Stops the server and removes what it created. */
  stop(): Promise<void>;
}

/** A backend that could not start here, with the reason (printed and written to the results). */
export interface SkippedBackend {
  readonly name: string;
  readonly skipped: string;
}
