import { describe, expect, test } from 'vitest';
import { evaluatePolicyExpression } from './policy.js';

describe('evaluatePolicyExpression', () => {
  const object = { metadata: { name: 'web' }, spec: { replicas: 2 } };

  test('JSON integers are ints; the Kubernetes library is there', () => {
    expect(evaluatePolicyExpression('object.spec.replicas > 1', { object })).toEqual({
      value: true,
    });
    expect(evaluatePolicyExpression("object.metadata.name.startsWith('w')", { object })).toEqual({
      value: true,
    });
  });

  test('variables are passed as computed', () => {
    const replicas = evaluatePolicyExpression('object.spec.replicas', { object });
    expect(replicas).toEqual({ value: 2n });
    const odd = evaluatePolicyExpression('variables.replicas % 2 == 1', {
      variables: { replicas: 2n },
    });
    expect(odd).toEqual({ value: false });
  });

  test('a type error or a syntax error is an error, not a throw', () => {
    const r = evaluatePolicyExpression("'got ' + object.spec.replicas", { object });
    expect('error' in r).toBe(true);
    expect('error' in evaluatePolicyExpression('object.spec.(', { object })).toBe(true);
  });
});
