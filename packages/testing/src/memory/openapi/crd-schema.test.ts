import { describe, expect, test } from 'vitest';
import type { ResourceType } from '../resource-types.js';
import { crdSchemas, modelName } from './crd-schema.js';

function widgets(schema: ResourceType['schemas']): ResourceType {
  return {
    group: 'stable.example.com',
    versions: ['v1'],
    kind: 'Widget',
    listKind: 'WidgetList',
    plural: 'widgets',
    singular: 'widget',
    namespaced: true,
    shortNames: [],
    categories: [],
    status: false,
    generation: true,
    builtin: false,
    crdName: 'widgets.stable.example.com',
    ...(schema ? { schemas: schema } : {}),
  };
}

describe('crdSchemas', () => {
  test('names models with the group reversed', () => {
    expect(modelName('stable.example.com', 'v1', 'Widget')).toBe('com.example.stable.v1.Widget');
  });

  test('v2 drops nullable types, junctors, defaults and preserved-unknown members', () => {
    const t = widgets({
      v1: {
        type: 'object',
        properties: {
          spec: {
            type: 'object',
            required: ['a', 'b'],
            properties: {
              a: { type: 'string', nullable: true },
              b: { type: 'string', default: 'x' },
              c: { 'x-kubernetes-int-or-string': true },
              d: {
                type: 'object',
                'x-kubernetes-preserve-unknown-fields': true,
                properties: { e: { type: 'string' } },
              },
            },
          },
        },
      },
    });
    const v2 = crdSchemas(t, 'v1', 'v2')['com.example.stable.v1.Widget']!;
    expect((v2.properties as Record<string, unknown>).spec).toEqual({
      type: 'object',
      required: ['b'],
      properties: {
        a: {},
        b: { type: 'string' },
        c: { 'x-kubernetes-int-or-string': true },
        d: { 'x-kubernetes-preserve-unknown-fields': true },
      },
    });
    const v3 = crdSchemas(t, 'v1', 'v3')['com.example.stable.v1.Widget']!;
    expect(
      (v3.properties as Record<string, Record<string, unknown>>).spec!.properties,
    ).toMatchObject({
      a: { type: 'string', nullable: true },
      b: { type: 'string', default: 'x' },
      c: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
    });
  });

  test('a v2 schema preserving unknown fields at its root is a bare object', () => {
    const t = widgets({ v1: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } });
    expect(crdSchemas(t, 'v1', 'v2')['com.example.stable.v1.Widget']).toEqual({
      type: 'object',
      'x-kubernetes-group-version-kind': [
        { group: 'stable.example.com', kind: 'Widget', version: 'v1' },
      ],
    });
  });
});
