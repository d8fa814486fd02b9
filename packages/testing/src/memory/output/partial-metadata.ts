/**
 * Metadata-only output, as kube-apiserver serves it for `Accept:
 * application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1` (one object, and each
 * event of a watch) and `as=PartialObjectMetadataList` (a list): the objects reduced to
 * `{kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata}`.
 */
import { HttpStatusError } from '../errors.js';
import type { JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';

/** The two metadata-only forms a client can ask for. */
export type PartialMetadataForm = 'PartialObjectMetadata' | 'PartialObjectMetadataList';

const API_VERSION = 'meta.k8s.io/v1';

/** 406, as kube-apiserver answers a list asked for as one object, or the reverse. */
export function partialMetadataNotAcceptable(
  form: PartialMetadataForm,
  list: boolean,
): HttpStatusError {
  return new HttpStatusError(
    406,
    'NotAcceptable',
    list
      ? `you requested ${form}, but the requested object is a list; ask for PartialObjectMetadataList`
      : `you requested ${form}, but the requested object is not a list; ask for PartialObjectMetadata`,
    {},
  );
}

/** One object as PartialObjectMetadata (its whole `metadata`, nothing else). */
export function toPartialObjectMetadata(obj: JsonObject): JsonObject {
  return { kind: 'PartialObjectMetadata', apiVersion: API_VERSION, metadata: metaOf(obj) };
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

/** A watch event line whose object is reduced to PartialObjectMetadata. */
export function partialMetadataEventLine(type: string, obj: JsonObject): Buffer {
  return Buffer.from(
    `{"type":"${type}","object":${JSON.stringify(toPartialObjectMetadata(obj))}}\n`,
  );
}
