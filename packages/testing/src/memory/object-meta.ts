import { randomUUID } from 'node:crypto';
import { deepEqual, isObject, type JsonObject } from './json.js';
import type { ResourceType } from './resource-types.js';
import { timestamp } from './state.js';

/** metadata of an object (a fresh empty object when absent). */
export function metaOf(obj: JsonObject): JsonObject {
  return isObject(obj.metadata) ? obj.metadata : {};
}

const GENERATE_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** A name from generateName: the prefix plus 5 random characters, as the real server does. */
export function generatedName(prefix: string): string {
  let s = prefix.slice(0, 253 - 5);
  for (let i = 0; i < 5; i++)
    s += GENERATE_CHARS[Math.floor(Math.random() * GENERATE_CHARS.length)];
  return s;
}

/** Fresh server-set metadata fields for a new object. */
export function stampNew(meta: JsonObject, t: ResourceType): void {
  meta.uid = randomUUID();
  meta.creationTimestamp = timestamp();
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  if (t.generation) meta.generation = 1;
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
  return deepEqual(strip(a), strip(b));
}

/** Defaults the server applies to built-in kinds that operators read back. */
export function applyBuiltinDefaults(t: ResourceType, obj: JsonObject, isCreate: boolean): void {
  const spec = isObject(obj.spec) ? obj.spec : undefined;
  const key = `${t.group}/${t.plural}`;
  const defaultPorts = (ports: unknown) => {
    if (!Array.isArray(ports)) return;
    for (const p of ports) if (isObject(p) && p.protocol === undefined) p.protocol = 'TCP';
  };
  const podSpec = (ps: unknown) => {
    if (!isObject(ps)) return;
    defaultPodSpec(ps);
    for (const list of ['containers', 'initContainers']) {
      const cs = ps[list];
      if (Array.isArray(cs)) for (const c of cs) if (isObject(c)) defaultPorts(c.ports);
    }
  };
  switch (key) {
    case '/namespaces': {
      const meta = metaOf(obj);
      meta.labels = {
        ...(isObject(meta.labels) ? meta.labels : {}),
        'kubernetes.io/metadata.name': String(meta.name),
      };
      obj.metadata = meta;
      if (isCreate) {
        obj.spec = { finalizers: ['kubernetes'] };
        obj.status = { phase: 'Active' };
      }
      return;
    }
    case '/pods':
      podSpec(spec);
      if (isCreate) obj.status = { phase: 'Pending' };
      return;
    case '/services':
      if (spec) {
        defaultPorts(spec.ports);
        if (Array.isArray(spec.ports)) {
          for (const p of spec.ports)
            if (isObject(p) && p.targetPort === undefined) p.targetPort = p.port ?? null;
        }
        if (spec.type === undefined) spec.type = 'ClusterIP';
        if (spec.sessionAffinity === undefined) spec.sessionAffinity = 'None';
        if (isCreate && spec.clusterIP === undefined && spec.type !== 'ExternalName') {
          const n = Math.floor(Math.random() * 65000) + 1;
          spec.clusterIP = `10.96.${n >> 8}.${n & 255}`;
          spec.clusterIPs = [spec.clusterIP];
        }
      }
      return;
    case 'apps/deployments':
      if (spec) {
        spec.replicas ??= 1;
        spec.progressDeadlineSeconds ??= 600;
        spec.revisionHistoryLimit ??= 10;
        spec.strategy ??= {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
        };
        if (isObject(spec.template)) podSpec(spec.template.spec);
      }
      return;
    case 'apps/statefulsets':
    case 'apps/replicasets':
      if (spec) {
        spec.replicas ??= 1;
        if (isObject(spec.template)) podSpec(spec.template.spec);
      }
      return;
    case 'apps/daemonsets':
    case 'batch/jobs':
      if (spec && isObject(spec.template)) podSpec(spec.template.spec);
      return;
    default:
      return;
  }
}

/**
 * Drops empty maps that kube-apiserver's typed serialization omits: metadata labels and
 * annotations (every kind), and ConfigMap/Secret data maps.
 */
export function dropEmptyMaps(t: ResourceType, obj: JsonObject): void {
  const meta = metaOf(obj);
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

const IMAGE_TAG = /:[^/]+$/;

/** Pod spec defaults kube-apiserver applies (the ones operators read back or diff against). */
export function defaultPodSpec(ps: JsonObject): void {
  ps.restartPolicy ??= 'Always';
  ps.terminationGracePeriodSeconds ??= 30;
  ps.dnsPolicy ??= 'ClusterFirst';
  ps.securityContext ??= {};
  ps.schedulerName ??= 'default-scheduler';
  for (const list of ['containers', 'initContainers']) {
    const cs = ps[list];
    if (!Array.isArray(cs)) continue;
    for (const c of cs) {
      if (!isObject(c)) continue;
      const image = typeof c.image === 'string' ? c.image : '';
      const latest = !IMAGE_TAG.test(image.split('@')[0] ?? '') || image.endsWith(':latest');
      c.imagePullPolicy ??= latest && !image.includes('@') ? 'Always' : 'IfNotPresent';
      c.terminationMessagePath ??= '/dev/termination-log';
      c.terminationMessagePolicy ??= 'File';
      c.resources ??= {};
    }
  }
}
