import { cloneKeeping, keepBigIntegers } from './big-integers.js';
import { createObject } from './create-object.js';
import { badRequest, HttpStatusError, notFound, unsupportedMediaType } from './errors.js';
import { checkApplyBody, type DecodedFrom, decodeApplied } from './field-validation.js';
import { goJson } from './go-json.js';
import { goPrint, sortedKeys } from './go-print.js';
import { isObject, type Json, type JsonObject, jsonWord } from './json.js';
import { jsonPatch } from './json-patch.js';
import { type JsonScan, scanJson } from './json-scan.js';
import { serverSideApply } from './managed-fields.js';
import { mergePatch } from './merge-patch.js';
import { jsonPatchedText, mergePatchedText } from './patched-text.js';
import { parseApplyBody, parseBody } from './request-body.js';
import { apiVersionOf, resourceKey, viewAt } from './resource-types.js';
import { servedAs } from './serialize.js';
import type { ApiState } from './state.js';
import { objectKey } from './storage.js';
import { strategicMerge } from './strategic-merge.js';
import { checkConditionalUpdate } from './unconditional-update.js';
import { commitUpdate } from './update-object.js';
import { checkFields, checkName, checkNamespace, checkRv, checkTypeMeta } from './write-checks.js';
import {
  getStored,
  ownership,
  type PatchSubresource,
  type Scope,
  target,
  trackedForm,
  type WriteParams,
  type WriteResult,
} from './write-scope.js';

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
  subresource?: PatchSubresource,
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
  // kube-apiserver words a merge or JSON patch's syntax error after this, a strategic one bare.
  const patch = parseBody(
    rawBody,
    'application/json',
    ct === PATCH_TYPES.strategic ? '' : 'error decoding patch: ',
  );
  const scan = scanJson(rawBody);
  // A strategic merge puts the patch's own values in the object: they keep their literals.
  if (ct === PATCH_TYPES.strategic) keepBigIntegers(patch, scan.numbers);
  const prev = getStored(s, sc, name);
  const served = servedAs(sc.t, apiVersionOf(sc.t.group, sc.version), prev);
  let patched: Json;
  if (ct === PATCH_TYPES.json) patched = jsonPatch(served, patch);
  else if (ct === PATCH_TYPES.merge) patched = mergePatch(served, patch);
  else patched = strategicMerge(sc.t.kind, [], served, patch);
  if (!isObject(patched)) throw badRequest('the patch produced a value that is not an object');
  let next = cloneKeeping(patched);
  checkTypeMeta(sc, next);
  checkFields(sc, next, p, decodedPatch(ct, served, rawBody, scan, patch, next));
  const view = viewAt(sc.t, sc.version);
  if (view) next = view.toStored(next);
  if (!isObject(next.metadata)) next.metadata = {};
  checkName(next, name, true);
  // A patch that removes the resourceVersion makes an unconditional update.
  checkConditionalUpdate(sc, next, name);
  checkRv(sc, prev, next, name);
  return {
    object: commitUpdate(s, sc, prev, next, p, subresource ? { subresource } : {}),
    created: false,
  };
}

/**
 * What kube-apiserver's strict decoding sees of a patch (see DecodedFrom): the duplicate
 * keys of the patch text, then the patched object's text. A `Strict` refusal names the
 * patched object's text (JSON and merge patches) or the patch itself as Go prints a map
 * (strategic merge), whose result the server converts from a map (its keys sorted).
 */
function decodedPatch(
  ct: string,
  served: JsonObject,
  rawBody: string,
  scan: JsonScan,
  patch: Json,
  next: JsonObject,
): DecodedFrom {
  const dups = scan.keys.filter((k) => k.duplicate);
  if (ct === PATCH_TYPES.strategic) {
    return {
      body: 'patch',
      patch: goPrint(patch),
      text: goJson(sortedKeys(next)),
      duplicates: dups.map((k) => `duplicate field "${k.path}"`),
      decoder: 'unstructured',
    };
  }
  const json = ct === PATCH_TYPES.json;
  const text = (json ? jsonPatchedText : mergePatchedText)(goJson(served), rawBody);
  return {
    body: 'patch',
    patch: text,
    text,
    duplicates: dups.map((k) => `${json ? 'json patch ' : ''}duplicate field "${k.path}"`),
    decoder: 'json',
  };
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
  subresource?: PatchSubresource,
): WriteResult {
  const parsed = parseApplyBody(rawBody);
  // kube-apiserver reads the body into a map; nothing there is an object of no type.
  if (parsed === null) throw badRequest('invalid object type: /, Kind=');
  if (!isObject(parsed)) {
    throw badRequest(
      `error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonWord(parsed)} into Go value of type map[string]interface {}`,
    );
  }
  const body = cloneKeeping(parsed);
  if (body.apiVersion === undefined || body.kind === undefined) {
    throw badRequest(
      `invalid object type: ${body.apiVersion === undefined ? 'apiVersion' : 'kind'} not set`,
    );
  }
  // A request made at another version than the storage one (a CRD with a conversion
  // webhook) applies at its own version, to the stored object converted there, and stores
  // the result converted back, as kube-apiserver's field manager applies in the request's
  // version: the applied (partial) object itself is never converted.
  const at = p.requestVersion ?? sc.version;
  const atRequest = p.requestVersion === undefined ? undefined : trackedForm(s, sc, p);
  checkTypeMeta({ ...sc, version: at }, body);
  if (!isObject(body.metadata)) body.metadata = {};
  checkName(body, name);
  const meta = body.metadata as JsonObject;
  meta.name = name;
  const sentNamespace = typeof meta.namespace === 'string' ? meta.namespace : '';
  checkNamespace(sc, meta);
  // kube-apiserver's field manager refuses an applied configuration that names its owners.
  if (Array.isArray(meta.managedFields)) throw badRequest('metadata.managedFields must be nil');
  const how = p.fieldValidation ?? 'Ignore';
  checkApplyBody(sc.t, at, body, rawBody, how, p.warnings ?? [], `${sentNamespace}/${name}`);
  const resKey = resourceKey(sc.t);
  const prev = s.storage.get(resKey, objectKey(sc.namespace, name));
  const ctx = ownership(s, sc, p, subresource);
  if (!prev) {
    if (subresource) throw notFound(target(sc, name));
    const { object, managedFields } = serverSideApply(undefined, body, ctx, p.force === true);
    decodeApplied(sc.t, at, object, sentNamespace);
    const created = atRequest ? atRequest.toStored(object) : object;
    return { object: createObject(s, sc, created, p, managedFields), created: true };
  }
  checkRv(sc, prev, body, name);
  // A view applies to its own form of the stored object, then stores the result converted.
  const view = viewAt(sc.t, sc.version);
  const current = atRequest
    ? atRequest.fromStored(prev)
    : view
      ? servedAs(sc.t, apiVersionOf(sc.t.group, sc.version), prev)
      : prev;
  const { object, managedFields } = serverSideApply(current, body, ctx, p.force === true);
  decodeApplied(sc.t, at, object, sentNamespace);
  const stored = atRequest ? atRequest.toStored(object) : view ? view.toStored(object) : object;
  return {
    object: commitUpdate(
      s,
      sc,
      prev,
      stored,
      p,
      subresource ? { subresource, managedFields } : { managedFields },
    ),
    created: false,
  };
}
