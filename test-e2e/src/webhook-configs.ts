/** The webhook configuration resources, and cluster objects removed when a file ends. */
import type { Api } from '@kube-ts/client';
import type { KubeObject } from '@kube-ts/core';
import { type E2eContext, ignoreNotFound } from './support.js';

/** admissionregistration.k8s.io/v1 ValidatingWebhookConfigurations. */
export const validatingConfigs = {
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  kind: 'ValidatingWebhookConfiguration',
  plural: 'validatingwebhookconfigurations',
  namespaced: false,
} as const;

/** admissionregistration.k8s.io/v1 MutatingWebhookConfigurations. */
export const mutatingConfigs = {
  ...validatingConfigs,
  kind: 'MutatingWebhookConfiguration',
  plural: 'mutatingwebhookconfigurations',
} as const;

/** Creates a cluster object that `e2e.stop()` removes. */
export async function createCluster<K extends KubeObject>(
  e2e: E2eContext,
  api: Api<K>,
  obj: K,
): Promise<K> {
  const out = await api.create(obj);
  e2e.onStop(() => api.delete(String(obj.metadata?.name)).catch(ignoreNotFound));
  return out;
}
