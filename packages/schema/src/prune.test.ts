import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import { describe, expect, it } from 'vitest';
import { pruneUnknownFields } from './prune.js';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        known: { type: 'string' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        items: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' } } },
        },
        free: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: { inner: { type: 'object', properties: { a: { type: 'string' } } } },
        },
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          properties: { spec: { type: 'object', properties: { x: { type: 'string' } } } },
        },
      },
    },
  },
};

describe('pruneUnknownFields', () => {
  it('drops unknown fields, keeps known ones and reports what it dropped', () => {
    const dropped: string[] = [];
    const input = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      extra: 1,
      spec: { known: 'k', unknown: 2, items: [{ name: 'a', junk: 1 }] },
    };
    const out = pruneUnknownFields(schema, input, { onPruned: (p) => dropped.push(p) });
    expect(out).toEqual({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { known: 'k', items: [{ name: 'a' }] },
    });
    expect(dropped).toEqual(['extra', 'spec.unknown', 'spec.items[0].junk']);
    expect(input.spec.unknown).toBe(2);
  });

  it('keeps the whole metadata of the resource even when the schema lists metadata as an object', () => {
    const withMeta: JSONSchemaProps = {
      type: 'object',
      properties: { metadata: { type: 'object' }, spec: { type: 'object' } },
    };
    const metadata = { name: 'w', namespace: 'ns', uid: 'u1', labels: { a: 'b' } };
    expect(pruneUnknownFields(withMeta, { metadata, spec: {} })).toEqual({ metadata, spec: {} });
  });

  it('drops nulls of fields that are neither nullable nor defaulted, without reporting them', () => {
    const s = {
      type: 'object',
      properties: {
        a: { type: 'string' },
        b: { type: 'string', nullable: true },
        c: { type: 'string', default: 'x' },
        m: { type: 'object', additionalProperties: { type: 'string' } },
      },
    } as const satisfies JSONSchemaProps;
    const dropped: string[] = [];
    const out = pruneUnknownFields(
      s,
      { a: null, b: null, c: null, m: { k: null } },
      { onPruned: (p) => dropped.push(p) },
    );
    expect(out).toEqual({ b: null, c: null, m: {} });
    expect(dropped).toEqual([]);
  });

  it('keeps every key of a map (additionalProperties)', () => {
    const out = pruneUnknownFields(schema, { spec: { labels: { a: 'x', b: 'y' } } });
    expect(out).toEqual({ spec: { labels: { a: 'x', b: 'y' } } });
  });

  it('keeps unknown fields under preserve-unknown-fields but still prunes known children', () => {
    const out = pruneUnknownFields(schema, {
      spec: { free: { any: { deep: 1 }, inner: { a: 'x', b: 'y' } } },
    });
    expect(out).toEqual({ spec: { free: { any: { deep: 1 }, inner: { a: 'x' } } } });
  });

  it('keeps apiVersion, kind and metadata of an embedded resource and prunes the rest', () => {
    const template = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { x: 'a', y: 'b' },
      z: 1,
    };
    const out = pruneUnknownFields(schema, { spec: { template } });
    expect(out).toEqual({
      spec: {
        template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { x: 'a' } },
      },
    });
  });

  it('prunes apiVersion/kind/metadata at the top only when resourceRoot is false', () => {
    const out = pruneUnknownFields(schema, { kind: 'X', spec: {} }, { resourceRoot: false });
    expect(out).toEqual({ spec: {} });
  });
});
