import { Api, Client } from '@kube-ts/client';
import { type KubeObject, resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import type { ClusterTask } from '../protocol.js';

export type { ClusterTask };

/**
 * The kube-ts `Client` from the task's kubeconfig file, built as an operator builds it
 * (`Client.fromDefault`), so the measured process loads none of client-node's modules but
 * its kubeconfig parsers. kube-ts asks for gzip by default (as client-go does) and
 * MemoryApiServer compresses list pages above 128 KiB, so kube-ts decompresses what the
 * floor reads plain unless `KUBE_TS_BENCH_FLOOR_GZIP=1`;
 * `KUBE_TS_BENCH_DISABLE_COMPRESSION=1` measures kube-ts without (docs/performance.md).
 */
export function clientOf(task: ClusterTask): Client {
  return Client.fromDefault({
    path: task.kubeconfig,
    disableCompression: process.env.KUBE_TS_BENCH_DISABLE_COMPRESSION === '1',
  });
}

/** The kube-ts `Api` for the task's ConfigMaps, from its kubeconfig file. */
export function configMapApi(task: ClusterTask): Api<ConfigMap> {
  return Api.namespaced(clientOf(task), resources.configMaps, task.namespace);
}

/**
 * The kube-ts `Api` for what the task caches: its resource (default ConfigMaps) in its
 * namespace, through the metadata-only handle when `metadataOnly` is set.
 */
export function cachedApi(task: ClusterTask): Api<KubeObject> {
  const client = clientOf(task);
  const api: Api<KubeObject> =
    task.resource === 'pods'
      ? Api.namespaced(client, resources.pods, task.namespace)
      : Api.namespaced(client, resources.configMaps, task.namespace);
  return task.metadataOnly ? (api.metadata() as Api<KubeObject>) : api;
}
