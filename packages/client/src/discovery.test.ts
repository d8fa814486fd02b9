import { ApiError, resources } from '@kube-ts/core';
import type { CustomResourceDefinition } from '@kube-ts/k8s/apiextensions/v1';
import { useMemoryApiServer } from '@kube-ts/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { Api } from './api.js';
import { Client } from './client.js';
import { Discovery } from './discovery.js';

let requests = 0;

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) =>
  Client.fromKubeConfig(server.kubeConfig),
);

beforeAll(async () => {
  const original = env.client.request.bind(env.client);
  env.client.request = (o) => {
    if (o.path.startsWith('/api')) requests++;
    return original(o);
  };
});

/** Typed loosely: the wire name `x-kubernetes-preserve-unknown-fields` is not client-node's model name. */
const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    ],
  },
} as unknown as CustomResourceDefinition;

describe('Discovery', () => {
  it('resolves built-in kinds to what resources.* says, from cache the second time', async () => {
    const d = new Discovery(env.client);
    expect(await d.resolve({ group: 'apps', version: 'v1', kind: 'Deployment' })).toEqual(
      resources.deployments,
    );
    expect(await d.resolve({ group: '', version: 'v1', kind: 'Namespace' })).toEqual(
      resources.namespaces,
    );
    const before = requests;
    expect(await d.resolve({ group: '', version: 'v1', kind: 'ConfigMap' })).toEqual(
      resources.configMaps,
    );
    expect(requests).toBe(before);
  });

  it('refreshes on a miss, so a CRD installed later is found', async () => {
    const d = new Discovery(env.client);
    const gvk = { group: 'example.com', version: 'v1', kind: 'Widget' };
    const err = await d.resolve(gvk).catch((e: unknown) => e);
    expect(ApiError.is(err) && err.isNotFound()).toBe(true);
    expect((err as Error).message).toMatch(
      /no resource of kind Widget in example.com\/v1; install its CustomResourceDefinition/,
    );
    await Api.cluster(env.client, resources.customResourceDefinitions).create(widgetCrd);
    expect(await d.resolve(gvk)).toEqual({
      group: 'example.com',
      version: 'v1',
      kind: 'Widget',
      plural: 'widgets',
      namespaced: true,
    });
  });

  it('resolveOpt gives undefined for an unknown kind in a known group', async () => {
    const d = new Discovery(env.client);
    expect(await d.resolveOpt({ group: 'apps', version: 'v1', kind: 'Nope' })).toBeUndefined();
  });

  it('shares one fetch between concurrent lookups', async () => {
    const d = new Discovery(env.client);
    const before = requests;
    await Promise.all([
      d.resolve({ group: 'batch', version: 'v1', kind: 'Job' }),
      d.resolve({ group: 'batch', version: 'v1', kind: 'Job' }),
    ]);
    expect(requests - before).toBe(1);
  });
});
