import { describe, expect, it } from 'vitest';
import { type CelObjectType, typeCheckPolicyExpression } from './type-check.js';

const deployment: CelObjectType = {
  metadata: { name: 'string', labels: 'map<string, string>' },
  spec: { replicas: 'int', template: 'dyn' },
};

describe('typeCheckPolicyExpression', () => {
  it('accepts what checks against the type', () => {
    expect(typeCheckPolicyExpression('object.spec.replicas > 1', deployment)).toBeUndefined();
    expect(
      typeCheckPolicyExpression(
        "object.metadata.labels['a'] == oldObject.metadata.name",
        deployment,
      ),
    ).toBeUndefined();
    expect(typeCheckPolicyExpression('object.spec.template.x.y == 1', deployment)).toBeUndefined();
  });

  it("words an undefined field as cel-go, pointing at the field's dot", () => {
    expect(typeCheckPolicyExpression('object.spec.replicass > 1', deployment)).toBe(
      "ERROR: <input>:1:12: undefined field 'replicass'\n | object.spec.replicass > 1\n | ...........^",
    );
    expect(typeCheckPolicyExpression("'x' + object.spec.nope", deployment)).toBe(
      "ERROR: <input>:1:18: undefined field 'nope'\n | 'x' + object.spec.nope\n | .................^",
    );
  });

  it('words a missing overload as cel-go, pointing at the operator', () => {
    expect(typeCheckPolicyExpression("object.spec.replicas > 'a'", deployment)).toBe(
      "ERROR: <input>:1:22: found no matching overload for '_>_' applied to '(int, string)'\n | object.spec.replicas > 'a'\n | .....................^",
    );
  });
});
