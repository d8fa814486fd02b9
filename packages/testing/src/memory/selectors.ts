import { badRequest } from './errors.js';
import { isObject, type JsonObject } from './json.js';
import type { LabelSelector } from './label-selector-syntax.js';

/** True when the labels satisfy every requirement of the selector. */
export function matchLabels(
  sel: LabelSelector,
  labels: Record<string, unknown> | undefined,
): boolean {
  for (const r of sel) {
    const has = labels !== undefined && Object.hasOwn(labels, r.key);
    const v = has ? String(labels[r.key]) : undefined;
    switch (r.op) {
      case 'eq':
      case 'in':
        if (v === undefined || !r.values.includes(v)) return false;
        break;
      case 'neq':
      case 'notin':
        if (v !== undefined && r.values.includes(v)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case '!exists':
        if (has) return false;
        break;
      case 'gt':
      case 'lt': {
        if (v === undefined || !/^-?\d+$/.test(v)) return false;
        const n = Number(v);
        const w = Number(r.values[0]);
        if (r.op === 'gt' ? !(n > w) : !(n < w)) return false;
      }
    }
  }
  return true;
}

/** One parsed field requirement. */
export interface FieldRequirement {
  field: string;
  op: 'eq' | 'neq';
  value: string;
}

/** A parsed field selector. */
export type FieldSelector = FieldRequirement[];

/** Groups of the built-in resources (custom resources word unknown fields differently). */
const BUILTIN_GROUPS = new Set([
  'apps',
  'batch',
  'coordination.k8s.io',
  'events.k8s.io',
  'rbac.authorization.k8s.io',
  'apiextensions.k8s.io',
]);

function isCustom(resKey: string): boolean {
  const dot = resKey.indexOf('.');
  return dot >= 0 && !BUILTIN_GROUPS.has(resKey.slice(dot + 1));
}

/** Fields selectable on every resource. */
const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'];

/** Extra selectable fields of built-in kinds (as kube-apiserver registers them). */
const EXTRA_FIELDS: Record<string, string[]> = {
  pods: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  secrets: ['type'],
  events: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  namespaces: ['status.phase'],
  nodes: ['spec.unschedulable'],
  'jobs.batch': ['status.successful'],
  'replicasets.apps': ['status.replicas'],
};

function unescapeField(v: string): string {
  return v.replace(/\\(.)/g, '$1');
}

/**
 * Parses a field selector (`a=b`, `a==b`, `a!=b`, comma separated) and checks that every
 * field is selectable on the resource (`resKey` as in {@link resourceKey}); an unknown
 * field is a 400 like the real server's. `selectable`: the fields a CRD version's
 * `selectableFields` add (`spec.color`).
 */
export function parseFieldSelector(
  input: string | null | undefined,
  resKey: string,
  selectable: readonly string[] = [],
  fieldLabels?: Readonly<Record<string, string>>,
): FieldSelector {
  const s = (input ?? '').trim();
  if (s === '') return [];
  const allowed = [...COMMON_FIELDS, ...(EXTRA_FIELDS[resKey] ?? []), ...selectable];
  const out: FieldSelector = [];
  for (const part of s.split(/(?<!\\),/)) {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${s}'; can't understand '${part}'`);
    const named = m[1]!;
    // A view's field names are converted to the stored resource's, as kube-apiserver's
    // field label conversion of the group/version does.
    const field = !fieldLabels
      ? named
      : Object.hasOwn(fieldLabels, named)
        ? fieldLabels[named]
        : undefined;
    if (field === undefined) throw badRequest(`field label not supported: ${named}`);
    if (!allowed.includes(field)) {
      if (isCustom(resKey)) throw badRequest(`field label not supported: ${field}`);
      throw badRequest(
        `"${field}" is not a known field selector: only ${allowed.map((f) => `"${f}"`).join(', ')}`,
      );
    }
    out.push({ field, op: m[2] === '!=' ? 'neq' : 'eq', value: unescapeField(m[3]!.trim()) });
  }
  return out;
}

function fieldValue(obj: JsonObject, path: string): string {
  let cur: unknown = obj;
  for (const seg of path.split('.')) {
    if (!isObject(cur)) return '';
    cur = cur[seg];
  }
  if (cur === undefined || cur === null) return '';
  return String(cur);
}

/** True when the object satisfies every field requirement. */
export function matchFields(sel: FieldSelector, obj: JsonObject): boolean {
  for (const r of sel) {
    const v = fieldValue(obj, r.field);
    if (r.op === 'eq' ? v !== r.value : v === r.value) return false;
  }
  return true;
}
