/**
 * API Priority and Fairness classification, as kube-apiserver's filter does it for every
 * request after authentication and impersonation: the first FlowSchema (by
 * `matchingPrecedence`, then name) whose PriorityLevelConfiguration exists and one of
 * whose rules matches the user and the request; its uid and its priority level's uid are
 * answered in the `X-Kubernetes-PF-FlowSchema-UID` and
 * `X-Kubernetes-PF-PriorityLevel-UID` headers. The limits are applied in seats.ts.
 */
import type { RequestAttributes } from '../auth/request-attributes.js';
import type { UserInfo } from '../auth/user.js';
import { isObject, type Json, type JsonObject, strings } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { Storage } from '../storage.js';
import { FLOW_SCHEMAS, PRIORITY_LEVELS } from './bootstrap-configuration.js';
import { priorityLevelOf } from './flow-schema-status.js';

/** The response headers naming a request's FlowSchema and priority level. */
export const FLOW_SCHEMA_HEADER = 'X-Kubernetes-PF-FlowSchema-UID';
export const PRIORITY_LEVEL_HEADER = 'X-Kubernetes-PF-PriorityLevel-UID';

/** Subresources kube-apiserver serves as long-running requests, which APF does not see. */
const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);

const objects = (v: Json | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);
/** Go's containsString: `x` is listed, or the list is exactly the wildcard. */
function listed(x: string, list: string[], wildcard: string): boolean {
  return (list.length === 1 && list[0] === wildcard) || list.includes(x);
}

function matchesSubject(user: UserInfo, subject: JsonObject): boolean {
  const name = (v: Json | undefined) => (isObject(v) ? String(v.name ?? '') : undefined);
  switch (subject.kind) {
    case 'User': {
      const n = name(subject.user);
      return n !== undefined && (n === '*' || n === user.username);
    }
    case 'Group': {
      const n = name(subject.group);
      return n !== undefined && (n === '*' || user.groups.includes(n));
    }
    case 'ServiceAccount': {
      if (!isObject(subject.serviceAccount)) return false;
      const ns = String(subject.serviceAccount.namespace ?? '');
      const n = String(subject.serviceAccount.name ?? '');
      const prefix = `system:serviceaccount:${ns}:`;
      return n === '*' ? user.username.startsWith(prefix) : user.username === `${prefix}${n}`;
    }
    default:
      return false;
  }
}

function matchesUrl(urls: string[], path: string): boolean {
  return urls.some((rule) => {
    if (rule === '*' || rule === path) return true;
    let prefix = rule.endsWith('*') ? rule.slice(0, -1) : rule;
    if (!prefix.endsWith('/')) prefix += '/';
    return path.startsWith(prefix);
  });
}

function matchesRule(user: UserInfo, a: RequestAttributes, rule: JsonObject): boolean {
  if (!objects(rule.subjects).some((s) => matchesSubject(user, s))) return false;
  if (!a.resourceRequest) {
    return objects(rule.nonResourceRules).some(
      (r) =>
        listed(a.verb, strings(r.verbs), '*') && matchesUrl(strings(r.nonResourceURLs), a.path),
    );
  }
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return objects(rule.resourceRules).some(
    (r) =>
      listed(a.verb, strings(r.verbs), '*') &&
      listed(resource, strings(r.resources), '*') &&
      listed(a.apiGroup, strings(r.apiGroups), '*') &&
      (a.namespace === ''
        ? r.clusterScope === true
        : listed(a.namespace, strings(r.namespaces), '*')),
  );
}

/** Where API Priority and Fairness puts a request. */
export interface Classification {
  /** The priority level the request is served in. */
  readonly level: JsonObject;
  /** The name of the FlowSchema that matched. */
  readonly flowSchema: string;
  /** The flow within it: the user or the namespace, as its distinguisher method says. */
  readonly distinguisher: string;
  /** The uids of the FlowSchema and the priority level, as response headers. */
  readonly headers: Record<string, string>;
}

/**
 * Classifies a request by `user` doing `a`: the first matching FlowSchema and its
 * priority level; undefined for the long-running requests APF does not handle (exec,
 * attach, port-forward, proxy, logs) or when no FlowSchema matches.
 */
export function classify(
  storage: Storage,
  user: UserInfo,
  a: RequestAttributes,
): Classification | undefined {
  if (a.resourceRequest && a.verb !== 'watch') {
    if (a.verb === 'proxy' || LONG_RUNNING_SUBRESOURCES.has(a.subresource)) return undefined;
  }
  const schemas = [...storage.scan(FLOW_SCHEMAS)].map(([, fs]) => fs);
  const precedence = (fs: JsonObject) =>
    Number((isObject(fs.spec) ? fs.spec.matchingPrecedence : undefined) ?? 1000);
  schemas.sort((x, y) => {
    const d = precedence(x) - precedence(y);
    if (d !== 0) return d;
    const [nx, ny] = [String(metaOf(x).name), String(metaOf(y).name)];
    return nx < ny ? -1 : nx > ny ? 1 : 0;
  });
  for (const fs of schemas) {
    const level = storage.get(PRIORITY_LEVELS, priorityLevelOf(fs));
    if (!level) continue;
    const spec = isObject(fs.spec) ? fs.spec : {};
    if (!objects(spec.rules).some((rule) => matchesRule(user, a, rule))) continue;
    const method = isObject(spec.distinguisherMethod) ? spec.distinguisherMethod.type : undefined;
    const distinguisher =
      method === 'ByUser'
        ? user.username
        : method === 'ByNamespace' && a.resourceRequest
          ? a.namespace
          : '';
    return {
      level,
      flowSchema: String(metaOf(fs).name),
      distinguisher,
      headers: {
        [PRIORITY_LEVEL_HEADER]: String(metaOf(level).uid ?? ''),
        [FLOW_SCHEMA_HEADER]: String(metaOf(fs).uid ?? ''),
      },
    };
  }
  return undefined;
}
