import { type JSONSchemaProps, pruneUnknownFields } from '@kube-ts/schema';
import { definitionOf, removeUnknownFields } from './builtins/typed-fields.js';
import { badRequest, type HttpStatusError, invalid } from './errors.js';
import { isObject, type JsonObject } from './json.js';
import type { FieldValidation } from './request-options.js';
import type { ResourceType } from './resource-types.js';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/**
 * Drops the fields of `obj` (in place) that its type does not declare and returns their
 * paths, as kube-apiserver's decoder finds them: a built-in's typed fields (generated from
 * Kubernetes' OpenAPI document), or for a custom resource its ObjectMeta's fields first,
 * then what its structural schema prunes (sorted, as the server sorts them).
 */
export function unknownFields(t: ResourceType, version: string, obj: JsonObject): string[] {
  if (t.builtin) {
    const def = definitionOf(t.group, version, t.kind);
    return def ? removeUnknownFields(def, obj) : [];
  }
  const found = removeUnknownFields(OBJECT_META, obj.metadata, 'metadata');
  const schema = t.schemas?.[version] as unknown as JSONSchemaProps | undefined;
  if (!schema) return found;
  const pruned: string[] = [];
  const kept = pruneUnknownFields(schema, obj, {
    resourceRoot: true,
    onPruned: (path) => pruned.push(path),
  }) as JsonObject;
  if (pruned.length) {
    for (const k of Object.keys(obj)) if (!Object.hasOwn(kept, k)) delete obj[k];
    Object.assign(obj, kept);
  }
  return [...found, ...pruned.sort()];
}

/** How a request body reached the decoder: the refusal differs (400 for bodies, 422 for patches). */
export type DecodedFrom = { body: 'object' } | { body: 'patch'; patch: string };

/**
 * Applies `fieldValidation` to a decoded object like kube-apiserver: drops unknown fields,
 * then `Strict` refuses the request naming every one (`strict decoding error: unknown field
 * "spec.replica"`; 400 for a create or update body, 422 on the `patch` field for a patch),
 * `Warn` adds one warning per field, `Ignore` says nothing.
 */
export function validateFields(
  t: ResourceType,
  version: string,
  obj: JsonObject,
  how: FieldValidation,
  warnings: string[],
  from: DecodedFrom,
): void {
  const found = unknownFields(t, version, obj);
  if (found.length === 0 || how === 'Ignore') return;
  const errors = found.map((f) => `unknown field "${f}"`);
  if (how === 'Warn') {
    warnings.push(...errors);
    return;
  }
  throw strictError(t, version, obj, errors, from);
}

function strictError(
  t: ResourceType,
  version: string,
  obj: JsonObject,
  errors: string[],
  from: DecodedFrom,
): HttpStatusError {
  const text = `strict decoding error: ${errors.join(', ')}`;
  if (from.body === 'object') {
    return badRequest(
      `${t.kind} in version "${version}" cannot be handled as a ${t.kind}: ${text}`,
    );
  }
  const name = isObject(obj.metadata) ? String(obj.metadata.name ?? '') : '';
  return invalid(t.kind, t.group, name, [
    {
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(from.patch)}: ${text}`,
      field: 'patch',
    },
  ]);
}
