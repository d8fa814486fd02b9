/**
 * What the replicas do: stamp each ConfigMap labelled `ha.kube-ts.dev/stamp=true` with the
 * identity of the replica that reconciled it (annotation `ha.kube-ts.dev/stamped-by`).
 * The work is deliberately small; the example is about who does it.
 */
import { Api, type Client, Patch } from '@kube-ts/client';
import { type ConfigMap, configMaps } from '@kube-ts/k8s/core/v1';
import { Action, Controller, type ReconcileInfo, Reconciler } from '@kube-ts/runtime';

/** The label that asks for a stamp. */
export const STAMP = 'ha.kube-ts.dev/stamp';
/** The annotation that holds the identity of the replica that stamped it. */
export const STAMPED_BY = 'ha.kube-ts.dev/stamped-by';

/** Stamps a ConfigMap once, with this replica's identity. */
export class StampReconciler extends Reconciler<ConfigMap, Client> {
  readonly #identity: string;

  /** A reconciler stamping with `identity`. */
  constructor(identity: string) {
    super();
    this.#identity = identity;
  }

  async reconcile(cm: ConfigMap, client: Client, info: ReconcileInfo): Promise<Action> {
    if (cm.metadata?.annotations?.[STAMPED_BY] !== undefined) return Action.awaitChange();
    await Api.namespaced(client, configMaps, cm.metadata?.namespace ?? '').patch(
      cm.metadata?.name ?? '',
      Patch.merge({ metadata: { annotations: { [STAMPED_BY]: this.#identity } } }),
      { signal: info.signal },
    );
    info.logger.info({ by: this.#identity }, 'stamped');
    return Action.awaitChange();
  }
}

/** The controller over the labelled ConfigMaps of `namespace` (every namespace when empty). */
export function stampController(client: Client, namespace: string): Controller<ConfigMap> {
  const api =
    namespace === '' ? Api.all(client, configMaps) : Api.namespaced(client, configMaps, namespace);
  return new Controller(api, { labelSelector: `${STAMP}=true` });
}
