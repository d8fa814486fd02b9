import { badRequest } from './errors.js';
import { isObject, type Json, type JsonObject } from './json.js';
import { metaOf } from './object-meta.js';
import type { ScaleSpec } from './resource-types.js';

function read(obj: JsonObject, path: string): Json | undefined {
  let cur: Json | undefined = obj;
  for (const seg of path.replace(/^\./, '').split('.')) {
    if (!isObject(cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

/** A LabelSelector object as the selector string the Scale subresource reports. */
function selectorString(sel: Json | undefined): string | undefined {
  if (!isObject(sel)) return undefined;
  const parts: string[] = [];
  const ml = sel.matchLabels;
  if (isObject(ml)) for (const k of Object.keys(ml).sort()) parts.push(`${k}=${String(ml[k])}`);
  const exprs = sel.matchExpressions;
  if (Array.isArray(exprs)) {
    for (const e of exprs) {
      if (!isObject(e)) continue;
      const vals = Array.isArray(e.values) ? e.values.map(String).sort().join(',') : '';
      const op = String(e.operator);
      if (op === 'In') parts.push(`${String(e.key)} in (${vals})`);
      else if (op === 'NotIn') parts.push(`${String(e.key)} notin (${vals})`);
      else if (op === 'Exists') parts.push(String(e.key));
      else if (op === 'DoesNotExist') parts.push(`!${String(e.key)}`);
    }
  }
  return parts.join(',');
}

/**
 * The kind every `scale` subresource reads and writes, which kube-apiserver's admission
 * names as the request's `kind` and `requestKind` (the resource stays the workload's).
 */
export const SCALE_KIND = { group: 'autoscaling', version: 'v1', kind: 'Scale' } as const;

/** Sets an object's replicas (at its scale subresource's `specReplicasPath`) in place. */
export function setReplicas(obj: JsonObject, spec: ScaleSpec, replicas: Json): void {
  const segs = spec.specReplicasPath.replace(/^\./, '').split('.');
  let cur: JsonObject = obj;
  for (const seg of segs.slice(0, -1)) {
    if (!isObject(cur[seg])) cur[seg] = {};
    cur = cur[seg] as JsonObject;
  }
  cur[segs[segs.length - 1]!] = replicas;
}

/** The autoscaling/v1 Scale view of an object. */
export function scaleOf(obj: JsonObject, spec: ScaleSpec, builtin = false): JsonObject {
  const meta = metaOf(obj);
  const status: JsonObject = { replicas: Number(read(obj, spec.statusReplicasPath) ?? 0) };
  if (builtin) {
    // Built-in workloads report their spec.selector as a selector string.
    const sel = selectorString(isObject(obj.spec) ? obj.spec.selector : undefined);
    if (sel !== undefined) status.selector = sel;
  } else if (spec.labelSelectorPath) {
    const sel = read(obj, spec.labelSelectorPath);
    if (typeof sel === 'string') status.selector = sel;
  }
  const m: JsonObject = {};
  for (const k of ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp'])
    if (meta[k] !== undefined) m[k] = meta[k]!;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: m,
    spec: { replicas: Number(read(obj, spec.specReplicasPath) ?? 0) },
    status,
  };
}

/** The object with its replicas set from a Scale (and the Scale's resourceVersion, for conflicts). */
export function withScale(obj: JsonObject, spec: ScaleSpec, scale: Json): JsonObject {
  if (!isObject(scale) || !isObject(scale.spec) || typeof scale.spec.replicas !== 'number') {
    throw badRequest('Scale: spec.replicas must be a number');
  }
  const out = structuredClone(obj);
  setReplicas(out, spec, scale.spec.replicas);
  const rv = isObject(scale.metadata) ? scale.metadata.resourceVersion : undefined;
  if (typeof rv === 'string' && rv) (out.metadata as JsonObject).resourceVersion = rv;
  return out;
}
