import { isObject, type Json, type JsonObject } from '../json.js';
import type { ApiState } from '../state.js';
import { formatQuantity, parseQuantity } from './quantity.js';
import { addUsage, objectUsage, podBestEffort, type Usage } from './usage.js';

/** The storage key of ResourceQuotas. */
export const QUOTA_KEY = 'resourcequotas';

const POD_RESOURCES = /^(cpu|memory|ephemeral-storage|pods|requests\.|limits\.|hugepages-)/;
const CLAIM_RESOURCES =
  /^(persistentvolumeclaims|requests\.storage)$|\.storageclass\.storage\.k8s\.io\//;

/** The storage key of the resource a quota resource name counts (`count/x.g` → `x.g`). */
export function resourceKeyOfQuotaName(name: string): string {
  if (name.startsWith('count/')) return name.slice('count/'.length);
  if (CLAIM_RESOURCES.test(name)) return 'persistentvolumeclaims';
  if (name.startsWith('services')) return 'services';
  if (POD_RESOURCES.test(name)) return 'pods';
  return name;
}

/** `plural.group` (or `plural`) split into group and plural. */
export function splitResourceKey(key: string): { group: string; plural: string } {
  const dot = key.indexOf('.');
  return dot < 0
    ? { group: '', plural: key }
    : { group: key.slice(dot + 1), plural: key.slice(0, dot) };
}

/** The quota's `spec.hard`. */
export function hardOf(quota: JsonObject): JsonObject {
  return isObject(quota.spec) && isObject(quota.spec.hard) ? quota.spec.hard : {};
}

interface ScopeTerm {
  scope: string;
  operator: string;
  values: string[];
}

function scopeTerms(quota: JsonObject): ScopeTerm[] {
  const spec = isObject(quota.spec) ? quota.spec : {};
  const terms: ScopeTerm[] = [];
  for (const s of Array.isArray(spec.scopes) ? spec.scopes : []) {
    terms.push({ scope: String(s), operator: 'Exists', values: [] });
  }
  const selector = isObject(spec.scopeSelector) ? spec.scopeSelector : {};
  for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    if (!isObject(e)) continue;
    terms.push({
      scope: String(e.scopeName),
      operator: String(e.operator),
      values: Array.isArray(e.values) ? e.values.map(String) : [],
    });
  }
  return terms;
}

function podMatches(pod: JsonObject, t: ScopeTerm): boolean {
  const spec = isObject(pod.spec) ? pod.spec : {};
  switch (t.scope) {
    case 'Terminating':
      return typeof spec.activeDeadlineSeconds === 'number';
    case 'NotTerminating':
      return typeof spec.activeDeadlineSeconds !== 'number';
    case 'BestEffort':
      return podBestEffort(pod);
    case 'NotBestEffort':
      return !podBestEffort(pod);
    case 'PriorityClass': {
      const pc = typeof spec.priorityClassName === 'string' ? spec.priorityClassName : '';
      if (t.operator === 'In') return t.values.includes(pc);
      if (t.operator === 'NotIn') return !t.values.includes(pc);
      if (t.operator === 'DoesNotExist') return pc === '';
      return pc !== '';
    }
    default:
      return false;
  }
}

/** True when the quota charges this object: no scopes, or a pod that matches every one. */
export function quotaMatches(quota: JsonObject, resKey: string, obj: JsonObject): boolean {
  const terms = scopeTerms(quota);
  if (terms.length === 0) return true;
  return resKey === 'pods' && terms.every((t) => podMatches(obj, t));
}

/** The usage, in one namespace, of every resource the quota limits. */
export function namespaceUsage(s: ApiState, namespace: string, quota: JsonObject): Usage {
  const keys = new Set(Object.keys(hardOf(quota)).map(resourceKeyOfQuotaName));
  const total: Usage = new Map();
  for (const key of keys) {
    const { group, plural } = splitResourceKey(key);
    for (const [, obj] of s.storage.scan(key, namespace)) {
      if (quotaMatches(quota, key, obj)) addUsage(total, objectUsage(group, plural, obj));
    }
  }
  return total;
}

/** `status` as kube-controller-manager's quota controller writes it: hard, and used per hard name. */
export function quotaStatus(quota: JsonObject, usage: Usage): JsonObject {
  const hard = hardOf(quota);
  const used: Record<string, Json> = {};
  for (const [name, limit] of Object.entries(hard)) {
    const binary = parseQuantity(limit)?.binary ?? false;
    used[name] = formatQuantity({ nanos: usage.get(name) ?? 0n, binary });
  }
  return { hard: { ...hard }, used };
}
