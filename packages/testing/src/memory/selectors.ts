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

/** Splits at the commas no backslash escapes, as apimachinery's `splitTerms`. */
function splitTerms(input: string): string[] {
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (escaped) escaped = false;
    else if (c === '\\') escaped = true;
    else if (c === ',') {
      terms.push(input.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(input.slice(start));
  return terms;
}

/** A value's escapes undone, or Go's error for a bad escape or a bare `,` or `=`. */
function unescapeTermValue(v: string): string {
  let out = '';
  let escaped = false;
  for (const c of v) {
    if (escaped) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      escaped = false;
    } else if (c === '\\') escaped = true;
    // Go prints the rune with %v: its code point.
    else if (c === ',' || c === '=') {
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else out += c;
  }
  if (escaped) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/**
 * A field selector read as apimachinery's `fields.ParseSelector` reads it, with no field
 * checked: terms split at unescaped commas and sorted, each split at the first `!=`, `==`
 * or `=`, its value unescaped (Go's 400 words for a term with no operator or a bad
 * escape). Own code because which selectors are refused is what a client sees.
 */
export function parseFieldTerms(input: string): FieldSelector {
  const out: FieldSelector = [];
  for (const term of splitTerms(input).sort()) {
    if (term === '') continue;
    const m = /^(.*?)(!=|==|=)(.*)$/s.exec(term);
    if (!m) throw badRequest(`invalid selector: '${input}'; can't understand '${term}'`);
    out.push({ field: m[1]!, op: m[2] === '!=' ? 'neq' : 'eq', value: unescapeTermValue(m[3]!) });
  }
  return out;
}

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
