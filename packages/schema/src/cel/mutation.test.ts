import { describe, expect, it } from 'vitest';
import { checkMutationExpression, evaluateMutation } from './mutation.js';

const NONE = { params: false, variables: {} };

describe('checkMutationExpression', () => {
  it("types a JSONPatch's literal fields as kube-apiserver does", () => {
    const check = (e: string) => checkMutationExpression(e, 'JSONPatch', NONE);
    expect(check("[JSONPatch{op: 'add', path: '/a,b', value: {'k': [1, 2]}}]")).toBeUndefined();
    expect(check("[JSONPatch{op: true, path: '/x'}]")).toMatch(
      /^compilation failed: ERROR: <input>:1:14: expected type of field 'op' is 'string' but provided type is 'bool'\n/,
    );
    expect(check("[JSONPatch{op: 'add', path: 1.5}]")).toMatch(
      /expected type of field 'path' is 'string' but provided type is 'double'/,
    );
    expect(check("[JSONPatch{op: 'add', x: 2}]")).toMatch(
      /expected type of field 'x' is '' but provided type is 'int'/,
    );
  });

  it("types a JSONPatch's computed fields too, when they check on their own", () => {
    const check = (e: string) => checkMutationExpression(e, 'JSONPatch', NONE);
    expect(check("[JSONPatch{op: 'add', path: object.metadata.name.size(), value: 1}]")).toMatch(
      /^compilation failed: ERROR: <input>:1:27: expected type of field 'path' is 'string' but provided type is 'int'\n/,
    );
    expect(check("[JSONPatch{op: 'add', path: [1], value: 1}]")).toMatch(
      /expected type of field 'path' is 'string' but provided type is 'list\(int\)'/,
    );
    // A dynamic value, or one naming a macro's variable, is left to run time.
    expect(check("[JSONPatch{op: object.kind, path: '/a', value: 1}]")).toBeUndefined();
    expect(
      check("object.data.map(k, JSONPatch{op: 'remove', path: '/data/' + k})"),
    ).toBeUndefined();
  });

  it('accepts objects for ApplyConfiguration and lists of JSONPatch for JSONPatch', () => {
    const apply = 'Object{metadata: Object.metadata{labels: {"a": object.metadata.name}}}';
    expect(checkMutationExpression(apply, 'ApplyConfiguration', NONE)).toBeUndefined();
    expect(checkMutationExpression('Object{nope: 1}', 'ApplyConfiguration', NONE)).toBeUndefined();
    const patch =
      ' has(object.data) ? [JSONPatch{op: "add", path: "/data/" + jsonpatch.escapeKey("a/b"), value: "x"}] : [] ';
    expect(checkMutationExpression(patch, 'JSONPatch', NONE)).toBeUndefined();
  });

  it("names the wrong result type as kube-apiserver's validation does", () => {
    expect(checkMutationExpression('"x"', 'ApplyConfiguration', NONE)).toBe(
      'must evaluate to Object but got string',
    );
    expect(checkMutationExpression('{"a": 1}', 'ApplyConfiguration', NONE)).toBe(
      'must evaluate to Object but got map(string, int)',
    );
    expect(checkMutationExpression('[]', 'JSONPatch', NONE)).toBe(
      'must evaluate to list(JSONPatch) but got list(dyn)',
    );
    expect(checkMutationExpression('[{"op": "add"}]', 'JSONPatch', NONE)).toBe(
      'must evaluate to list(JSONPatch) but got list(map(string, string))',
    );
  });

  it('reports compile errors at their place in the expression as written', () => {
    expect(checkMutationExpression('Object{spec: foo.bar}', 'ApplyConfiguration', NONE)).toBe(
      "compilation failed: ERROR: <input>:1:14: undeclared reference to 'foo' (in container '')\n" +
        ' | Object{spec: foo.bar}\n | .............^',
    );
  });

  it('declares params only when the policy has a paramKind', () => {
    const e = 'params.x == 1 ? Object{} : Object{}';
    expect(checkMutationExpression(e, 'ApplyConfiguration', NONE)).toMatch(
      /undeclared reference to 'params'/,
    );
    expect(
      checkMutationExpression(e, 'ApplyConfiguration', { params: true, variables: {} }),
    ).toBeUndefined();
  });
  it("a policy's variables are typed: an undeclared one does not compile, a typed one is checked", () => {
    const declared = { params: false, variables: { num: 'int' } };
    expect(
      checkMutationExpression(
        "Object{metadata: Object.metadata{labels: {'a': variables.nope}}}",
        'ApplyConfiguration',
        declared,
      ),
    ).toMatch(/^compilation failed: ERROR: <input>:1:57: undefined field 'nope'/);
    expect(
      checkMutationExpression(
        "[JSONPatch{op: 'add', path: '/a', value: variables.num + 'a'}]",
        'JSONPatch',
        declared,
      ),
    ).toMatch(/^compilation failed: ERROR: <input>:1:56: /);
  });
});

describe('evaluateMutation', () => {
  it('has jsonpatch.escapeKey', () => {
    const r = evaluateMutation(
      '[JSONPatch{op: "add", path: "/metadata/labels/" + jsonpatch.escapeKey("a/b~c"), value: "x"}]',
      {},
    );
    expect(r).toMatchObject({
      value: [{ op: 'add', path: '/metadata/labels/a~1b~0c', value: 'x' }],
    });
  });
});
