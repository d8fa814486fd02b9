import type { IncomingMessage } from 'node:http';
import { cloneKeeping } from '../big-integers.js';
import { HttpStatusError } from '../errors.js';
import { isObject, type JsonObject } from '../json.js';
import { apiVersionOf, type ResourceType } from '../resource-types.js';
import type { ApiState } from '../state.js';
import { conversionWebhookOf, convertObjects } from './conversion.js';

/**
 * Thrown by a (synchronous) write that needs an object converted through its CRD's
 * conversion webhook (kube-apiserver's field manager converts the objects to each
 * manager's version): {@link withConversions} converts it and runs the write again.
 */
class ConversionPending extends Error {
  constructor(
    readonly t: ResourceType,
    readonly obj: JsonObject,
    readonly version: string,
  ) {
    super(`conversion of ${t.kind} to ${version} pending`);
  }
}

/** Conversions made through the webhooks, by object and version (the most recent kept). */
const done = new WeakMap<ApiState, Map<string, JsonObject>>();
const KEPT = 256;
/** Whether a write runs inside {@link withConversions} (a miss may then be converted). */
let converting = 0;

function cacheOf(s: ApiState): Map<string, JsonObject> {
  let cache = done.get(s);
  if (!cache) {
    cache = new Map();
    done.set(s, cache);
  }
  return cache;
}

/**
 * The metadata a conversion may read and change: the rest is the server's (a webhook's
 * answer keeps it, see convertObjects), so a conversion is reused for an object whose uid
 * and creation time a later run of the same create makes anew.
 */
const CONVERTED_META = ['name', 'namespace', 'generateName', 'labels', 'annotations'];

function keyOf(obj: JsonObject, version: string): string {
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  const kept: JsonObject = {};
  for (const k of CONVERTED_META) if (meta[k] !== undefined) kept[k] = meta[k]!;
  return `${version}\u0000${JSON.stringify({ ...obj, metadata: kept })}`;
}

/**
 * `obj`, an object of `t` at `from`, at `version`: through the CRD's conversion webhook
 * when it has one, converted before by {@link withConversions} (relabelled outside of it,
 * for the server's own writes). Its metadata stays as it was but for the labels and
 * annotations the webhook answered (the field manager converts objects without their
 * managedFields, which are kept).
 */
export function convertedNow(
  s: ApiState,
  t: ResourceType,
  obj: JsonObject,
  from: string,
  version: string,
): JsonObject {
  const desired = apiVersionOf(t.group, version);
  if (from === version || conversionWebhookOf(s, t) === undefined)
    return { ...obj, apiVersion: desired };
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  const { managedFields: _, ...sent } = meta;
  const input = { ...obj, apiVersion: apiVersionOf(t.group, from), metadata: sent };
  const hit = cacheOf(s).get(keyOf(input, version));
  if (hit) {
    const out = cloneKeeping(hit);
    const answered = isObject(out.metadata) ? out.metadata : {};
    const kept: JsonObject = { ...meta };
    for (const k of ['labels', 'annotations']) {
      if (answered[k] !== undefined) kept[k] = answered[k]!;
      else delete kept[k];
    }
    return { ...out, metadata: kept };
  }
  if (converting === 0) return { ...obj, apiVersion: desired };
  throw new ConversionPending(t, input, version);
}

/**
 * Runs a synchronous write that may convert objects through a conversion webhook: each
 * conversion it needs is made (asynchronously) and the write run again, until it needs
 * none. Nothing is stored until a run completes.
 */
export async function withConversions<T>(s: ApiState, run: () => T): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    let pending: ConversionPending;
    converting++;
    try {
      return run();
    } catch (err) {
      if (!(err instanceof ConversionPending) || attempt >= 20) throw err;
      pending = err;
    } finally {
      converting--;
    }
    const [out] = await convertObjects(s, pending.t, [pending.obj], pending.version);
    const cache = cacheOf(s);
    cache.set(keyOf(pending.obj, pending.version), out!);
    while (cache.size > KEPT) cache.delete(cache.keys().next().value!);
  }
}

/** The requests made at the storage version for a request at another version. */
const requestVersions = new WeakMap<object, string>();

/**
 * Marks `req`, a request rewritten to the storage version, as made for `version`: its
 * fields are tracked in that version, as kube-apiserver's field manager works in the
 * version of the request.
 */
export function madeAtVersion(req: IncomingMessage, version: string): IncomingMessage {
  requestVersions.set(req, version);
  return req;
}

/** The version a request rewritten to the storage version was made at, if it was. */
export function requestVersionOf(req: IncomingMessage): string | undefined {
  for (let o: object | null = req; o; o = Object.getPrototypeOf(o) as object | null) {
    const v = requestVersions.get(o);
    if (v) return v;
  }
  return undefined;
}

/**
 * kube-apiserver's 500 for a managedFields entry of a version its CRD no longer has: its
 * field manager cannot convert the object to it (an update then drops every entry).
 */
export class UnconvertibleVersion extends HttpStatusError {
  constructor(apiVersion: string) {
    super(500, '', `request to convert CR to an invalid group/version: ${apiVersion}`);
  }
}

/** The versions a CustomResourceDefinition lists (served or not). */
export function crdVersionsOf(s: ApiState, t: ResourceType): string[] {
  if (!t.crdName) return t.versions;
  const crd = s.storage.get('customresourcedefinitions.apiextensions.k8s.io', t.crdName);
  const versions = isObject(crd?.spec) ? crd.spec.versions : undefined;
  if (!Array.isArray(versions)) return t.versions;
  return versions.filter(isObject).map((v) => String(v.name));
}
