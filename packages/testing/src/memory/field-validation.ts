import type { JSONSchemaProps } from '@kube-ts/schema';
import { pruneUnknownFields } from '@kube-ts/schema/validation';
import { keepBigIntegers, keepFloat64Paths } from './big-integers.js';
import { builtinOwnershipRules } from './builtins/ownership-rules.js';
import { type Decoder, decodeTyped } from './builtins/typed-decode.js';
import { definitionOf, removeUnknownFields } from './builtins/typed-fields.js';
import { typedPatchErrors } from './builtins/typed-patch.js';
import { yamlDuplicateKeys } from './duplicate-fields.js';
import { badRequest, HttpStatusError, invalid } from './errors.js';
import { isObject, type JsonObject } from './json.js';
import { type JsonScan, scanJson } from './json-scan.js';
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
 * Decodes an object a server-side apply produced like kube-apiserver (see `decodeTyped`):
 * the field manager converts its result to the typed object only after merging, so a value
 * that does not decode is kube-apiserver's bare 500 naming the object as the apply sent it
 * (`sentNamespace`: its namespace as sent, often empty).
 */
export function decodeApplied(
  t: ResourceType,
  version: string,
  obj: JsonObject,
  sentNamespace: string,
): void {
  const def = t.builtin ? definitionOf(t.group, version, t.kind) : undefined;
  const error = def && decodeTyped(def, obj, 'unstructured');
  if (error === undefined) return;
  const gvk = `${t.group}/${version}, Kind=${t.kind}`;
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  throw new HttpStatusError(
    500,
    '',
    `failed to convert new object (${sentNamespace}/${String(meta.name ?? '')}; ${gvk}) to proper version: unable to convert unstructured object to ${gvk}: ${error}`,
  );
}

/**
 * Checks a server-side apply body like kube-apiserver's field manager: duplicate keys (the
 * body is read as YAML, JSON included) are a 400 under `Strict` and one warning each under
 * `Warn`; fields the type does not declare and values of the wrong type make the typed
 * patch fail with a bare 500 whatever `fieldValidation` says (`.spec.x: field not
 * declared in schema`, `.spec.replicas: expected numeric (int or float), got string`).
 */
export function checkApplyBody(
  t: ResourceType,
  version: string,
  body: JsonObject,
  raw: string,
  how: FieldValidation,
  warnings: string[],
  named: string,
): void {
  const dups = how === 'Ignore' ? [] : yamlDuplicateKeys(raw);
  if (dups.length && how === 'Strict') {
    throw badRequest(
      `error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  ${dups.join('\n  ')}`,
    );
  }
  warnings.push(...dups);
  const def = t.builtin ? definitionOf(t.group, version, t.kind) : undefined;
  const unknown = [
    ...unknownFields(t, version, structuredClone(body)).map(
      (f) => `.${f}: field not declared in schema`,
    ),
    ...(def ? typedPatchErrors(builtinOwnershipRules(t.group, version, t.kind), def, body) : []),
  ].sort();
  if (unknown.length === 0) return;
  const gvk = `${t.group}/${version}, Kind=${t.kind}`;
  const list = unknown.length === 1 ? unknown[0] : `errors:\n  ${unknown.join('\n  ')}`;
  throw new HttpStatusError(
    500,
    '',
    `failed to create typed patch object (${named}; ${gvk}): ${list}`,
  );
}

/**
 * How a request body reached the decoder: the refusal differs (400 for bodies, 422 for
 * patches). A patch carries what a refusal shows of it (`patch`), the text the decoder
 * reads (`text`, the patched object as the patch machinery wrote it), the duplicate keys
 * found in the patch itself, worded, which come before the decoder's findings, and the
 * decoder that reads the patched object (`unstructured` for a strategic merge patch).
 */
export type DecodedFrom =
  | { body: 'object' }
  | {
      body: 'patch';
      patch: string;
      text: string;
      duplicates: readonly string[];
      decoder: Decoder;
    };

/** What the strict decoder reports: for a `Strict` refusal and for `Warn`'s warnings. */
interface Findings {
  strict: string[];
  warn: string[];
}

/**
 * The unknown and duplicate fields of a body, in kube-apiserver's order and words. A
 * built-in's typed JSON decoder reports both as it meets them in the text; a custom
 * resource's reports its duplicates first (while reading the JSON), then the fields
 * pruning drops. A YAML body's duplicates come first, as one `yaml: unmarshal errors:`
 * entry (one warning each).
 */
