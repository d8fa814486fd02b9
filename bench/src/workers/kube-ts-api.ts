import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { KubeConfig } from '@kubernetes/client-node';
import type { Task } from '../protocol.js';

/** A task that runs against a cluster. */
export type ClusterTask = Exclude<Task, { kind: 'scheduler' }>;

/** The kube-ts `Api` for the task's ConfigMaps, from its kubeconfig file. */
export function configMapApi(task: ClusterTask): Api<ConfigMap> {
  const kc = new KubeConfig();
  kc.loadFromFile(task.kubeconfig);
  return Api.namespaced(Client.fromKubeConfig(kc), resources.configMaps, task.namespace);
}
