import { deleteOperationOptions } from './admission/operation-options.js';
import { admitPolicies } from './admission/policies.js';
import type { UserInfo } from './auth/user.js';
import { CRD_CLEANUP_FINALIZER } from './crd.js';
import { forbidden, HttpStatusError, invalid, type StatusCause } from './errors.js';
import { isObject, type Json, type JsonObject } from './json.js';
import { metaOf } from './object-meta.js';
import { DELETE_OPTIONS_ERROR, parseBody } from './request-body.js';
import { resourceKey } from './resource-types.js';
import { type ApiState, timestamp } from './state.js';
import { objectKey } from './storage.js';
import { getStored, type Scope } from './write-scope.js';

/** Finalizer the garbage collector holds a foreground deletion with. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
/** Finalizer the garbage collector holds an orphaning deletion with. */
export const ORPHAN_FINALIZER = 'orphan';

/** Options of a DELETE (its DeleteOptions body, or its query parameters when it has no body). */
export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  /** `orphanDependents` when the request gave it and no `propagationPolicy` (which it sets). */
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
  gracePeriodSeconds?: number;
}

/**
 * A DELETE request, for its admission: who made it, the name it names (empty for a
 * deletecollection) and the warnings of its answer, which admission appends to.
 */
export interface DeleteRequest {
  readonly user: UserInfo;
  readonly name: string;
  readonly warnings: string[];
}

/** Outcome of a DELETE: still present (finalizers pending) or removed. */
export type DeleteOutcome =
  | { kind: 'deleting'; object: JsonObject }
  | { kind: 'deleted'; object: JsonObject };

/**
 * A DELETE request's options, read by {@link deleteOptionsFrom}: its body (a
 * DeleteOptions; 400 when it does not parse) when it has one, its query otherwise. As
 * kube-apiserver's delete handlers decode them: the query of a request with a body is not
 * read, so `?dryRun=All` beside a DeleteOptions body deletes for real.
 */
export function requestDeleteOptions(
  rawBody: string,
  contentType: string,
  query: URLSearchParams,
): DeleteOptions {
  if (!rawBody) return deleteOptionsFrom(undefined, query);
  return deleteOptionsFrom(parseBody(rawBody, contentType, DELETE_OPTIONS_ERROR), NO_QUERY);
}

const NO_QUERY = new URLSearchParams();

/**
 * Reads DeleteOptions from a body and a query, answering 422 as kube-apiserver's
 * ValidateDeleteOptions does: both `orphanDependents` and `propagationPolicy`, an unknown
 * policy, a dryRun value other than `All`.
 */
