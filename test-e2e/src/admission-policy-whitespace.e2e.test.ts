/**
 * Differential: an admission policy's expressions with leading or trailing white space,
 * as kube-apiserver checks them when the policy is written. Match conditions and
 * mutations are compiled and quoted trimmed; variables, validations and message
 * expressions compiled and quoted as written; an audit annotation's value expression
 * compiled trimmed but quoted as written. Expressions, messages and message expressions
 * of white space only are refused with kube-apiserver's words.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;

beforeAll(async () => {
  e2e = await startE2e();
});

afterAll(() => e2e?.stop());

const GROUP = 'admissionregistration.k8s.io/v1';
const suffix = uniqueSuffix();
const matchConstraints = {
  resourceRules: [
    { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] },
  ],
};

/** The causes of a refused dry-run create of a policy of `kind` with `spec`. */
async function causesOf(kind: string, spec: object) {
  const resource = `${kind.toLowerCase().slice(0, -1)}ies`;
  const res = await raw(e2e.backend.kubeConfig, 'POST', `/apis/${GROUP}/${resource}`, {
    query: { dryRun: 'All' },
    body: {
      apiVersion: GROUP,
      kind,
      metadata: { name: `ws-${suffix}` },
      spec: { matchConstraints, ...spec },
    },
  });
  expect(res.status, res.text).toBe(422);
  return res.json().details.causes;
}

/** The cause of an undeclared `nope` at `field`: `quoted` is the value, `compiled` the text compiled. */
const undeclared = (field: string, quoted: string, compiled: string) => {
  const col = compiled.indexOf('nope') + 1;
  return {
    reason: 'FieldValueInvalid',
    field,
    message: `Invalid value: ${JSON.stringify(quoted)}: compilation failed: ERROR: <input>:1:${col}: undeclared reference to 'nope' (in container '')\n | ${compiled}\n | ${'.'.repeat(col - 1)}^`,
  };
};

test("a validating policy's expressions are trimmed where kube-apiserver trims them", async () => {
  const padded = '  nope == 1 ';
  const causes = await causesOf('ValidatingAdmissionPolicy', {
    matchConditions: [{ name: 'm', expression: padded }],
    variables: [{ name: 'v', expression: padded }],
    validations: [{ expression: padded }, { expression: 'true', messageExpression: ' nope ' }],
    auditAnnotations: [{ key: 'k', valueExpression: ' nope ' }],
  });
  expect(causes).toEqual([
    undeclared('spec.matchConditions[0].expression', 'nope == 1', 'nope == 1'),
    undeclared('spec.variables[0].expression', padded, padded),
    undeclared('spec.validations[0].expression', padded, padded),
    undeclared('spec.validations[1].messageExpression', ' nope ', ' nope '),
    undeclared('spec.auditAnnotations[0].valueExpression', ' nope ', 'nope'),
  ]);
});

test("a mutating policy's mutations are compiled and quoted trimmed", async () => {
  const causes = await causesOf('MutatingAdmissionPolicy', {
    reinvocationPolicy: 'Never',
    mutations: [
      { patchType: 'ApplyConfiguration', applyConfiguration: { expression: '\n nope ' } },
      { patchType: 'JSONPatch', jsonPatch: { expression: ' nope\n' } },
    ],
  });
  expect(causes).toEqual([
    undeclared('spec.mutations[0].applyConfiguration.expression', 'nope', 'nope'),
    undeclared('spec.mutations[1].jsonPatch.expression', 'nope', 'nope'),
  ]);
});

test('expressions and messages of white space only are refused', async () => {
  const causes = await causesOf('ValidatingAdmissionPolicy', {
    matchConditions: [{ name: 'm', expression: ' \n' }],
    variables: [{ name: 'v', expression: '  ' }],
    validations: [
      { expression: ' ' },
      { expression: 'true', messageExpression: ' ' },
      { expression: 'true', message: ' ' },
      { expression: 'true', message: 'two\nlines' },
    ],
  });
  expect(causes).toEqual([
    {
      reason: 'FieldValueRequired',
      field: 'spec.matchConditions[0].expression',
      message: 'Required value',
    },
    {
      reason: 'FieldValueRequired',
      field: 'spec.variables[0].expression',
      message: 'Required value: expression is not specified',
    },
    {
      reason: 'FieldValueRequired',
      field: 'spec.validations[0].expression',
      message: 'Required value: expression is not specified',
    },
    {
      reason: 'FieldValueInvalid',
      field: 'spec.validations[1].messageExpression',
      message: 'Invalid value: " ": must be non-empty if specified',
    },
    {
      reason: 'FieldValueInvalid',
      field: 'spec.validations[2].message',
      message: 'Invalid value: " ": must be non-empty if specified',
    },
    {
      reason: 'FieldValueInvalid',
      field: 'spec.validations[3].message',
      message: 'Invalid value: "two\\nlines": must not contain line breaks',
    },
  ]);
});
