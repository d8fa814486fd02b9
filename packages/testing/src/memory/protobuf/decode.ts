import { badRequest } from '../errors.js';
import type { JsonObject } from '../json.js';
import { PROTOBUF_MAGIC } from './encode.js';
import { messageOf, protoRoot } from './schema.js';
import { messageToJson } from './to-json.js';

/** The media type of Kubernetes' protobuf encoding. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

/**
 * Decodes a Kubernetes protobuf object (`k8s\0`, then a runtime.Unknown carrying
 * apiVersion, kind and the object's message) into the JSON object kube-apiserver would
 * have read from the JSON encoding of the same object. 400 when it is not one.
 */
export function decodeProtobuf(bytes: Uint8Array): JsonObject {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (
    buf.length < PROTOBUF_MAGIC.length ||
    !buf.subarray(0, PROTOBUF_MAGIC.length).equals(PROTOBUF_MAGIC)
  ) {
    throw badRequest('provided object is not a protobuf object: missing the k8s\\x00 prefix');
  }
  const unknown = protoRoot()
    .lookupType('k8s.io.apimachinery.pkg.runtime.Unknown')
    .decode(buf.subarray(PROTOBUF_MAGIC.length)) as unknown as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: Uint8Array;
  };
  const apiVersion = unknown.typeMeta?.apiVersion ?? '';
  const kind = unknown.typeMeta?.kind ?? '';
  const type = messageOf(apiVersion, kind);
  if (!type) {
    throw badRequest(`no kind "${kind}" is registered for version "${apiVersion}"`);
  }
  const message = type.decode(unknown.raw ?? new Uint8Array()) as unknown as Record<
    string,
    unknown
  >;
  const body = messageToJson(type, message, decodeProtobuf);
  return { apiVersion, kind, ...(body as JsonObject) };
}
