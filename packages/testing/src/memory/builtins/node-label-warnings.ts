/**
 * The warnings kube-apiserver gives for deprecated node labels named in a selector (its
 * `pkg/api/node` helpers, shared by the strategies of StorageClasses, CSIStorageCapacities,
 * PersistentVolumes and pod specs): own code, for the warnings' exact words.
 */
import { labelValueErrors } from '@kube-ts/schema/validation';
import { isObject, type Json, type JsonObject, str } from '../json.js';

/** Deprecated node label keys and what kube-apiserver says of each. */
const DEPRECATED: Readonly<Record<string, string>> = {
  'beta.kubernetes.io/arch': 'deprecated since v1.14; use "kubernetes.io/arch" instead',
  'beta.kubernetes.io/os': 'deprecated since v1.14; use "kubernetes.io/os" instead',
  'failure-domain.beta.kubernetes.io/region':
    'deprecated since v1.17; use "topology.kubernetes.io/region" instead',
  'failure-domain.beta.kubernetes.io/zone':
    'deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
  'beta.kubernetes.io/instance-type':
    'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead',
  'app.kubernetes.io/created-by': 'deprecated since v1.9',
  'scheduler.alpha.kubernetes.io/preferAvoidPods':
    'deprecated since v1.22; use Taints and Tolerations instead',
  'node-role.kubernetes.io/master': 'use "node-role.kubernetes.io/control-plane" instead',
};

/** What kube-apiserver says of a deprecated node label key (`GetNodeLabelDeprecatedMessage`). */
export function deprecatedNodeLabelMessage(key: string): string | undefined {
  return Object.hasOwn(DEPRECATED, key) ? DEPRECATED[key] : undefined;
}

const list = (v: Json | undefined) => (Array.isArray(v) ? v.filter(isObject) : []);

/** The warning for a deprecated key of the expression at `at`, if any. */
function expressionKeyWarnings(e: JsonObject, at: string): string[] {
  const key = str(e.key);
  const msg = deprecatedNodeLabelMessage(key);
  return msg ? [`${at}.key: ${key} is ${msg}`] : [];
}

/**
 * `GetWarningsForNodeSelector`: the deprecated keys of a label selector at `at`, its
 * `matchExpressions` first, then its `matchLabels` (a Go map there: in no fixed order).
 */
export function nodeSelectorWarnings(selector: Json | undefined, at: string): string[] {
  if (!isObject(selector)) return [];
  const warnings = list(selector.matchExpressions).flatMap((e, i) =>
    expressionKeyWarnings(e, `${at}.matchExpressions[${i}]`),
  );
  for (const key of Object.keys(isObject(selector.matchLabels) ? selector.matchLabels : {})) {
    const msg = deprecatedNodeLabelMessage(key);
    if (msg) warnings.push(`${at}.matchLabels.${key}: ${msg}`);
  }
  return warnings;
}

/**
 * `GetWarningsForNodeSelectorTerm`: the deprecated keys of a node selector term's
 * `matchExpressions` at `at`, and with `checkValues` the values that are no label values.
 */
export function nodeSelectorTermWarnings(
  term: Json | undefined,
  checkValues: boolean,
  at: string,
): string[] {
  if (!isObject(term)) return [];
  const warnings: string[] = [];
  list(term.matchExpressions).forEach((e, i) => {
    warnings.push(...expressionKeyWarnings(e, `${at}.matchExpressions[${i}]`));
    if (!checkValues) return;
    const values = Array.isArray(e.values) ? e.values : [];
    values.forEach((v, j) => {
      for (const why of labelValueErrors(str(v)))
        warnings.push(`${at}.matchExpressions[${i}].values[${j}]: ${str(v)} is invalid, ${why}`);
    });
  });
  return warnings;
}
