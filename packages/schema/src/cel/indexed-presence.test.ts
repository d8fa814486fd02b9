import { describe, expect, it } from 'vitest';
import { checkPolicyExpression, evaluatePolicyExpression } from './policy.js';

const POLICY = { params: false, variables: {} };

describe('allowIndexedPresenceTests', () => {
  it('lets has() test a field of an indexed value, as cel-go does', () => {
    expect(checkPolicyExpression("has(object.m['a'].v)", 'bool', POLICY)).toBeUndefined();
    const object = { m: { a: { v: 1 }, b: {} }, l: [{ n: 1 }] };
    expect(evaluatePolicyExpression("has(object.m['a'].v)", { object })).toMatchObject({
      value: true,
    });
    expect(evaluatePolicyExpression("has(object.m['b'].v)", { object })).toMatchObject({
      value: false,
    });
    expect(
      evaluatePolicyExpression('object.l.all(i, has(i.n)) && has(object.l[0].n)', { object }),
    ).toMatchObject({ value: true });
  });

  it('still refuses what is not a field selection', () => {
    expect(checkPolicyExpression('has(object.m[object.k])', 'bool', POLICY)).toContain(
      'invalid argument to has() macro',
    );
  });
});
