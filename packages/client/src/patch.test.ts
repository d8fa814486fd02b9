import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type ApplyPatch, jsonPointerEscape, PATCH_CONTENT_TYPES, Patch } from './patch.js';

interface Widget {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec: { size: number };
}

describe('Patch', () => {
  it('builds the four patch types', () => {
    expect(Patch.merge({ a: 1 })).toEqual({ type: 'merge', body: { a: 1 } });
    expect(Patch.json([{ op: 'test', path: '/a', value: 1 }])).toEqual({
      type: 'json',
      body: [{ op: 'test', path: '/a', value: 1 }],
    });
    expect(Patch.strategic({ a: 1 })).toEqual({ type: 'strategic', body: { a: 1 } });
    const cm: ConfigMap = { metadata: { name: 'a' } };
    expect(Patch.apply(cm)).toEqual({ type: 'apply', body: cm });
    expectTypeOf(Patch.apply(cm)).toEqualTypeOf<ApplyPatch<ConfigMap>>();
  });

  it('merge/json/strategic patches fit any object type, even with required fields', () => {
    const m = Patch.merge({ spec: { size: 2 } });
    expectTypeOf(m).toMatchTypeOf<Patch<Widget>>();
    expectTypeOf(Patch.json([])).toMatchTypeOf<Patch<Widget>>();
    expectTypeOf(Patch.strategic({})).toMatchTypeOf<Patch<Widget>>();
  });

  it('has the content type of each patch type', () => {
    expect(PATCH_CONTENT_TYPES).toEqual({
      merge: 'application/merge-patch+json',
      json: 'application/json-patch+json',
      strategic: 'application/strategic-merge-patch+json',
      apply: 'application/apply-patch+yaml',
    });
  });

  it('escapes JSON Pointer segments', () => {
    expect(jsonPointerEscape('example.com/a~b')).toBe('example.com~1a~0b');
  });
});
