/**
 * The shared `parameters` of `/openapi/v2`, as kube-openapi's builder makes them when it
 * finishes a custom resource's Swagger document (own code: the names are what clients
 * see): every parameter but a `name`, `fieldValidation` and `dryRun` one and a `body`
 * whose schema is the kind's own is listed once under `parameters`, named after its name
 * and a hash of its JSON, and the operations and path items refer to it with `$ref`.
 */
import { isObject, type JsonObject } from '../json.js';

/** A parameter's members in the order kube-openapi writes them (the hash is of that JSON). */
const MEMBER_ORDER = [
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'multipleOf',
  'enum',
  'type',
  'nullable',
  'format',
  'items',
  'collectionFormat',
  'default',
  'example',
  'description',
  'name',
  'in',
  'required',
  'schema',
  'allowEmptyValue',
  '$ref',
];

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

/** Whether kube-openapi keeps a parameter inline (`collectSharedParameters`' exceptions). */
function keptInline(p: JsonObject): boolean {
  if ((p.in === 'query' || p.in === 'path') && p.name === 'name') return true;
  if (p.in === 'query' && (p.name === 'fieldValidation' || p.name === 'dryRun')) return true;
  if (p.in !== 'body' || p.name !== 'body' || !isObject(p.schema)) return false;
  const ref = typeof p.schema.$ref === 'string' ? p.schema.$ref : '';
  return !ref.startsWith('#/definitions/io.k8s.apimachinery');
}

/** A parameter with its members in kube-openapi's order. */
function ordered(p: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of MEMBER_ORDER) if (p[key] !== undefined) out[key] = p[key];
  for (const [key, value] of Object.entries(p)) if (!(key in out)) out[key] = value;
  return out;
}

/** `<name>-<the first 6 bytes of the 64-bit FNV-1 hash of its JSON, URL-safe base64>`. */
export function sharedParameterName(p: JsonObject): string {
  let hash = FNV_OFFSET;
  for (const byte of Buffer.from(JSON.stringify(ordered(p)))) {
    hash = ((hash * FNV_PRIME) & MASK) ^ BigInt(byte);
  }
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(hash);
  const name = typeof p.name === 'string' && p.name !== '' ? p.name : 'param';
  return `${name}-${bytes.subarray(0, 6).toString('base64url')}`;
}

/** Replaces the shareable parameters of `list` with references, recording them in `shared`. */
function share(list: unknown, shared: JsonObject): void {
  if (!Array.isArray(list)) return;
  for (const [i, p] of list.entries()) {
    if (!isObject(p) || p.$ref !== undefined || keptInline(p)) continue;
    const name = sharedParameterName(p);
    shared[name] = ordered(p);
    list[i] = { $ref: `#/parameters/${name}` };
  }
}

/**
 * Moves the shareable parameters of Swagger 2.0 path items (changed in place) into
 * references, and returns the shared parameters they refer to, by name.
 */
export function shareParameters(paths: JsonObject): JsonObject {
  const shared: JsonObject = {};
  for (const item of Object.values(paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (isObject(op)) share(op.parameters, shared);
    }
    share(item.parameters, shared);
  }
  return shared;
}
