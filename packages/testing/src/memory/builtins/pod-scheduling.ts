/**
 * A pod spec's scheduling fields, checked as kube-apiserver's `validateAffinity`,
 * `validateTopologySpreadConstraints` and `ValidateTolerations` check them with the default
 * feature gates (own code: the causes, their order and words are what a test sees).
 */
import {
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelValueErrors,
} from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, num, str, strings } from '../json.js';
import {
  duplicate,
  forbiddenValue,
  invalidValue,
  notSupported,
  qualifiedNameErrors,
  required,
} from '../validation.js';
import { labelSelectorCauses, setOperatorCauses } from './label-selector.js';

const list = (v: Json | undefined) => (Array.isArray(v) ? v.filter(isObject) : []);
/** `ValidateLabelName`: a qualified name, one cause per broken rule. */
function labelNameCauses(field: string, key: string): StatusCause[] {
  return qualifiedNameErrors(key).map((why) => invalidValue(field, key, why));
}

function weightCauses(field: string, weight: Json | undefined): StatusCause[] {
  const w = num(weight);
  return w <= 0 || w > 100 ? [invalidValue(field, w, 'must be in the range 1-100')] : [];
}

/** A node selector requirement (`matchExpressions`); values are label values when `strict`. */
function nodeRequirementCauses(rq: JsonObject, at: string, strict: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  const values = strings(rq.values);
  const op = str(rq.operator);
  const set = setOperatorCauses(op, values.length, at);
  if (set) causes.push(...set);
  else if (op === 'Gt' || op === 'Lt') {
    if (values.length !== 1) {
      causes.push(
        required(`${at}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"),
      );
    }
  } else causes.push(invalidValue(`${at}.operator`, op, 'not a valid selector operator'));
  causes.push(...labelNameCauses(`${at}.key`, str(rq.key)));
  if (strict) {
    values.forEach((v, i) => {
      for (const why of labelValueErrors(v))
        causes.push(invalidValue(`${at}.values[${i}]`, v, why));
    });
  }
  return causes;
}

/** A node field selector requirement (`matchFields`): only `metadata.name`, one value. */
function nodeFieldCauses(rq: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const values = strings(rq.values);
  const op = str(rq.operator);
  if (op === 'In' || op === 'NotIn') {
    if (values.length !== 1) {
      causes.push(
        required(
          `${at}.values`,
          "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
        ),
      );
    }
  } else causes.push(invalidValue(`${at}.operator`, op, 'not a valid selector operator'));
  const key = str(rq.key);
  if (key !== 'metadata.name') {
    causes.push(invalidValue(`${at}.key`, key, 'not a valid field selector key'));
  } else {
    values.forEach((v, i) => {
      for (const why of dns1123SubdomainErrors(v)) {
        causes.push(invalidValue(`${at}.values[${i}]`, v, why));
      }
    });
  }
  return causes;
}

function nodeTermCauses(term: Json | undefined, at: string, strict: boolean): StatusCause[] {
  const t = isObject(term) ? term : {};
  return [
    ...list(t.matchExpressions).flatMap((rq, j) =>
      nodeRequirementCauses(rq, `${at}.matchExpressions[${j}]`, strict),
    ),
    ...list(t.matchFields).flatMap((rq, j) => nodeFieldCauses(rq, `${at}.matchFields[${j}]`)),
  ];
}

/**
 * `ValidateNodeSelector` for a required node selector at `at` (a pod's required node
 * affinity, a PersistentVolume's `nodeAffinity.required`): at least one term, each term's
 * requirements with label values checked.
 */
export function nodeSelectorTermsCauses(selector: JsonObject, at: string): StatusCause[] {
  const termsAt = `${at}.nodeSelectorTerms`;
  const terms = Array.isArray(selector.nodeSelectorTerms) ? selector.nodeSelectorTerms : [];
  if (terms.length === 0) return [required(termsAt, 'must have at least one node selector term')];
  return terms.flatMap((t, i) => nodeTermCauses(t, `${termsAt}[${i}]`, true));
}

function nodeAffinityCauses(na: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const requiredTerms = na.requiredDuringSchedulingIgnoredDuringExecution;
  if (isObject(requiredTerms)) {
    causes.push(
      ...nodeSelectorTermsCauses(
        requiredTerms,
        `${at}.requiredDuringSchedulingIgnoredDuringExecution`,
      ),
    );
  }
  list(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((p, i) => {
    const pa = `${at}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    causes.push(...weightCauses(`${pa}.weight`, p.weight));
    // Preferred terms may name invalid label values (they can still match a lone node).
    causes.push(...nodeTermCauses(p.preference, `${pa}.preference`, false));
  });
  return causes;
}

/**
 * `ValidateMatchLabelKeysAndMismatchLabelKeys` for the term or constraint at `at`: label
 * names, only beside a label selector, a `matchLabelKeys` key not also in the selector
 * (the merged expression of a new Pod counts, as kube-apiserver merges before it checks;
 * the cause is at `at[i]`, as there), nor in `mismatchLabelKeys`.
 */
function labelKeysCauses(
  at: string,
  match: string[],
  mismatch: string[],
  selector: Json | undefined,
): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const [field, keys] of [
    ['matchLabelKeys', match],
    ['mismatchLabelKeys', mismatch],
  ] as const) {
    if (keys.length === 0) continue;
    if (!isObject(selector)) {
      causes.push(
        forbiddenValue(`${at}.${field}`, 'must not be specified when labelSelector is not set'),
      );
      continue;
    }
    causes.push(...keys.flatMap((k, i) => labelNameCauses(`${at}.${field}[${i}]`, k)));
  }
  if (isObject(selector)) {
    const index = new Map(match.map((k, i) => [k, i]));
    const seen = new Set(Object.keys(isObject(selector.matchLabels) ? selector.matchLabels : {}));
    for (const e of list(selector.matchExpressions)) {
      const key = str(e.key);
      const i = index.get(key);
      if (i !== undefined && seen.has(key)) {
        causes.push(
          invalidValue(`${at}[${i}]`, key, 'exists in both matchLabelKeys and labelSelector'),
        );
      }
      seen.add(key);
    }
  }
  const mismatched = new Set(mismatch);
  match.forEach((k, i) => {
    if (mismatched.has(k)) {
      causes.push(
        invalidValue(
          `${at}.matchLabelKeys[${i}]`,
          k,
          'exists in both matchLabelKeys and mismatchLabelKeys',
        ),
      );
    }
  });
  return causes;
}

