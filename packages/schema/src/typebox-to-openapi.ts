import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import { Kind, type TSchema } from '@sinclair/typebox';
import { childPath } from './field-path.js';
import { isJsonObject } from './json-schema.js';
import type { StructuralProblem } from './structural.js';

/** Keywords copied as they are (annotations and constraints both dialects share). */
const COPIED = [
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'default',
  'example',
  'enum',
  'required',
  'minimum',
  'maximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
] as const;

/** JSON Schema keywords that carry no constraint and are dropped. */
const DROPPED = new Set([
  '$id',
  '$schema',
  '$comment',
  'examples',
  'readOnly',
  'writeOnly',
  'deprecated',
]);

/** Keywords handled explicitly below. */
const HANDLED = new Set<string>([
  ...COPIED,
  'const',
  'properties',
  'additionalProperties',
  'patternProperties',
  'items',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'uniqueItems',
]);

const UNSUPPORTED_KINDS: Readonly<Record<string, string>> = {
  Date: 'use Type.String({ format: "date-time" }) (JSON has no dates)',
  Uint8Array: 'use Type.String({ format: "byte" }) (base64 in JSON)',
  BigInt: 'use Type.Integer() or K8s.IntOrString()',
  Undefined: 'use Type.Optional(...) for a field that may be absent',
  Void: 'remove the field',
  Function: 'functions are not JSON',
  Constructor: 'constructors are not JSON',
  Promise: 'promises are not JSON',
  Symbol: 'symbols are not JSON',
  AsyncIterator: 'iterators are not JSON',
  Iterator: 'iterators are not JSON',
  Never: 'remove the field',
  Ref: 'inline the referenced schema (structural schemas forbid $ref)',
  This: 'recursive types cannot be structural; bound the depth or use K8s.PreserveUnknown()',
  Tuple: 'use Type.Array(...) (tuples are not structural)',
  RegExp: 'use Type.String({ pattern })',
};

type Report = (field: string, message: string) => void;

function isCatchAllPattern(p: string): boolean {
  return p === '^(.*)$' || p === '^.*$' || p === '.*';
}

function literalType(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return typeof value;
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return undefined;
}

/** Converts one union (`anyOf` of TypeBox members) into a structural node. */
function convertUnion(
  members: TSchema[],
  rest: JSONSchemaProps,
  path: string,
  report: Report,
): JSONSchemaProps {
  const nonNull = members.filter((m) => (m as { type?: unknown }).type !== 'null');
  const nullable = nonNull.length < members.length;
  const extra: JSONSchemaProps = nullable ? { ...rest, nullable: true } : { ...rest };
  const consts = nonNull.map((m) => (m as { const?: unknown }).const);
  if (nonNull.length > 0 && consts.every((c) => c !== undefined)) {
    const types = new Set(consts.map(literalType));
    const [only] = types;
    if (types.size === 1 && only !== undefined) {
      const type = (
        only === 'integer' && consts.some((c) => !Number.isInteger(c)) ? 'number' : only
      ) as JSONSchemaProps['type'];
      return { type, ...extra, enum: nullable ? [...consts, null] : consts };
    }
    report(
      path,
      'a union of literals must have one JSON type (all strings, all numbers or all booleans)',
    );
    return { ...extra };
  }
  if (nonNull.length === 1 && nonNull[0]) {
    return { ...convertNode(nonNull[0], path, report), ...extra };
  }
  const types = new Set(nonNull.map((m) => (m as { type?: unknown }).type));
  if (nonNull.length === 2 && types.has('integer') && types.has('string')) {
    return { 'x-kubernetes-int-or-string': true, ...extra };
  }
  report(
    path,
    'unions are not structural: use a union of literals (enum), Type.Union([T, Type.Null()]) (nullable), K8s.IntOrString(), or one object with optional fields plus K8s.Cel rules',
  );
  return { ...extra };
}

/** Merges the members of an intersection of objects into one object node. */
function convertIntersect(
  members: TSchema[],
  rest: JSONSchemaProps,
  path: string,
  report: Report,
): JSONSchemaProps {
  const out: JSONSchemaProps = { ...rest, type: 'object', properties: {} };
  const required = new Set<string>();
  for (const m of members) {
    const node = convertNode(m, path, report);
    if (node.type !== 'object' || node.properties === undefined) {
      report(path, 'an intersection must combine objects with properties only');
      continue;
    }
    Object.assign(out.properties as Record<string, JSONSchemaProps>, node.properties);
    for (const r of node.required ?? []) required.add(r);
    if (node['x-kubernetes-validations']) {
      out['x-kubernetes-validations'] = [
        ...(out['x-kubernetes-validations'] ?? []),
        ...node['x-kubernetes-validations'],
      ];
    }
  }
  if (required.size > 0) out.required = [...required];
  return out;
}

