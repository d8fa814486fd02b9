/**
 * The reaper's behaviour, checked from the outside while it runs: by its test against
 * MemoryApiServer and by test-e2e against a real kube-apiserver (where Pods are never
 * scheduled: there are no nodes, so deletion is immediate, as for any unscheduled Pod).
 */
import { Api, type Client, Patch } from '@kube-ts/client';
import { type Pod, pods } from '@kube-ts/k8s/core/v1';
import { expect } from 'vitest';
import { TTL } from './reaper.js';

const eventually = <T>(read: () => Promise<T>) =>
  expect.poll(read, { timeout: 60_000, interval: 100 });

function pod(name: string, ttl?: string): Pod {
  return {
    metadata: { name, ...(ttl === undefined ? {} : { annotations: { [TTL]: ttl } }) },
    spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10' }] },
  };
}

/** Expired Pods go, others stay until their time comes; a shortened TTL takes effect. */
export async function reaperScenario(client: Client, namespace: string): Promise<void> {
  const api = Api.namespaced(client, pods, namespace);
  await api.create(pod('short', '2s'));
  await api.create(pod('long', '1h'));
  await api.create(pod('none'));
  await api.create(pod('bad', 'soon'));

  await eventually(async () => api.getOpt('short')).toBeUndefined();
  for (const name of ['long', 'none', 'bad']) expect(await api.getOpt(name)).toBeDefined();

  // Shortening the TTL of a live Pod re-reconciles it with the new deadline.
  await api.patch('long', Patch.merge({ metadata: { annotations: { [TTL]: '1s' } } }));
  await eventually(async () => api.getOpt('long')).toBeUndefined();
  for (const name of ['none', 'bad']) expect(await api.getOpt(name)).toBeDefined();
}
