import { Type } from '@sinclair/typebox';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineResource } from './define-resource.js';
import { ResourceDefinitionError } from './definition-error.js';
import { Gadget, Widget } from './fixtures/widget.test-helper.js';
import { itemSchema } from './json-schema.js';
import { K8s } from './k8s-types.js';
import type { ResourceOf } from './resource-types.js';
import { checkStructural } from './structural.js';

type WidgetObject = ResourceOf<typeof Widget>;

const good = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w1', namespace: 'default' },
  spec: { replicas: 1, mode: 'Fast', ...spec },
  ...extra,
});

describe('defineResource: the ApiResource and the static type', () => {
  it('is an ApiResource with defaults for plural and singular', () => {
    expect(Widget).toMatchObject({
      group: 'example.com',
      version: 'v1',
      kind: 'Widget',
      plural: 'widgets',
      namespaced: true,
    });
    expect(Widget.crdName).toBe('widgets.example.com');
    expect(Widget.apiVersion).toBe('example.com/v1');
    expect(Gadget.namespaced).toBe(false);
    expect(
      defineResource({
        group: 'a.io',
        version: 'v1',
        kind: 'Policy',
        scope: 'Cluster',
        spec: Type.Object({}),
      }).plural,
    ).toBe('policies');
  });

  it('gives the object type without a hand-written interface', () => {
    expectTypeOf<WidgetObject['spec']['replicas']>().toEqualTypeOf<number>();
    expectTypeOf<WidgetObject['spec']['mode']>().toEqualTypeOf<'Fast' | 'Slow'>();
    expectTypeOf<WidgetObject['spec']['port']>().toEqualTypeOf<number | string | undefined>();
    expectTypeOf<WidgetObject['status']>().toEqualTypeOf<
      { replicas?: number; phase?: string } | undefined
    >();
    expectTypeOf<WidgetObject['metadata']['name']>().toEqualTypeOf<string | undefined>();
  });

  it('creates a well-formed object that validates', () => {
    const w = Widget.create(
      'w1',
      { replicas: 2, mode: 'Slow' },
      { namespace: 'ns', labels: { a: 'b' } },
    );
    expect(w).toEqual({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1', namespace: 'ns', labels: { a: 'b' } },
      spec: { replicas: 2, mode: 'Slow' },
    });
    expect(Widget.validate(w).valid).toBe(true);
    expect(Widget.is(w)).toBe(true);
    expect(Widget.is(Gadget.create('g', { size: 1 }))).toBe(false);
  });

  it('refuses a namespace for a cluster-scoped resource', () => {
    expect(() => Gadget.create('g', { size: 1 }, { namespace: 'x' })).toThrow(/cluster-scoped/);
  });
});