function convertKeywords(
  schema: Record<string, unknown>,
  path: string,
  report: Report,
): JSONSchemaProps {
  const out: Record<string, unknown> = {};
  for (const key of COPIED) if (schema[key] !== undefined) out[key] = structuredClone(schema[key]);
  if (schema.const !== undefined) out.enum = [schema.const];
  for (const key of ['exclusiveMinimum', 'exclusiveMaximum'] as const) {
    const v = schema[key];
    if (typeof v === 'number') {
      out[key === 'exclusiveMinimum' ? 'minimum' : 'maximum'] = v;
      out[key] = true;
    } else if (v !== undefined) {
      out[key] = v;
    }
  }
  for (const key of Object.keys(schema)) {
    if (!HANDLED.has(key) && !DROPPED.has(key)) {
      report(
        path,
        `the JSON Schema keyword "${key}" is not supported in Kubernetes structural schemas`,
      );
    }
  }
  return out as JSONSchemaProps;
}

function convertChildren(
  schema: Record<string, unknown>,
  out: JSONSchemaProps,
  path: string,
  report: Report,
): void {
  if (isJsonObject(schema.properties)) {
    out.properties = {};
    for (const [name, prop] of Object.entries(schema.properties)) {
      out.properties[name] = convertNode(prop as TSchema, childPath(path, name), report);
    }
  }
  const additional = schema.additionalProperties;
  if (isJsonObject(additional)) {
    out.additionalProperties = convertNode(additional as TSchema, `${path}.*`, report);
  } else if (additional === true) {
    out.additionalProperties = true;
  }
  if (isJsonObject(schema.patternProperties)) {
    const entries = Object.entries(schema.patternProperties);
    const [first] = entries;
    if (entries.length === 1 && first && isCatchAllPattern(first[0])) {
      out.additionalProperties = convertNode(first[1] as TSchema, `${path}.*`, report);
    } else {
      report(
        path,
        'record keys must be plain strings (Type.Record(Type.String(), V)); patterned keys are not structural',
      );
    }
  }
  if (Array.isArray(schema.items)) {
    report(path, 'tuples are not structural: use Type.Array(...)');
  } else if (isJsonObject(schema.items)) {
    out.items = convertNode(schema.items as TSchema, `${path}[]`, report);
  }
  for (const list of ['allOf', 'anyOf', 'oneOf'] as const) {
    const subs = schema[list];
    if (Array.isArray(subs)) out[list] = subs.map((s) => convertNode(s as TSchema, path, report));
  }
  if (isJsonObject(schema.not)) out.not = convertNode(schema.not as TSchema, path, report);
  if (schema.uniqueItems === true) {
    if (out['x-kubernetes-list-type'] === undefined) out['x-kubernetes-list-type'] = 'set';
  }
}

function convertNode(schema: TSchema, path: string, report: Report): JSONSchemaProps {
  const kind = (schema as { [Kind]?: string })[Kind];
  if (kind !== undefined && Object.hasOwn(UNSUPPORTED_KINDS, kind)) {
    report(path, `Type.${kind} cannot be expressed in a CRD schema: ${UNSUPPORTED_KINDS[kind]}`);
    return {};
  }
  if (kind === 'Unknown' || kind === 'Any') {
    return {
      ...convertKeywords(schema, path, report),
      'x-kubernetes-preserve-unknown-fields': true,
    };
  }
  if (kind === 'Union' && Array.isArray(schema.anyOf)) {
    const { anyOf, ...rest } = schema as Record<string, unknown>;
    return convertUnion(anyOf as TSchema[], convertKeywords(rest, path, report), path, report);
  }
  if (kind === 'Intersect' && Array.isArray(schema.allOf)) {
    const { allOf, type: _type, ...rest } = schema as Record<string, unknown>;
    return convertIntersect(allOf as TSchema[], convertKeywords(rest, path, report), path, report);
  }
  const out = convertKeywords(schema, path, report);
  convertChildren(schema, out, path, report);
  return out;
}

/**
 * Converts a TypeBox schema into the Kubernetes OpenAPI v3 dialect of a CRD: TypeBox's
 * symbols and `$id` are stripped; optional properties are left out of `required`; a union
 * of literals becomes an `enum`; `T | null` becomes `nullable: true`; `integer | string`
 * becomes `x-kubernetes-int-or-string`; `Type.Record(Type.String(), V)` becomes
 * `additionalProperties`; an intersection of objects is merged; `Type.Unknown()` becomes
 * `x-kubernetes-preserve-unknown-fields`; numeric `exclusiveMinimum`/`exclusiveMaximum`
 * become the boolean form; `uniqueItems` becomes `x-kubernetes-list-type: set`;
 * `x-kubernetes-*` keywords (from the `K8s` builders) pass through.
 *
 * Whatever cannot be expressed is reported (never silently dropped) with the field
 * path, e.g. `spec.items[].when`.
 *
 * @param schema a TypeBox schema.
 * @param path the field path of the schema in the resource (for messages), e.g. `spec`.
 */
export function typeboxToOpenApi(
  schema: TSchema,
  path = '',
): { schema: JSONSchemaProps; problems: StructuralProblem[] } {
  const problems: StructuralProblem[] = [];
  const converted = convertNode(schema, path, (field, message) =>
    problems.push({ field, message }),
  );
  return { schema: converted, problems };
}
