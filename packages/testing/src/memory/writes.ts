import { parse as parseYaml } from 'yaml';
import { rulesFor } from './builtins/rules.js';
import { defaultCrd, validateCrd } from './crd.js';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  HttpStatusError,
  invalid,
  notFound,
  STALE_MESSAGE,
  type StatusCause,
  type StatusDetails,
  unsupportedMediaType,
} from './errors.js';
import type { ListRules } from './field-set.js';
import { type DecodedFrom, validateFields } from './field-validation.js';
import { goPrint, sortedKeys } from './go-print.js';
import { isObject, type Json, type JsonObject } from './json.js';
import { jsonPatch } from './json-patch.js';
import { type OwnershipContext, recordUpdate, serverSideApply } from './managed-fields.js';
import { listMergeFor } from './merge-keys.js';
import { mergePatch } from './merge-patch.js';
import {
  applyBuiltinDefaults,
  dropEmptyMaps,
  generatedName,
  metaOf,
  sameContent,
  specChanged,
  stampNew,
} from './object-meta.js';
import type { FieldValidation } from './request-options.js';
import { apiVersionOf, type ResourceType, resourceKey } from './resource-types.js';
import { listRulesFromSchema } from './schema-list-rules.js';
import { servedAs } from './serialize.js';
import type { ApiState } from './state.js';
import { objectKey } from './storage.js';
import { strategicMerge } from './strategic-merge.js';
import { validateBuiltin, validateMetadata, validateName } from './validation.js';

/** Where a request operates: a resource at a version, in a namespace ('' = cluster scope). */
export interface Scope {
  t: ResourceType;
  version: string;
  namespace: string;
}

/** Query parameters of a write. */
export interface WriteParams {
  fieldManager?: string;
  dryRun?: boolean;
  force?: boolean;
  /** What to do with unknown fields in the request (internal writes: `Ignore`). */
  fieldValidation?: FieldValidation;
  /** Warnings for the response's `Warning` headers; the write appends to it. */
  warnings?: string[];
  /** The request body as sent (create and update), for the messages that quote it. */
  rawBody?: string;
  /** Manager used when fieldManager is absent (derived from the User-Agent). */
  defaultManager: string;
}

/** The result of a write. */
export interface WriteResult {
  object: JsonObject;
  created: boolean;
}

function target(sc: Scope, name: string) {
  return { group: sc.t.group, plural: sc.t.plural, name };
}

/** The stored object or a 404. */
export function getStored(s: ApiState, sc: Scope, name: string): JsonObject {
  const o = s.storage.get(resourceKey(sc.t), objectKey(sc.namespace, name));
  if (!o) throw notFound(target(sc, name));
  return o;
}

/** The list-merge rules for a resource (built-in table or the CRD schema's list types). */
export function listRules(t: ResourceType, version: string): ListRules {
  if (t.builtin) return (path) => listMergeFor(t.kind, path);
  return listRulesFromSchema(t.schemas?.[version]);
}

function ownership(sc: Scope, p: WriteParams, subresource?: 'status'): OwnershipContext {
  const ctx: OwnershipContext = {
    manager: p.fieldManager ?? p.defaultManager,
    apiVersion: apiVersionOf(sc.t.group, sc.version),
    rules: listRules(sc.t, sc.version),
    statusSubresource: sc.t.status,
  };
  if (subresource) ctx.subresource = subresource;
  return ctx;
}

/**
 * Checks the body's apiVersion/kind against the endpoint, like kube-apiserver's decoder: a
 * built-in takes them from the URL when absent, a custom resource (decoded as unstructured
 * JSON) must name its kind (`rawBody`, the request body as sent, is quoted in that 400).
 */
