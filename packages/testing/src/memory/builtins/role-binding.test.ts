import { describe, expect, test } from 'vitest';
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
