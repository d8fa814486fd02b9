/** Wires the ConfigMapGenerator controller: what `main.ts` and the tests run. */
import { Api, type Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { Controller, type ReconcileResult, Recorder } from '@kube-ts/runtime';
import type { Logger } from 'pino';
import type { Observable } from 'rxjs';
import { ConfigMapGeneratorReconciler, FIELD_MANAGER, MANAGED_BY } from './reconciler.js';
import { ConfigMapGenerator } from './resource.js';

/** Options of {@link operator}. */
export interface OperatorOptions {
  readonly client: Client;
  readonly logger: Logger;
  /** Aborting it shuts the controller down gracefully. */
  readonly signal?: AbortSignal;
  /** Also shut down gracefully on SIGINT/SIGTERM (the CLI does; tests do not). */
  readonly onProcessSignals?: boolean;
}

/**
 * The operator as an Observable of reconcile results: it watches ConfigMapGenerators in
 * every namespace and the ConfigMaps it manages (by label), and completes after a
 * graceful shutdown.
 */
export function operator(options: OperatorOptions): Observable<ReconcileResult> {
  const { client, logger } = options;
  const recorder = new Recorder(client, {
    controller: `examples.kube-ts.dev/${FIELD_MANAGER}`,
    instance: process.env.POD_NAME ?? `${FIELD_MANAGER}-local`,
  });
  let controller = new Controller(Api.all(client, ConfigMapGenerator))
    .owns(Api.all(client, resources.configMaps), {
      labelSelector: Object.entries(MANAGED_BY)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    })
    .withConfig({ concurrency: 4, logger });
  if (options.signal) controller = controller.gracefulShutdownOn(options.signal);
  if (options.onProcessSignals) controller = controller.shutdownOnSignal();
  return controller.run(new ConfigMapGeneratorReconciler(), { client, recorder });
}