function podAffinityTermCauses(term: Json | undefined, at: string): StatusCause[] {
  const t = isObject(term) ? term : {};
  const causes: StatusCause[] = [];
  if (isObject(t.labelSelector)) {
    causes.push(...labelSelectorCauses(t.labelSelector, `${at}.labelSelector`));
  }
  if (isObject(t.namespaceSelector)) {
    causes.push(...labelSelectorCauses(t.namespaceSelector, `${at}.namespaceSelector`));
  }
  for (const ns of strings(t.namespaces)) {
    // kube-apiserver names the field `namespace`, without the list's index.
    for (const why of dns1123LabelErrors(ns)) causes.push(invalidValue(`${at}.namespace`, ns, why));
  }
  causes.push(
    ...labelKeysCauses(
      at,
      strings(t.matchLabelKeys),
      strings(t.mismatchLabelKeys),
      t.labelSelector,
    ),
  );
  const key = str(t.topologyKey);
  if (key === '') causes.push(required(`${at}.topologyKey`, 'can not be empty'));
  causes.push(...labelNameCauses(`${at}.topologyKey`, key));
  return causes;
}

/** `podAffinity` or `podAntiAffinity`: required terms, then weighted preferred ones. */
function podAffinityCauses(pa: JsonObject, at: string): StatusCause[] {
  const requiredAt = `${at}.requiredDuringSchedulingIgnoredDuringExecution`;
  const preferredAt = `${at}.preferredDuringSchedulingIgnoredDuringExecution`;
  return [
    ...list(pa.requiredDuringSchedulingIgnoredDuringExecution).flatMap((t, i) =>
      podAffinityTermCauses(t, `${requiredAt}[${i}]`),
    ),
    ...list(pa.preferredDuringSchedulingIgnoredDuringExecution).flatMap((w, i) => [
      ...weightCauses(`${preferredAt}[${i}].weight`, w.weight),
      ...podAffinityTermCauses(w.podAffinityTerm, `${preferredAt}[${i}].podAffinityTerm`),
    ]),
  ];
}

/** The causes of `affinity` (node, pod and pod anti-affinity) at `at`. */
export function affinityCauses(affinity: Json | undefined, at: string): StatusCause[] {
  if (!isObject(affinity)) return [];
  const causes: StatusCause[] = [];
  if (isObject(affinity.nodeAffinity)) {
    causes.push(...nodeAffinityCauses(affinity.nodeAffinity, `${at}.nodeAffinity`));
  }
  if (isObject(affinity.podAffinity)) {
    causes.push(...podAffinityCauses(affinity.podAffinity, `${at}.podAffinity`));
  }
  if (isObject(affinity.podAntiAffinity)) {
    causes.push(...podAffinityCauses(affinity.podAntiAffinity, `${at}.podAntiAffinity`));
  }
  return causes;
}

