/**
 * A `metav1.LabelSelector` inside a spec (a workload's `spec.selector`), checked as
 * kube-apiserver's `ValidateLabelSelector` checks it (own code: the causes and their
 * words are what a test sees): `matchLabels` keys and values, each `matchExpressions`
 * operator with its values, keys and values. A selector with any of these errors also
 * fails `LabelSelectorAsSelector`, which its kind reports as `invalid label selector`.
 */
import { labelValueErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { forbiddenValue, invalidValue, qualifiedNameErrors, required } from '../validation.js';

/**
 * The value-count causes of a requirement at `at` with a set operator (`In` and `NotIn`
 * need values, `Exists` and `DoesNotExist` take none), shared by label and node selector
 * requirements; undefined for any other operator.
 */
export function setOperatorCauses(
  op: Json | undefined,
  count: number,
  at: string,
): StatusCause[] | undefined {
  if (op === 'In' || op === 'NotIn') {
    return count === 0
      ? [required(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'")]
      : [];
  }
  if (op === 'Exists' || op === 'DoesNotExist') {
    return count > 0
      ? [
          forbiddenValue(
            `${at}.values`,
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          ),
        ]
      : [];
  }
  return undefined;
}

/**
 * The causes of a selector at `path` (empty when its syntax is valid); with
 * `allowInvalidValues` the values of `matchExpressions` go unchecked, as kube-apiserver
 * lets an update keep them when the stored object already had an invalid one.
 */
export function labelSelectorCauses(
  selector: JsonObject,
  path: string,
  allowInvalidValues = false,
): StatusCause[] {
  const causes: StatusCause[] = [];
  // kube-apiserver walks matchLabels as a Go map, in no fixed order; here in key order.
  const labels = isObject(selector.matchLabels) ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(labels)) {
    const at = `${path}.matchLabels`;
    for (const why of qualifiedNameErrors(k)) causes.push(invalidValue(at, k, why));
    for (const why of labelValueErrors(String(v))) causes.push(invalidValue(at, v, why));
  }
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  exprs.forEach((e, i) => {
    if (!isObject(e)) return;
    const at = `${path}.matchExpressions[${i}]`;
    const values = Array.isArray(e.values) ? e.values : [];
    const op = e.operator;
    const set = setOperatorCauses(op, values.length, at);
    if (set) causes.push(...set);
    else causes.push(invalidValue(`${at}.operator`, op ?? '', 'not a valid selector operator'));
    const key = typeof e.key === 'string' ? e.key : '';
    for (const why of qualifiedNameErrors(key)) causes.push(invalidValue(`${at}.key`, key, why));
    if (allowInvalidValues) return;
    values.forEach((v, j) => {
      for (const why of labelValueErrors(String(v))) {
        causes.push(invalidValue(`${at}.values[${j}]`, v, why));
      }
    });
  });
  return causes;
}

/** The selector as Go encodes the struct in a cause: map keys sorted, empty lists left out. */
export function selectorAsGoJson(selector: JsonObject): Json {
  const out: JsonObject = {};
  if (isObject(selector.matchLabels) && Object.keys(selector.matchLabels).length) {
    const labels = selector.matchLabels;
    out.matchLabels = Object.fromEntries(
      Object.keys(labels)
        .sort()
        .map((k) => [k, labels[k]!]),
    );
  }
  if (Array.isArray(selector.matchExpressions) && selector.matchExpressions.length) {
    out.matchExpressions = selector.matchExpressions.filter(isObject).map((e) => {
      const r: JsonObject = { key: e.key ?? '', operator: e.operator ?? '' };
      if (Array.isArray(e.values) && e.values.length) r.values = e.values;
      return r;
    });
  }
  return out;
}
