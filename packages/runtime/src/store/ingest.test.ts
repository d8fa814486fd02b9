import type { KubeObject } from '@kube-ts/core';
import { describe, expect, it } from 'vitest';
import { deepFreeze, dropManagedFields, freezeObject, keepAll } from './ingest.js';

describe('ingest helpers', () => {
  it('dropManagedFields copies only when there is something to drop, and never mutates', () => {
    const plain: KubeObject = { metadata: { name: 'a' } };
    expect(dropManagedFields(plain)).toBe(plain);
    const withMf = { metadata: { name: 'a', managedFields: [{ manager: 'm' }] }, spec: { x: 1 } };
    const out = dropManagedFields(withMf) as typeof withMf;
    expect(out).not.toBe(withMf);
    expect(out.metadata).toEqual({ name: 'a' });
    expect(out.spec).toBe(withMf.spec);
    expect(withMf.metadata.managedFields).toHaveLength(1);
    expect(keepAll(withMf)).toBe(withMf);
  });

  it('deepFreeze freezes nested objects and arrays, but does not walk into already-frozen parts', () => {
    const inner = { v: 1 };
    const frozenPart = Object.freeze({ inner });
    const obj = { a: { b: [{ c: 1 }] }, frozenPart };
    deepFreeze(obj);
    expect(Object.isFrozen(obj.a.b[0])).toBe(true);
    expect(Object.isFrozen(obj.a.b)).toBe(true);
    expect(Object.isFrozen(inner)).toBe(false);
  });

  it("freezeObject 'shallow' freezes the object and all metadata only", () => {
    const o = {
      metadata: {
        name: 'a',
        ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u' }],
      },
      spec: { n: 1 },
    };
    freezeObject(o, 'shallow');
    expect(Object.isFrozen(o)).toBe(true);
    expect(Object.isFrozen(o.metadata.ownerReferences[0])).toBe(true);
    expect(Object.isFrozen(o.spec)).toBe(false);
  });
});
