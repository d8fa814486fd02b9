import { describe, expect, it } from 'vitest';
import { CelListOf, CelMapOf, type CelObjectType } from './object-types.js';
import { typeCheckPolicyExpression } from './type-check.js';

const deployment: CelObjectType = {
  metadata: { name: 'string', labels: 'map<string, string>' },
  spec: {
    replicas: 'int',
    template: 'dyn',
    containers: new CelListOf({ name: 'string', ports: new CelListOf({ port: 'int' }) }),
    volumes: new CelMapOf({ size: 'int' }),
    raw: {},
  },
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

  it("checks a list's items and a map's values, and an object without fields has none", () => {
    expect(
      typeCheckPolicyExpression(
        "object.spec.containers.all(c, c.name != '' && c.ports.all(p, p.port > 0))",
        deployment,
      ),
    ).toBeUndefined();
    expect(typeCheckPolicyExpression('object.spec.containers[0].image == 1', deployment)).toBe(
      "ERROR: <input>:1:26: undefined field 'image'\n | object.spec.containers[0].image == 1\n | .........................^",
    );
    expect(typeCheckPolicyExpression("object.spec.volumes['a'].size > 'x'", deployment)).toBe(
      "ERROR: <input>:1:31: found no matching overload for '_>_' applied to '(int, string)'\n | object.spec.volumes['a'].size > 'x'\n | ..............................^",
    );
    expect(typeCheckPolicyExpression('object.spec.raw.x == 1', deployment)).toBe(
      "ERROR: <input>:1:16: undefined field 'x'\n | object.spec.raw.x == 1\n | ...............^",
    );
    expect(
      typeCheckPolicyExpression(
        'object.spec.containers[0] == oldObject.spec.containers[0]',
        deployment,
      ),
    ).toBeUndefined();
  });
});

describe('typeCheckPolicyExpression with a paramKind type', () => {
  const configMap: CelObjectType = { data: new CelMapOf('string') };

  it('types params by it, as kube-apiserver types them from the paramKind', () => {
    expect(
      typeCheckPolicyExpression("params.data['a'] == object.metadata.name", deployment, configMap),
    ).toBeUndefined();
    expect(typeCheckPolicyExpression('params.dataa.size() > 0', deployment, configMap)).toBe(
      "ERROR: <input>:1:7: undefined field 'dataa'\n | params.dataa.size() > 0\n | ......^",
    );
    expect(typeCheckPolicyExpression("params.data['a'] > 1", deployment, configMap)).toBe(
      "ERROR: <input>:1:18: found no matching overload for '_>_' applied to '(string, int)'\n | params.data['a'] > 1\n | .................^",
    );
  });

  it('leaves params dynamic without it', () => {
    expect(typeCheckPolicyExpression('params.dataa > 1', deployment)).toBeUndefined();
  });
});

describe('typeCheckPolicyExpression: request, namespaceObject and variables', () => {
  it("types request and namespaceObject as kube-apiserver's hand-made types", () => {
    expect(
      typeCheckPolicyExpression(
        "request.userInfo.username != '' && namespaceObject.metadata.UID != ''",
        deployment,
      ),
    ).toBeUndefined();
    expect(typeCheckPolicyExpression('request.uid == 1', deployment)).toBe(
      "ERROR: <input>:1:8: undefined field 'uid'\n | request.uid == 1\n | .......^",
    );
  });

  it('types each variable by its expression, checked with the ones before it', () => {
    const variables = [
      { name: 'replicas', expression: 'object.spec.replicas' },
      { name: 'twice', expression: '[variables.replicas * 2]' },
      { name: 'spec', expression: 'object.spec' },
    ];
    expect(
      typeCheckPolicyExpression("variables.twice[0] == 'a'", deployment, undefined, variables),
    ).toBe(
      "ERROR: <input>:1:20: found no matching overload for '_==_' applied to '(int, string)'\n | variables.twice[0] == 'a'\n | ...................^",
    );
    expect(
      typeCheckPolicyExpression('variables.spec.nope == 1', deployment, undefined, variables),
    ).toBeUndefined();
    expect(typeCheckPolicyExpression('variables.nope == 1', deployment, undefined, variables)).toBe(
      "ERROR: <input>:1:10: undefined field 'nope'\n | variables.nope == 1\n | .........^",
    );
  });
});

describe("checkErrorText: every error, in cel-go's words", () => {
  it('lists every checking error by place, syntax errors alone', () => {
    expect(
      typeCheckPolicyExpression("object.spec.nope > 1 || object.spec.replicas == 'a'", deployment),
    ).toBe(
      [
        "ERROR: <input>:1:12: undefined field 'nope'",
        " | object.spec.nope > 1 || object.spec.replicas == 'a'",
        ' | ...........^',
        "ERROR: <input>:1:46: found no matching overload for '_==_' applied to '(int, string)'",
        " | object.spec.nope > 1 || object.spec.replicas == 'a'",
        ' | .............................................^',
      ].join('\n'),
    );
    expect(typeCheckPolicyExpression('object.spec.template.a.startsWith(1)', deployment)).toBe(
      "ERROR: <input>:1:34: found no matching overload for 'startsWith' applied to 'dyn.(int)'\n | object.spec.template.a.startsWith(1)\n | .................................^",
    );
    expect(typeCheckPolicyExpression('object.metadata.name.x == 1', deployment)).toBe(
      "ERROR: <input>:1:21: type 'string' does not support field selection\n | object.metadata.name.x == 1\n | ....................^",
    );
    expect(typeCheckPolicyExpression('object.spec replicas', deployment)).toBe(
      "ERROR: <input>:1:13: Syntax error: extraneous input 'replicas' expecting <EOF>\n | object.spec replicas\n | ............^",
    );
  });
});

describe('typeCheckPolicyExpression: type names', () => {
  const configMap: CelObjectType = { data: new CelMapOf('string') };
  const kinds = { object: 'Deployment', params: 'ConfigMap' };
  const applied = (expression: string) =>
    /applied to '\((.*)\)'/.exec(
      typeCheckPolicyExpression(expression, deployment, configMap, [], kinds) ?? '',
    )?.[1];

  it("names object and params after their kinds and the clock's nanoseconds, as kube-apiserver's status controller", () => {
    expect(applied('object.spec + 1 == 1')).toMatch(/^Deployment\d+\.spec, int$/);
    expect(applied('oldObject + 1 == 1')).toMatch(/^Deployment\d+, int$/);
    expect(applied('object.spec.containers[0] + 1 == 1')).toMatch(
      /^Deployment\d+\.spec\.containers\.@idx, int$/,
    );
    expect(applied('params + 1 == 1')).toMatch(/^ConfigMap\d+, int$/);
  });

  it('names them kubets.object and kubets.params without kinds', () => {
    expect(typeCheckPolicyExpression('object + 1 == 1', deployment)).toContain(
      "applied to '(kubets.object, int)'",
    );
  });
});
