import { admissionForbidden } from '../admission/forbidden.js';
import { isObject, type JsonObject } from '../json.js';
import type { ApiState } from '../state.js';
import type { Scope } from '../write-scope.js';
import { formatQuantity, parseQuantity } from './quantity.js';
import { hardOf, namespaceUsage, QUOTA_KEY, quotaMatches } from './quota-usage.js';
import { objectUsage, type Usage } from './usage.js';

/** Compute resources a pod must state once a quota limits them. */
const MUST_SPECIFY: Record<string, { field: 'requests' | 'limits'; resource: string }> = {
  cpu: { field: 'requests', resource: 'cpu' },
  'requests.cpu': { field: 'requests', resource: 'cpu' },
  memory: { field: 'requests', resource: 'memory' },
  'requests.memory': { field: 'requests', resource: 'memory' },
  'limits.cpu': { field: 'limits', resource: 'cpu' },
  'limits.memory': { field: 'limits', resource: 'memory' },
};

function missingCompute(pod: JsonObject, hard: JsonObject): string[] {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isObject) : [];
  const missing: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const need = MUST_SPECIFY[name];
    if (!need) continue;
    const without = containers.filter((c) => {
      const resources = isObject(c.resources) ? c.resources : {};
      const r = resources[need.field];
      return !(isObject(r) && need.resource in r);
    });
    if (without.length)
      missing.push(`${name} for: ${without.map((c) => String(c.name)).join(',')}`);
  }
  return missing;
}

function list(hard: JsonObject, names: string[], values: (n: string) => bigint): string {
  return names
    .map(
      (n) =>
        `${n}=${formatQuantity({ nanos: values(n), binary: parseQuantity(hard[n])?.binary ?? false })}`,
    )
    .join(',');
}

/**
 * Whether kube-apiserver's quota evaluators handle a write through `subresource`: the
 * object's own create or update, and a Pod's `resize` (its evaluator charges the new
 * resources); every other subresource (`status`, `scale`, `ephemeralcontainers`, …) is
 * let through uncounted.
 */
function handled(resKey: string, subresource: string): boolean {
  return subresource === '' || (resKey === 'pods' && subresource === 'resize');
}

/**
 * kube-apiserver's ResourceQuota admission: a create (or an update that grows usage, a
 * Pod's resize too) in a namespace with quotas is refused with 403 when it would take any
 * limited resource of a quota that charges the object past its `spec.hard`, or when a pod
 * leaves out a compute resource a quota limits. An update is charged what it adds to the
 * stored object's usage (all of its usage for a quota that did not charge the stored
 * object). The usage is counted from the stored objects at that moment (kube-apiserver
 * reads the quota's status and updates it; counting is what that status converges to).
 */
export function admitQuota(
  s: ApiState,
  sc: Scope,
  name: string,
  obj: JsonObject,
  old: JsonObject | undefined,
  subresource = '',
): void {
  if (!sc.t.namespaced || sc.namespace === '') return;
  const { group, plural } = sc.t;
  const resKey = group ? `${plural}.${group}` : plural;
  if (!handled(resKey, subresource)) return;
  const quotas = [...s.storage.scan(QUOTA_KEY, sc.namespace)].map(([, q]) => q);
  if (quotas.length === 0) return;
  const usage = objectUsage(group, plural, obj);
  const oldUsage = old ? objectUsage(group, plural, old) : new Map<string, bigint>();
  for (const quota of quotas.sort((a, b) => quotaName(a).localeCompare(quotaName(b)))) {
    if (!quotaMatches(quota, resKey, obj)) continue;
    const charged = old !== undefined && quotaMatches(quota, resKey, old);
    const delta: Usage = new Map(usage);
    if (charged) for (const [k, v] of oldUsage) delta.set(k, (delta.get(k) ?? 0n) - v);
    const hard = hardOf(quota);
    // The evaluator's constraints hold for every write it handles.
    if (resKey === 'pods' && (!old || subresource === 'resize')) {
      const missing = missingCompute(obj, hard);
      if (missing.length) {
        admissionForbidden(
          sc.t,
          name,
          `failed quota: ${quotaName(quota)}: must specify ${missing.join('; ')}`,
        );
      }
    }
    const grows = Object.keys(hard).filter((n) => (delta.get(n) ?? 0n) > 0n);
    if (grows.length === 0) continue;
    // The stored object's usage is in what the quota has used.
    const used = namespaceUsage(s, sc.namespace, quota);
    const limit = (n: string) => parseQuantity(hard[n])?.nanos ?? 0n;
    const exceeded = grows.filter((n) => (used.get(n) ?? 0n) + delta.get(n)! > limit(n)).sort();
    if (exceeded.length === 0) continue;
    admissionForbidden(
      sc.t,
      name,
      `exceeded quota: ${quotaName(quota)}, requested: ${list(hard, exceeded, (n) => delta.get(n)!)}, ` +
        `used: ${list(hard, exceeded, (n) => used.get(n) ?? 0n)}, limited: ${list(hard, exceeded, limit)}`,
    );
  }
}

function quotaName(q: JsonObject): string {
  return String(isObject(q.metadata) ? q.metadata.name : '');
}
