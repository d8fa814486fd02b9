/**
 * A stand-in for kube-controller-manager's Deployment controller, for servers that do not
 * run one (MemoryApiServer): it reports each Deployment's status as the real controller
 * does on a cluster where no pod ever becomes ready (this repository's test clusters have
 * no nodes): `Available` is `True` only with zero replicas.
 */
import { Api, type Client, Patch } from '@kube-ts/client';
import { type Deployment, deployments } from '@kube-ts/k8s/apps/v1';
import { Action, Controller, type ReconcileInfo, Reconciler } from '@kube-ts/runtime';
import type { Logger } from 'pino';
import { lastValueFrom } from 'rxjs';

class DeploymentStatusReconciler extends Reconciler<Deployment, Client> {
  async reconcile(d: Deployment, client: Client, info: ReconcileInfo): Promise<Action> {
    const generation = d.metadata?.generation ?? 0;
    const replicas = d.spec?.replicas ?? 1;
    const available = replicas === 0;
    if (
      d.status?.observedGeneration === generation &&
      d.status.conditions?.some(
        (c) => c.type === 'Available' && c.status === (available ? 'True' : 'False'),
      )
    ) {
      return Action.awaitChange();
    }
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    await Api.namespaced(client, deployments, d.metadata?.namespace ?? '').patchStatus(
      d.metadata?.name ?? '',
      Patch.merge({
        status: {
          observedGeneration: generation,
          replicas,
          updatedReplicas: replicas,
          availableReplicas: 0,
          unavailableReplicas: replicas,
          conditions: [
            {
              type: 'Available',
              status: available ? 'True' : 'False',
              reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
              message: available
                ? 'Deployment has minimum availability.'
                : 'Deployment does not have minimum availability.',
              lastUpdateTime: now,
              lastTransitionTime: now,
            },
          ],
        },
      }),
      { signal: info.signal },
    );
    return Action.awaitChange();
  }
}

/** Runs the stand-in for the Deployments of `namespace` until `signal` aborts. */
export function simulateDeploymentController(
  client: Client,
  namespace: string,
  logger: Logger,
  signal: AbortSignal,
): Promise<unknown> {
  return lastValueFrom(
    new Controller(Api.namespaced(client, deployments, namespace))
      .withConfig({ logger })
      .gracefulShutdownOn(signal)
      .run(new DeploymentStatusReconciler(), client),
    { defaultValue: undefined },
  );
}
