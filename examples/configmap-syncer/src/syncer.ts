/**
 * The ConfigMap syncer: a ConfigMap labelled `sync.kube-ts.dev/enabled=true` is copied
 * into every namespace its annotation `sync.kube-ts.dev/to` lists (comma-separated),
 * and kept equal there. Copies carry the label `sync.kube-ts.dev/from=<ns>.<name>`.
 *
 * Owner references cannot cross namespaces, so the copies are related to their source
 * with `watches` and a mapper (an edited or deleted copy reconciles its source, which
 * restores it), and the source holds a finalizer that deletes the copies with it.
 */
import { Api, type Client, Patch } from '@kube-ts/client';
import { ApiError, type ObjectRef, resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { Action, Controller, finalizer, type ReconcileInfo, Reconciler } from '@kube-ts/runtime';
import type { Logger } from 'pino';

export const ENABLED = 'sync.kube-ts.dev/enabled';
export const TARGETS = 'sync.kube-ts.dev/to';
export const FROM = 'sync.kube-ts.dev/from';
export const FINALIZER = 'sync.kube-ts.dev/copies';
const FIELD_MANAGER = 'configmap-syncer';

/** The namespaces a source asks to be copied to. */
export function targetsOf(source: ConfigMap): string[] {
  const listed = source.metadata?.annotations?.[TARGETS] ?? '';
  return [...new Set(listed.split(',').map((ns) => ns.trim()))].filter(
    (ns) => ns !== '' && ns !== source.metadata?.namespace,
  );
}

/** The source a copy was made from (its `from` label, `<namespace>.<name>`). */
export function sourceOf(copy: ConfigMap): ObjectRef | undefined {
  const from = copy.metadata?.labels?.[FROM];
  const dot = from?.indexOf('.') ?? -1;
  if (!from || dot <= 0) return undefined;
  return { namespace: from.slice(0, dot), name: from.slice(dot + 1) };
}

/** Copies each source into its target namespaces; deletes the copies on deletion. */
export class SyncReconciler extends Reconciler<ConfigMap, { client: Client }> {
  override async reconcile(
    source: ConfigMap,
    { client }: { client: Client },
    info: ReconcileInfo,
  ): Promise<Action> {
    const api = Api.namespaced(client, resources.configMaps, source.metadata?.namespace ?? '');
    const from = `${source.metadata?.namespace}.${source.metadata?.name}`;
    const name = source.metadata?.name ?? '';
    const copies = (ns: string) => Api.namespaced(client, resources.configMaps, ns);
    return finalizer(
      api,
      FINALIZER,
      source,
      {
        apply: async (s) => {
          for (const ns of targetsOf(s)) {
            await copies(ns).patch(
              name,
              Patch.apply({
                apiVersion: 'v1',
                kind: 'ConfigMap',
                metadata: { name, namespace: ns, labels: { [FROM]: from } },
                data: { ...s.data },
              }),
              { fieldManager: FIELD_MANAGER, force: true, signal: info.signal },
            );
          }
          // Copies in namespaces no longer listed are removed.
          const stale = await Api.all(client, resources.configMaps).list({
            labelSelector: `${FROM}=${from}`,
            signal: info.signal,
          });
          const wanted = new Set(targetsOf(s));
          for (const copy of stale.items) {
            const ns = copy.metadata?.namespace ?? '';
            if (!wanted.has(ns)) await deleteCopy(copies(ns), name, info);
          }
          return Action.awaitChange();
        },
        cleanup: async () => {
          const existing = await Api.all(client, resources.configMaps).list({
            labelSelector: `${FROM}=${from}`,
            signal: info.signal,
          });
          for (const copy of existing.items) {
            await deleteCopy(copies(copy.metadata?.namespace ?? ''), name, info);
          }
          info.logger.info({ copies: existing.items.length, source: from }, 'deleted the copies');
          return Action.awaitChange();
        },
      },
      { signal: info.signal },
    );
  }
}

async function deleteCopy(api: Api<ConfigMap>, name: string, info: ReconcileInfo) {
  try {
    await api.delete(name, { signal: info.signal });
  } catch (error) {
    if (!(ApiError.is(error) && error.isNotFound())) throw error;
  }
}

/** The syncer's controller: sources in every namespace, and the copies mapped back to them. */
export function syncer(client: Client, logger: Logger): Controller<ConfigMap> {
  return new Controller(Api.all(client, resources.configMaps), { labelSelector: `${ENABLED}=true` })
    .watches(Api.all(client, resources.configMaps), { labelSelector: FROM }, sourceOf)
    .withConfig({ logger });
}
