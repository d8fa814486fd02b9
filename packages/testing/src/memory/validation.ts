import type { StatusCause } from './errors.js';
import { isObject, type JsonObject } from './json.js';
import type { ResourceType } from './resource-types.js';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** A FieldValueInvalid cause. */
export function invalidValue(field: string, value: unknown, why: string): StatusCause {
  return {
    reason: 'FieldValueInvalid',
    message: `Invalid value: ${JSON.stringify(value)}: ${why}`,
    field,
  };
}

/** A FieldValueRequired cause. */
export function required(field: string, why = ''): StatusCause {
  return { reason: 'FieldValueRequired', message: `Required value${why ? `: ${why}` : ''}`, field };
}

/** A FieldValueNotSupported cause (`Unsupported value: "x": supported values: "a", "b"`). */
export function notSupported(
  field: string,
  value: unknown,
  allowed: readonly string[],
): StatusCause {
  const list = allowed.map((v) => JSON.stringify(v)).join(', ');
  return {
    reason: 'FieldValueNotSupported',
    message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${list}`,
    field,
  };
}

/** A FieldValueInvalid cause for a value out of `min`..: `must be greater than or equal to 0`. */
export function notNegative(field: string, value: unknown): StatusCause[] {
  return typeof value === 'number' && value < 0
    ? [invalidValue(field, value, 'must be greater than or equal to 0')]
    : [];
}

/** The causes of a name that must be a lowercase RFC 1123 label (empty when valid). */
export function rfc1123LabelCauses(field: string, name: string): StatusCause[] {
  if (name.length > 63) return [invalidValue(field, name, 'must be no more than 63 characters')];
  return LABEL.test(name) ? [] : [invalidValue(field, name, LABEL_MSG)];
}

/** kube-apiserver's `IsQualifiedName` messages for a value (`prefix/name`); empty when valid. */
export { qualifiedNameErrors } from '@kube-ts/schema/validation';

/** Resources whose names must be RFC 1123 labels rather than subdomains. */
const LABEL_NAMED = new Set(['namespaces', 'services']);

/** Checks an object name for a resource; returns the causes (empty when valid). */
export function validateName(t: ResourceType, name: string): StatusCause[] {
  // RBAC objects are named by path segments (`system:aggregate-to-view` is valid).
  if (t.group === 'rbac.authorization.k8s.io') {
    if (name === '.' || name === '..')
      return [invalidValue('metadata.name', name, `may not be '${name}'`)];
    for (const c of ['/', '%']) {
      if (name.includes(c)) return [invalidValue('metadata.name', name, `may not contain '${c}'`)];
    }
    return [];
  }
  if (LABEL_NAMED.has(t.plural) && !t.group) {
    if (name.length > 63)
      return [invalidValue('metadata.name', name, 'must be no more than 63 characters')];
    return LABEL.test(name) ? [] : [invalidValue('metadata.name', name, LABEL_MSG)];
  }
  if (name.length > 253)
    return [invalidValue('metadata.name', name, 'must be no more than 253 characters')];
  return SUBDOMAIN.test(name) ? [] : [invalidValue('metadata.name', name, SUBDOMAIN_MSG)];
}

function validateLabelKey(field: string, key: string): StatusCause[] {
  const parts = key.split('/');
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length > 2 || (parts.length === 2 && !SUBDOMAIN.test(parts[0]!))) {
    return [invalidValue(field, key, 'prefix part must be a lowercase RFC 1123 subdomain')];
  }
  if (name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return [
      invalidValue(
        field,
        key,
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ),
    ];
  }
  return [];
}

/** Validates metadata (labels, annotations, finalizers, ownerReferences shape). */
export function validateMetadata(meta: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const labels = meta.labels;
  if (labels !== undefined && labels !== null) {
    if (!isObject(labels))
      causes.push(invalidValue('metadata.labels', labels, 'must be an object'));
    else {
      for (const [k, v] of Object.entries(labels)) {
        causes.push(...validateLabelKey('metadata.labels', k));
        if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) {
          causes.push(
            invalidValue(
              'metadata.labels',
              v,
              "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
            ),
          );
        }
      }
    }
  }
  const ann = meta.annotations;
  if (ann !== undefined && ann !== null) {
    if (!isObject(ann)) causes.push(invalidValue('metadata.annotations', ann, 'must be an object'));
    else
      for (const k of Object.keys(ann)) causes.push(...validateLabelKey('metadata.annotations', k));
  }
  const fin = meta.finalizers;
  if (Array.isArray(fin)) {
    fin.forEach((f, i) => {
      if (typeof f !== 'string' || f === '') causes.push(required(`metadata.finalizers[${i}]`));
    });
  }
  const owners = meta.ownerReferences;
  if (Array.isArray(owners)) {
    let controllers = 0;
    owners.forEach((o, i) => {
      const f = `metadata.ownerReferences[${i}]`;
      if (!isObject(o)) return;
      for (const k of ['apiVersion', 'kind', 'name', 'uid']) {
        if (typeof o[k] !== 'string' || o[k] === '')
          causes.push(required(`${f}.${k}`, `${k} must not be empty`));
      }
      if (o.controller === true) controllers++;
    });
    if (controllers > 1) {
      causes.push(
        invalidValue(
          'metadata.ownerReferences',
          owners,
          'Only one reference can have Controller set to true',
        ),
      );
    }
  }
  return causes;
}

/** A FieldValueForbidden cause. */
export function forbiddenValue(field: string, why: string): StatusCause {
  return { reason: 'FieldValueForbidden', message: `Forbidden: ${why}`, field };
}

/** A FieldValueDuplicate cause (`Duplicate value: "x"`). */
export function duplicate(field: string, value: unknown): StatusCause {
  return {
    reason: 'FieldValueDuplicate',
    message: `Duplicate value: ${JSON.stringify(value)}`,
    field,
  };
}

/** A FieldValueNotFound cause (`Not found: "x"`). */
export function notFoundValue(field: string, value: unknown): StatusCause {
  return { reason: 'FieldValueNotFound', message: `Not found: ${JSON.stringify(value)}`, field };
}
