/**
 * Pods made from a workload's template, as the ReplicaSet and Job controllers make them:
 * `generateName` from the owner's name, the template's labels and annotations, the owner
 * as controller reference, and the template's spec.
 */
import { isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { ownerReference } from './writes.js';

/** Whether a Pod counts as active for its controller: not being deleted and not finished. */
export function isActive(pod: JsonObject): boolean {
  const phase = isObject(pod.status) ? pod.status.phase : undefined;
  return !metaOf(pod).deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/** Whether a Pod is being deleted and has not finished (`IsPodTerminating`). */
export function isTerminating(pod: JsonObject): boolean {
  const phase = isObject(pod.status) ? pod.status.phase : undefined;
  return !!metaOf(pod).deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/** Whether a Pod's `Ready` condition is `True`. */
export function isReady(pod: JsonObject): boolean {
  const status = isObject(pod.status) ? pod.status : {};
  const list = Array.isArray(status.conditions) ? status.conditions.filter(isObject) : [];
  return list.some((c) => c.type === 'Ready' && c.status === 'True');
}

/**
 * Whether a Pod has been Ready for `minReadySeconds` at `now` (ms); with 0, as soon as it
 * is Ready.
 */
export function isAvailable(pod: JsonObject, minReadySeconds: number, now: number): boolean {
  if (!isReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const status = isObject(pod.status) ? pod.status : {};
  const ready = (Array.isArray(status.conditions) ? status.conditions.filter(isObject) : []).find(
    (c) => c.type === 'Ready',
  );
  const since = Date.parse(String(ready?.lastTransitionTime ?? ''));
  return Number.isFinite(since) && since + minReadySeconds * 1000 <= now;
}

/** A new Pod for `owner` from `template`, with extra labels/annotations (e.g. a completion index). */
export function podFromTemplate(
  owner: JsonObject,
  template: unknown,
  extra: {
    generateName?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  } = {},
): JsonObject {
  const tpl = isObject(template) ? template : {};
  const tm = isObject(tpl.metadata) ? tpl.metadata : {};
  const metadata: JsonObject = {
    generateName: extra.generateName ?? `${String(metaOf(owner).name)}-`,
    labels: { ...(isObject(tm.labels) ? tm.labels : {}), ...extra.labels },
    ownerReferences: [ownerReference(owner)],
  };
  const annotations = { ...(isObject(tm.annotations) ? tm.annotations : {}), ...extra.annotations };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  if (Array.isArray(tm.finalizers)) metadata.finalizers = tm.finalizers;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: structuredClone(isObject(tpl.spec) ? tpl.spec : {}),
  };
}
