import { isObject, type Json, type JsonObject, num } from '../json.js';
import { metaOf } from '../object-meta.js';
import { parseQuantity } from './quantity.js';

/** Resource usage: quota resource name → nano-units. */
export type Usage = Map<string, bigint>;

const NANO = 1_000_000_000n;
const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';

/** The quota resource names an object is counted under by `count/…` (`count/replicasets.apps`). */
export function countName(group: string, plural: string): string {
  return group ? `count/${plural}.${group}` : `count/${plural}`;
}

/** The pre-`count/` names kube-apiserver still accepts for some core resources. */
const LEGACY_COUNT: Record<string, string> = {
  pods: 'pods',
  services: 'services',
  replicationcontrollers: 'replicationcontrollers',
  resourcequotas: 'resourcequotas',
  secrets: 'secrets',
  configmaps: 'configmaps',
  persistentvolumeclaims: 'persistentvolumeclaims',
};

function add(u: Usage, name: string, nanos: bigint): void {
  u.set(name, (u.get(name) ?? 0n) + nanos);
}

function list(v: Json | undefined): JsonObject[] {
  return Array.isArray(v) ? v.filter(isObject) : [];
}

/** A pod's requests or limits per resource: max(sum of containers, each init container). */
function podResources(spec: JsonObject, field: 'requests' | 'limits'): Map<string, bigint> {
  const of = (c: JsonObject) => {
    const r = isObject(c.resources) && isObject(c.resources[field]) ? c.resources[field] : {};
    const out = new Map<string, bigint>();
    for (const [k, v] of Object.entries(r)) {
      const q = parseQuantity(v);
      if (q) out.set(k, q.nanos);
    }
    return out;
  };
  const total = new Map<string, bigint>();
  for (const c of list(spec.containers)) {
    for (const [k, v] of of(c)) total.set(k, (total.get(k) ?? 0n) + v);
  }
  for (const c of list(spec.initContainers)) {
    for (const [k, v] of of(c)) if (v > (total.get(k) ?? 0n)) total.set(k, v);
  }
  if (isObject(spec.overhead)) {
    for (const [k, v] of Object.entries(spec.overhead)) {
      const q = parseQuantity(v);
      if (q) total.set(k, (total.get(k) ?? 0n) + q.nanos);
    }
  }
  return total;
}

/** True when kube-apiserver's quota no longer charges a pod: terminal, or past its grace period. */
export function podReleased(pod: JsonObject): boolean {
  const phase = isObject(pod.status) ? pod.status.phase : undefined;
  if (phase === 'Succeeded' || phase === 'Failed') return true;
  const meta = metaOf(pod);
  if (typeof meta.deletionTimestamp !== 'string') return false;
  const grace = num(meta.deletionGracePeriodSeconds);
  return Date.parse(meta.deletionTimestamp) + grace * 1000 < Date.now();
}

/** The pod's QoS class is BestEffort: no container requests or limits cpu or memory. */
export function podBestEffort(pod: JsonObject): boolean {
  const spec = isObject(pod.spec) ? pod.spec : {};
  for (const c of [...list(spec.containers), ...list(spec.initContainers)]) {
    const r = isObject(c.resources) ? c.resources : {};
    for (const field of ['requests', 'limits']) {
      const m = isObject(r[field]) ? r[field] : {};
      if ('cpu' in m || 'memory' in m) return false;
    }
  }
  return true;
}

function podUsage(pod: JsonObject, u: Usage): void {
  if (podReleased(pod)) return;
  const spec = isObject(pod.spec) ? pod.spec : {};
  add(u, 'pods', NANO);
  const requests = podResources(spec, 'requests');
  const limits = podResources(spec, 'limits');
  for (const [k, v] of requests) {
    add(u, `requests.${k}`, v);
    if (k === 'cpu' || k === 'memory' || k === 'ephemeral-storage') add(u, k, v);
  }
  for (const [k, v] of limits) add(u, `limits.${k}`, v);
}

function serviceUsage(svc: JsonObject, u: Usage): void {
  const spec = isObject(svc.spec) ? svc.spec : {};
  add(u, 'services', NANO);
  const ports = list(spec.ports).length;
  if (spec.type === 'NodePort') add(u, 'services.nodeports', BigInt(ports) * NANO);
  if (spec.type === 'LoadBalancer') {
    add(u, 'services.loadbalancers', NANO);
    if (spec.allocateLoadBalancerNodePorts !== false) {
      add(u, 'services.nodeports', BigInt(ports) * NANO);
    }
  }
}

function claimUsage(pvc: JsonObject, u: Usage): void {
  const spec = isObject(pvc.spec) ? pvc.spec : {};
  const resources = isObject(spec.resources) ? spec.resources : {};
  const requests = isObject(resources.requests) ? resources.requests : {};
  const storage = parseQuantity(requests.storage)?.nanos ?? 0n;
  const klass = typeof spec.storageClassName === 'string' ? spec.storageClassName : '';
  add(u, 'persistentvolumeclaims', NANO);
  add(u, 'requests.storage', storage);
  if (klass) {
    add(u, `${klass}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`, NANO);
    add(u, `${klass}${STORAGE_CLASS_SUFFIX}requests.storage`, storage);
  }
}

/**
 * What one object adds to a namespace's usage, under every quota resource name it is
 * counted by (kube-apiserver's quota evaluators: pods charge their requests and limits,
 * services their node ports and load balancers, claims their storage, every object its
 * `count/…`).
 */
export function objectUsage(group: string, plural: string, obj: JsonObject): Usage {
  const u: Usage = new Map();
  if (group === '' && plural === 'pods') {
    podUsage(obj, u);
    if (u.size > 0) add(u, countName(group, plural), NANO);
    return u;
  }
  add(u, countName(group, plural), NANO);
  if (group !== '') return u;
  if (plural === 'services') serviceUsage(obj, u);
  else if (plural === 'persistentvolumeclaims') claimUsage(obj, u);
  else if (LEGACY_COUNT[plural]) add(u, LEGACY_COUNT[plural], NANO);
  return u;
}

/** Adds `b` into `a`. */
export function addUsage(a: Usage, b: Usage): void {
  for (const [k, v] of b) add(a, k, v);
}
