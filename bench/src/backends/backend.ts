/** A server the scenarios run against. */
export interface Backend {
  /** Short name used in the table, e.g. `memory`. */
  readonly name: string;
  /** Path of a kubeconfig file for an admin user of the server. */
  readonly kubeconfigPath: string;
  /** Stops the server and removes what it created. */
  stop(): Promise<void>;
}

/** A backend that could not start here, with the reason (printed and written to the results). */
export interface SkippedBackend {
  readonly name: string;
  readonly skipped: string;
}
