import type { JSONSchemaProps } from '@kube-ts/schema';
import { pruneUnknownFields } from '@kube-ts/schema/validation';
import { base64ErrorOffset } from './builtins/base64.js';
import { formatGoTime, parseGoTime } from './builtins/times.js';
import { definitionOf, forEachLeaf, removeUnknownFields } from './builtins/typed-fields.js';
import { badRequest, HttpStatusError, invalid } from './errors.js';
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

/**
 * The decoding error of a built-in's `[]byte` fields (base64 text that Go's decoder
 * refuses), as Go words it, or undefined.
 */
function byteFieldError(t: ResourceType, version: string, obj: JsonObject): string | undefined {
  const def = t.builtin ? definitionOf(t.group, version, t.kind) : undefined;
  if (!def) return undefined;
  let error: string | undefined;
  forEachLeaf(def, obj, 'byte', (v) => {
    if (error === undefined && typeof v === 'string') {
      const at = base64ErrorOffset(v);
      if (at !== undefined) error = `illegal base64 data at input byte ${at}`;
    }
    return undefined;
  });
  return error;
}

/**
 * Decodes a built-in's `Time` and `MicroTime` fields as Go's JSON decoder does: each value
 * is parsed (Go's error text for the first that does not parse) and rewritten in the form
 * the server stores and answers (UTC; whole seconds for Time, microseconds for MicroTime).
 */
function timeFieldError(t: ResourceType, version: string, obj: JsonObject): string | undefined {
  const def = t.builtin ? definitionOf(t.group, version, t.kind) : undefined;
  if (!def) return undefined;
  let error: string | undefined;
  for (const kind of ['Time', 'MicroTime'] as const) {
    forEachLeaf(def, obj, kind, (v, path) => {
      if (error !== undefined) return undefined;
      if (typeof v !== 'string') {
        const field = `${t.kind}.${path.replace(/\[\d+\]/g, '')}`;
        error = `json: cannot unmarshal ${goJsonType(v)} into Go struct field ${field} of type string`;
        return undefined;
      }
      const parsed = parseGoTime(kind, v);
      if (typeof parsed === 'string') {
        error = parsed;
        return undefined;
      }
      return formatGoTime(kind, parsed);
    });
  }
  return error;
}

/** The JSON type name Go's decoder gives a value it cannot store (`number`, `object`, …). */
function goJsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

/**
 * Decodes the times of an object a server-side apply produced (see `timeFieldError`). The
 * field manager converts its result to the typed object only after merging, so a value that
 * does not parse is kube-apiserver's bare 500 naming the object as the apply sent it
 * (`sentNamespace`: its namespace as sent, often empty).
 */
export function decodeAppliedTimes(
  t: ResourceType,
  version: string,
  obj: JsonObject,
  sentNamespace: string,
): void {
  const error = timeFieldError(t, version, obj);
  if (error === undefined) return;
  const gvk = `${t.group}/${version}, Kind=${t.kind}`;
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  throw new HttpStatusError(
    500,
    '',
    `failed to convert new object (${sentNamespace}/${String(meta.name ?? '')}; ${gvk}) to proper version: unable to convert unstructured object to ${gvk}: ${error}`,
  );
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
  const decodeError = byteFieldError(t, version, obj) ?? timeFieldError(t, version, obj);
  if (decodeError) throw refusal(t, version, decodeError, from);
  const found = unknownFields(t, version, obj);
  if (found.length === 0 || how === 'Ignore') return;
  const errors = found.map((f) => `unknown field "${f}"`);
  if (how === 'Warn') {
    warnings.push(...errors);
    return;
  }
  throw refusal(t, version, `strict decoding error: ${errors.join(', ')}`, from);
}

/** A decoding failure as kube-apiserver answers it: 400 for a body, 422 on `patch` for a patch. */
function refusal(
  t: ResourceType,
  version: string,
  text: string,
  from: DecodedFrom,
): HttpStatusError {
  if (from.body === 'object') {
    return badRequest(
      `${t.kind} in version "${version}" cannot be handled as a ${t.kind}: ${text}`,
    );
  }
  // kube-apiserver's patch handler names neither the kind nor the object here.
  return invalid('', '', '', [
    {
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(from.patch)}: ${text}`,
      field: 'patch',
    },
  ]);
}
