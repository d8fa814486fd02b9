/**
 * Binding a Pod to a Node: `POST namespaces/{ns}/bindings` and `POST pods/{name}/binding`,
 * as kube-apiserver's BindingREST does it (and as kube-scheduler uses it): the Binding's
 * `target` must be a Node by name; the Pod must exist, not be being deleted, not be bound
 * already and have no scheduling gates. The Pod gets `spec.nodeName`, the Binding's
 * annotations and labels (labels overwrite the Pod's, as the `PodTopologyLabelsAdmission`
 * gate of 1.36 does) and `PodScheduled=True`; the answer is a `Success` Status. The write
 * records no managed fields, as the real storage update records none.
 */
import { badRequest, conflict, HttpStatusError } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { type ApiState, timestamp } from '../state.js';
import { objectKey } from '../storage.js';
import { getStored, type Scope, stampRv } from '../write-scope.js';

/** The Status kube-apiserver answers a binding with. */
const BOUND = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };

/** `ValidatePodBinding`'s messages (kube-apiserver answers them as a 500 without a reason). */
function bindingErrors(target: JsonObject): string[] {
  const errs: string[] = [];
  const kind = target.kind ?? '';
  if (kind !== '' && kind !== 'Node') {
    errs.push(
      `target.kind: Unsupported value: ${JSON.stringify(kind)}: supported values: "Node", "<empty>"`,
    );
  }
  if (typeof target.name !== 'string' || target.name === '')
    errs.push('target.name: Required value');
  return errs;
}

/**
 * The Pod as a binding leaves it: on `node`, with the Binding's annotations and labels and
 * a `PodScheduled=True` condition (replacing an earlier one).
 */
export function boundPod(
  pod: JsonObject,
  node: string,
  annotations: Json = {},
  labels: Json = {},
): JsonObject {
  const next = structuredClone(pod);
  const spec = isObject(next.spec) ? next.spec : {};
  spec.nodeName = node;
  next.spec = spec;
  const meta = metaOf(next);
  if (isObject(annotations) && Object.keys(annotations).length) {
    meta.annotations = { ...(isObject(meta.annotations) ? meta.annotations : {}), ...annotations };
  }
  if (isObject(labels) && Object.keys(labels).length) {
    meta.labels = { ...(isObject(meta.labels) ? meta.labels : {}), ...labels };
  }
  const status = isObject(next.status) ? next.status : {};
  const others = Array.isArray(status.conditions)
    ? status.conditions.filter((c) => !isObject(c) || c.type !== 'PodScheduled')
    : [];
  status.conditions = [
    ...others,
    { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp() },
  ];
  delete status.nominatedNodeName;
  next.status = status;
  return next;
}

/** Stores a Pod's new state as a storage update (no admission, no managed fields). */
export function commitPod(s: ApiState, next: JsonObject): void {
  stampRv(s, next);
  const meta = metaOf(next);
  const namespace = String(meta.namespace);
  s.storage.commit('pods', objectKey(namespace, String(meta.name)), namespace, next);
}

/**
 * Serves a Binding for the Pods of `pods` (the scope of `pods` in the request's
 * namespace): `name` is the Pod of a `pods/{name}/binding` request, undefined for
 * `bindings`, which takes it from the body.
 */
export function bindPod(
  s: ApiState,
  pods: Scope,
  name: string | undefined,
  body: JsonObject,
  dryRun: boolean,
): JsonObject {
  const meta = isObject(body.metadata) ? body.metadata : {};
  const podName = typeof meta.name === 'string' ? meta.name : '';
  if (name !== undefined && name !== podName) {
    throw badRequest('name in URL does not match name in Binding object');
  }
  if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== pods.namespace) {
    throw badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  const target = isObject(body.target) ? body.target : {};
  const errs = bindingErrors(target);
  if (errs.length) {
    throw new HttpStatusError(500, '', errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`);
  }
  const pod = getStored(s, pods, podName);
  const pm = metaOf(pod);
  const spec = isObject(pod.spec) ? pod.spec : {};
  const refuse = (why: string) =>
    conflict({ group: '', plural: 'pods/binding', name: podName }, why);
  if (pm.deletionTimestamp)
    throw refuse(`pod ${podName} is being deleted, cannot be assigned to a host`);
  if (typeof spec.nodeName === 'string' && spec.nodeName !== '') {
    throw refuse(`pod ${podName} is already assigned to node ${JSON.stringify(spec.nodeName)}`);
  }
  if (Array.isArray(spec.schedulingGates) && spec.schedulingGates.length) {
    throw refuse(`pod ${podName} has non-empty .spec.schedulingGates`);
  }
  if (!dryRun) commitPod(s, boundPod(pod, String(target.name), meta.annotations, meta.labels));
  return BOUND;
}