export function deleteOptionsFrom(body: Json | undefined, query: URLSearchParams): DeleteOptions {
  const b = isObject(body) ? body : {};
  const opts: DeleteOptions = {};
  const policy =
    query.get('propagationPolicy') ??
    (typeof b.propagationPolicy === 'string' ? b.propagationPolicy : undefined);
  const orphan =
    query.get('orphanDependents') ??
    (typeof b.orphanDependents === 'boolean' ? String(b.orphanDependents) : undefined);
  const causes: StatusCause[] = [];
  if (policy !== undefined && orphan !== undefined) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(policy)}: orphanDependents and deletionPropagation cannot be both set`,
      field: 'propagationPolicy',
    });
  }
  if (policy !== undefined) {
    if (policy !== 'Foreground' && policy !== 'Background' && policy !== 'Orphan') {
      causes.push({
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`,
        field: 'propagationPolicy',
      });
    } else opts.propagationPolicy = policy;
  } else if (orphan !== undefined) {
    opts.orphanDependents = orphan === 'true';
    if (opts.orphanDependents) opts.propagationPolicy = 'Orphan';
  }
  if (isObject(b.preconditions)) {
    const pre: { uid?: string; resourceVersion?: string } = {};
    if (typeof b.preconditions.uid === 'string') pre.uid = b.preconditions.uid;
    if (typeof b.preconditions.resourceVersion === 'string')
      pre.resourceVersion = b.preconditions.resourceVersion;
    opts.preconditions = pre;
  }
  const dry = query.has('dryRun')
    ? query.getAll('dryRun')
    : Array.isArray(b.dryRun)
      ? b.dryRun.map(String)
      : [];
  if (dry.some((v) => v !== 'All')) {
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(dry)}: supported values: "All"`,
      field: 'dryRun',
    });
  }
  if (causes.length) throw invalid('DeleteOptions', 'meta.k8s.io', '', causes);
  if (dry.length) opts.dryRun = true;
  const grace = query.get('gracePeriodSeconds') ?? b.gracePeriodSeconds;
  if (grace !== undefined && grace !== null && grace !== '') {
    // Negative values mean 1 s on the delete path.
    const n = Number(grace);
    opts.gracePeriodSeconds = n < 0 ? 1 : n;
  }
  return opts;
}

/**
 * Deletes an object like kube-apiserver: preconditions (409), then admission of a
 * request's delete (`by`: ValidatingAdmissionPolicies, unless the admission webhooks'
 * path already ran them), finalizers hold it with
 * deletionTimestamp set (generation bumped when tracked) until they are all removed,
 * Foreground/Orphan add the GC's finalizer; otherwise it is removed at once. A namespace
 * is always held (its `kubernetes` finalizer) until its content is gone.
 */
export function deleteObject(
  s: ApiState,
  sc: Scope,
  name: string,
  opts: DeleteOptions,
  by?: DeleteRequest,
): DeleteOutcome {
  const obj = getStored(s, sc, name);
  const meta = metaOf(obj);
  const pre = opts.preconditions;
  if (pre?.uid !== undefined && pre.uid !== meta.uid) {
    throw preconditionFailed(
      sc,
      name,
      `the UID in the precondition (${pre.uid}) does not match the UID in record (${String(meta.uid)}). The object might have been deleted and then recreated`,
    );
  }
  if (pre?.resourceVersion !== undefined && pre.resourceVersion !== meta.resourceVersion) {
    throw preconditionFailed(
      sc,
      name,
      `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${String(meta.resourceVersion)}). The object might have been modified`,
    );
  }
  const isNamespace = sc.t.plural === 'namespaces' && !sc.t.group;
  if (isNamespace && ['default', 'kube-system', 'kube-public'].includes(name)) {
    throw forbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`, {
      name,
      kind: 'namespaces',
    });
  }
  const finalizers = (Array.isArray(meta.finalizers) ? meta.finalizers : []).map(String);
  const wanted = [...finalizers];
  if (sc.t.group === 'apiextensions.k8s.io' && sc.t.plural === 'customresourcedefinitions') {
    if (!wanted.includes(CRD_CLEANUP_FINALIZER)) wanted.push(CRD_CLEANUP_FINALIZER);
  }
  if (opts.propagationPolicy === 'Foreground' && !wanted.includes(FOREGROUND_FINALIZER))
    wanted.push(FOREGROUND_FINALIZER);
  if (opts.propagationPolicy === 'Orphan' && !wanted.includes(ORPHAN_FINALIZER))
    wanted.push(ORPHAN_FINALIZER);
  const specFinalizers =
    isNamespace && isObject(obj.spec) && Array.isArray(obj.spec.finalizers)
      ? obj.spec.finalizers
      : [];
  // A Terminating namespace that nothing holds any more goes on the next delete.
  const released = isNamespace && finalizers.length === 0 && specFinalizers.length === 0;
  // An object already being deleted is not admitted again (kube-apiserver's store answers
  // a pending graceful deletion before its delete validation).
  const pending = meta.deletionTimestamp && !released;
  if (by && !pending && !s.admittedDeletes) {
    const origin = {
      user: by.user,
      dryRun: opts.dryRun === true,
      options: admittedDeleteOptions(sc, obj, opts),
    };
    admitPolicies(s, sc, by.name, null, obj, '', by.warnings, origin);
  }
  if (pending) {
    return isPod(sc)
      ? shortenGracePeriod(s, sc, name, obj, opts)
      : { kind: 'deleting', object: obj };
  }
  const grace = isPod(sc) ? podGracePeriod(obj, opts) : 0;
  if (grace > 0) {
    // A pod on a node waits for its kubelet (which MemoryApiServer does not run) to end it.
    const nm: JsonObject = {
      ...meta,
      deletionTimestamp: timestamp(new Date(Date.now() + grace * 1000)),
      deletionGracePeriodSeconds: grace,
    };
    if (wanted.length) nm.finalizers = wanted;
    if (typeof meta.generation === 'number') nm.generation = meta.generation + 1;
    const held: JsonObject = { ...obj, metadata: nm };
    return hold(s, sc, name, held, opts);
  }
  // A namespace is always Terminating first; the namespace controller removes it.
  if (wanted.length > 0 || specFinalizers.length > 0 || (isNamespace && !meta.deletionTimestamp)) {
    const nm: JsonObject = { ...meta, deletionTimestamp: timestamp() };
    // Namespaces carry no grace period; everything else records 0 like the real server.
    if (!isNamespace) nm.deletionGracePeriodSeconds = 0;
    if (wanted.length) nm.finalizers = wanted;
    const held: JsonObject = { ...obj, metadata: nm };
    if (isNamespace)
      held.status = { ...(isObject(obj.status) ? obj.status : {}), phase: 'Terminating' };
    if (typeof meta.generation === 'number') nm.generation = meta.generation + 1;
    return hold(s, sc, name, held, opts);
  }
  // A pod always goes through graceful deletion, with a period of 0 here.
  if (isPod(sc)) return removePodNow(s, sc, name, obj, opts, Date.now(), true);
  if (opts.dryRun) return { kind: 'deleted', object: obj };
  const final: JsonObject = {
    ...obj,
    metadata: { ...meta, resourceVersion: String(s.storage.nextRv()) },
  };
  s.storage.commit(resourceKey(sc.t), objectKey(sc.namespace, name), sc.namespace, null, final);
  return { kind: 'deleted', object: obj };
}

/**
 * Removes a pod whose grace period is 0 as kube-apiserver does: the pod is first written
 * with `deletionTimestamp` (`at`) and `deletionGracePeriodSeconds: 0` (watchers see it
 * MODIFIED; the generation moves on a first delete), then deleted; the answer is that last
 * state at the deletion's resourceVersion.
 */
