/**
 * An access review's `resourceAttributes.fieldSelector` and `.labelSelector`, as
 * kube-apiserver (v1.36, `AuthorizeWithSelectors` on) checks and reads them: each must
 * have a raw selector or requirements, not both; a requirement's operator may be one the
 * server does not know (newer clients' operators are let through), but its values must fit
 * it, and a label requirement's key and values must be a label's. What passes is parsed
 * for the authorizer, and what does not parse (an unknown operator, a field requirement
 * the field selectors cannot express, a raw selector with bad syntax) is dropped and said
 * in the review's `evaluationError`. RBAC, the only authorizer here, reads no selector, so
 * that is all they change.
 */
import { labelValueErrors } from '@kube-ts/schema/validation';
import { setOperatorCauses } from '../builtins/label-selector.js';
import { HttpStatusError, type StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, str } from '../json.js';
import { parseLabelSelector } from '../label-selector-syntax.js';
import { parseFieldTerms } from '../selectors.js';
import { invalidValue, qualifiedNameErrors, required } from '../validation.js';

type Selector = 'fieldSelector' | 'labelSelector';

const AT = 'spec.resourceAttributes';

const requirementsOf = (selector: JsonObject): JsonObject[] =>
  Array.isArray(selector.requirements) ? selector.requirements.filter(isObject) : [];

const valuesOf = (requirement: JsonObject): Json[] =>
  Array.isArray(requirement.values) ? requirement.values : [];

/** The causes of one requirement at `at` (an unknown operator is allowed). */
function requirementCauses(kind: Selector, r: JsonObject, at: string): StatusCause[] {
  const values = valuesOf(r);
  const key = str(r.key);
  const causes: StatusCause[] = [];
  if (kind === 'fieldSelector' && key === '')
    causes.push(required(`${at}.key`, 'must be specified'));
  causes.push(...(setOperatorCauses(r.operator, values.length, at) ?? []));
  if (kind === 'fieldSelector') return causes;
  for (const why of qualifiedNameErrors(key)) causes.push(invalidValue(`${at}.key`, key, why));
  values.forEach((v, i) => {
    for (const why of labelValueErrors(String(v))) {
      causes.push(invalidValue(`${at}.values[${i}]`, v, why));
    }
  });
  return causes;
}

function selectorCauses(kind: Selector, selector: JsonObject): StatusCause[] {
  const at = `${AT}.${kind}`;
  const raw = str(selector.rawSelector);
  const requirements = requirementsOf(selector);
  const causes: StatusCause[] = [];
  if (raw !== '' && requirements.length > 0) {
    causes.push(
      invalidValue(`${at}.rawSelector`, raw, 'may not specified at the same time as requirements'),
    );
  }
  if (raw === '' && requirements.length === 0) {
    causes.push(
      required(
        `${at}.requirements`,
        `when ${at} is specified, requirements or rawSelector is required`,
      ),
    );
  }
  requirements.forEach((r, i) => {
    causes.push(...requirementCauses(kind, r, `${at}.requirements[${i}]`));
  });
  return causes;
}

/** The causes of the selector attributes of `resourceAttributes`, in kube-apiserver's order. */
export function selectorAttributeCauses(resourceAttributes: JsonObject): StatusCause[] {
  return (['fieldSelector', 'labelSelector'] as const).flatMap((kind) => {
    const selector = resourceAttributes[kind];
    return isObject(selector) ? selectorCauses(kind, selector) : [];
  });
}

const LABEL_OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** Whether the authorizer can read a (valid) requirement. */
function readable(kind: Selector, r: JsonObject): boolean {
  if (kind === 'labelSelector') return LABEL_OPERATORS.has(str(r.operator));
  // Field selectors say only `=` and `!=`: one value, `In` or `NotIn`.
  return valuesOf(r).length === 1 && (r.operator === 'In' || r.operator === 'NotIn');
}

/** Whether a raw selector has the syntax of its kind. */
function parses(kind: Selector, raw: string): boolean {
  try {
    if (kind === 'labelSelector') parseLabelSelector(raw);
    else parseFieldTerms(raw);
    return true;
  } catch (e) {
    if (e instanceof HttpStatusError) return false;
    throw e;
  }
}

/**
 * What the review's `evaluationError` says of the selector attributes of a valid
 * `resourceAttributes`: for each selector the authorizer could not read wholly, whether
 * it was ignored or partially ignored (kube-apiserver's words).
 */
export function selectorEvaluationErrors(resourceAttributes: JsonObject): string[] {
  return (['fieldSelector', 'labelSelector'] as const).flatMap((kind) => {
    const selector = resourceAttributes[kind];
    if (!isObject(selector)) return [];
    const requirements = requirementsOf(selector);
    let read: number;
    if (requirements.length > 0) {
      read = requirements.filter((r) => readable(kind, r)).length;
      if (read === requirements.length) return [];
    } else {
      const raw = str(selector.rawSelector);
      if (raw === '' || parses(kind, raw)) return [];
      read = 0;
    }
    const how = read > 0 ? 'partially ignored' : 'ignored';
    return [`${AT}.${kind} ${how} due to parse error`];
  });
}
