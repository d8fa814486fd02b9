import type { ProjectNames } from '../names.js';

/** `src/reconciler.ts`: the reconcile logic. */
export function reconcilerSource({ project, kind }: ProjectNames): string {
  return `import { Api, type Client, Patch } from '@kube-ts/client';
import { ownerRefTo, resources } from '@kube-ts/core';
import { Action, type ReconcileInfo, Reconciler, type Recorder } from '@kube-ts/runtime';
import { ${kind} } from './resource.js';

/** What every reconcile gets besides the object. */
export interface Context {
  readonly client: Client;
  readonly recorder: Recorder;
}

/** Field manager of this operator's server-side apply requests. */
export const FIELD_MANAGER = '${project}';

/** The ConfigMap kept for a ${kind}. */
export function configMapNameOf(obj: ${kind}): string {
  return \`\${obj.metadata.name}-config\`;
}

/**
 * Keeps, for every ${kind}, a ConfigMap named \`<name>-config\` holding its message, and
 * reports it in the status. The ConfigMap is owned by the ${kind}, so the garbage
 * collector deletes it with its owner. The status is written only when it changes, so a
 * reconcile in steady state writes nothing but the (idempotent) apply of the ConfigMap.
 */
export class ${kind}Reconciler extends Reconciler<${kind}, Context> {
  override async reconcile(obj: ${kind}, ctx: Context, info: ReconcileInfo): Promise<Action> {
    const namespace = obj.metadata.namespace ?? 'default';
    const configMapName = configMapNameOf(obj);
    await Api.namespaced(ctx.client, resources.configMaps, namespace).patch(
      configMapName,
      Patch.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: configMapName, namespace, ownerReferences: [ownerRefTo(obj)] },
        data: { message: obj.spec.message },
      }),
      { fieldManager: FIELD_MANAGER, force: true, signal: info.signal },
    );

    const status = { observedGeneration: obj.metadata.generation ?? 0, configMapName };
    if (statusIs(obj, status)) return Action.awaitChange();
    // The cached object can lag behind this operator's own last status write: read the
    // current one before writing, so an unchanged status is never written again.
    const api = Api.namespaced(ctx.client, ${kind}, namespace);
    const current = await api.getOpt(obj.metadata.name ?? '', { signal: info.signal });
    if (current === undefined || statusIs(current, status)) return Action.awaitChange();
    await api.patchStatus(obj.metadata.name ?? '', Patch.merge({ status }), {
      signal: info.signal,
    });
    info.logger.info({ configMap: \`\${namespace}/\${configMapName}\` }, 'status updated');
    await ctx.recorder
      .publish(
        {
          type: 'Normal',
          reason: 'Synced',
          action: 'Reconcile',
          note: \`ConfigMap \${configMapName} holds generation \${status.observedGeneration}\`,
        },
        obj,
        { signal: info.signal },
      )
      .catch((error: unknown) => {
        // An Event is informational: failing to record one does not fail the reconcile.
        info.logger.info({ error: String(error) }, 'could not record an Event');
      });
    return Action.awaitChange();
  }
}

/** Whether \`obj\` already reports \`status\`. */
function statusIs(obj: ${kind}, status: { observedGeneration: number; configMapName: string }) {
  return (
    obj.status?.observedGeneration === status.observedGeneration &&
    obj.status?.configMapName === status.configMapName
  );
}
`;
}
