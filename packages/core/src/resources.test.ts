import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { pods } from '@kube-ts/k8s/core/v1';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ApiResource } from './resource.js';
import { apiResource, resources } from './resources.js';

describe('resources', () => {
  it('has the built-ins with their group, version, plural and scope', () => {
    expect(resources.configMaps).toEqual({
      group: '',
      version: 'v1',
      kind: 'ConfigMap',
      plural: 'configmaps',
      namespaced: true,
    });
    expect(resources.namespaces.namespaced).toBe(false);
    expect(resources.customResourceDefinitions).toMatchObject({
      group: 'apiextensions.k8s.io',
      namespaced: false,
    });
    expect(resources.eventsV1).toMatchObject({ group: 'events.k8s.io', plural: 'events' });
    expect(resources.events).toMatchObject({ group: '', plural: 'events' });
    expect(resources.deployments.group).toBe('apps');
    expect(resources.statefulSets.plural).toBe('statefulsets');
    expect(resources.jobs.group).toBe('batch');
    expect(resources.leases.group).toBe('coordination.k8s.io');
    for (const name of ['secrets', 'services', 'serviceAccounts', 'pods'] as const) {
      expect(resources[name]).toMatchObject({ group: '', version: 'v1', namespaced: true });
    }
    expect(resources.tokenReviews).toMatchObject({
      group: 'authentication.k8s.io',
      plural: 'tokenreviews',
      namespaced: false,
    });
    expect(Object.keys(resources)).toHaveLength(14);
  });

  it('is typed with the generated wire types, is frozen, and is the generated descriptors', () => {
    expectTypeOf(resources.configMaps).toEqualTypeOf<ApiResource<ConfigMap>>();
    expect(resources.pods).toBe(pods);
    expect(Object.isFrozen(resources)).toBe(true);
    expect(Object.isFrozen(resources.pods)).toBe(true);
  });

  it('apiResource() builds a custom resource', () => {
    const r = apiResource({
      group: 'x.io',
      version: 'v1',
      kind: 'W',
      plural: 'ws',
      namespaced: true,
    });
    expect(r).toEqual({ group: 'x.io', version: 'v1', kind: 'W', plural: 'ws', namespaced: true });
  });
});