describe('crd()', () => {
  const crd = Widget.crd();
  const version = crd.spec.versions[0]!;
  const root = version.schema!.openAPIV3Schema!;
  const spec = root.properties!.spec!;
  const p = spec.properties!;

  it('renders names, scope and one served storage version', () => {
    expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1');
    expect(crd.metadata?.name).toBe('widgets.example.com');
    expect(crd.spec).toMatchObject({
      group: 'example.com',
      scope: 'Namespaced',
      names: {
        kind: 'Widget',
        listKind: 'WidgetList',
        plural: 'widgets',
        singular: 'widget',
        shortNames: ['wd'],
        categories: ['all'],
      },
    });
    expect(crd.spec.versions).toHaveLength(1);
    expect(version).toMatchObject({ name: 'v1', served: true, storage: true });
  });

  it('renders a structural schema without TypeBox artefacts', () => {
    expect(checkStructural(root)).toEqual([]);
    expect(JSON.stringify(root)).not.toMatch(/\$id|const|patternProperties|anyOf/);
    expect(Object.getOwnPropertySymbols(spec)).toEqual([]);
    expect(root.required).toEqual(['spec']);
    expect(root.description).toBe('A widget for tests.');
    expect(root.properties?.metadata).toEqual({ type: 'object' });
  });

  it('maps each TypeBox and K8s construct to its OpenAPI form', () => {
    expect(spec.required).toEqual(['replicas', 'mode']);
    expect(p.replicas).toEqual({ type: 'integer', minimum: 0, maximum: 10, format: 'int32' });
    expect(p.minReplicas).toEqual({ type: 'integer', default: 0 });
    expect(p.mode).toEqual({ type: 'string', enum: ['Fast', 'Slow'] });
    expect(p.port).toEqual({ 'x-kubernetes-int-or-string': true });
    expect(p.labels).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
    expect(p.owner?.properties?.contact?.properties?.email).toEqual({
      type: 'string',
      format: 'email',
    });
    expect(p.ports).toMatchObject({
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      items: { type: 'object', required: ['name', 'port'] },
    });
    expect(itemSchema(p.ports)?.properties?.protocol).toEqual({
      type: 'string',
      enum: ['TCP', 'UDP'],
      default: 'TCP',
    });
    expect(p.tags).toEqual({
      type: 'array',
      items: { type: 'string' },
      'x-kubernetes-list-type': 'set',
    });
    expect(p.note).toEqual({ type: 'string', nullable: true });
    expect(p.template).toEqual({
      type: 'object',
      'x-kubernetes-embedded-resource': true,
      'x-kubernetes-preserve-unknown-fields': true,
    });
    expect(p.extra).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(spec['x-kubernetes-validations']).toEqual([
      {
        rule: 'self.minReplicas <= self.replicas',
        message: 'minReplicas must not exceed replicas',
      },
    ]);
  });

  it('renders printer columns, subresources and selectable fields', () => {
    expect(version.additionalPrinterColumns?.map((c) => c.name)).toEqual([
      'Replicas',
      'Phase',
      'Age',
    ]);
    expect(version.subresources).toEqual({
      status: {},
      scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
    });
    expect(version.selectableFields).toEqual([{ jsonPath: '.spec.mode' }]);
    expect(Gadget.crdVersion().subresources).toBeUndefined();
  });

  it('renders root CEL rules, nullable objects, intersections and numeric exclusive bounds', () => {
    const d = defineResource({
      group: 'a.io',
      version: 'v1',
      kind: 'Thing',
      scope: 'Namespaced',
      validations: ['has(self.spec)'],
      spec: Type.Intersect([
        Type.Object({ a: Type.Number({ exclusiveMinimum: 0 }) }),
        Type.Object({ b: Type.Optional(K8s.Nullable(Type.Object({ c: Type.Boolean() }))) }),
      ]),
    });
    expect(d.schema['x-kubernetes-validations']).toEqual([{ rule: 'has(self.spec)' }]);
    expect(d.schema.properties?.spec).toEqual({
      type: 'object',
      required: ['a'],
      properties: {
        a: { type: 'number', minimum: 0, exclusiveMinimum: true },
        b: {
          type: 'object',
          nullable: true,
          required: ['c'],
          properties: { c: { type: 'boolean' } },
        },
      },
    });
  });

  it('returns independent copies', () => {
    const a = Widget.crd();
    a.spec.versions[0]!.schema!.openAPIV3Schema!.type = 'string';
    expect(Widget.crd().spec.versions[0]!.schema!.openAPIV3Schema!.type).toBe('object');
  });
});