function checkTypeMeta(sc: Scope, body: JsonObject, rawBody?: string): void {
  const want = apiVersionOf(sc.t.group, sc.version);
  const av = body.apiVersion;
  const kind = body.kind;
  if (!sc.t.builtin && rawBody !== undefined && (kind === undefined || kind === '')) {
    const summary = rawBody.length > 30 ? `${rawBody.slice(0, 30)} ...` : rawBody;
    throw badRequest(
      `the object provided is unrecognized (must be of type ${sc.t.kind}): Object 'Kind' is missing in '${rawBody}' (${summary})`,
    );
  }
  if (av !== undefined && av !== want && av !== '') {
    if (!sc.t.builtin) {
      throw badRequest(
        `the API version in the data (${String(av)}) does not match the expected API version (${want})`,
      );
    }
    const k = typeof kind === 'string' && kind ? kind : sc.t.kind;
    throw badRequest(
      `${k} in version "${sc.version}" cannot be handled as a ${sc.t.kind}: no kind "${k}" is registered for version "${String(av)}" in scheme "pkg/runtime/scheme.go:111"`,
    );
  }
  if (kind !== undefined && kind !== sc.t.kind && kind !== '') {
    if (!sc.t.builtin) {
      throw invalid(String(kind), sc.t.group, String(metaOf(body).name ?? ''), [
        {
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${JSON.stringify(kind)}: must be ${sc.t.kind}`,
          field: 'kind',
        },
      ]);
    }
    const internal = sc.t.group ? sc.t.group.split('.')[0] : 'core';
    throw badRequest(
      `${String(kind)} in version "${sc.version}" cannot be handled as a ${sc.t.kind}: converting (${sc.version}.${String(kind)}) to (${internal}.${sc.t.kind}): unknown conversion`,
    );
  }
  body.apiVersion = want;
  body.kind = sc.t.kind;
}

function checkNamespace(sc: Scope, meta: JsonObject): void {
  if (!sc.t.namespaced) {
    delete meta.namespace;
    return;
  }
  if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== sc.namespace) {
    throw badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  meta.namespace = sc.namespace;
}

function requireNamespace(s: ApiState, sc: Scope, name: string): void {
  const ns = sc.namespace;
  const o = s.storage.get('namespaces', ns);
  if (!o) throw notFound({ group: '', plural: 'namespaces', name: ns });
  if (metaOf(o).deletionTimestamp) {
    const what = sc.t.group ? `${sc.t.plural}.${sc.t.group}` : sc.t.plural;
    const details: StatusDetails = { name, kind: sc.t.plural };
    if (sc.t.group) details.group = sc.t.group;
    details.causes = [
      {
        reason: 'NamespaceTerminating',
        message: `namespace ${ns} is being terminated`,
        field: 'metadata.namespace',
      },
    ];
    throw forbidden(
      `${what} "${name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
      details,
    );
  }
}

/**
 * Validation shared by create and update (`old`: the stored object, for the checks of an
 * update); throws 422 with every cause. Admission
 * webhooks (when a write runs through them) are called just before and after it.
 */
function validate(
  s: ApiState,
  sc: Scope,
  obj: JsonObject,
  name: string,
  old?: JsonObject,
  subresource?: 'status',
): void {
  const point = s.admission && { ...sc, name, object: obj, old, subresource: subresource ?? '' };
  if (point) s.admission?.beforeValidation(point);
  const meta = metaOf(obj);
  const causes: StatusCause[] = [...validateName(sc.t, name), ...validateMetadata(meta)];
  const rules = rulesFor(sc.t);
  if (old && rules?.validateUpdate) causes.push(...rules.validateUpdate(obj, old));
  if (rules?.validate) causes.push(...rules.validate(obj));
  causes.push(...validateBuiltin(sc.t, obj));
  if (sc.t.group === 'apiextensions.k8s.io' && sc.t.plural === 'customresourcedefinitions')
    causes.push(...validateCrd(obj));
  if (!sc.t.builtin) causes.push(...s.validateCustom(sc.t, sc.version, obj));
  if (causes.length) throw invalid(sc.t.kind, sc.t.group, name, causes);
  if (point) s.admission?.afterValidation(point);
}

function stampRv(s: ApiState, obj: JsonObject): void {
  metaOf(obj).resourceVersion = String(s.storage.nextRv());
}

/** Parses a request body as JSON (or YAML), answering 400 for anything else. */
export function parseBody(raw: string, contentType: string): Json {
  const ct = contentType.split(';')[0]!.trim().toLowerCase();
  if (ct && ct !== '*/*' && !/json|yaml/.test(ct)) {
    throw unsupportedMediaType(['application/json', 'application/yaml']);
  }
  try {
    if (/yaml/.test(contentType)) return parseYaml(raw) as Json;
    return JSON.parse(raw) as Json;
  } catch (e) {
    throw badRequest(`the request body could not be decoded: ${(e as Error).message}`);
  }
}

function asObject(body: Json): JsonObject {
  if (!isObject(body)) throw badRequest('the request body must be a JSON object');
  return body;
}

function isNamespaceType(t: ResourceType): boolean {
  return t.plural === 'namespaces' && !t.group;
}

/** Creates an object (POST). */
export function createObject(
  s: ApiState,
  sc: Scope,
  raw: Json,
  p: WriteParams,
  managedFields?: Json[],
): JsonObject {
  let obj = structuredClone(asObject(raw));
  checkTypeMeta(sc, obj, managedFields === undefined ? p.rawBody : undefined);
  // An apply patch reaches here already checked against the type by the field manager.
  if (managedFields === undefined) checkFields(sc, obj, p, { body: 'object' });
  if (sc.t.view) obj = sc.t.view.toStored(obj);
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  obj.metadata = meta;
  checkNamespace(sc, meta);
  if (
    meta.resourceVersion !== undefined &&
    meta.resourceVersion !== '' &&
    managedFields === undefined
  ) {
    // kube-apiserver's storage refuses this with a 500 (and the same words).
    throw new HttpStatusError(
      500,
      '',
      'resourceVersion should not be set on objects to be created',
    );
  }
  let name = typeof meta.name === 'string' ? meta.name : '';
  if (!name) {
    if (typeof meta.generateName === 'string' && meta.generateName) {
      name = generatedName(meta.generateName);
      meta.name = name;
    } else {
      throw invalid(sc.t.kind, sc.t.group, '', [
        {
          reason: 'FieldValueRequired',
          message: 'Required value: name or generateName is required',
          field: 'metadata.name',
        },
      ]);
    }
  }
  if (sc.t.namespaced) requireNamespace(s, sc, name);
  const resKey = resourceKey(sc.t);
  const key = objectKey(sc.namespace, name);
  if (s.storage.get(resKey, key)) throw alreadyExists(target(sc, name));
  stampNew(meta, sc.t);
  if (sc.t.status && !sc.t.builtin) delete obj.status;
  if (sc.t.status && sc.t.builtin && sc.t.group !== '') obj.status = {};
  if (sc.t.group === 'apiextensions.k8s.io' && sc.t.plural === 'customresourcedefinitions') {
    defaultCrd(obj);
  }
  applyBuiltinDefaults(sc.t, obj, true);
  rulesFor(sc.t)?.defaults?.(obj);
  dropEmptyMaps(sc.t, obj);
  validate(s, sc, obj, name);
  delete meta.managedFields;
  // A namespace's spec and status are set by its strategy after field tracking: not owned.
  const tracked = isNamespaceType(sc.t) ? { ...obj, spec: null, status: null } : obj;
  if (tracked !== obj) {
    delete tracked.spec;
    delete tracked.status;
  }
  const mf = managedFields ?? recordUpdate(undefined, tracked, ownership(sc, p));
  if (mf.length) meta.managedFields = mf;
  if (p.dryRun) return obj;
  stampRv(s, obj);
  return s.storage.commit(resKey, key, sc.namespace, obj).object;
}

/**
 * Stores `next` as the new state of `prev` (after the caller built it): keeps server-set
 * metadata, bumps generation on spec changes, validates, records field ownership, turns
 * the write into a removal when a deleting object loses its last finalizer, and skips
 * no-op writes (no new resourceVersion, no event) like the real server.
 */
export function commitUpdate(
  s: ApiState,
  sc: Scope,
  prev: JsonObject,
  next: JsonObject,
  p: WriteParams,
  mode: { subresource?: 'status'; managedFields?: Json[] } = {},
): JsonObject {
  const pm = metaOf(prev);
  const name = String(pm.name);
  const meta = isObject(next.metadata) ? { ...next.metadata } : {};
  next.metadata = meta;
  for (const k of [
    'uid',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'generation',
  ]) {
    if (pm[k] !== undefined) meta[k] = pm[k]!;
    else delete meta[k];
  }
  meta.name = name;
  if (sc.t.namespaced) meta.namespace = sc.namespace;
  else delete meta.namespace;
  next.apiVersion = prev.apiVersion ?? apiVersionOf(sc.t.group, sc.version);
  next.kind = sc.t.kind;
  if (mode.subresource === 'status') {
    const status = next.status;
    const kept = { ...prev };
    if (status === undefined) delete kept.status;
    else kept.status = status;
    kept.metadata = { ...pm, resourceVersion: meta.resourceVersion ?? pm.resourceVersion ?? null };
    if (meta.managedFields !== undefined)
      (kept.metadata as JsonObject).managedFields = meta.managedFields;
    next = kept;
  } else if (sc.t.status) {
    if (prev.status === undefined) delete next.status;
    else next.status = prev.status;
  }
  const nm = metaOf(next);
  if (pm.deletionTimestamp) {
    const before = new Set(Array.isArray(pm.finalizers) ? pm.finalizers : []);
    const added = (Array.isArray(nm.finalizers) ? nm.finalizers : []).filter((f) => !before.has(f));
    if (added.length) {
      const cause = {
        reason: 'FieldValueForbidden',
        message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
        field: 'metadata.finalizers',
      };
      // kube-apiserver validates metadata twice on update and reports this cause twice.
      const err = invalid(sc.t.kind, sc.t.group, name, [cause]);
      err.details!.causes = [cause, cause];
      throw err;
    }
  }
  applyBuiltinDefaults(sc.t, next, false);
  rulesFor(sc.t)?.defaults?.(next);
  dropEmptyMaps(sc.t, next);
  if (
    sc.t.plural === 'namespaces' &&
    !sc.t.group &&
    prev.spec !== undefined &&
    mode.subresource !== 'status'
  ) {
    next.spec = prev.spec;
  }
  if (sc.t.generation && specChanged(prev, next, sc.t))
    nm.generation = Number(pm.generation ?? 0) + 1;
  validate(s, sc, next, name, prev, mode.subresource);
  if (mode.managedFields !== undefined) {
    if (mode.managedFields.length) nm.managedFields = mode.managedFields;
    else delete nm.managedFields;
  } else {
    const mf = recordUpdate(prev, next, ownership(sc, p, mode.subresource));
    if (mf.length) nm.managedFields = mf;
    else delete nm.managedFields;
  }
  nm.resourceVersion = pm.resourceVersion ?? null;
  const finalizers = Array.isArray(nm.finalizers) ? nm.finalizers : [];
  if (finalizers.length === 0) delete nm.finalizers;
  if (nm.deletionTimestamp && finalizers.length === 0) {
    if (p.dryRun) return next;
    const resKey = resourceKey(sc.t);
    stampRv(s, next);
    return s.storage.commit(resKey, objectKey(sc.namespace, name), sc.namespace, null, next).object;
  }
  if (sameContent(prev, next)) return prev;
  if (p.dryRun) return next;
  stampRv(s, next);
  return s.storage.commit(resourceKey(sc.t), objectKey(sc.namespace, name), sc.namespace, next)
    .object;
}

function checkRv(sc: Scope, prev: JsonObject, next: JsonObject, name: string): void {
  const want = metaOf(next).resourceVersion;
  if (want !== undefined && want !== null && want !== '' && want !== metaOf(prev).resourceVersion) {
    throw conflict(target(sc, name), STALE_MESSAGE);
  }
}

function checkName(body: JsonObject, name: string): void {
  const n = metaOf(body).name;
  if (n !== undefined && n !== name) {
    throw badRequest(
      `the name of the object (${String(n)}) does not match the name on the URL (${name})`,
    );
  }
}

/** Replaces an object (PUT), on the main resource or its status subresource. */
export function updateObject(
  s: ApiState,
  sc: Scope,
  name: string,
  raw: Json,
  p: WriteParams,
  subresource?: 'status',
): JsonObject {
  let body = structuredClone(asObject(raw));
  checkTypeMeta(sc, body, p.rawBody);
  checkFields(sc, body, p, { body: 'object' });
  if (sc.t.view) body = sc.t.view.toStored(body);
  if (!isObject(body.metadata)) body.metadata = {};
  checkName(body, name);
  checkNamespace(sc, body.metadata as JsonObject);
  const prev = getStored(s, sc, name);
  checkRv(sc, prev, body, name);
  const pm = metaOf(prev);
  const uid = metaOf(body).uid;
  if (uid !== undefined && uid !== pm.uid) {
    throw conflict(
      target(sc, name),
      `Precondition failed: UID in precondition: ${String(uid)}, UID in object meta: ${String(pm.uid)}`,
    );
  }
  return commitUpdate(s, sc, prev, body, p, subresource ? { subresource } : {});
}

const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** Patches an object (PATCH) with any of the four patch types. */
export function patchObject(
  s: ApiState,
  sc: Scope,
  name: string,
  contentType: string,
  rawBody: string,
  p: WriteParams,
  subresource?: 'status',
): WriteResult {
  const ct = contentType.split(';')[0]!.trim().toLowerCase();
  const accepted = sc.t.builtin
    ? [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.apply, PATCH_TYPES.strategic]
    : [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.apply];
  if (!accepted.includes(ct)) {
    // Custom resources name the patch types they take; other unknown types get the generic 415.
    if (!sc.t.builtin && ct === PATCH_TYPES.strategic) throw unsupportedMediaType(accepted);
    throw new HttpStatusError(415, 'UnsupportedMediaType', '415: Unsupported Media Type', {});
  }
  if (ct === PATCH_TYPES.apply) return applyPatch(s, sc, name, rawBody, p, subresource);
  const patch = parseBody(rawBody, 'application/json');
  const prev = getStored(s, sc, name);
  const served = servedAs(sc.t, apiVersionOf(sc.t.group, sc.version), prev);
  let patched: Json;
  if (ct === PATCH_TYPES.json) patched = jsonPatch(served, patch);
  else if (ct === PATCH_TYPES.merge) patched = mergePatch(served, patch);
  else patched = strategicMerge(sc.t.kind, [], served, patch);
  if (!isObject(patched)) throw badRequest('the patch produced a value that is not an object');
  let next = structuredClone(patched);
  checkTypeMeta(sc, next);
  // kube-apiserver names the patched object (JSON and merge patches) or the patch itself
  // (strategic merge) in a strict refusal, as Go prints them.
  const shown = ct === PATCH_TYPES.strategic ? goPrint(patch) : JSON.stringify(sortedKeys(next));
  checkFields(sc, next, p, { body: 'patch', patch: shown });
  if (sc.t.view) next = sc.t.view.toStored(next);
  if (!isObject(next.metadata)) next.metadata = {};
  checkName(next, name);
  checkRv(sc, prev, next, name);
  return {
    object: commitUpdate(s, sc, prev, next, p, subresource ? { subresource } : {}),
    created: false,
  };
}

function checkFields(sc: Scope, obj: JsonObject, p: WriteParams, from: DecodedFrom): void {
  validateFields(sc.t, sc.version, obj, p.fieldValidation ?? 'Ignore', p.warnings ?? [], from);
}

/** True for a server-side apply patch's content type. */
export function isApplyPatch(contentType: string): boolean {
  return contentType.split(';')[0]!.trim().toLowerCase() === PATCH_TYPES.apply;
}

function applyPatch(
  s: ApiState,
  sc: Scope,
  name: string,
  rawBody: string,
  p: WriteParams,
  subresource?: 'status',
): WriteResult {
  const body = structuredClone(asObject(parseBody(rawBody, 'application/yaml')));
  if (body.apiVersion === undefined || body.kind === undefined) {
    throw badRequest(
      `invalid object type: ${body.apiVersion === undefined ? 'apiVersion' : 'kind'} not set`,
    );
  }
  checkTypeMeta(sc, body);
  if (!isObject(body.metadata)) body.metadata = {};
  checkName(body, name);
  const meta = body.metadata as JsonObject;
  meta.name = name;
  checkNamespace(sc, meta);
  const resKey = resourceKey(sc.t);
  const prev = s.storage.get(resKey, objectKey(sc.namespace, name));
  const ctx = ownership(sc, p, subresource);
  if (!prev) {
    if (subresource) throw notFound(target(sc, name));
    const { object, managedFields } = serverSideApply(undefined, body, ctx, p.force === true);
    return { object: createObject(s, sc, object, p, managedFields), created: true };
  }
  checkRv(sc, prev, body, name);
  // A view applies to its own form of the stored object, then stores the result converted.
  const current = sc.t.view ? servedAs(sc.t, apiVersionOf(sc.t.group, sc.version), prev) : prev;
  const { object, managedFields } = serverSideApply(current, body, ctx, p.force === true);
  return {
    object: commitUpdate(
      s,
      sc,
      prev,
      sc.t.view ? sc.t.view.toStored(object) : object,
      p,
      subresource ? { subresource, managedFields } : { managedFields },
    ),
    created: false,
  };
}

export { HttpStatusError };
