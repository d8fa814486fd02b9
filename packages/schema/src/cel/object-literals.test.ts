import { describe, expect, it } from 'vitest';
import { evaluateMutation } from './mutation.js';
import { objectsAsMaps } from './object-literals.js';

describe('objectsAsMaps', () => {
  it('writes object construction as map literals, field names as keys, values as dyn', () => {
    expect(objectsAsMaps('Object{spec: Object.spec{replicas: 1337}}')).toBe(
      '{"spec":dyn( {"replicas":dyn( 1337)})}',
    );
    expect(objectsAsMaps('[JSONPatch{op: "add", path: "/a", value: x.y}]')).toBe(
      '[{"op":dyn( "add"), "path":dyn( "/a"), "value":dyn( x.y)}]',
    );
  });

  it('leaves map literals, strings, comments, `in` and member access alone', () => {
    const same = [
      '{"a": 1, "b": {"c": [1, 2]}}',
      'x in {"a": 1}',
      '"Object{a: 1}" + \'T{b: 2}\'',
      'object.spec.replicas > 1 ? {"k": 1} : {"k": 2} // Object{a: 1}',
      'r"raw{a: 1}" == b"x"',
    ];
    for (const e of same) expect(objectsAsMaps(e)).toBe(e);
  });

  it('keeps optional fields optional and map literals inside objects as they are', () => {
    expect(
      objectsAsMaps(
        'Object{metadata: Object.metadata{?labels: optional.none(), annotations: {"k": "v", "n": f(a, b)}}}',
      ),
    ).toBe(
      '{"metadata":dyn( {?"labels": optional.none(), "annotations":dyn( {"k": "v", "n": f(a, b)})})}',
    );
  });
});

describe('evaluateMutation', () => {
  it('gives the apply configuration as JSON', () => {
    const r = evaluateMutation(
      'Object{spec: Object.spec{replicas: object.spec.replicas + 1}, metadata: Object.metadata{annotations: {"by": "policy"}}}',
      { object: { spec: { replicas: 2 } } },
    );
    expect(r).toMatchObject({
      value: { spec: { replicas: 3 }, metadata: { annotations: { by: 'policy' } } },
    });
  });

  it('gives JSON Patch operations as JSON', () => {
    const r = evaluateMutation(
      '[JSONPatch{op: "add", path: "/metadata/labels/x", value: "y"}, JSONPatch{op: "replace", path: "/spec/replicas", value: 5}]',
      {},
    );
    expect(r).toMatchObject({
      value: [
        { op: 'add', path: '/metadata/labels/x', value: 'y' },
        { op: 'replace', path: '/spec/replicas', value: 5 },
      ],
    });
  });

  it('reports an expression that fails', () => {
    expect(evaluateMutation('Object{spec: object.nope.x}', { object: {} })).toHaveProperty('error');
  });
});
