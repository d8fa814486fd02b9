import { mutateByPolicies } from './admission/mutating-policies.js';
import { cloneKeeping } from './big-integers.js';
import { resizedSpec } from './builtins/pod-resize.js';
import { rulesFor } from './builtins/rules.js';
import { dropEmptyStrings, encodeStored } from './builtins/typed-encode.js';
import { conflict, invalid } from './errors.js';
import { isObject, type Json, type JsonObject, objAt } from './json.js';
import { recordUpdate } from './managed-fields.js';
import { dropEmptyMaps, metaOf, sameContent, specChanged } from './object-meta.js';
import { asObject } from './request-body.js';
import { apiVersionOf, resourceKey, viewAt } from './resource-types.js';
import { scaleOf, setReplicas } from './scale.js';
import type { ApiState } from './state.js';
import { statusMetadata } from './status-metadata.js';
import { objectKey } from './storage.js';
import { checkConditionalUpdate } from './unconditional-update.js';
import { validateWrite } from './validate-write.js';
import { checkFields, checkName, checkNamespace, checkRv, checkTypeMeta } from './write-checks.js';
import {
  getStored,
  originOf,
  ownership,
  type Scope,
  stampRv,
  target,
  trackedForm,
  type WriteParams,
  type WriteSubresource,
} from './write-scope.js';

/**
 * A built-in object as kube-apiserver's typed round trip writes it (the members Go always
 * writes), with the managedFields the client sent (an empty list resets them) as sent.
 */
function typed(sc: Scope, obj: JsonObject): JsonObject {
  if (!sc.t.builtin) return obj;
  const sent = metaOf(obj).managedFields;
  const out = encodeStored(obj);
  if (sent !== undefined) metaOf(out).managedFields = sent;
  return out;
}

/**
 * What an update's subresource takes of `next` (the rest as `prev` has it): a status write
 * its status and the metadata its kind's status strategy does not reset, an approval the
 * conditions, a Pod's resize and ephemeralcontainers their containers; the main resource
 * of a kind with a status subresource keeps the stored status.
 */
function scoped(
  sc: Scope,
  prev: JsonObject,
  next: JsonObject,
  subresource: WriteSubresource | undefined,
): JsonObject {
  const pm = metaOf(prev);
  const meta = metaOf(next);
  if (
    subresource === 'status' ||
    subresource === 'approval' ||
    subresource === 'ephemeralcontainers' ||
    subresource === 'resize'
  ) {
    const kept = { ...prev };
    if (subresource === 'resize') {
      // A Pod's resize changes its containers' resources and resize policies only.
      kept.spec = resizedSpec(isObject(next.spec) ? next.spec : {}, objAt(prev, 'spec'));
    } else if (subresource === 'ephemeralcontainers') {
      // A Pod's ephemeralcontainers changes its ephemeral containers only.
      const spec: JsonObject = isObject(prev.spec) ? { ...prev.spec } : {};
      const sent = isObject(next.spec) ? next.spec.ephemeralContainers : undefined;
      if (sent === undefined) delete spec.ephemeralContainers;
      else spec.ephemeralContainers = sent;
      kept.spec = spec;
    } else if (subresource === 'status') {
      if (next.status === undefined) delete kept.status;
      else kept.status = next.status;
    } else {
      // A CertificateSigningRequest's approval changes its status conditions only.
      const conditions = isObject(next.status) ? next.status.conditions : undefined;
      const status: JsonObject = isObject(prev.status) ? { ...prev.status } : {};
      if (conditions === undefined) delete status.conditions;
      else status.conditions = conditions;
      kept.status = status;
    }
    // A status (or approval) write takes the metadata its kind's strategy does not reset.
    const subMeta =
      subresource === 'status' || subresource === 'approval'
        ? statusMetadata(sc.t, meta, pm)
        : { ...pm };
    kept.metadata = {
      ...subMeta,
      resourceVersion: meta.resourceVersion ?? pm.resourceVersion ?? null,
    };
    if (meta.managedFields !== undefined)
      (kept.metadata as JsonObject).managedFields = meta.managedFields;
    return kept;
  }
  if (sc.t.status) {
    if (prev.status === undefined) delete next.status;
    else next.status = prev.status;
  }
  return next;
}