describe('validate()', () => {
  it.each([
    ['a minimal widget', good({})],
    ['nested objects', good({ owner: { team: 'a', contact: { email: 'x@y.z' } } })],
    ['a map', good({ labels: { a: 'b' } })],
    [
      'a list map',
      good({
        ports: [
          { name: 'http', port: 80 },
          { name: 'https', port: 443, protocol: 'TCP' },
        ],
      }),
    ],
    ['int-or-string as both', good({ port: 'http' })],
    ['a null nullable field', good({ note: null })],
    [
      'an embedded resource',
      good({ template: { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } } }),
    ],
    ['a generated name', { ...good({}), metadata: { generateName: 'w-' } }],
    ['a status (ignored: status subresource)', good({}, { status: { replicas: 'x' } })],
  ])('accepts %s', (_label, obj) => {
    const r = Widget.validate(obj);
    expect(r.violations).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it.each([
    ['a missing spec', { ...good({}), spec: undefined }, 'spec', 'FieldValueRequired'],
    ['a missing required field', good({ mode: undefined }), 'spec.mode', 'FieldValueRequired'],
    ['an enum miss', good({ mode: 'Medium' }), 'spec.mode', 'FieldValueNotSupported'],
    ['a maximum', good({ replicas: 11 }), 'spec.replicas', 'FieldValueInvalid'],
    ['a pattern', good({ name: 'Bad_Name' }), 'spec.name', 'FieldValueInvalid'],
    ['a nested type', good({ owner: { team: 1 } }), 'spec.owner.team', 'FieldValueTypeInvalid'],
    [
      'a nested format',
      good({ owner: { team: 'a', contact: { email: 'nope' } } }),
      'spec.owner.contact.email',
      'FieldValueTypeInvalid',
    ],
    ['a map value', good({ labels: { a: 1 } }), 'spec.labels.a', 'FieldValueTypeInvalid'],
    [
      'a duplicate list-map key',
      good({
        ports: [
          { name: 'a', port: 1 },
          { name: 'a', port: 2 },
        ],
      }),
      'spec.ports[1]',
      'FieldValueDuplicate',
    ],
    [
      'a list-map item range',
      good({ ports: [{ name: 'a', port: 0 }] }),
      'spec.ports[0].port',
      'FieldValueInvalid',
    ],
    ['int-or-string as boolean', good({ port: true }), 'spec.port', 'FieldValueTypeInvalid'],
    ['a duplicate set item', good({ tags: ['a', 'a'] }), 'spec.tags[1]', 'FieldValueDuplicate'],
    [
      'an embedded resource without kind',
      good({ template: { apiVersion: 'v1' } }),
      'spec.template.kind',
      'FieldValueRequired',
    ],
    ['a wrong kind', { ...good({}), kind: 'Gadget' }, 'kind', 'FieldValueInvalid'],
    ['no name', { ...good({}), metadata: {} }, 'metadata.name', 'FieldValueRequired'],
    [
      'a bad name',
      { ...good({}), metadata: { name: 'Bad_Name' } },
      'metadata.name',
      'FieldValueInvalid',
    ],
  ])('rejects %s', (_label, obj, field, reason) => {
    const r = Widget.validate(JSON.parse(JSON.stringify(obj)));
    expect(r.valid).toBe(false);
    expect(r.violations).toContainEqual(expect.objectContaining({ field, reason }));
    if (!r.valid) expect(r.message).toMatch(/^Widget\.example\.com ".*" is invalid: /);
  });

  it('returns the object defaulted and pruned, as the server would store it', () => {
    const r = Widget.validate(good({ ports: [{ name: 'a', port: 1 }], unknown: 1 }));
    expect(r.valid && r.object.spec).toEqual({
      replicas: 1,
      mode: 'Fast',
      minReplicas: 0,
      ports: [{ name: 'a', port: 1, protocol: 'TCP' }],
    });
  });

  it('checks kind and apiVersion first and stops there, like the server', () => {
    const r = Widget.validate({ ...good({ replicas: 'x' }), kind: 'Gadget', apiVersion: 'v1' });
    expect(r.violations).toEqual([
      {
        field: 'kind',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "Gadget": must be Widget',
      },
      {
        field: 'apiVersion',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "v1": must be example.com/v1',
      },
    ]);
  });

  it('ignores status on the main resource when the status subresource is on', () => {
    const r = Widget.validate(good({}, { status: { replicas: 'x' } }));
    expect(r.valid && r.object.status).toBe(undefined);
  });

  it('validateStatus() checks status only, as a write to /status', () => {
    const bad = Widget.validateStatus(good({ replicas: 'ignored' }, { status: { replicas: 'x' } }));
    expect(bad.violations).toEqual([
      {
        field: 'status.replicas',
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "string": status.replicas in body must be of type integer: "string"',
      },
      {
        field: '.status.replicas',
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: 0: .status.replicas accessor error: "x" is of the type string, expected int64',
      },
    ]);
    const scale = Widget.validateStatus(good({}, { status: { replicas: -1 } }));
    expect(scale.violations).toEqual([
      {
        field: '.status.replicas',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: -1: should be a non-negative integer',
      },
    ]);
    const ok = Widget.validateStatus(
      good({}, { status: { replicas: 1, phase: 'Ready', junk: 1 } }),
    );
    expect(ok.valid && ok.object.status).toEqual({ replicas: 1, phase: 'Ready' });
  });

  it('checks the scale spec replica path on the main resource', () => {
    const noSchemaLimit = defineResource({
      group: 'a.io',
      version: 'v1',
      kind: 'Scaled',
      scope: 'Namespaced',
      spec: Type.Object({ replicas: Type.Integer() }),
      status: Type.Object({ replicas: Type.Optional(Type.Integer()) }),
      subresources: {
        scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
      },
    });
    const r = noSchemaLimit.validate({ ...noSchemaLimit.create('s', { replicas: 2 ** 31 }) });
    expect(r.violations).toEqual([
      {
        field: '.spec.replicas',
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${2 ** 31}: should be less than or equal to ${2 ** 31 - 1}`,
      },
    ]);
  });

  it('reports a bad name with the API server message', () => {
    const r = Widget.validate({ ...good({}), metadata: { name: 'Bad' } });
    expect(r.violations[0]?.message).toMatch(
      /^Invalid value: "Bad": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters/,
    );
  });

  it('drops nulls of non-nullable fields as the server does, so only required ones fail', () => {
    expect(Widget.validate(good({ name: null })).valid).toBe(true);
    const r = Widget.validate(good({ mode: null }));
    expect(r.violations[0]).toEqual({
      field: 'spec.mode',
      reason: 'FieldValueRequired',
      message: 'Required value',
    });
  });

  it('adds the server notice that CEL rules were skipped after blocking violations', () => {
    expect(Widget.validate(good({ mode: 'Medium' })).violations.at(-1)).toEqual({
      field: '<nil>',
      reason: 'FieldValueInvalid',
      message:
        'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    });
    expect(Widget.validate(good({ replicas: 11 })).violations).toHaveLength(1);
    expect(
      Gadget.validate({ ...Gadget.create('g', { size: 1 }), spec: {} }).violations,
    ).toHaveLength(1);
  });

  it('rejects a value that is not an object', () => {
    expect(Widget.validate('x').valid).toBe(false);
  });
});

describe('definition-time errors', () => {
  const base = {
    group: 'example.com',
    version: 'v1',
    kind: 'Thing',
    scope: 'Namespaced' as const,
    spec: Type.Object({}),
  };
  const problemsOf = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ResourceDefinitionError);
      return (e as ResourceDefinitionError).problems;
    }
    throw new Error('expected a ResourceDefinitionError');
  };

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a group without a dot', { group: 'example' }, 'group', /at least one dot/],
    ['a group with capitals', { group: 'Example.com' }, 'group', /RFC 1123 subdomain/],
    ['a lowercase kind', { kind: 'thing' }, 'kind', /uppercase/],
    ['a kind with an underscore', { kind: 'My_Thing' }, 'kind', /DNS-1035/],
    ['an uppercase plural', { plural: 'Things' }, 'plural', /DNS-1035/],
    ['a bad version', { version: '1' }, 'version', /DNS-1035/],
    ['a bad short name', { shortNames: ['T'] }, 'shortNames[0]', /DNS-1035/],
    [
      'an unknown format',
      { spec: Type.Object({ a: Type.String({ format: 'colour' }) }) },
      'openAPIV3Schema.properties[spec].properties[a].format',
      /not a format/,
    ],
    ['a Date', { spec: Type.Object({ when: Type.Date() }) }, 'spec.when', /format: "date-time"/],
    [
      'a union of objects',
      {
        spec: Type.Object({
          u: Type.Union([Type.Object({ a: Type.String() }), Type.Object({ b: Type.String() })]),
        }),
      },
      'spec.u',
      /not structural/,
    ],
    ['a tuple', { spec: Type.Object({ t: Type.Tuple([Type.String()]) }) }, 'spec.t', /tuples/],
    ['a ref', { spec: Type.Object({ r: Type.Ref('X') }) }, 'spec.r', /\$ref/],
    [
      'a list map on an optional key',
      {
        spec: Type.Object({
          l: K8s.ListMap(Type.Object({ k: Type.Optional(Type.String()) }), ['k']),
        }),
      },
      'openAPIV3Schema.properties[spec].properties[l].items.properties[k].default',
      /must have a default or be a required property/,
    ],
    [
      'a bad printer column',
      { printerColumns: [{ name: 'X', type: 'text', jsonPath: 'spec.x' }] },
      'printerColumns[0].type',
      /must be one of/,
    ],
    [
      'a scale path outside spec',
      {
        spec: Type.Object({ r: Type.Integer() }),
        subresources: { scale: { specReplicasPath: '.status.r', statusReplicasPath: '.status.r' } },
      },
      'subresources.scale.specReplicasPath',
      /under \.spec\./,
    ],
    [
      'a selectable object field',
      { spec: Type.Object({ o: Type.Object({}) }), selectableFields: ['.spec.o'] },
      'selectableFields[0]',
      /string, integer or boolean/,
    ],
    [
      'a status subresource without status',
      { subresources: { status: true } },
      'subresources.status',
      /status schema/,
    ],
  ])('reports %s', (_label, override, field, message) => {
    const problems = problemsOf(() => defineResource({ ...base, ...override } as never));
    const hit = problems.find((p) => p.field === field);
    expect(hit, JSON.stringify(problems)).toBeDefined();
    expect(hit?.message).toMatch(message);
  });

  it('reports every problem at once, with the field and the rule in the message', () => {
    expect(() => defineResource({ ...base, group: 'bad', kind: 'bad' })).toThrow(
      /invalid resource definition bad\.bad\/v1[\s\S]*- group: "bad": should be a domain[\s\S]*- kind: "bad": must start/,
    );
  });
});

describe('defineResource without a spec schema', () => {
  it('throws a ResourceDefinitionError naming spec, not a TypeBox TypeError', () => {
    const base = { group: 'example.com', version: 'v1', kind: 'Widget', scope: 'Namespaced' };
    expect(() => defineResource(base as never)).toThrow(ResourceDefinitionError);
    expect(() => defineResource(base as never)).toThrow(
      /spec: spec is required: pass a TypeBox schema/,
    );
    expect(() => defineResource({ ...base, spec: { replicas: 1 } } as never)).toThrow(
      /spec must be a TypeBox schema/,
    );
  });
});
