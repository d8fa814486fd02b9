/**
 * The syncer's behaviour, checked from the outside while it runs: run by its test against
 * MemoryApiServer and by test-e2e against a real kube-apiserver.
 */
import { Api, type Client, Patch } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { expect } from 'vitest';
import { ENABLED, FROM, TARGETS } from './syncer.js';

/** Three existing namespaces: the source's and two targets. */
export interface ScenarioNamespaces {
  readonly source: string;
  readonly a: string;
  readonly b: string;
}

/** A bounded poll: long enough for a real API server on a busy machine. */
const eventually = <T>(read: () => Promise<T>) =>
  expect.poll(read, { timeout: 30_000, interval: 100 });

/** Copies follow their source: created, restored, moved, and deleted with it. */
export async function syncScenario(client: Client, ns: ScenarioNamespaces): Promise<void> {
  const source = Api.namespaced(client, resources.configMaps, ns.source);
  const inA = Api.namespaced(client, resources.configMaps, ns.a);
  const inB = Api.namespaced(client, resources.configMaps, ns.b);
  await source.create({
    metadata: {
      name: 'cfg',
      labels: { [ENABLED]: 'true' },
      annotations: { [TARGETS]: `${ns.a}, ${ns.b}` },
    },
    data: { k: 'v1' },
  });
  await eventually(async () => (await inA.getOpt('cfg'))?.data).toEqual({ k: 'v1' });
  await eventually(async () => (await inB.getOpt('cfg'))?.metadata?.labels?.[FROM]).toBe(
    `${ns.source}.cfg`,
  );

  // A copy edited or deleted by hand is restored from its source.
  await inA.patch('cfg', Patch.merge({ data: { k: 'tampered' } }));
  await inB.delete('cfg');
  await eventually(async () => (await inA.getOpt('cfg'))?.data).toEqual({ k: 'v1' });
  await eventually(async () => (await inB.getOpt('cfg'))?.data).toEqual({ k: 'v1' });

  // A namespace dropped from the list loses its copy; a change reaches the others.
  await source.patch(
    'cfg',
    Patch.merge({ metadata: { annotations: { [TARGETS]: ns.a } }, data: { k: 'v2' } }),
  );
  await eventually(async () => inB.getOpt('cfg')).toBeUndefined();
  await eventually(async () => (await inA.getOpt('cfg'))?.data).toEqual({ k: 'v2' });

  // Deleting the source deletes its copies first (finalizer), then the source.
  await source.delete('cfg');
  await eventually(async () => inA.getOpt('cfg')).toBeUndefined();
  await eventually(async () => source.getOpt('cfg')).toBeUndefined();
}