const WHEN_UNSATISFIABLE = ['DoNotSchedule', 'ScheduleAnyway'];
const INCLUSION_POLICIES = ['Honor', 'Ignore'];

/**
 * The causes of `topologySpreadConstraints` at `at`: a positive `maxSkew`, a topology key,
 * `whenUnsatisfiable`, no two constraints of the same key and action, `minDomains` only
 * positive and with `DoNotSchedule`, the node policies, `matchLabelKeys`, and the label
 * selector's syntax.
 */
export function topologySpreadCauses(constraints: Json | undefined, at: string): StatusCause[] {
  const all = list(constraints);
  return all.flatMap((c, i) => {
    const ca = `${at}[${i}]`;
    const causes: StatusCause[] = [];
    const skew = num(c.maxSkew);
    if (skew <= 0) causes.push(invalidValue(`${ca}.maxSkew`, skew, 'must be greater than zero'));
    const key = str(c.topologyKey);
    if (key === '') causes.push(required(`${ca}.topologyKey`, 'can not be empty'));
    const action = str(c.whenUnsatisfiable);
    if (!WHEN_UNSATISFIABLE.includes(action)) {
      causes.push(notSupported(`${ca}.whenUnsatisfiable`, action, WHEN_UNSATISFIABLE));
    }
    const repeated = all
      .slice(i + 1)
      .some((o) => str(o.topologyKey) === key && str(o.whenUnsatisfiable) === action);
    if (repeated) {
      causes.push(duplicate(`${ca}.{topologyKey, whenUnsatisfiable}`, `{${key}, ${action}}`));
    }
    const min = c.minDomains;
    if (typeof min === 'number') {
      if (min <= 0) causes.push(invalidValue(`${ca}.minDomains`, min, 'must be greater than zero'));
      if (action !== 'DoNotSchedule') {
        causes.push(
          invalidValue(
            `${ca}.minDomains`,
            min,
            `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${action}`,
          ),
        );
      }
    }
    for (const p of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      const v = c[p];
      if (v !== undefined && v !== null && !INCLUSION_POLICIES.includes(String(v))) {
        causes.push(notSupported(`${ca}.${p}`, v, INCLUSION_POLICIES));
      }
    }
    // MatchLabelKeysInPodTopologySpreadSelectorMerge is on: the affinity terms' rule.
    causes.push(...labelKeysCauses(ca, strings(c.matchLabelKeys), [], c.labelSelector));
    if (isObject(c.labelSelector)) {
      causes.push(...labelSelectorCauses(c.labelSelector, `${ca}.labelSelector`));
    }
    return causes;
  });
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** The causes of one toleration at `at`. */
function tolerationCauses(t: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const key = str(t.key);
  const op = str(t.operator);
  const value = str(t.value);
  const effect = str(t.effect);
  if (key !== '') causes.push(...labelNameCauses(`${at}.key`, key));
  if (key === '' && op !== 'Exists') {
    causes.push(
      invalidValue(
        `${at}.operator`,
        op,
        'operator must be Exists when `key` is empty, which means "match all values and all keys"',
      ),
    );
  }
  if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== 'NoExecute') {
    causes.push(
      invalidValue(
        `${at}.effect`,
        effect,
        "effect must be 'NoExecute' when `tolerationSeconds` is set",
      ),
    );
  }
  if (op === 'Equal' || op === '') {
    const errs = labelValueErrors(value);
    if (errs.length) causes.push(invalidValue(`${at}.operator`, value, errs.join(';')));
  } else if (op === 'Exists') {
    if (value !== '') {
      causes.push(
        invalidValue(`${at}.operator`, value, "value must be empty when `operator` is 'Exists'"),
      );
    }
  } else {
    // `Lt` and `Gt` need the TaintTolerationComparisonOperators gate (off by default).
    const known =
      op === 'Lt' || op === 'Gt' ? ['Equal', 'Exists', 'Lt', 'Gt'] : ['Equal', 'Exists'];
    causes.push(notSupported(`${at}.operator`, op, known));
  }
  if (effect !== '' && !TAINT_EFFECTS.includes(effect)) {
    causes.push(notSupported(`${at}.effect`, effect, TAINT_EFFECTS));
  }
  return causes;
}

/** The causes of `tolerations` at `at`. */
export function tolerationsCauses(tolerations: Json | undefined, at: string): StatusCause[] {
  return list(tolerations).flatMap((t, i) => tolerationCauses(t, `${at}[${i}]`));
}
