import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import {
  mutatingAdmissionPolicyRules,
  validatingAdmissionPolicyRules,
} from './admission-configurations.js';

const ctx = { group: 'admissionregistration.k8s.io', create: true };

/** What every policy spec here has, as defaulted: a failure policy and match constraints. */
const head: JsonObject = {
  failurePolicy: 'Fail',
  matchConstraints: {
    matchPolicy: 'Equivalent',
    namespaceSelector: {},
    objectSelector: {},
    resourceRules: [
      { operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] },
    ],
  },
};

describe('validatingAdmissionPolicyRules', () => {
  test('checks matchConditions, variables, validations and messageExpressions in that order', () => {
    const causes = validatingAdmissionPolicyRules.validate?.(
      {
        spec: {
          ...head,
          validations: [{ expression: 'true', messageExpression: '1' }],
          variables: [{ name: 'v', expression: 'nope' }],
          matchConditions: [{ name: 'm', expression: "'x'" }],
        },
      },
      ctx,
    );
    expect(causes?.map((c) => c.field)).toEqual([
      'spec.matchConditions[0].expression',
      'spec.variables[0].expression',
      'spec.validations[0].messageExpression',
    ]);
    expect(causes?.[1]?.message).toContain("undeclared reference to 'nope'");
    expect(causes?.[2]?.message).toBe('Invalid value: "1": must evaluate to string but got int');
  });

  test('checks auditAnnotations: key, duplicates, value type; variables see the earlier ones', () => {
    const causes = validatingAdmissionPolicyRules.validate?.(
      {
        metadata: { name: 'p' },
        spec: {
          ...head,
          variables: [
            { name: 'a', expression: 'variables.b' },
            { name: 'b', expression: "'x'" },
          ],
          auditAnnotations: [
            { key: 'k', valueExpression: 'variables.b' },
            { key: 'bad key', valueExpression: 'variables.a' },
            { key: 'k', valueExpression: '' },
          ],
        },
      },
      ctx,
    );
    expect(causes?.map((c) => [c.field, c.reason])).toEqual([
      ['spec.variables[0].expression', 'FieldValueInvalid'],
      ['spec.auditAnnotations[1].key', 'FieldValueInvalid'],
      ['spec.auditAnnotations[1].valueExpression', 'FieldValueInvalid'],
      ['spec.auditAnnotations[2].valueExpression', 'FieldValueRequired'],
      ['spec.auditAnnotations[2].key', 'FieldValueDuplicate'],
    ]);
    expect(causes?.[0]?.message).toContain("undefined field 'b'");
    expect(causes?.[2]?.message).toContain(
      'must evaluate to one of [string null_type] but got dyn',
    );
  });
});

describe('mutatingAdmissionPolicyRules', () => {
  const validate = (spec: JsonObject) =>
    mutatingAdmissionPolicyRules.validate?.({ spec: { ...head, ...spec } }, ctx);

  test('accepts a policy whose mutations compile to what their patch type needs', () => {
    expect(
      validate({
        reinvocationPolicy: 'IfNeeded',
        mutations: [
          { patchType: 'ApplyConfiguration', applyConfiguration: { expression: 'Object{}' } },
          {
            patchType: 'JSONPatch',
            jsonPatch: { expression: '[JSONPatch{op: "remove", path: "/a"}]' },
          },
        ],
      }),
    ).toEqual([]);
  });

  test('refuses missing or wrong mutations and a missing reinvocationPolicy, on their fields', () => {
    expect(validate({ mutations: [] })).toEqual([
      {
        reason: 'FieldValueRequired',
        message: 'Required value: mutations must contain at least one item',
        field: 'spec.mutations',
      },
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.reinvocationPolicy' },
    ]);
    const causes = validate({
      reinvocationPolicy: 'Never',
      mutations: [
        { patchType: 'ApplyConfiguration', applyConfiguration: { expression: '"x"' } },
        { patchType: 'Merge' },
        { patchType: 'JSONPatch', jsonPatch: { expression: ' ' } },
      ],
    });
    expect(causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "\\"x\\"": must evaluate to Object but got string',
        field: 'spec.mutations[0].applyConfiguration.expression',
      },
      {
        reason: 'FieldValueNotSupported',
        message: 'Unsupported value: "Merge": supported values: "ApplyConfiguration", "JSONPatch"',
        field: 'spec.mutations[1].patchType',
      },
      {
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: 'spec.mutations[2].jsonPatch.expression',
      },
    ]);
  });
});

describe('policy specs', () => {
  test("are defaulted: failurePolicy Fail, the match constraints as a binding's", () => {
    const obj: JsonObject = {
      spec: { matchConstraints: { resourceRules: [{ operations: ['CREATE'] }] } },
    };
    validatingAdmissionPolicyRules.defaults?.(obj, true);
    expect(obj.spec).toEqual({
      failurePolicy: 'Fail',
      matchConstraints: {
        matchPolicy: 'Equivalent',
        namespaceSelector: {},
        objectSelector: {},
        resourceRules: [{ operations: ['CREATE'], scope: '*' }],
      },
    });
  });

  test('need validations or auditAnnotations, match constraints with a rule, known values', () => {
    const causes = validatingAdmissionPolicyRules.validate?.(
      {
        spec: {
          failurePolicy: 'Nope',
          paramKind: { apiVersion: 'v1/', kind: 'ConfigMap' },
          variables: [{ name: '1x', expression: 'true' }],
        },
      },
      ctx,
    );
    expect(causes?.map((c) => `${c.field}: ${c.message}`)).toEqual([
      'spec.failurePolicy: Unsupported value: "Nope": supported values: "Fail", "Ignore"',
      'spec.paramKind.apiVersion: Invalid value: "v1/": version must be specified',
      'spec.matchConstraints: Required value',
      'spec.variables[0].name: Invalid value: "1x": must be a valid CEL identifier',
      'spec.validations: Required value: validations or auditAnnotations must contain at least one item',
      'spec.auditAnnotations: Required value: validations or auditAnnotations must contain at least one item',
    ]);
  });
});