/**
 * Stores `next` as the new state of `prev` (after the caller built it): keeps server-set
 * metadata, runs the MutatingAdmissionPolicies, bumps generation on spec changes (of the
 * mutated object: kube-apiserver's strategy runs after admission), validates, records
 * field ownership, turns the write into a removal when a deleting object loses its last
 * finalizer, and skips no-op writes (no new resourceVersion, no event) like the real
 * server.
 */
export function commitUpdate(
  s: ApiState,
  sc: Scope,
  prev: JsonObject,
  next: JsonObject,
  p: WriteParams,
  mode: { subresource?: WriteSubresource; managedFields?: Json[]; scale?: JsonObject } = {},
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
  // kube-apiserver's mutating admission sees the object as the request left it, before the
  // strategy's PrepareForUpdate keeps the status (or, for status, the rest) and bumps the
  // generation: a policy's change to the spec counts in the generation.
  const rules = rulesFor(sc.t);
  // Decoded with the defaults, as kube-apiserver's mutating admission sees an update (they
  // are set again below, on what the strategy keeps).
  if (sc.t.builtin) dropEmptyStrings(next);
  rules?.defaults?.(next, false);
  // kube-apiserver's field manager tracks the request as decoded, before admission and the
  // strategy's PrepareForUpdate (which may fill in what it left out, such as a
  // CertificateSigningRequest condition's timestamps): what they set is nobody's.
  const request = cloneKeeping(next);
  // A write through `scale` is admitted as kube-apiserver's scale storage admits it: the
  // mutating chain sees the Scale the request sent (and the stored object's Scale), and
  // only the replicas it leaves come back to the object.
  const scaleSpec = mode.subresource === 'scale' ? sc.t.scale : undefined;
  const admitted = scaleSpec && mode.scale ? mode.scale : next;
  const admittedOld = scaleSpec ? scaleOf(prev, scaleSpec, sc.t.builtin) : prev;
  const sub = mode.subresource ?? '';
  const policies = mutateByPolicies(s, sc, name, admitted, admittedOld, sub, originOf(p, 'UPDATE'));
  // Then the mutating admission webhooks, when the write runs through them, and the chain's
  // second round.
  const point = { ...sc, name, object: admitted, old: admittedOld, subresource: sub };
  if (s.admission) s.admission.beforeValidation({ ...point, policies, warnings: p.warnings });
  else if (policies.applied) policies.again(admitted);
  if (scaleSpec && admitted !== next && isObject(admitted.spec))
    setReplicas(next, scaleSpec, admitted.spec.replicas ?? null);
  next = scoped(sc, prev, next, mode.subresource);
  const decoded = scoped(sc, prev, request, mode.subresource);
  let nm = metaOf(next);
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
  // The scale storage updates through the workload's own strategy.
  if (mode.subresource === undefined || mode.subresource === 'finalize' || scaleSpec)
    rules?.prepareUpdate?.(next, prev);
  else if (mode.subresource !== 'ephemeralcontainers' && mode.subresource !== 'resize')
    rules?.prepareSubresourceUpdate?.(next, prev, mode.subresource);
  for (const o of [next, decoded]) {
    rules?.defaults?.(o, false);
    dropEmptyMaps(sc.t, o);
  }
  if (
    sc.t.plural === 'namespaces' &&
    !sc.t.group &&
    prev.spec !== undefined &&
    mode.subresource === undefined
  ) {
    next.spec = prev.spec;
  }
  // As BeforeUpdate: a request (or a mutation) does not set the generation itself.
  if (pm.generation !== undefined) nm.generation = pm.generation;
  else delete nm.generation;
  // No status strategy bumps it (a Deployment's annotations written through /status, as
  // its controller records the revision, leave it alone).
  const statusWrite = mode.subresource === 'status' || mode.subresource === 'approval';
  const bumps =
    !statusWrite && (rules?.generationChanged?.(next, prev) ?? specChanged(prev, next, sc.t));
  if (sc.t.generation && bumps) nm.generation = Number(pm.generation ?? 0) + 1;
  // The Service allocators run before validation, as kube-apiserver's BeginUpdate does.
  if (mode.subresource === undefined) rules?.allocate?.(next, prev, s, p.dryRun === true);
  validateWrite(
    s,
    sc,
    next,
    name,
    prev,
    mode.subresource,
    p.warnings,
    originOf(p, 'UPDATE'),
    p.verb,
  );
  // A custom resource's pruning may have replaced its metadata.
  nm = metaOf(next);
  // Stored as kube-apiserver's typed round trip writes it (the members Go always writes);
  // fields are tracked on the request as decoded, typed the same way, as kube-apiserver
  // tracks them on its typed objects (a condition's unset times are its Go zero values).
  next = typed(sc, next);
  nm = metaOf(next);
  if (mode.managedFields !== undefined) {
    if (mode.managedFields.length) nm.managedFields = mode.managedFields;
    else delete nm.managedFields;
  } else {
    const form = trackedForm(s, sc, p);
    const ctx = ownership(s, sc, p, mode.subresource);
    // Through a view (events.k8s.io), fields are owned in the view's names; a request at
    // another version than the storage one, in that version's.
    const tracked = typed(sc, decoded);
    const mf = form
      ? recordUpdate(form.fromStored(prev), form.fromStored(tracked), ctx)
      : recordUpdate(prev, tracked, ctx);
    if (mf.length) nm.managedFields = mf;
    else delete nm.managedFields;
  }
  nm.resourceVersion = pm.resourceVersion ?? null;
  const finalizers = Array.isArray(nm.finalizers) ? nm.finalizers : [];
  if (finalizers.length === 0) delete nm.finalizers;
  // A Namespace also waits for its `spec.finalizers` (emptied through `finalize`).
  const specFinalizers =
    sc.t.plural === 'namespaces' && !sc.t.group && isObject(next.spec) ? next.spec.finalizers : [];
  const held = Array.isArray(specFinalizers) && specFinalizers.length > 0;
  if (nm.deletionTimestamp && finalizers.length === 0 && !held) {
    if (p.dryRun) return s.storage.inStoredOrder(resourceKey(sc.t), next);
    const resKey = resourceKey(sc.t);
    stampRv(s, next);
    return s.storage.commit(resKey, objectKey(sc.namespace, name), sc.namespace, null, next).object;
  }
  if (sameContent(prev, next)) return prev;
  if (p.dryRun) return s.storage.inStoredOrder(resourceKey(sc.t), next);
  stampRv(s, next);
  return s.storage.commit(resourceKey(sc.t), objectKey(sc.namespace, name), sc.namespace, next)
    .object;
}

