import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import { describe, expect, it } from 'vitest';
import { validateAgainstSchema } from './validate.js';
import { formatViolation, invalidObjectMessage } from './violation.js';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['replicas'],
      properties: {
        replicas: { type: 'integer', format: 'int32', minimum: 1, maximum: 10 },
        ratio: { type: 'number', exclusiveMinimum: true, minimum: 0, multipleOf: 0.5 },
        mode: { type: 'string', enum: ['Fast', 'Slow'] },
        name: { type: 'string', minLength: 3, maxLength: 5, pattern: '^[a-z]+$' },
        when: { type: 'string', format: 'date-time' },
        port: { 'x-kubernetes-int-or-string': true },
        note: { type: 'string', nullable: true },
        labels: { type: 'object', additionalProperties: { type: 'string' }, maxProperties: 2 },
        tags: {
          type: 'array',
          items: { type: 'string' },
          'x-kubernetes-list-type': 'set',
          maxItems: 3,
        },
        ports: {
          type: 'array',
          minItems: 1,
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' }, port: { type: 'integer' } },
          },
        },
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          'x-kubernetes-preserve-unknown-fields': true,
        },
        choice: {
          type: 'object',
          properties: { a: { type: 'string' }, b: { type: 'string' } },
          oneOf: [{ required: ['a'] }, { required: ['b'] }],
        },
      },
    },
  },
};

const spec = (s: Record<string, unknown>) => ({ spec: { replicas: 3, ...s } });