function removePodNow(
  s: ApiState,
  sc: Scope,
  name: string,
  pod: JsonObject,
  opts: DeleteOptions,
  at: number,
  first: boolean,
): DeleteOutcome {
  const meta = metaOf(pod);
  const nm: JsonObject = {
    ...meta,
    deletionTimestamp: timestamp(new Date(at)),
    deletionGracePeriodSeconds: 0,
  };
  if (first && typeof meta.generation === 'number') nm.generation = meta.generation + 1;
  const marked: JsonObject = { ...pod, metadata: nm };
  if (opts.dryRun) return { kind: 'deleted', object: marked };
  const key = objectKey(sc.namespace, name);
  hold(s, sc, name, marked, opts);
  const final: JsonObject = {
    ...marked,
    metadata: { ...nm, resourceVersion: String(s.storage.nextRv()) },
  };
  s.storage.commit(resourceKey(sc.t), key, sc.namespace, null, final);
  return { kind: 'deleted', object: final };
}

/** Stores `held`, an object that deletion keeps for now (unless dry run). */
function hold(s: ApiState, sc: Scope, name: string, held: JsonObject, opts: DeleteOptions) {
  if (opts.dryRun) return { kind: 'deleting' as const, object: held };
  metaOf(held).resourceVersion = String(s.storage.nextRv());
  const key = objectKey(sc.namespace, name);
  const stored = s.storage.commit(resourceKey(sc.t), key, sc.namespace, held).object;
  return { kind: 'deleting' as const, object: stored };
}

/**
 * A DELETE's options as its admission sees them (see deleteOperationOptions): a Pod's
 * `gracePeriodSeconds` is the one its strategy chose, as kube-apiserver's store sets it
 * before the delete's admission.
 */
export function admittedDeleteOptions(
  sc: Pick<Scope, 't'>,
  obj: JsonObject,
  opts: DeleteOptions,
): JsonObject {
  return deleteOperationOptions(opts, isPod(sc) ? podGracePeriod(obj, opts) : undefined);
}

function isPod(sc: Pick<Scope, 't'>): boolean {
  return sc.t.builtin && sc.t.group === '' && sc.t.plural === 'pods';
}

/**
 * The grace period of a pod's deletion, as kube-apiserver's pod strategy decides it:
 * `gracePeriodSeconds` of the request, else the pod's `terminationGracePeriodSeconds`;
 * 0 (deleted at once) when no node runs it or it has finished.
 */
function podGracePeriod(pod: JsonObject, opts: DeleteOptions): number {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const phase = isObject(pod.status) ? pod.status.phase : undefined;
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  const period = opts.gracePeriodSeconds ?? Number(spec.terminationGracePeriodSeconds ?? 0);
  return period;
}

/**
 * A second DELETE of a pod that is terminating may only shorten its grace period; 0
 * removes it now (a forced delete), unless finalizers still hold it.
 */
function shortenGracePeriod(
  s: ApiState,
  sc: Scope,
  name: string,
  pod: JsonObject,
  opts: DeleteOptions,
): DeleteOutcome {
  const meta = metaOf(pod);
  const current = Number(meta.deletionGracePeriodSeconds ?? 0);
  const wanted = opts.gracePeriodSeconds;
  if (wanted === undefined || current === 0 || wanted >= current) {
    return { kind: 'deleting', object: pod };
  }
  const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers : [];
  const start = Date.parse(String(meta.deletionTimestamp)) - current * 1000;
  const at = Math.max(start + wanted * 1000, Date.now());
  if (wanted === 0 && finalizers.length === 0) {
    return removePodNow(s, sc, name, pod, opts, at, false);
  }
  // A period that has already run out ends now, with kube-apiserver's 1 second left.
  const nm: JsonObject = {
    ...meta,
    deletionTimestamp: timestamp(new Date(at)),
    deletionGracePeriodSeconds: start + wanted * 1000 < Date.now() && wanted !== 0 ? 1 : wanted,
  };
  const held: JsonObject = { ...pod, metadata: nm };
  return hold(s, sc, name, held, opts);
}

/** A failed delete precondition: 409 naming the Kind (not the resource) like the storage layer. */
function preconditionFailed(sc: Scope, name: string, why: string): HttpStatusError {
  const qualified = sc.t.group ? `${sc.t.kind}.${sc.t.group}` : sc.t.kind;
  const details = sc.t.group
    ? { name, group: sc.t.group, kind: sc.t.kind }
    : { name, kind: sc.t.kind };
  return new HttpStatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified} "${name}": ${why}`,
    details,
  );
}

/** The Status body of a completed deletion. */
export function deletedStatus(sc: Scope, obj: JsonObject): JsonObject {
  const meta = metaOf(obj);
  // StatusDetails' field order: name, group (omitted when empty), kind, uid.
  const details: JsonObject = {
    name: meta.name ?? '',
    ...(sc.t.group ? { group: sc.t.group } : {}),
    kind: sc.t.plural,
    uid: meta.uid ?? '',
  };
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}
