import type { DynamicObject } from '@kube-ts/core';
import { type Static, Type } from '@sinclair/typebox';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { itemSchema } from './json-schema.js';
import { K8s } from './k8s-types.js';
import { checkStructural } from './structural.js';
import { typeboxToOpenApi } from './typebox-to-openapi.js';
import { validateAgainstSchema } from './validate.js';

const render = (s: Parameters<typeof typeboxToOpenApi>[0]) => typeboxToOpenApi(s).schema;

describe('K8s builders', () => {
  it('Quantity accepts integers and quantity strings only', () => {
    const s = render(K8s.Quantity());
    expect(s['x-kubernetes-int-or-string']).toBe(true);
    expect(checkStructural({ type: 'object', properties: { q: s } })).toEqual([]);
    for (const ok of [2, '500m', '1Gi', '1.5', '1e3'])
      expect(validateAgainstSchema(s, ok)).toEqual([]);
    for (const bad of ['1 Gi', 'lots', true]) expect(validateAgainstSchema(s, bad)).not.toEqual([]);
  });

  it('Conditions is a list map by type of metav1.Condition entries', () => {
    const s = render(K8s.Conditions());
    expect(s['x-kubernetes-list-type']).toBe('map');
    expect(s['x-kubernetes-list-map-keys']).toEqual(['type']);
    expect(itemSchema(s)?.required).toEqual([
      'type',
      'status',
      'lastTransitionTime',
      'reason',
      'message',
    ]);
    expect(checkStructural({ type: 'object', properties: { conditions: s } })).toEqual([]);
    const ready = {
      type: 'Ready',
      status: 'True',
      reason: 'Reconciled',
      message: '',
      lastTransitionTime: '2026-11-29T10:00:00Z',
    };
    expect(validateAgainstSchema(s, [ready])).toEqual([]);
    for (const bad of [
      { ...ready, status: 'Yes' },
      { ...ready, reason: 'not camel case' },
    ]) {
      expect(validateAgainstSchema(s, [bad])).not.toEqual([]);
    }
    expectTypeOf<Static<ReturnType<typeof K8s.Conditions>>[number]['status']>().toEqualTypeOf<
      'True' | 'False' | 'Unknown'
    >();
  });

  it('AtomicList and ListSet set the list type', () => {
    expect(render(K8s.AtomicList(Type.String(), { maxItems: 2 }))).toEqual({
      type: 'array',
      items: { type: 'string' },
      maxItems: 2,
      'x-kubernetes-list-type': 'atomic',
    });
    expect(render(K8s.ListSet(Type.Integer()))['x-kubernetes-list-type']).toBe('set');
  });

  it('EmbeddedResource with a schema types the object and keeps it prunable', () => {
    const pod = K8s.EmbeddedResource(Type.Object({ spec: Type.Object({ image: Type.String() }) }), {
      description: 'a pod',
    });
    expectTypeOf<Static<typeof pod>['spec']['image']>().toEqualTypeOf<string>();
    const s = render(pod);
    expect(s).toMatchObject({
      type: 'object',
      description: 'a pod',
      'x-kubernetes-embedded-resource': true,
      required: ['spec'],
    });
    expect(s['x-kubernetes-preserve-unknown-fields']).toBeUndefined();
    expect(checkStructural({ type: 'object', properties: { t: s } })).toEqual([]);
  });

  it('PreserveUnknown keeps a typed object typed', () => {
    const o = K8s.PreserveUnknown(Type.Object({ a: Type.String() }));
    const free = K8s.PreserveUnknown({ description: 'anything' });
    expectTypeOf<Static<typeof free>>().toEqualTypeOf<Record<string, unknown>>();
    const bare = K8s.EmbeddedResource({ description: 'any object' });
    expectTypeOf<Static<typeof bare>>().toEqualTypeOf<DynamicObject>();
    expectTypeOf<Static<typeof o>>().toEqualTypeOf<{ a: string }>();
    expect(render(o)).toMatchObject({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      properties: { a: { type: 'string' } },
    });
  });

  it('Cel appends rules, with strings as shorthand, and keeps the static type', () => {
    const base = Type.Object({ a: Type.Integer() });
    const s = K8s.Cel(K8s.Cel(base, ['self.a > 0']), [
      { rule: 'self.a < 10', message: 'small', reason: 'FieldValueForbidden' },
    ]);
    expectTypeOf<Static<typeof s>>().toEqualTypeOf<{ a: number }>();
    expect(render(s)['x-kubernetes-validations']).toEqual([
      { rule: 'self.a > 0' },
      { rule: 'self.a < 10', message: 'small', reason: 'FieldValueForbidden' },
    ]);
    expect(base).not.toHaveProperty('x-kubernetes-validations');
  });

  it('Map and Nullable carry their static types', () => {
    const m = K8s.Map(Type.Integer());
    expectTypeOf<Static<typeof m>>().toEqualTypeOf<Record<string, number>>();
    const n = K8s.Nullable(Type.String());
    expectTypeOf<Static<typeof n>>().toEqualTypeOf<string | null>();
    expect(render(n)).toEqual({ type: 'string', nullable: true });
  });
});

describe('typeboxToOpenApi', () => {
  it('converts enums, nullable enums, template literals and Any', () => {
    enum Color {
      Red = 'red',
      Blue = 'blue',
    }
    expect(render(Type.Enum(Color))).toEqual({ type: 'string', enum: ['red', 'blue'] });
    expect(render(Type.Union([Type.Literal(1), Type.Literal(2), Type.Null()]))).toEqual({
      type: 'integer',
      nullable: true,
      enum: [1, 2, null],
    });
    expect(render(Type.TemplateLiteral([Type.Literal('v'), Type.Number()]))).toMatchObject({
      type: 'string',
      pattern: expect.any(String),
    });
    expect(render(Type.Any())).toEqual({ 'x-kubernetes-preserve-unknown-fields': true });
    expect(render(Type.Union([Type.Integer(), Type.String()]))).toEqual({
      'x-kubernetes-int-or-string': true,
    });
  });

  it('drops annotations that carry no constraint', () => {
    expect(render(Type.String({ $id: 'x', examples: ['a'], description: 'd' }))).toEqual({
      type: 'string',
      description: 'd',
    });
  });

  it.each([
    [
      'a keyword Kubernetes lacks',
      Type.Array(Type.String(), { contains: Type.Literal('a') }),
      /"contains" is not supported/,
    ],
    [
      'patterned record keys',
      Type.Record(Type.String({ pattern: '^a' }), Type.String()),
      /record keys must be plain strings/,
    ],
    [
      'a literal union of mixed types',
      Type.Union([Type.Literal('a'), Type.Literal(1)]),
      /one JSON type/,
    ],
    ['a Uint8Array', Type.Uint8Array(), /format: "byte"/],
    [
      'a recursive type',
      Type.Recursive((This) => Type.Object({ next: Type.Optional(This) })),
      /recursive types cannot be structural/,
    ],
  ])('reports %s with its path', (_label, schema, message) => {
    const { problems } = typeboxToOpenApi(Type.Object({ f: schema }), 'spec');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.some((p) => p.field.startsWith('spec') && message.test(p.message))).toBe(true);
  });
});
