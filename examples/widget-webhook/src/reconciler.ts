/** The Widget reconciler: reports the replicas as ready in `status`. */
import { Api, type Client, Patch } from '@kube-ts/client';
import { Action, Reconciler } from '@kube-ts/runtime';
import { Widget } from './resource.js';

/** What the reconciler needs. */
export interface Context {
  readonly client: Client;
}

/**
 * Writes `status.observedGeneration` and `status.readyReplicas` when they are behind
 * the spec; writes nothing in steady state.
 */
export class WidgetReconciler extends Reconciler<Widget, Context> {
  async reconcile(w: Widget, ctx: Context): Promise<Action> {
    const status = {
      observedGeneration: w.metadata.generation ?? 0,
      readyReplicas: w.spec.replicas,
    };
    if (
      w.status?.observedGeneration === status.observedGeneration &&
      w.status.readyReplicas === status.readyReplicas
    ) {
      return Action.awaitChange();
    }
    const api = Api.namespaced(ctx.client, Widget, w.metadata.namespace ?? 'default');
    await api.patchStatus(w.metadata.name ?? '', Patch.merge({ status }));
    return Action.awaitChange();
  }
}
