import { randomUUID } from 'node:crypto';
import { sameBigIntegers } from './big-integers.js';
import { encodeTyped } from './builtins/typed-encode.js';
import { OBJECT_META } from './builtins/typed-fields.js';
import { deepEqual, isObject, type JsonObject } from './json.js';
import type { ResourceType } from './resource-types.js';
import { timestamp } from './state.js';

/** The metadata fields the server sets on every object, in the order it writes them. */
export const SERVER_SET_META = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

/** metadata of an object (a fresh empty object when absent). */
export function metaOf(obj: JsonObject): JsonObject {
  return isObject(obj.metadata) ? obj.metadata : {};
}

const GENERATE_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** A name from generateName: the prefix plus 5 random characters, as the real server does. */
export function generatedName(prefix: string): string {
  // kube-apiserver's name generator keeps the prefix within 63 - 5 characters.
  let s = prefix.slice(0, 63 - 5);
  for (let i = 0; i < 5; i++)
    s += GENERATE_CHARS[Math.floor(Math.random() * GENERATE_CHARS.length)];
  return s;
}

/** How many names kube-apiserver's storage tries for a create by `generateName`. */
const NAME_GENERATION_ATTEMPTS = 8;

/**
 * A name from generateName that `taken` does not refuse, as kube-apiserver's storage retries
 * a create whose generated name exists (up to 8 names); the last name tried when all are
 * taken.
 */
export function freeGeneratedName(prefix: string, taken: (name: string) => boolean): string {
  let name = generatedName(prefix);
  for (let i = 1; i < NAME_GENERATION_ATTEMPTS && taken(name); i++) name = generatedName(prefix);
  return name;
}

/**
 * Clears the metadata fields only the server sets, as kube-apiserver's create handler does
 * before admission (admission sees none of them).
 */
export function wipeSystemFields(meta: JsonObject): void {
  delete meta.uid;
  delete meta.creationTimestamp;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
}

/**
 * Fresh server-set metadata fields for a new object, set after mutating admission as
 * kube-apiserver's storage sets them (with the generation its strategies start at); `once`
 * keeps them the same in every run of one request.
 */
export function stampNew(
  meta: JsonObject,
  t: ResourceType,
  once: (what: string, make: () => string) => string = (_, make) => make(),
): void {
  meta.uid = once('uid', randomUUID);
  meta.creationTimestamp = once('creationTimestamp', timestamp);
  if (t.generation === true) meta.generation = 1;
  else delete meta.generation;
}

/** The content that `generation` tracks: everything but metadata (and status when it is a subresource). */
function specPart(obj: JsonObject, t: ResourceType): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'metadata' || k === 'apiVersion' || k === 'kind') continue;
    if (k === 'status' && (t.status || t.builtin)) continue;
    out[k] = v;
  }
  return out;
}

/** True when a write changes what metadata.generation tracks. */
export function specChanged(prev: JsonObject, next: JsonObject, t: ResourceType): boolean {
  return !deepEqual(specPart(prev, t), specPart(next, t));
}

/** Compares two objects ignoring resourceVersion and managedFields timestamps (a no-op write). */
export function sameContent(a: JsonObject, b: JsonObject): boolean {
  const strip = (o: JsonObject): JsonObject => {
    const meta = { ...metaOf(o) };
    delete meta.resourceVersion;
    if (Array.isArray(meta.managedFields)) {
      meta.managedFields = meta.managedFields.map((e) => {
        if (!isObject(e)) return e;
        const { time: _t, ...rest } = e;
        return rest;
      });
    }
    return { ...o, metadata: meta };
  };
  const [x, y] = [strip(a), strip(b)];
  return deepEqual(x, y) && sameBigIntegers(x, y);
}

/**
 * Drops empty values that kube-apiserver's typed serialization omits: metadata labels and
 * annotations (every kind), and ConfigMap/Secret data maps. A custom resource's metadata
 * (in place) is ObjectMeta's round trip, as kube-apiserver's decoder coerces it
 * (`objectmeta.Coerce`): `null` and empty members (`ownerReferences: []`, `finalizers: []`,
 * `labels: {}`, `generateName: ""`, …) are dropped, so they are neither stored nor owned.
 */
export function dropEmptyMaps(t: ResourceType, obj: JsonObject): void {
  const meta = metaOf(obj);
  if (!t.builtin) {
    if (!isObject(obj.metadata)) return;
    const coerced = encodeTyped(meta, OBJECT_META);
    for (const k of Object.keys(meta)) delete meta[k];
    Object.assign(meta, coerced);
    return;
  }
  for (const k of ['labels', 'annotations']) {
    const v = meta[k];
    if (v === null || (isObject(v) && Object.keys(v).length === 0)) delete meta[k];
  }
  if (t.builtin && !t.group && (t.plural === 'configmaps' || t.plural === 'secrets')) {
    for (const k of ['data', 'binaryData', 'stringData']) {
      const v = obj[k];
      if (v === null || (isObject(v) && Object.keys(v).length === 0)) delete obj[k];
    }
  }
}
