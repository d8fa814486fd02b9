import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import { describe, expect, it } from 'vitest';
import { itemSchema } from './json-schema.js';
import { checkFormats, checkStructural, formatProblem, problemToCause } from './structural.js';

const obj = (properties: Record<string, JSONSchemaProps>): JSONSchemaProps => ({
  type: 'object',
  properties,
});

function fields(schema: JSONSchemaProps): string[] {
  return checkStructural(schema).map((p) => p.field);
}

describe('checkStructural', () => {
  it('accepts a structural schema with int-or-string, preserve-unknown, list maps and junctors', () => {
    const schema = obj({
      metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 20 } } },
      spec: {
        type: 'object',
        properties: {
          port: {
            'x-kubernetes-int-or-string': true,
            anyOf: [{ type: 'integer' }, { type: 'string' }],
          },
          raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          anything: { 'x-kubernetes-preserve-unknown-fields': true },
          a: { type: 'string' },
          b: { type: 'string' },
          tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
          ports: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name'],
            items: obj({ name: { type: 'string' }, port: { type: 'integer', default: 80 } }),
          },
          template: {
            type: 'object',
            'x-kubernetes-embedded-resource': true,
            'x-kubernetes-preserve-unknown-fields': true,
          },
          mode: { type: 'string', default: 'a', enum: ['a', 'b'] },
        },
        oneOf: [{ required: ['a'] }, { required: ['b'] }, { properties: { a: { minLength: 1 } } }],
      },
    });
    const withKey = itemSchema(schema.properties?.spec?.properties?.ports);
    if (withKey) withKey.required = ['name'];
    expect(checkStructural(schema)).toEqual([]);
  });

  it.each<[string, JSONSchemaProps, string, string]>([
    [
      'an untyped root',
      { properties: {} },
      'openAPIV3Schema.type',
      'must not be empty at the root',
    ],
    [
      'additionalProperties at the root',
      { type: 'object', additionalProperties: { type: 'string' } },
      'openAPIV3Schema.additionalProperties',
      'must not be used at the root',
    ],
    [
      'additionalProperties on an embedded resource',
      obj({
        e: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          'x-kubernetes-preserve-unknown-fields': true,
          additionalProperties: { type: 'string' },
        },
      }),
      'openAPIV3Schema.properties[e].additionalProperties',
      'must not be used if x-kubernetes-embedded-resource is set',
    ],
    [
      'int-or-string with preserve-unknown-fields',
      obj({
        p: { 'x-kubernetes-int-or-string': true, 'x-kubernetes-preserve-unknown-fields': true },
      }),
      'openAPIV3Schema.properties[p].x-kubernetes-preserve-unknown-fields',
      'must be false if x-kubernetes-int-or-string is true',
    ],
    [
      'a non-string kind at the root',
      obj({ kind: { type: 'integer' } }),
      'openAPIV3Schema.properties[kind].type',
      'must be string',
    ],
    [
      'CEL rules inside anyOf',
      obj({ s: { type: 'string', anyOf: [{ 'x-kubernetes-validations': [{ rule: 'true' }] }] } }),
      'openAPIV3Schema.properties[s].anyOf[0].x-kubernetes-validations',
      'must be empty to be structural',
    ],
    [
      'metadata inside a junctor',
      obj({ o: { type: 'object', properties: {}, oneOf: [{ properties: { metadata: {} } }] } }),
      'openAPIV3Schema.properties[o].oneOf[0].properties[metadata]',
      'must not be specified in a nested context',
    ],
    ['a non-object root', { type: 'string' }, 'openAPIV3Schema.type', 'must be object at the root'],
    [
      'an untyped field',
      obj({ spec: {} }),
      'openAPIV3Schema.properties[spec].type',
      'must not be empty',
    ],
    [
      'an untyped array item',
      obj({ l: { type: 'array', items: {} } }),
      'openAPIV3Schema.properties[l].items.type',
      'must not be empty',
    ],
    [
      '$ref',
      obj({ s: { type: 'object', $ref: '#/x' } }),
      'openAPIV3Schema.properties[s].$ref',
      'not supported',
    ],
    [
      'definitions',
      { ...obj({}), definitions: {} },
      'openAPIV3Schema.definitions',
      'not supported',
    ],
    [
      'uniqueItems',
      obj({ l: { type: 'array', items: { type: 'string' }, uniqueItems: true } }),
      'openAPIV3Schema.properties[l].uniqueItems',
      'Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
    ],
    [
      'properties beside additionalProperties',
      obj({
        m: {
          type: 'object',
          properties: { a: { type: 'string' } },
          additionalProperties: { type: 'string' },
        },
      }),
      'openAPIV3Schema.properties[m].additionalProperties',
      'mutual exclusive',
    ],
    [
      'a type inside anyOf',
      obj({ s: { type: 'string', anyOf: [{ type: 'string' }] } }),
      'openAPIV3Schema.properties[s].anyOf[0].type',
      'Forbidden: must be empty to be structural',
    ],
    [
      'a root junctor field missing outside',
      { ...obj({}), allOf: [{ properties: { x: { minLength: 1 } } }] },
      'openAPIV3Schema.properties[x]',
      'Required value: because it is defined in openAPIV3Schema.allOf[0].properties[x]',
    ],
    [
      'restrictions on metadata.labels',
      obj({ metadata: { type: 'object', properties: { labels: { type: 'object' } } } }),
      'openAPIV3Schema.properties[metadata]',
      'must not specify anything other than name and generateName',
    ],
    [
      'an array without items',
      obj({ l: { type: 'array' } }),
      'openAPIV3Schema.properties[l].items',
      'must be specified',
    ],
    [
      'a set of objects',
      obj({ l: { type: 'array', 'x-kubernetes-list-type': 'set', items: obj({}) } }),
      'openAPIV3Schema.properties[l].items.x-kubernetes-map-type',
      'must be atomic as item of a list with x-kubernetes-list-type=set',
    ],
    [
      'a list map without keys',
      obj({
        l: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          items: obj({ a: { type: 'string' } }),
        },
      }),
      'openAPIV3Schema.properties[l].x-kubernetes-list-map-keys',
      'must not be empty',
    ],
    [
      'an optional list map key without default',
      obj({
        l: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['a'],
          items: obj({ a: { type: 'string' } }),
        },
      }),
      'openAPIV3Schema.properties[l].items.properties[a].default',
      'must have a default or be a required property',
    ],
    [
      'an embedded resource without properties',
      obj({ e: { type: 'object', 'x-kubernetes-embedded-resource': true } }),
      'openAPIV3Schema.properties[e].properties',
      'x-kubernetes-embedded-resource',
    ],
    [
      'a default that fails its schema',
      obj({ n: { type: 'integer', minimum: 1, default: 0 } }),
      'openAPIV3Schema.properties[n].default',
      'greater than or equal to 1',
    ],
    [
      'a default with unknown fields',
      obj({ o: { type: 'object', properties: {}, default: { x: 1 } } }),
      'openAPIV3Schema.properties[o].default',
      'unknown fields',
    ],
    [
      'a bad pattern',
      obj({ s: { type: 'string', pattern: '(' } }),
      'openAPIV3Schema.properties[s].pattern',
      'regular expression',
    ],
    [
      'preserve-unknown-fields: false',
      obj({ s: { type: 'object', 'x-kubernetes-preserve-unknown-fields': false } }),
      'openAPIV3Schema.properties[s].x-kubernetes-preserve-unknown-fields',
      'must be true',
    ],
  ])('reports %s', (_label, schema, field, text) => {
    const problems = checkStructural(schema);
    const hit = problems.find((p) => p.field === field);
    expect(hit, JSON.stringify(problems)).toBeDefined();
    expect(formatProblem(hit!)).toContain(text);
  });

  it('accepts what kube-apiserver 1.36 accepts although it looks odd', () => {
    const schema = obj({
      m: { type: 'object', additionalProperties: false },
      p: { type: 'string', 'x-kubernetes-int-or-string': true },
      // Only the root's junctors must name fields that exist outside them.
      s: { type: 'object', properties: {}, allOf: [{ properties: { x: { minLength: 1 } } }] },
    });
    expect(checkStructural(schema)).toEqual([]);
  });

  it('accepts the int-or-string patterns and CEL rules inside allOf', () => {
    const schema = obj({
      a: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
      b: {
        'x-kubernetes-int-or-string': true,
        allOf: [{ anyOf: [{ type: 'integer' }, { type: 'string' }] }, { pattern: '^[0-9]+%?$' }],
      },
      c: { type: 'string', allOf: [{ 'x-kubernetes-validations': [{ rule: 'self != ""' }] }] },
    });
    expect(checkStructural(schema)).toEqual([]);
  });

  it('turns problems into Status causes with the reason of their prefix', () => {
    const [untyped] = checkStructural(obj({ x: {} }));
    expect(problemToCause(untyped!)).toEqual({
      field: 'openAPIV3Schema.properties[x].type',
      reason: 'FieldValueRequired',
      message: 'Required value: must not be empty for specified object fields',
    });
    const [ref] = checkStructural({ ...obj({}), $ref: '#/x' });
    expect(problemToCause(ref!).reason).toBe('FieldValueForbidden');
    expect(problemToCause({ field: 'f', message: 'something else' }).reason).toBe(
      'FieldValueInvalid',
    );
  });

  it.each<[string, JSONSchemaProps, string, string]>([
    [
      'a list type on a non-array',
      obj({ s: { type: 'string', 'x-kubernetes-list-type': 'set' } }),
      'openAPIV3Schema.properties[s].type',
      'must be array if x-kubernetes-list-type is specified',
    ],
    [
      'an unknown list type',
      obj({
        l: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'bag' as never },
      }),
      'openAPIV3Schema.properties[l].x-kubernetes-list-type',
      'Unsupported value: "bag"',
    ],
    [
      'list-map keys without list type map',
      obj({
        l: {
          type: 'array',
          items: obj({ a: { type: 'string' } }),
          'x-kubernetes-list-map-keys': ['a'],
        },
      }),
      'openAPIV3Schema.properties[l].x-kubernetes-list-type',
      'must be map if x-kubernetes-list-map-keys is non-empty',
    ],
    [
      'a list-map key that is not a property',
      obj({
        l: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['b'],
          items: obj({ a: { type: 'string' } }),
        },
      }),
      'openAPIV3Schema.properties[l].x-kubernetes-list-map-keys',
      'entries must all be names of item properties',
    ],
    [
      'a map type on a non-object',
      obj({ s: { type: 'string', 'x-kubernetes-map-type': 'atomic' } }),
      'openAPIV3Schema.properties[s].type',
      'must be object if x-kubernetes-map-type is specified',
    ],
    [
      'an empty CEL rule',
      obj({ s: { type: 'string', 'x-kubernetes-validations': [{ rule: ' ' }] } }),
      'openAPIV3Schema.properties[s].x-kubernetes-validations[0].rule',
      'rule is not specified',
    ],
    [
      'a CEL message with a line break',
      obj({
        s: { type: 'string', 'x-kubernetes-validations': [{ rule: 'true', message: 'a\nb' }] },
      }),
      'openAPIV3Schema.properties[s].x-kubernetes-validations[0].message',
      'must not contain line breaks',
    ],
  ])('reports list-type and CEL rule problems: %s', (_label, schema, field, text) => {
    const hit = checkStructural(schema).find((p) => p.field === field);
    expect(hit?.message).toContain(text);
  });

  it('accepts a set of atomic lists and atomic objects', () => {
    const schema = obj({
      a: {
        type: 'array',
        'x-kubernetes-list-type': 'set',
        items: { type: 'array', items: { type: 'string' } },
      },
      b: {
        type: 'array',
        'x-kubernetes-list-type': 'set',
        items: { type: 'object', 'x-kubernetes-map-type': 'atomic', properties: {} },
      },
    });
    expect(checkStructural(schema)).toEqual([]);
  });

  it('names the schema with the given path', () => {
    expect(fields(obj({ x: {} })).length).toBe(1);
    expect(
      checkStructural(obj({ x: {} }), 'spec.versions[0].schema.openAPIV3Schema')[0]?.field,
    ).toBe('spec.versions[0].schema.openAPIV3Schema.properties[x].type');
  });
});

describe('checkFormats', () => {
  it('reports unknown formats and accepts known ones', () => {
    const s = obj({
      a: { type: 'string', format: 'date-time' },
      b: { type: 'string', format: 'colour' },
    });
    expect(checkFormats(s)).toEqual([
      {
        field: 'openAPIV3Schema.properties[b].format',
        message: 'Unsupported value: "colour": not a format the API server knows',
      },
    ]);
  });
});
