/** The webhook configuration resources, and cluster objects removed when a file ends. */
import { Api } from '@kube-ts/client';
import type { KubeObject } from '@kube-ts/core';
import { WebhookServer } from '@kube-ts/webhook';
import { pino } from 'pino';
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

/** A silent webhook server `name` on 127.0.0.1 (a free port), for `localhost` and `127.0.0.1`. */
export function localWebhookServer(name: string): WebhookServer {
  return new WebhookServer({
    name,
    host: '127.0.0.1',
    port: 0,
    hosts: ['localhost', '127.0.0.1'],
    logger: pino({ level: 'silent' }),
  });
}

/**
 * Starts `webhook` (stopped when `e2e` stops) and creates its validating and mutating
 * configurations, reaching it by its URL (removed when `e2e` stops).
 */
export async function serveWebhooks(e2e: E2eContext, webhook: WebhookServer): Promise<void> {
  const stop = new AbortController();
  const served = webhook.start(stop.signal);
  await webhook.whenListening();
  e2e.onStop(async () => {
    stop.abort();
    await served;
  });
  const m = webhook.manifests({ url: webhook.url });
  if (m.validating)
    await createCluster(e2e, Api.cluster(e2e.client, validatingConfigs), m.validating);
  if (m.mutating) await createCluster(e2e, Api.cluster(e2e.client, mutatingConfigs), m.mutating);
}
