import protobuf from 'protobufjs';
import type { JsonObject } from '../json.js';
import { writeMessage } from './from-json.js';
import { messageOf } from './schema.js';

/** The 4 bytes every Kubernetes protobuf object starts with: `k8s\0`. */
export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Whether an object's kind has a protobuf message (built-in kinds, lists, Status, …). */
export function hasProtobuf(obj: JsonObject): boolean {
  return messageOf(String(obj.apiVersion ?? ''), String(obj.kind ?? '')) !== undefined;
}

/**
 * An object as kube-apiserver's protobuf serializer writes it: `k8s\0`, then a
 * runtime.Unknown holding its apiVersion and kind, its message, and the empty content
 * type and encoding (gogo-protobuf writes those two strings though they are empty).
 * Throws when the kind has no message (see {@link hasProtobuf}).
 */
export function encodeProtobuf(obj: JsonObject): Buffer {
  const apiVersion = String(obj.apiVersion ?? '');
  const kind = String(obj.kind ?? '');
  const type = messageOf(apiVersion, kind);
  if (!type) throw new Error(`protobuf: no message for ${apiVersion}, Kind=${kind}`);
  const w = protobuf.Writer.create();
  w.uint32(0x0a).fork(); // typeMeta
  w.uint32(0x0a).string(apiVersion);
  w.uint32(0x12).string(kind);
  w.ldelim();
  w.uint32(0x12).fork(); // raw
  writeMessage(w, type, obj);
  w.ldelim();
  w.uint32(0x1a).string(''); // contentEncoding
  w.uint32(0x22).string(''); // contentType
  return Buffer.concat([PROTOBUF_MAGIC, w.finish()]);
}

/**
 * One event of a protobuf watch stream as kube-apiserver frames it: the length of a
 * metav1.WatchEvent (4 bytes, big-endian), then the event, its object a RawExtension
 * holding the object's own encoding (see {@link encodeProtobuf}).
 */
export function watchFrame(type: string, object: JsonObject): Buffer {
  const body = protobuf.Writer.create()
    .uint32(0x0a)
    .string(type)
    .uint32(0x12)
    .fork()
    .uint32(0x0a)
    .bytes(encodeProtobuf(object))
    .ldelim()
    .finish();
  const frame = Buffer.alloc(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  frame.set(body, 4);
  return frame;
}