function findings(
  t: ResourceType,
  version: string,
  obj: JsonObject,
  raw: string | undefined,
  scan: JsonScan | undefined,
): Findings {
  const unknown = unknownFields(t, version, obj).map((path) => ({
    path,
    text: `unknown field "${path}"`,
  }));
  const texts = (xs: { text: string }[]) => xs.map((x) => x.text);
  const text = raw?.trimStart() ?? '';
  if (raw === undefined || text === '') return { strict: texts(unknown), warn: texts(unknown) };
  if (!scan) {
    const dups = yamlDuplicateKeys(raw);
    const first = dups.length ? [`yaml: unmarshal errors:\n  ${dups.join('\n  ')}`] : [];
    return { strict: [...first, ...texts(unknown)], warn: [...dups, ...texts(unknown)] };
  }
  const keys = scan.keys;
  const dups = keys
    .filter((k) => k.duplicate)
    .map((k) => ({ offset: k.offset, path: k.path, text: `duplicate field "${k.path}"` }));
  if (!t.builtin) {
    const all = [...texts(dups), ...texts(unknown)];
    return { strict: all, warn: all };
  }
  // Go's typed decoder skips an unknown field's value unread: no duplicates inside it.
  const inUnknown = (path: string) =>
    unknown.some((u) => path.startsWith(`${u.path}.`) || path.startsWith(`${u.path}[`));
  const typedDups = dups.filter((d) => !inUnknown(d.path));
  const firstAt = new Map<string, number>();
  for (const k of keys) if (!firstAt.has(k.path)) firstAt.set(k.path, k.offset);
  const located = unknown.map((u) => ({
    offset: firstAt.get(u.path) ?? Number.MAX_SAFE_INTEGER,
    text: u.text,
  }));
  const all = texts([...typedDups, ...located].sort((a, b) => a.offset - b.offset));
  return { strict: all, warn: all };
}

/**
 * Applies `fieldValidation` to a decoded object like kube-apiserver: drops unknown fields,
 * then `Strict` refuses the request naming every unknown and duplicate field (`strict
 * decoding error: unknown field "spec.replica", duplicate field "spec.replicas"`; 400 for a
 * create or update body, 422 on the `patch` field for a patch), `Warn` adds one warning
 * per field, `Ignore` says nothing. `raw` is the text decoded (the body as sent, or the
 * patched object's text), where duplicates are found and fields are ordered.
 */
export function validateFields(
  t: ResourceType,
  version: string,
  obj: JsonObject,
  how: FieldValidation,
  warnings: string[],
  from: DecodedFrom,
  raw?: string,
): void {
  const def = t.builtin ? definitionOf(t.group, version, t.kind) : undefined;
  const decoder = from.body === 'patch' ? from.decoder : 'json';
  // One scan of a JSON text for both: the decoder's number literals and key order, and
  // the strict checks' duplicates and field order.
  const scan = raw !== undefined && /^\s*\{/.test(raw) ? scanJson(raw) : undefined;
  const decodeError = def && decodeTyped(def, obj, decoder, decoder === 'json' ? scan : undefined);
  if (decodeError !== undefined) throw refusal(t, version, decodeError, from);
  if (scan && scan.numbers.size > 0) {
    if (!t.builtin) {
      // An unstructured object's numbers are float64s or int64s: `1e400` is neither.
      const huge = [...scan.numbers.values()].find((n) => !Number.isFinite(Number(n)));
      if (huge !== undefined) {
        const text = `json: cannot unmarshal number ${huge} into Go value of type float64`;
        throw refusal(t, version, text, from);
      }
      keepFloat64Paths(obj, scan.numbers);
    }
    keepBigIntegers(obj, scan.numbers);
  }
  const decoded = findings(t, version, obj, raw, scan);
  const before = from.body === 'patch' ? from.duplicates : [];
  const found = { strict: [...before, ...decoded.strict], warn: [...before, ...decoded.warn] };
  if (found.strict.length === 0 || how === 'Ignore') return;
  if (how === 'Warn') {
    warnings.push(...found.warn);
    return;
  }
  throw refusal(t, version, `strict decoding error: ${found.strict.join(', ')}`, from);
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
