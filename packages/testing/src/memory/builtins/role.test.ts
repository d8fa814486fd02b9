import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { clusterRoleRules, roleRules } from './role.js';

const ctx = { group: 'rbac.authorization.k8s.io', create: true };
const causes = (rules: typeof roleRules, obj: JsonObject) =>
  (rules.validate?.(obj, ctx) ?? []).map((c) => `${c.field}: ${c.message}`);

describe('Role and ClusterRole rules', () => {
  test('a resource rule needs verbs, apiGroups and resources', () => {
    expect(
      causes(roleRules, { rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] }),
    ).toEqual([]);
    expect(causes(roleRules, { rules: [{}] })).toEqual([
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[0].resources: Required value: resource rules must supply at least one resource',
    ]);
  });

  test('non-resource URLs: only in ClusterRoles, never with resources', () => {
    const rule = { verbs: ['get'], nonResourceURLs: ['/healthz'], resources: ['pods'] };
    expect(causes(roleRules, { rules: [rule] })).toEqual([
      'rules[0].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs',
      'rules[0].nonResourceURLs: Invalid value: ["/healthz"]: rules cannot apply to both regular resources and non-resource URLs',
    ]);
    expect(
      causes(clusterRoleRules, { rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] }),
    ).toEqual([]);
  });

  test('an aggregationRule needs valid selectors', () => {
    expect(causes(clusterRoleRules, { aggregationRule: {} })).toEqual([
      'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
    ]);
    expect(
      causes(clusterRoleRules, {
        aggregationRule: {
          clusterRoleSelectors: [{ matchExpressions: [{ key: 'a', operator: 'Is' }] }],
        },
      }),
    ).toEqual([
      'aggregationRule.clusterRoleSelectors[0].matchExpressions[0].operator: Invalid value: "Is": not a valid selector operator',
      'aggregationRule.clusterRoleSelectors[0]: Invalid value: null: invalid label selector.',
    ]);
  });
});
