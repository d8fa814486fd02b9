import type { ResourceType } from '../resource-types.js';
import type { AdmissionAttributes } from './matching.js';

/** A namespaced custom resource served at v1 and v1alpha1, for the admission tests. */
export const gizmos: ResourceType = {
  group: 'example.com',
  versions: ['v1', 'v1alpha1'],
  kind: 'Gizmo',
  listKind: 'GizmoList',
  plural: 'gizmos',
  singular: 'gizmo',
  namespaced: true,
  shortNames: [],
  categories: [],
  status: true,
  generation: true,
  builtin: false,
};

/** A CREATE of gizmo `g` in `team-a` (labelled `tier: gold`) by alice, with `extra` over it. */
export function attrs(extra: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return {
    operation: 'CREATE',
    t: gizmos,
    version: 'v1',
    namespace: 'team-a',
    name: 'g',
    subresource: '',
    object: { metadata: { labels: { tier: 'gold' } } },
    oldObject: undefined,
    dryRun: false,
    options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
    user: { username: 'alice', groups: ['system:authenticated'] },
    ...extra,
  };
}