/**
 * The resources whose registry strategy allows a create on update
 * (`AllowCreateOnUpdate`): a PUT of a missing object creates it (201), as there.
 */
const CREATE_ON_UPDATE = new Set([
  'endpoints',
  'events',
  'limitranges',
  'services',
  'leases.coordination.k8s.io',
  'leasecandidates.coordination.k8s.io',
  'runtimeclasses.node.k8s.io',
  'roles.rbac.authorization.k8s.io',
  'rolebindings.rbac.authorization.k8s.io',
  'clusterroles.rbac.authorization.k8s.io',
  'clusterrolebindings.rbac.authorization.k8s.io',
]);

/** Whether a PUT of `name` on the main resource creates it (it is missing and may be). */
export function createsOnUpdate(s: ApiState, sc: Scope, name: string): boolean {
  return (
    sc.t.builtin &&
    CREATE_ON_UPDATE.has(resourceKey(sc.t)) &&
    s.storage.get(resourceKey(sc.t), objectKey(sc.namespace, name)) === undefined
  );
}

/** Replaces an object (PUT), on the main resource, its status or a Namespace's finalize. */
export function updateObject(
  s: ApiState,
  sc: Scope,
  name: string,
  raw: Json,
  p: WriteParams,
  subresource?: WriteSubresource,
): JsonObject {
  let body = cloneKeeping(asObject(raw));
  checkTypeMeta(sc, body, p.rawBody);
  checkFields(sc, body, p, { body: 'object' });
  const view = viewAt(sc.t, sc.version);
  if (view) body = view.toStored(body);
  if (!isObject(body.metadata)) body.metadata = {};
  checkName(body, name, true);
  checkNamespace(sc, body.metadata as JsonObject);
  const prev = getStored(s, sc, name);
  checkConditionalUpdate(sc, body, name);
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
