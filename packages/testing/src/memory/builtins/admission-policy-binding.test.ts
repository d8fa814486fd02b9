import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import {
  mutatingAdmissionPolicyBindingRules,
  ruleWithOperationsCauses,
  validatingAdmissionPolicyBindingRules,
} from './admission-policy-binding.js';

const ctx = { group: 'admissionregistration.k8s.io', create: true };
const lines = (causes: { field?: string; message?: string }[] | undefined) =>
  (causes ?? []).map((c) => `${c.field}: ${c.message}`);

describe('admission policy bindings', () => {
  it('defaults matchResources and the scope of its rules', () => {
    const b: JsonObject = { spec: { matchResources: { excludeResourceRules: [{}] } } };
    validatingAdmissionPolicyBindingRules.defaults?.(b, true);
    expect(b.spec).toEqual({
      matchResources: {
        matchPolicy: 'Equivalent',
        namespaceSelector: {},
        objectSelector: {},
        excludeResourceRules: [{ scope: '*' }],
      },
    });
  });

  it('checks resource wildcards of a rule', () => {
    const rule = {
      operations: ['*'],
      apiGroups: [''],
      apiVersions: ['v1'],
      resources: ['a/*', 'a/b'],
    };
    expect(lines(ruleWithOperationsCauses(rule, 'r'))).toEqual([
      `r.resources[1]: Invalid value: "a/b": if 'a/*' is present, must not specify a/b`,
    ]);
  });

  it('needs a policy name, actions, and a name or selector in paramRef', () => {
    const b: JsonObject = { spec: { paramRef: { parameterNotFoundAction: 'Deny' } } };
    expect(lines(validatingAdmissionPolicyBindingRules.validate?.(b, ctx))).toEqual([
      'spec.policyName: Required value',
      'spec.paramRef: Required value: one of name or selector must be specified',
      'spec.validationActions: Required value: at least one validation action is required',
    ]);
  });

  it('refuses operations a mutating policy cannot act on', () => {
    const rule = {
      operations: ['DELETE'],
      apiGroups: [''],
      apiVersions: ['v1'],
      resources: ['pods'],
    };
    const b: JsonObject = { spec: { policyName: 'p', matchResources: { resourceRules: [rule] } } };
    mutatingAdmissionPolicyBindingRules.defaults?.(b, true);
    expect(lines(mutatingAdmissionPolicyBindingRules.validate?.(b, ctx))).toEqual([
      'spec.matchResources.resourceRules.operations: Unsupported value: "DELETE": supported values: "*", "CONNECT", "CREATE", "UPDATE"',
    ]);
  });
});
