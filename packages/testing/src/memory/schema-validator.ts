import type { StatusCause } from './errors.js';
import { deepEqual, isObject, type Json, type JsonObject } from './json.js';

function typeName(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeOk(type: string, v: Json): boolean {
  const t = typeName(v);
  if (type === 'number') return t === 'number' || t === 'integer';
  return t === type;
}

function show(v: Json): string {
  return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
}

/**
 * Validates `value` against a Kubernetes structural openAPIV3Schema and prunes unknown
 * fields in place (unless `x-kubernetes-preserve-unknown-fields`). Covers type, nullable,
 * int-or-string, required, enum, minimum/maximum (exclusive too), minLength/maxLength,
 * pattern, minItems/maxItems, additionalProperties and embedded-resource metadata.
 * Returns the causes with field paths as the real server prints them.
 */
export function validateAndPrune(
  schema: JsonObject,
  value: Json,
  path: string,
  causes: StatusCause[],
): void {
  if (value === null) {
    if (schema.nullable === true) return;
    if (
      schema['x-kubernetes-int-or-string'] ||
      (schema['x-kubernetes-preserve-unknown-fields'] && !schema.type)
    ) {
      return;
    }
    if (typeof schema.type === 'string') {
      causes.push({
        reason: 'FieldValueTypeInvalid',
        message: `Invalid value: "null": ${path} in body must be of type ${schema.type}: "null"`,
        field: path,
      });
    }
    return;
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    if (!(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))) {
      causes.push({
        reason: 'FieldValueTypeInvalid',
        message: `Invalid value: ${show(value)}: ${path} in body must be of type integer,string: ${JSON.stringify(typeName(value))}`,
        field: path,
      });
      return;
    }
  } else if (typeof schema.type === 'string' && !typeOk(schema.type, value)) {
    causes.push({
      reason: 'FieldValueTypeInvalid',
      message: `Invalid value: ${JSON.stringify(typeName(value))}: ${path} in body must be of type ${schema.type}: ${JSON.stringify(typeName(value))}`,
      field: path,
    });
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => deepEqual(e, value))) {
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${show(value)}: supported values: ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`,
      field: path,
    });
  }
  if (typeof value === 'number') {
    const min = schema.minimum;
    const max = schema.maximum;
    if (typeof min === 'number') {
      const bad = schema.exclusiveMinimum === true ? value <= min : value < min;
      if (bad) {
        causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${value}: ${path} in body should be greater than ${schema.exclusiveMinimum === true ? '' : 'or equal to '}${min}`,
          field: path,
        });
      }
    }
    if (typeof max === 'number') {
      const bad = schema.exclusiveMaximum === true ? value >= max : value > max;
      if (bad) {
        causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${value}: ${path} in body should be less than ${schema.exclusiveMaximum === true ? '' : 'or equal to '}${max}`,
          field: path,
        });
      }
    }
  }
  if (typeof value === 'string') {
    if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) {
      causes.push({
        reason: 'FieldValueTooLong',
        message: `Too long: may not be more than ${schema.maxLength} bytes`,
        field: path,
      });
    }
    if (typeof schema.minLength === 'number' && [...value].length < schema.minLength) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${show(value)}: ${path} in body should be at least ${schema.minLength} chars long`,
        field: path,
      });
    }
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${show(value)}: ${path} in body should match '${schema.pattern}'`,
        field: path,
      });
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
      causes.push({
        reason: 'FieldValueTooMany',
        message: `Too many: ${value.length}: must have at most ${schema.maxItems} items`,
        field: path,
      });
    }
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${value.length}: ${path} in body should have at least ${schema.minItems} items`,
        field: path,
      });
    }
    if (isObject(schema.items)) {
      const items = schema.items;
      value.forEach((item, i) => {
        validateAndPrune(items, item, `${path}[${i}]`, causes);
      });
    }
  }
  if (isObject(value)) validateObject(schema, value, path, causes);
}

function validateObject(
  schema: JsonObject,
  value: JsonObject,
  path: string,
  causes: StatusCause[],
): void {
  const props = isObject(schema.properties) ? schema.properties : undefined;
  const extra = schema.additionalProperties;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  if (Array.isArray(schema.required)) {
    for (const r of schema.required) {
      if (typeof r === 'string' && value[r] === undefined) {
        causes.push({
          reason: 'FieldValueRequired',
          message: 'Required value',
          field: path ? `${path}.${r}` : r,
        });
      }
    }
  }
  const maxP = schema.maxProperties;
  if (typeof maxP === 'number' && Object.keys(value).length > maxP) {
    causes.push({
      reason: 'FieldValueTooMany',
      message: `Too many: ${Object.keys(value).length}: must have at most ${maxP} items`,
      field: path,
    });
  }
  for (const k of Object.keys(value)) {
    const sub = path ? `${path}.${k}` : k;
    const ps = props?.[k];
    if (isObject(ps)) validateAndPrune(ps, value[k]!, sub, causes);
    else if (isObject(extra)) validateAndPrune(extra, value[k]!, sub, causes);
    else if (extra === true || preserve) continue;
    else if (embedded && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
    else delete value[k];
  }
}

/**
 * Validates a whole custom resource against its CRD version's schema: apiVersion, kind
 * and metadata are the server's (not pruned); every other top-level field is validated
 * and pruned. Mutates `obj` (pruning) and returns the causes.
 */
export function validateCustomResource(
  schema: JsonObject | undefined,
  obj: JsonObject,
): StatusCause[] {
  if (!schema) return [];
  const causes: StatusCause[] = [];
  const props = isObject(schema.properties) ? schema.properties : {};
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (Array.isArray(schema.required)) {
    for (const r of schema.required) {
      if (typeof r === 'string' && obj[r] === undefined)
        causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: r });
    }
  }
  for (const k of Object.keys(obj)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'metadata') continue;
    const ps = props[k];
    if (isObject(ps)) validateAndPrune(ps, obj[k]!, k, causes);
    else if (!preserve) delete obj[k];
  }
  return causes;
}