describe('validateAgainstSchema', () => {
  it.each([
    ['a minimal object', spec({})],
    ['number fields at their limits', spec({ replicas: 10, ratio: 1.5 })],
    ['an enum value', spec({ mode: 'Fast' })],
    ['a matching string', spec({ name: 'abc' })],
    ['a date-time', spec({ when: '2024-01-02T03:04:05Z' })],
    ['int-or-string as integer', spec({ port: 80 })],
    ['int-or-string as string', spec({ port: 'http' })],
    ['null on a nullable field', spec({ note: null })],
    ['a map of strings', spec({ labels: { a: 'x', b: 'y' } })],
    ['a set of distinct strings', spec({ tags: ['a', 'b'] })],
    [
      'a list map with distinct keys',
      spec({
        ports: [
          { name: 'a', port: 1 },
          { name: 'b', port: 1 },
        ],
      }),
    ],
    ['an embedded resource', spec({ template: { apiVersion: 'v1', kind: 'Pod', x: 1 } })],
    ['exactly one oneOf branch', spec({ choice: { a: 'x' } })],
    ['unknown fields (pruned, not invalid)', spec({ whatever: true })],
  ])('accepts %s', (_label, value) => {
    expect(validateAgainstSchema(schema, value)).toEqual([]);
  });

  it.each([
    [
      'a missing required field',
      { spec: {} },
      'spec.replicas',
      'FieldValueRequired',
      'Required value',
    ],
    [
      'a string where an integer belongs',
      spec({ replicas: 'x' }),
      'spec.replicas',
      'FieldValueTypeInvalid',
      'Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    ],
    [
      'a fraction where an integer belongs',
      spec({ replicas: 1.5 }),
      'spec.replicas',
      'FieldValueTypeInvalid',
      'Invalid value: "float64": spec.replicas in body must be of type int32: "float64"',
    ],
    [
      'a number below the minimum',
      spec({ replicas: 0 }),
      'spec.replicas',
      'FieldValueInvalid',
      'Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
    ],
    [
      'a number above the maximum',
      spec({ replicas: 11 }),
      'spec.replicas',
      'FieldValueInvalid',
      'Invalid value: 11: spec.replicas in body should be less than or equal to 10',
    ],
    [
      'a number at an exclusive minimum',
      spec({ ratio: 0 }),
      'spec.ratio',
      'FieldValueInvalid',
      'Invalid value: 0: spec.ratio in body should be greater than 0',
    ],
    [
      'a number that is not a multiple',
      spec({ ratio: 0.7 }),
      'spec.ratio',
      'FieldValueInvalid',
      'Invalid value: 0.7: spec.ratio in body should be a multiple of 0.5',
    ],
    [
      'a value outside the enum',
      spec({ mode: 'Medium' }),
      'spec.mode',
      'FieldValueNotSupported',
      'Unsupported value: "Medium": supported values: "Fast", "Slow"',
    ],
    [
      'a too short string',
      spec({ name: 'ab' }),
      'spec.name',
      'FieldValueInvalid',
      'Invalid value: "ab": spec.name in body should be at least 3 chars long',
    ],
    [
      'a too long string',
      spec({ name: 'abcdef' }),
      'spec.name',
      'FieldValueTooLong',
      'Too long: may not be more than 5 bytes',
    ],
    [
      'a string that misses the pattern',
      spec({ name: 'AB1' }),
      'spec.name',
      'FieldValueInvalid',
      'Invalid value: "AB1": spec.name in body should match \'^[a-z]+$\'',
    ],
    [
      'a bad date-time',
      spec({ when: 'yesterday' }),
      'spec.when',
      'FieldValueTypeInvalid',
      'Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"',
    ],
    [
      'an int32 out of range',
      spec({ replicas: 2 ** 31 }),
      '<nil>',
      'FieldValueInvalid',
      'Invalid value: "": Checked value must be of type integer with format int32 in spec.replicas',
    ],
    [
      'a boolean for int-or-string',
      spec({ port: true }),
      'spec.port',
      'FieldValueTypeInvalid',
      'Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
    ],
    [
      'null on a non-nullable field',
      spec({ mode: null }),
      'spec.mode',
      'FieldValueTypeInvalid',
      'Invalid value: "null": spec.mode in body must be of type string: "null"',
    ],
    [
      'a wrong map value',
      spec({ labels: { a: 1 } }),
      'spec.labels.a',
      'FieldValueTypeInvalid',
      'Invalid value: "integer": spec.labels.a in body must be of type string: "integer"',
    ],
    [
      'a map with too many keys',
      spec({ labels: { a: 'x', b: 'y', c: 'z' } }),
      'spec.labels',
      'FieldValueTooMany',
      'Too many: 3: must have at most 2 items',
    ],
    [
      'a duplicate in a set',
      spec({ tags: ['a', 'b', 'a'] }),
      'spec.tags[2]',
      'FieldValueDuplicate',
      'Duplicate value: "a"',
    ],
    [
      'a list that is too long',
      spec({ tags: ['a', 'b', 'c', 'd'] }),
      'spec.tags',
      'FieldValueTooMany',
      'Too many: 4: must have at most 3 items',
    ],
    [
      'a duplicate list-map key',
      spec({ ports: [{ name: 'a' }, { name: 'a', port: 2 }] }),
      'spec.ports[1]',
      'FieldValueDuplicate',
      'Duplicate value: {"name":"a"}',
    ],
    [
      'a list item without its key',
      spec({ ports: [{ port: 1 }] }),
      'spec.ports[0].name',
      'FieldValueRequired',
      'Required value',
    ],
    [
      'a wrong type inside a list item',
      spec({ ports: [{ name: 'a', port: 'x' }] }),
      'spec.ports[0].port',
      'FieldValueTypeInvalid',
      'Invalid value: "string": spec.ports[0].port in body must be of type integer: "string"',
    ],
    [
      'an empty list below minItems',
      spec({ ports: [] }),
      'spec.ports',
      'FieldValueInvalid',
      'Invalid value: 0: spec.ports in body should have at least 1 items',
    ],
    [
      'an embedded resource without kind',
      spec({ template: { apiVersion: 'v1' } }),
      'spec.template.kind',
      'FieldValueRequired',
      'Required value',
    ],
    [
      'no oneOf branch',
      spec({ choice: {} }),
      '<nil>',
      'FieldValueInvalid',
      'Invalid value: "": "spec.choice" must validate one and only one schema (oneOf). Found none valid',
    ],
    [
      'two oneOf branches',
      spec({ choice: { a: 'x', b: 'y' } }),
      '<nil>',
      'FieldValueInvalid',
      'Invalid value: "": "spec.choice" must validate one and only one schema (oneOf). Found 2 valid alternatives',
    ],
    [
      'an array where an object belongs',
      { spec: [] },
      'spec',
      'FieldValueTypeInvalid',
      'Invalid value: "array": spec in body must be of type object: "array"',
    ],
  ])('rejects %s', (_label, value, field, reason, message) => {
    const violations = validateAgainstSchema(schema, value);
    expect(violations).toContainEqual({ field, reason, message });
  });

  it('reports a type mismatch once and does not look inside the value', () => {
    const v = validateAgainstSchema(schema, { spec: 'nope' });
    expect(v).toHaveLength(1);
  });

  it('reports every violation, not just the first', () => {
    const v = validateAgainstSchema(schema, spec({ replicas: 0, mode: 'x', name: 'A' }));
    expect(v.map((x) => x.field).sort()).toEqual([
      'spec.mode',
      'spec.name',
      'spec.name',
      'spec.replicas',
    ]);
  });

  /** What the server reports of a float that is no integer on the integer node `spec.n`. */
  const NO_INTEGER = [
    {
      field: 'spec.n',
      reason: 'FieldValueTypeInvalid',
      message: 'Invalid value: "number": spec.n in body must be of type integer: "number"',
    },
    {
      field: '<nil>',
      reason: 'FieldValueInvalid',
      message:
        'Invalid value: "": Checked value must be of type integer (default format) in spec.n',
    },
  ];

  it('range-checks a fraction on an integer node, as the server does', () => {
    expect(validateAgainstSchema({ type: 'integer' }, 1.5, 'spec.n')).toEqual(NO_INTEGER);
    expect(validateAgainstSchema(schema, spec({ replicas: 1.5 }))).toHaveLength(2);
  });

  it('types the whole numbers decoded as float64s as the server does', () => {
    const floats = { float64Paths: new Set(['spec.n']) };
    const integer = { type: 'integer', maximum: 10 } as const;
    expect(validateAgainstSchema(integer, 2 ** 63, 'spec.n', floats)).toEqual([
      ...NO_INTEGER,
      {
        field: 'spec.n',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: 9.223372036854776e+18: spec.n in body should be less than or equal to 10',
      },
    ]);
    // 2^53: no integer, but its digits read back as an int64.
    expect(validateAgainstSchema({ type: 'integer' }, 2 ** 53, 'spec.n', floats)).toHaveLength(1);
    // A float that JSON holds exactly is an integer; an int64 beyond 2^53 too.
    expect(validateAgainstSchema({ type: 'integer' }, 1e15, 'spec.n', floats)).toEqual([]);
    expect(validateAgainstSchema({ type: 'integer' }, 2 ** 63, 'spec.n')).toEqual([]);
  });

  it('quotes values as Go does: a float64 as %v, a string as %q, the rest as json.Marshal', () => {
    const floats = { float64Paths: new Set(['spec.n']) };
    const [big] = validateAgainstSchema({ type: 'number', maximum: 1e6 }, 1e8, 'spec.n', floats);
    expect(big?.message).toBe(
      'Invalid value: 1e+08: spec.n in body should be less than or equal to 1e+06',
    );
    const [int] = validateAgainstSchema({ type: 'number', maximum: 1e6 }, 1e8, 'spec.n');
    expect(int?.message).toBe(
      'Invalid value: 100000000: spec.n in body should be less than or equal to 1000000',
    );
    const [text] = validateAgainstSchema({ type: 'string', pattern: '^a$' }, '\u2028\u0001<');
    expect(text?.message).toBe(`Invalid value: "\\u2028\\x01<":  in body should match '^a$'`);
    const [choice] = validateAgainstSchema({ enum: [{ a: 'b' }, 5, 'c'] }, { a: '<' });
    expect(choice?.message).toBe(
      'Unsupported value: {"a":"\\u003c"}: supported values: "{\\"a\\":\\"b\\"}", "5", "c"',
    );
  });

  it('prefixes fields with the given path', () => {
    const v = validateAgainstSchema({ type: 'integer' }, 'x', 'spec.count');
    expect(v[0]?.field).toBe('spec.count');
  });

  it('passes anyOf when one branch holds and reports the closest branch otherwise', () => {
    const s: JSONSchemaProps = {
      type: 'object',
      properties: { a: { type: 'integer' }, b: { type: 'integer' } },
      anyOf: [{ required: ['a'] }, { required: ['b'] }],
    };
    expect(validateAgainstSchema(s, { b: 1 })).toEqual([]);
    const v = validateAgainstSchema(s, {});
    expect(v[0]?.message).toContain('must validate at least one schema (anyOf)');
    expect(v[1]).toEqual({ field: 'a', reason: 'FieldValueRequired', message: 'Required value' });
  });

  it('reports allOf failures and a matching not', () => {
    const s: JSONSchemaProps = {
      type: 'string',
      allOf: [{ minLength: 2 }],
      not: { enum: ['forbidden'] },
    };
    expect(validateAgainstSchema(s, 'ok')).toEqual([]);
    expect(validateAgainstSchema(s, 'x').map((v) => v.message)).toEqual([
      'Invalid value: "x":  in body should be at least 2 chars long',
      'Invalid value: "": "" must validate all the schemas (allOf). None validated',
    ]);
    expect(validateAgainstSchema(s, 'forbidden')[0]?.message).toContain(
      'must not validate the schema (not)',
    );
  });

  it('checks uniqueItems and additionalProperties: false when a schema uses them', () => {
    expect(
      validateAgainstSchema(
        { type: 'array', items: { type: 'integer' }, uniqueItems: true },
        [1, 1],
      )[0]?.message,
    ).toBe("Invalid value: [1,1]:  in body shouldn't contain duplicates");
    expect(
      validateAgainstSchema({ type: 'object', additionalProperties: false }, { x: 1 }, 'spec.m'),
    ).toEqual([
      {
        field: 'spec.m',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "x": spec.m.x in body is a forbidden property',
      },
    ]);
  });

  it('formats violations and the 422 message like kube-apiserver', () => {
    const v = validateAgainstSchema(schema, { spec: {} });
    expect(formatViolation(v[0]!)).toBe('spec.replicas: Required value');
    expect(invalidObjectMessage('Widget.example.com', 'w1', v)).toBe(
      'Widget.example.com "w1" is invalid: spec.replicas: Required value',
    );
    const two = validateAgainstSchema(schema, spec({ replicas: 0, mode: 'x' }));
    expect(invalidObjectMessage('Widget.example.com', 'w1', two)).toMatch(
      /^Widget\.example\.com "w1" is invalid: \[spec\.replicas: .*, spec\.mode: .*\]$/,
    );
  });
});

describe('validateAgainstSchema on an update (ratcheting)', () => {
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: {
      name: { type: 'string', maxLength: 3 },
      entries: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['key'],
        items: {
          type: 'object',
          properties: { key: { type: 'string' }, v: { type: 'string', maxLength: 1 } },
        },
      },
      tags: { type: 'array', items: { type: 'string', maxLength: 1 } },
    },
  };
  const old = { name: 'long', entries: [{ key: 'a', v: 'xx' }], tags: ['xx'] };

  it('keeps quiet about what the update left as stored', () => {
    expect(
      validateAgainstSchema(schema, { ...old, entries: [{ key: 'b' }, ...old.entries] }, '', {
        old,
      }),
    ).toEqual([]);
  });

  it('reports changed values, and atomic list items, which do not correlate', () => {
    const fields = validateAgainstSchema(
      schema,
      { ...old, name: 'longer', tags: ['xx', 'y'] },
      '',
      { old },
    ).map((v) => v.field);
    expect(fields).toEqual(['name', 'tags[0]']);
    expect(validateAgainstSchema(schema, old).map((v) => v.field)).toEqual([
      'name',
      'entries[0].v',
      'tags[0]',
    ]);
  });
});
