import { describe, expect, test } from 'vitest';
import { checkPolicyExpression, evaluatePolicyExpression, policyVariableType } from './policy.js';

describe('evaluatePolicyExpression', () => {
  const object = { metadata: { name: 'web' }, spec: { replicas: 2 } };

  test('JSON integers are ints; the Kubernetes library is there', () => {
    expect(evaluatePolicyExpression('object.spec.replicas > 1', { object })).toMatchObject({
      value: true,
    });
    expect(
      evaluatePolicyExpression("object.metadata.name.startsWith('w')", { object }),
    ).toMatchObject({
      value: true,
    });
  });

  test('variables are passed as computed', () => {
    const replicas = evaluatePolicyExpression('object.spec.replicas', { object });
    expect(replicas).toMatchObject({ value: 2n });
    const odd = evaluatePolicyExpression('variables.replicas % 2 == 1', {
      variables: { replicas: 2n },
    });
    expect(odd).toMatchObject({ value: false });
  });

  test('a type error or a syntax error is an error, not a throw', () => {
    const r = evaluatePolicyExpression("'got ' + object.spec.replicas", { object });
    expect('error' in r).toBe(true);
    expect('error' in evaluatePolicyExpression('object.spec.(', { object })).toBe(true);
  });
});

const POLICY = { params: false, variables: {} };

describe('checkPolicyExpression', () => {
  test('words refusals as kube-apiserver does when the configuration is written', () => {
    expect(checkPolicyExpression('nosuchvar == 1', 'bool', 'webhook')).toBe(
      "compilation failed: ERROR: <input>:1:1: undeclared reference to 'nosuchvar' (in container '')\n | nosuchvar == 1\n | ^",
    );
    // Compiled as given: the caller trims where kube-apiserver does.
    expect(checkPolicyExpression('  nosuchvar', 'any', 'webhook')).toBe(
      "compilation failed: ERROR: <input>:1:3: undeclared reference to 'nosuchvar' (in container '')\n |   nosuchvar\n | ..^",
    );
    expect(checkPolicyExpression(" 'x' ", 'bool', POLICY)).toBe(
      'must evaluate to bool but got string',
    );
    expect(checkPolicyExpression('1', 'string', POLICY)).toBe(
      'must evaluate to string but got int',
    );
    expect(checkPolicyExpression('object.spec.x', 'bool', POLICY)).toBe(
      'must evaluate to bool but got dyn',
    );
    expect(checkPolicyExpression('object.spec.x == 1', 'bool', POLICY)).toBeUndefined();
    expect(checkPolicyExpression('object.?spec', 'bool', POLICY)).toBe(
      'must evaluate to bool but got optional_type(dyn)',
    );
    expect(checkPolicyExpression('object.spec.filter(k, k == 1)', 'bool', POLICY)).toBe(
      'must evaluate to bool but got list(dyn)',
    );
    expect(checkPolicyExpression('[1]', 'any', POLICY)).toBeUndefined();
  });

  test('a webhook condition may not use the policy-only variables; both have the authorizer', () => {
    expect(checkPolicyExpression('params.x == 1', 'bool', 'webhook')).toContain(
      "undeclared reference to 'params'",
    );
    expect(checkPolicyExpression('params.x == 1', 'bool', { params: true })).toBeUndefined();
    expect(checkPolicyExpression('params.x == 1', 'bool', POLICY)).toContain(
      "undeclared reference to 'params'",
    );
    // A policy's matchConditions do not see its variables.
    expect(checkPolicyExpression('variables.x == 1', 'bool', { params: false })).toContain(
      "undeclared reference to 'variables'",
    );
    const authz = "authorizer.group('').resource('pods').check('get').allowed()";
    expect(checkPolicyExpression(authz, 'bool', 'webhook')).toBeUndefined();
    expect(
      checkPolicyExpression(
        "authorizer.requestResource.check('update').reason() == ''",
        'bool',
        POLICY,
      ),
    ).toBeUndefined();
    // No cel.bind: kube-apiserver's admission environments have no bindings extension.
    expect(checkPolicyExpression('cel.bind(x, 1, x == 1)', 'bool', 'webhook')).toContain(
      "1:1: undeclared reference to 'cel'",
    );
    expect(checkPolicyExpression('cel.bind(x, 1, x == 1)', 'bool', POLICY)).toContain(
      "1:9: undeclared reference to 'bind'",
    );
    // A messageExpression is compiled without it.
    expect(checkPolicyExpression(authz, 'bool', { ...POLICY, authorizer: false })).toContain(
      "undeclared reference to 'authorizer'",
    );
  });

  test("an auditAnnotation's value is a string or null, not dyn; declared variables are typed", () => {
    const vars = { params: false, variables: { ok: 'string', d: 'dyn' } };
    expect(checkPolicyExpression('variables.ok', 'string-or-null', vars)).toBeUndefined();
    expect(checkPolicyExpression('null', 'string-or-null', vars)).toBeUndefined();
    expect(checkPolicyExpression('variables.d', 'string-or-null', vars)).toBe(
      'must evaluate to one of [string null_type] but got dyn',
    );
    expect(checkPolicyExpression('variables.nope', 'any', vars)).toBe(
      "compilation failed: ERROR: <input>:1:10: undefined field 'nope'\n | variables.nope\n | .........^",
    );
    expect(policyVariableType("variables.ok + 'x'", vars)).toBe('string');
    expect(policyVariableType('variables.nope', vars)).toBe('dyn');
  });
});
