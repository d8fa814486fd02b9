/**
 * kube-controller-manager's clusterrole-aggregation controller: a ClusterRole with an
 * `aggregationRule` gets as its rules those of every other ClusterRole its selectors
 * pick (selectors in order, roles by name, each rule once), rewritten after any
 * ClusterRole changes, as `admin`, `edit` and `view` gather the `aggregate-to-*` roles.
 */
import { selectorOf } from '../admission/matching.js';
import type { Change } from '../history.js';
import { deepEqual, isObject, type Json, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { matchLabels } from '../selectors.js';
import type { ApiState } from '../state.js';
import { commitUpdate } from '../update-object.js';

const KEY = 'clusterroles.rbac.authorization.k8s.io';

/** The rules an aggregated ClusterRole gathers, or undefined for one without an aggregationRule. */
export function aggregatedRules(s: ApiState, role: JsonObject): Json[] | undefined {
  const rule = isObject(role.aggregationRule) ? role.aggregationRule : undefined;
  if (!rule) return undefined;
  const name = metaOf(role).name;
  const roles = [...s.storage.scan(KEY)].map(([, r]) => r);
  const out: Json[] = [];
  for (const sel of Array.isArray(rule.clusterRoleSelectors) ? rule.clusterRoleSelectors : []) {
    const selector = selectorOf(sel);
    for (const other of roles) {
      const meta = metaOf(other);
      if (meta.name === name) continue;
      if (!matchLabels(selector, meta.labels as Record<string, string> | undefined)) continue;
      for (const r of Array.isArray(other.rules) ? other.rules : []) {
        if (!out.some((o) => deepEqual(o, r))) out.push(r);
      }
    }
  }
  return out;
}

/** Keeps aggregated ClusterRoles' rules current. */
export class ClusterRoleAggregator {
  constructor(private readonly s: ApiState) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey === KEY) this.s.schedule(() => this.sync());
  }

  /** Rewrites every aggregated ClusterRole whose gathered rules changed. */
  sync(): void {
    const t = this.s.registry.find('rbac.authorization.k8s.io', 'v1', 'clusterroles');
    if (!t) return;
    for (const [, role] of [...this.s.storage.scan(KEY)]) {
      const rules = aggregatedRules(this.s, role);
      if (!rules || deepEqual(rules, role.rules ?? [])) continue;
      commitUpdate(
        this.s,
        { t, version: 'v1', namespace: '' },
        role,
        { ...structuredClone(role), rules },
        { defaultManager: 'clusterrole-aggregation-controller' },
      );
    }
  }
}
