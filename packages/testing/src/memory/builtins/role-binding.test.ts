import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { clusterRoleBindingRules, roleBindingRules } from './role-binding.js';

const ctx = { group: 'rbac.authorization.k8s.io', create: false };
const ref = (kind: string, name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });

describe('binding rules', () => {
  test('roleRef kinds: Role or ClusterRole in a RoleBinding, ClusterRole in a ClusterRoleBinding', () => {
    expect(roleBindingRules.validate!({ roleRef: ref('Role', 'r') }, ctx)).toEqual([]);
    expect(clusterRoleBindingRules.validate!({ roleRef: ref('Role', 'r') }, ctx)).toEqual([
      {
        reason: 'FieldValueNotSupported',
        message: 'Unsupported value: "Role": supported values: "ClusterRole"',
        field: 'roleRef.kind',
      },
    ]);
  });

  test('roleRef cannot change', () => {
    expect(
      roleBindingRules.validateUpdate!(
        { roleRef: ref('Role', 'b') },
        { roleRef: ref('Role', 'a') },
        ctx,
      ),
    ).toEqual([
      {
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: {"APIGroup":"rbac.authorization.k8s.io","Kind":"Role","Name":"b"}: cannot change roleRef',
        field: 'roleRef',
      },
    ]);
  });
});

describe('binding subjects', () => {
  const causes = (rules: typeof roleBindingRules, subjects: JsonObject[]) =>
    (rules.validate?.({ roleRef: ref('ClusterRole', 'view'), subjects }, ctx) ?? []).map(
      (c) => `${c.field}: ${c.message}`,
    );

  test('a ServiceAccount needs a DNS-subdomain name, no apiGroup, and a namespace in a ClusterRoleBinding', () => {
    expect(causes(roleBindingRules, [{ kind: 'ServiceAccount', name: 'default' }])).toEqual([]);
    expect(
      causes(clusterRoleBindingRules, [
        { kind: 'ServiceAccount', name: 'Bad_Name', apiGroup: 'rbac.authorization.k8s.io' },
      ]),
    ).toEqual([
      expect.stringMatching(
        /^subjects\[0\]\.name: Invalid value: "Bad_Name": a lowercase RFC 1123/,
      ),
      'subjects[0].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: ""',
      'subjects[0].namespace: Required value',
    ]);
  });

  test('a User or Group is in the RBAC group; other kinds are refused; a name is required', () => {
    expect(causes(roleBindingRules, [{ kind: 'User', apiGroup: 'x.io', name: 'u' }])).toEqual([
      'subjects[0].apiGroup: Unsupported value: "x.io": supported values: "rbac.authorization.k8s.io"',
    ]);
    expect(causes(roleBindingRules, [{ kind: 'Robot' }])).toEqual([
      'subjects[0].name: Required value',
      'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    ]);
  });

  test('roleRef.name is a path segment', () => {
    expect(
      roleBindingRules.validate?.({ roleRef: ref('Role', 'a/b%') }, ctx).map((c) => c.message),
    ).toEqual([
      `Invalid value: "a/b%": may not contain '/'`,
      `Invalid value: "a/b%": may not contain '%'`,
    ]);
  });
});
