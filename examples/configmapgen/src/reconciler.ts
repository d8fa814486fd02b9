/** The ConfigMapGenerator reconciler: writes the ConfigMap, status, events; cleans up. */
import { Api, type Client, Patch } from '@kube-ts/client';
import { ApiError, ObjectRef, ownerRefTo, resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { Action, finalizer, type ReconcileInfo, Reconciler, type Recorder } from '@kube-ts/runtime';
import { ConfigMapGenerator, type ConfigMapGeneratorStatus } from './resource.js';

/** The finalizer that makes deletion wait for {@link ConfigMapGeneratorReconciler} cleanup. */
export const FINALIZER = 'examples.kube-ts.dev/cleanup';
/** The field manager of everything the operator writes. */
export const FIELD_MANAGER = 'configmapgen';
/** Label on every generated ConfigMap (the operator watches only these). */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': FIELD_MANAGER } as const;

/** What the reconciler needs: a client and an event recorder. */
export interface Context {
  readonly client: Client;
  readonly recorder: Recorder;
}

/** The name of the ConfigMap generated for a generator. */
export function configMapNameOf(gen: ConfigMapGenerator): string {
  return `${gen.metadata.name}-generated`;
}

/**
 * Reconciles one ConfigMapGenerator:
 * - holds the {@link FINALIZER} so that deletion runs cleanup first;
 * - writes `<name>-generated` with server-side apply (content, labels, an owner reference
 *   so the garbage collector also removes it);
 * - when something changed, records an Event and writes `status` (observedGeneration,
 *   configMapName, a `Ready` condition); in steady state it writes nothing;
 * - on deletion deletes the ConfigMap and records an Event.
 */
export class ConfigMapGeneratorReconciler extends Reconciler<ConfigMapGenerator, Context> {
  async reconcile(gen: ConfigMapGenerator, ctx: Context, info: ReconcileInfo): Promise<Action> {
    const api = Api.namespaced(ctx.client, ConfigMapGenerator, gen.metadata.namespace ?? 'default');
    return finalizer(api, FINALIZER, gen, {
      apply: (g) => this.#apply(g, ctx, info),
      cleanup: (g) => this.#cleanup(g, ctx, info),
    });
  }

  async #apply(gen: ConfigMapGenerator, ctx: Context, info: ReconcileInfo): Promise<Action> {
    const namespace = gen.metadata.namespace ?? 'default';
    const configMaps = Api.namespaced(ctx.client, resources.configMaps, namespace);
    const name = configMapNameOf(gen);
    const desired: ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name,
        namespace,
        labels: {
          ...gen.spec.labels,
          ...MANAGED_BY,
          'examples.kube-ts.dev/generator': gen.metadata.name ?? '',
        },
        ownerReferences: [ownerRefTo(gen)],
      },
      data: { ...gen.spec.content },
    };
    const before = await configMaps.getOpt(name);
    const written = await configMaps.patch(name, Patch.apply(desired), {
      fieldManager: FIELD_MANAGER,
      force: true,
    });
    const changed = before?.metadata?.resourceVersion !== written.metadata?.resourceVersion;
    if (changed) {
      const keys = Object.keys(desired.data ?? {}).length;
      info.logger.info(
        { configMap: `${namespace}/${name}`, keys },
        before === undefined ? 'created ConfigMap' : 'updated ConfigMap',
      );
      await publishQuietly(ctx, info, gen, {
        type: 'Normal',
        reason: before === undefined ? 'ConfigMapCreated' : 'ConfigMapUpdated',
        action: 'Reconcile',
        note: `ConfigMap ${name} written with ${keys} key(s)`,
        related: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name,
          namespace,
          uid: written.metadata?.uid ?? '',
        },
      });
    }
    await this.#writeStatus(gen, name, ctx, info);
    // A periodic resync catches drift that no watch event reports.
    return Action.requeue(10 * 60_000);
  }

  /**
   * Writes `status` unless it already describes this generation. The cached object may
   * lag behind our own last status write, so an outdated-looking status is checked
   * against a fresh read before writing (no duplicate writes, no log noise).
   */
  async #writeStatus(
    gen: ConfigMapGenerator,
    configMapName: string,
    ctx: Context,
    info: ReconcileInfo,
  ) {
    const generation = gen.metadata.generation ?? 0;
    if (statusIsCurrent(gen, generation, configMapName)) return;
    const namespace = gen.metadata.namespace ?? 'default';
    const api = Api.namespaced(ctx.client, ConfigMapGenerator, namespace);
    const fresh = await api.getOpt(gen.metadata.name ?? '');
    if (fresh === undefined || statusIsCurrent(fresh, generation, configMapName)) return;
    const ready = fresh.status?.conditions?.find((c) => c.type === 'Ready');
    const status: ConfigMapGeneratorStatus = {
      observedGeneration: generation,
      configMapName,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Generated',
          message: `ConfigMap ${configMapName} matches generation ${generation}`,
          observedGeneration: generation,
          lastTransitionTime:
            ready?.status === 'True' && ready.lastTransitionTime
              ? ready.lastTransitionTime
              : new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        },
      ],
    };
    await api.patchStatus(gen.metadata.name ?? '', Patch.merge({ status }));
    info.logger.info({ generation }, 'status updated');
  }

  async #cleanup(gen: ConfigMapGenerator, ctx: Context, info: ReconcileInfo): Promise<Action> {
    const namespace = gen.metadata.namespace ?? 'default';
    const name = gen.status?.configMapName ?? configMapNameOf(gen);
    const configMaps = Api.namespaced(ctx.client, resources.configMaps, namespace);
    try {
      await configMaps.delete(name);
      info.logger.info({ configMap: `${namespace}/${name}` }, 'deleted ConfigMap (cleanup)');
    } catch (error) {
      if (!(ApiError.is(error) && error.isNotFound())) throw error;
    }
    await publishQuietly(ctx, info, gen, {
      type: 'Normal',
      reason: 'CleanedUp',
      action: 'Finalize',
      note: `ConfigMap ${name} deleted; removing finalizer ${FINALIZER}`,
    });
    return Action.awaitChange();
  }

  /** Records a Warning event, then backs off as usual. */
  override errorPolicy(gen: ConfigMapGenerator, error: unknown, ctx: Context): Action {
    const message = error instanceof Error ? error.message : String(error);
    ctx.recorder
      .publish(
        {
          type: 'Warning',
          reason: 'ReconcileFailed',
          action: 'Reconcile',
          note: message.slice(0, 1000),
        },
        gen,
      )
      .catch(() => {
        // The failure itself is logged by the controller; a lost event is not worth more.
      });
    return super.errorPolicy(gen, error, ctx);
  }
}

/** Whether `gen.status` already reports `generation` as Ready with this ConfigMap. */
function statusIsCurrent(
  gen: ConfigMapGenerator,
  generation: number,
  configMapName: string,
): boolean {
  const ready = gen.status?.conditions?.find((c) => c.type === 'Ready');
  return (
    (gen.status?.observedGeneration ?? -1) >= generation &&
    gen.status?.configMapName === configMapName &&
    ready?.status === 'True'
  );
}

/** Publishes an event; a failure to record it is logged and does not fail the reconcile. */
async function publishQuietly(
  ctx: Context,
  info: ReconcileInfo,
  gen: ConfigMapGenerator,
  event: Parameters<Recorder['publish']>[0],
): Promise<void> {
  try {
    await ctx.recorder.publish(event, gen);
  } catch (error) {
    info.logger.warn(
      {
        object: ObjectRef.key(ObjectRef.from(gen)),
        error: error instanceof Error ? error.message : String(error),
      },
      'could not record an event',
    );
  }
}
