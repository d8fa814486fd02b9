/**
 * Metadata-only output, as kube-apiserver serves it for `Accept:
 * application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1` (one object, and each
 * event of a watch) and `as=PartialObjectMetadataList` (a list): the objects reduced to
 * `{kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata}`.
 */
import { encodeTyped } from '../builtins/typed-encode.js';
import { HttpStatusError } from '../errors.js';
import { goEncoded, goJson } from '../go-json.js';
import type { JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { watchFrame } from '../protobuf/encode.js';

/** The two metadata-only forms a client can ask for. */
export type PartialMetadataForm = 'PartialObjectMetadata' | 'PartialObjectMetadataList';

const API_VERSION = 'meta.k8s.io/v1';

/**
 * The Go type kube-apiserver's message names (its `%T` of the object it transforms): the
 * internal type of a built-in (package `core` for the core group and events.k8s.io, else
 * the group's first label), `unstructured.Unstructured` for a custom resource.
 */
function goTypeOf(t: { group: string; kind: string; builtin: boolean }, list: boolean): string {
  const suffix = list ? 'List' : '';
  if (!t.builtin) return `*unstructured.Unstructured${suffix}`;
  const first = t.group.split('.')[0] ?? '';
  const pkg =
    t.group === '' || t.group === 'events.k8s.io'
      ? 'core'
      : t.group === 'internal.apiserver.k8s.io'
        ? 'apiserverinternal'
        : first;
  return `*${pkg}.${t.kind}${suffix}`;
}

/**
 * 406, as kube-apiserver answers a list asked for as one object, or the reverse, once it
 * has the answer (for a write, after the write).
 */
export function partialMetadataNotAcceptable(
  form: PartialMetadataForm,
  list: boolean,
  t: { group: string; kind: string; builtin: boolean },
): HttpStatusError {
  return new HttpStatusError(
    406,
    'NotAcceptable',
    `you requested ${form}, but the requested object is ${list ? 'a list' : 'not a list'} (${goTypeOf(t, list)})`,
    {},
  );
}

/** The Go type kube-apiserver writes the metadata as. */
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/**
 * One object as PartialObjectMetadata (its whole `metadata`, nothing else), written as the
 * typed ObjectMeta kube-apiserver converts it to: a custom resource's metadata, a map there,
 * in ObjectMeta's field order.
 */
export function toPartialObjectMetadata(obj: JsonObject): JsonObject {
  const metadata = encodeTyped(metaOf(obj), OBJECT_META);
  return { kind: 'PartialObjectMetadata', apiVersion: API_VERSION, metadata };
}

/**
 * A list page as PartialObjectMetadataList (the list's own metadata kept). An empty page
 * has `items: null`, as kube-apiserver serves it (its Go slice stays nil and encodes as
 * null), unlike the typed lists' `items: []`.
 */
export function toPartialObjectMetadataList(items: JsonObject[], listMeta: JsonObject): JsonObject {
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: API_VERSION,
    metadata: listMeta,
    items: items.length ? items.map(toPartialObjectMetadata) : null,
  };
}

/** A watch event line (`protobuf`: frame) whose object is reduced to PartialObjectMetadata. */
export function partialMetadataEventLine(type: string, obj: JsonObject, protobuf = false): Buffer {
  if (protobuf) return watchFrame(type, toPartialObjectMetadata(obj));
  return Buffer.from(
    goEncoded(`{"type":"${type}","object":${goJson(toPartialObjectMetadata(obj))}}`),
  );
}
