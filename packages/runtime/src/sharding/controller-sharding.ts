/**
 * What a sharded controller is given by its replica: the label selector of the replica's
 * shard, and the drain handshake around its reconciler.
 */
import { Api, Patch } from '@kube-ts/client';
import { type KubeObject, renderSelector, type SelectorLike } from '@kube-ts/core';
import type { CacheOptions, CacheSource } from '../cache/source.js';
import { Action } from '../controller/action.js';
import type { ReconcileInfo } from '../controller/reconciler.js';
import { Reconciler } from '../controller/reconciler.js';
import type { WatcherConfig } from '../watcher/watcher.js';
import type { ShardLabels } from './labels.js';

/**
 * One watched resource of a sharded controller, with the label and field selectors the
 * controller watches it with: the sharder assigns exactly the objects the controller
 * would see, never others (e.g. `kube-root-ca.crt` next to a controller's ConfigMaps).
 */
export interface ShardedSource {
  readonly source: CacheSource<KubeObject>;
  readonly labelSelector?: WatcherConfig['labelSelector'];
  readonly fieldSelector?: WatcherConfig['fieldSelector'];
}

/** The sources of one sharded controller: its main resource and the resources it owns. */
export interface ShardedSources {
  readonly main: ShardedSource;
  readonly owned: readonly ShardedSource[];
}

/** `config`'s selectors, for the sharder's watch of `source`. */
export function shardedSource(
  source: CacheSource<KubeObject>,
  config: WatcherConfig,
): ShardedSource {
  return {
    source,
    ...(config.labelSelector === undefined ? {} : { labelSelector: config.labelSelector }),
    ...(config.fieldSelector === undefined ? {} : { fieldSelector: config.fieldSelector }),
  };
}

/**
 * How a controller runs as one shard of a ring (`Controller.withSharding`; the `Manager`
 * sets it for every controller when it has `sharding` options).
 */
export interface ControllerSharding {
  /** The ring's labels. */
  readonly labels: ShardLabels;
  /** This replica's shard. */
  readonly identity: string;
  /** Tells the sharder which resources the controller's objects are (called when the sharder starts). */
  register(sources: () => ShardedSources): void;
}

/** `config` narrowed to the objects of shard `identity` (its label selector and the shard's, both). */
export function shardConfig<C extends CacheOptions>(
  config: C,
  sharding: Pick<ControllerSharding, 'labels' | 'identity'>,
): C {
  const own = `${sharding.labels.shard}=${sharding.identity}`;
  const theirs = renderSelector(config.labelSelector as SelectorLike | undefined);
  return { ...config, labelSelector: theirs ? `${theirs},${own}` : own };
}

/** A handle on `obj` through the same client and resource as `source` (an `Api`). */
export function objectHandle(source: CacheSource<KubeObject>, obj: KubeObject): Api<KubeObject> {
  if (!(source instanceof Api)) {
    throw new TypeError(
      `sharding: the sources of a sharded controller must be Api handles of @kube-ts/client (${source.resource.plural} is not)`,
    );
  }
  const namespace = obj.metadata?.namespace;
  const handle = source.resource.namespaced
    ? Api.namespaced(source.client, source.resource, namespace ?? '')
    : Api.cluster(source.client, source.resource);
  return handle as Api<KubeObject>;
}

/**
 * Writes `labels` (a `null` value removes one) onto `obj`, only if it has not changed since
 * it was read (its resourceVersion; 409 otherwise).
 */
export async function patchLabels(
  source: CacheSource<KubeObject>,
  obj: KubeObject,
  labels: Readonly<Record<string, string | null>>,
  signal?: AbortSignal,
): Promise<void> {
  const name = obj.metadata?.name ?? '';
  await objectHandle(source, obj).patch(
    name,
    Patch.merge({ metadata: { resourceVersion: obj.metadata?.resourceVersion, labels } }),
    { signal },
  );
}

/**
 * The drain handshake on the shard's side: an object that carries the ring's drain label is
 * not reconciled; instead the shard lets go of it by removing the shard and drain labels
 * (guarded by its resourceVersion). It runs in the object's reconcile slot, so it happens
 * only after the object's reconcile in progress, if any, has finished — the sharder then
 * assigns it to its new shard.
 */
export class DrainingReconciler<K extends KubeObject, Ctx> extends Reconciler<K, Ctx> {
  readonly #inner: Reconciler<K, Ctx>;
  readonly #source: CacheSource<K>;
  readonly #labels: ShardLabels;

  /** Wraps `inner`, the reconciler of the objects of `source` in the ring of `labels`. */
  constructor(inner: Reconciler<K, Ctx>, source: CacheSource<K>, labels: ShardLabels) {
    super();
    this.#inner = inner;
    this.#source = source;
    this.#labels = labels;
    this.timeoutMs = inner.timeoutMs;
  }

  override async reconcile(obj: K, ctx: Ctx, info: ReconcileInfo): Promise<Action> {
    if (obj.metadata?.labels?.[this.#labels.drain] === undefined) {
      return this.#inner.reconcile(obj, ctx, info);
    }
    await patchLabels(
      this.#source as CacheSource<KubeObject>,
      obj,
      { [this.#labels.shard]: null, [this.#labels.drain]: null },
      info.signal,
    );
    return Action.awaitChange();
  }

  override errorPolicy(obj: K, error: unknown, ctx: Ctx): Action {
    if (obj.metadata?.labels?.[this.#labels.drain] !== undefined) return Action.backoff();
    return this.#inner.errorPolicy(obj, error, ctx);
  }
}
