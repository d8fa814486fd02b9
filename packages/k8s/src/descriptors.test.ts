import { describe, expect, it } from 'vitest';
import { customResourceDefinitions } from './apiextensions/v1.js';
import { deployments } from './apps/v1.js';
import { tokenReviews } from './authentication/v1.js';
import { leases } from './coordination/v1.js';
import { configMaps, events, namespaces, nodes, persistentVolumeClaims, pods } from './core/v1.js';
import { events as eventsV1 } from './events/v1.js';
import { clusterRoles, roleBindings } from './rbac/v1.js';

describe('the generated descriptors', () => {
  it('address each kind by group, version, plural and scope as kube-apiserver serves it', () => {
    expect(pods).toEqual({
      group: '',
      version: 'v1',
      kind: 'Pod',
      plural: 'pods',
      namespaced: true,
    });
    expect(configMaps).toMatchObject({ kind: 'ConfigMap', plural: 'configmaps', namespaced: true });
    expect(persistentVolumeClaims).toMatchObject({ plural: 'persistentvolumeclaims' });
    expect(nodes).toMatchObject({ group: '', kind: 'Node', plural: 'nodes', namespaced: false });
    expect(namespaces).toMatchObject({ kind: 'Namespace', namespaced: false });
    expect(events).toMatchObject({ group: '', kind: 'Event', namespaced: true });
    expect(eventsV1).toMatchObject({ group: 'events.k8s.io', version: 'v1', kind: 'Event' });
    expect(deployments).toMatchObject({ group: 'apps', plural: 'deployments', namespaced: true });
    expect(leases).toMatchObject({ group: 'coordination.k8s.io', namespaced: true });
    expect(tokenReviews).toMatchObject({
      group: 'authentication.k8s.io',
      kind: 'TokenReview',
      plural: 'tokenreviews',
      namespaced: false,
    });
    expect(clusterRoles).toMatchObject({ group: 'rbac.authorization.k8s.io', namespaced: false });
    expect(roleBindings).toMatchObject({ kind: 'RoleBinding', namespaced: true });
    expect(customResourceDefinitions).toMatchObject({
      group: 'apiextensions.k8s.io',
      namespaced: false,
    });
  });

  it('are frozen', () => {
    expect(Object.isFrozen(pods)).toBe(true);
    expect(() => {
      (pods as { plural: string }).plural = 'x';
    }).toThrow(TypeError);
  });
});
