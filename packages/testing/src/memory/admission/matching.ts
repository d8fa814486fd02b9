import type { UserInfo } from '../auth/user.js';
import { isObject, type JsonObject, strings } from '../json.js';
import type { LabelSelector } from '../label-selector-syntax.js';
import type { ResourceType } from '../resource-types.js';
import { matchLabels } from '../selectors.js';

/** What an admission request is about, as the webhook rules see it. */
export interface AdmissionAttributes {
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  t: ResourceType;
  /**
   * The kind of `object` when it is not the resource's: a CONNECT's options kind
   * (`PodExecOptions`, …), which the review's `kind` and `requestKind` name.
   */
  kind?: string;
  /** The version of the request's endpoint. */
  version: string;
  namespace: string;
  name: string;
  /** `''`, `status`, `scale`, or a CONNECT's `exec`, `attach`, `portforward`, `proxy`. */
  subresource: string;
  object: JsonObject | undefined;
  oldObject: JsonObject | undefined;
  dryRun: boolean;
  /**
   * The operation's options object (`CreateOptions`, `UpdateOptions` or `DeleteOptions`,
   * see operation-options.ts; null for a CONNECT), the review's and a policy's `options`.
   */
  options: JsonObject | null;
  /** Who made the request (the review's `userInfo`, and whom `authorizer` checks for). */
  user: UserInfo;
}

/** Who made a request and how: its admission's `userInfo`, `dryRun` and `options`. */
export type RequestOrigin = Pick<AdmissionAttributes, 'user' | 'dryRun' | 'options'>;

/** One webhook of a stored configuration, with what it needs to be called. */
export interface WebhookEntry {
  configuration: string;
  webhook: JsonObject;
  /** The version the webhook gets the objects at (the request's, or an equivalent one). */
  version: string;
}

function resourceMatches(patterns: string[], plural: string, sub: string): boolean {
  return patterns.some((p) => {
    const [pr, ps] = p.split('/') as [string, string | undefined];
    if (pr !== '*' && pr !== plural) return false;
    if (ps === undefined) return sub === '';
    return ps === '*' || ps === sub;
  });
}

/** The version a rule matches at (the request's first, then another served one when `Equivalent`). */
function ruleVersion(
  rule: JsonObject,
  a: AdmissionAttributes,
  equivalent: boolean,
): string | undefined {
  const ops = strings(rule.operations);
  if (!ops.includes('*') && !ops.includes(a.operation)) return undefined;
  const groups = strings(rule.apiGroups);
  if (!groups.includes('*') && !groups.includes(a.t.group)) return undefined;
  if (!resourceMatches(strings(rule.resources), a.t.plural, a.subresource)) return undefined;
  const scope = typeof rule.scope === 'string' ? rule.scope : '*';
  if (scope === 'Namespaced' && !a.t.namespaced) return undefined;
  if (scope === 'Cluster' && a.t.namespaced) return undefined;
  const versions = strings(rule.apiVersions);
  if (versions.includes('*') || versions.includes(a.version)) return a.version;
  if (!equivalent) return undefined;
  return a.t.versions.find((v) => versions.includes(v));
}

/** A metav1.LabelSelector as the server's selector requirements. */
export function selectorOf(sel: unknown): LabelSelector {
  if (!isObject(sel)) return [];
  const out: LabelSelector = [];
  if (isObject(sel.matchLabels)) {
    for (const [key, value] of Object.entries(sel.matchLabels)) {
      out.push({ key, op: 'eq', values: [String(value)] });
    }
  }
  for (const e of Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []) {
    if (!isObject(e)) continue;
    const key = String(e.key);
    const values = strings(e.values);
    const op = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!exists' }[
      String(e.operator)
    ];
    if (op) out.push({ key, op, values } as LabelSelector[number]);
  }
  return out;
}

function labelsOf(obj: JsonObject | undefined): Record<string, unknown> | undefined {
  const meta = obj?.metadata;
  return isObject(meta) && isObject(meta.labels) ? meta.labels : undefined;
}

/**
 * The webhooks of the given configurations that apply to a request, in kube-apiserver's
 * order (configurations by name, webhooks in their order): rules (operations, groups,
 * versions with `matchPolicy`, resources and subresources, scope), `namespaceSelector`
 * (on the namespace's labels; not applied to cluster-scoped objects other than
 * namespaces) and `objectSelector` (on the new or the old object's labels).
 */
export function matchingWebhooks(
  configurations: readonly JsonObject[],
  a: AdmissionAttributes,
  namespaceLabels: (name: string) => Record<string, unknown> | undefined,
): WebhookEntry[] {
  const out: WebhookEntry[] = [];
  const sorted = [...configurations].sort((x, y) => configName(x).localeCompare(configName(y)));
  for (const config of sorted) {
    for (const webhook of Array.isArray(config.webhooks) ? config.webhooks : []) {
      if (!isObject(webhook)) continue;
      const equivalent = webhook.matchPolicy !== 'Exact';
      let version: string | undefined;
      for (const rule of Array.isArray(webhook.rules) ? webhook.rules : []) {
        if (isObject(rule)) version ??= ruleVersion(rule, a, equivalent);
      }
      if (version === undefined) continue;
      const nsSel = selectorOf(webhook.namespaceSelector);
      if (nsSel.length > 0) {
        const isNamespace = a.t.group === '' && a.t.plural === 'namespaces';
        if (isNamespace) {
          if (!matchLabels(nsSel, labelsOf(a.object ?? a.oldObject))) continue;
        } else if (
          a.t.namespaced &&
          // A request of all namespaces (a deletecollection across them) is never exempted.
          a.namespace !== '' &&
          !matchLabels(nsSel, namespaceLabels(a.namespace))
        )
          continue;
      }
      const objSel = selectorOf(webhook.objectSelector);
      if (
        objSel.length > 0 &&
        !matchLabels(objSel, labelsOf(a.object)) &&
        !matchLabels(objSel, labelsOf(a.oldObject))
      ) {
        continue;
      }
      out.push({ configuration: configName(config), webhook, version });
    }
  }
  return out;
}

function configName(c: JsonObject): string {
  return isObject(c.metadata) ? String(c.metadata.name ?? '') : '';
}
