/**
 * admissionregistration.k8s.io/v1 Validating- and MutatingAdmissionPolicies and the
 * matchConditions of webhooks: kube-apiserver compiles their CEL expressions when they are
 * written and refuses one that does not compile or has the wrong type (422 on the
 * expression's field), so a broken condition is found at `kubectl apply`, not at the first
 * request it should filter.
 */
import {
  checkMutationExpression,
  checkPolicyExpression,
  type ExpressionResult,
  type ExpressionScope,
  type PolicyDeclarations,
  policyVariableType,
} from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { duplicate, invalidValue, qualifiedNameErrors, required, tooMany } from '../validation.js';
import type { KindRules } from './kind-rules.js';

const list = (v: Json | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** The cause for an expression at `field` that the server refuses (none if it is absent or fine). */
function expressionCause(
  expression: Json | undefined,
  field: string,
  want: ExpressionResult,
  scope: ExpressionScope,
): StatusCause[] {
  if (typeof expression !== 'string' || expression.trim() === '') return [];
  const why = checkPolicyExpression(expression, want, scope);
  if (why === undefined) return [];
  const message = `Invalid value: ${JSON.stringify(expression.trim())}: ${why}`;
  return [{ reason: 'FieldValueInvalid', message, field }];
}

/**
 * A list of matchConditions at `at` as kube-apiserver's `validateMatchConditions` checks
 * it: at most 64, each with an expression that compiles to `bool` in `scope` and a
 * qualified name, the names unique.
 */
export function matchConditionsCauses(
  conditions: Json | undefined,
  at: string,
  scope: ExpressionScope,
): StatusCause[] {
  const all = list(conditions);
  const causes = all.length > 64 ? [tooMany(at, all.length, 64)] : [];
  const names = new Set<string>();
  all.forEach((c, i) => {
    // kube-apiserver compiles the trimmed expression (columns in errors count from it).
    const expression = typeof c.expression === 'string' ? c.expression.trim() : '';
    const field = `${at}[${i}]`;
    if (expression === '') causes.push(required(`${field}.expression`));
    else causes.push(...expressionCause(expression, `${field}.expression`, 'bool', scope));
    const name = typeof c.name === 'string' ? c.name : '';
    if (name === '') {
      causes.push(required(`${field}.name`));
      return;
    }
    for (const why of qualifiedNameErrors(name))
      causes.push(invalidValue(`${field}.name`, name, why));
    if (names.has(name)) causes.push(duplicate(`${field}.name`, name));
    names.add(name);
  });
  return causes;
}

/**
 * A policy's declarations (`params` with a `paramKind`) and its variables, each checked
 * with the ones declared before it (`variables.<name>` of a later or unknown one does not
 * compile); `declared` is what the policy's other expressions see, `conditions` what its
 * matchConditions see (no `variables`, as kube-apiserver compiles them).
 */
function checkVariables(spec: JsonObject): {
  causes: StatusCause[];
  declared: PolicyDeclarations;
  conditions: PolicyDeclarations;
} {
  const params = isObject(spec.paramKind);
  const types: Record<string, string> = {};
  const causes = list(spec.variables).flatMap((v, i) => {
    const field = `spec.variables[${i}].expression`;
    const before = { params, variables: { ...types } };
    const found = expressionCause(v.expression, field, 'any', before);
    if (typeof v.name === 'string' && typeof v.expression === 'string') {
      types[v.name] = found.length > 0 ? 'dyn' : policyVariableType(v.expression, before);
    }
    return found;
  });
  return { causes, declared: { params, variables: types }, conditions: { params } };
}

/**
 * A policy's auditAnnotations as kube-apiserver validates them: `<policy name>/<key>` a
 * qualified name, keys unique, `valueExpression` given and of type string or null.
 */
function auditAnnotationCauses(
  obj: JsonObject,
  spec: JsonObject,
  declared: PolicyDeclarations,
): StatusCause[] {
  const name = isObject(obj.metadata) ? obj.metadata.name : undefined;
  const seen = new Set<string>();
  return list(spec.auditAnnotations).flatMap((a, i) => {
    const at = `spec.auditAnnotations[${i}]`;
    const key = typeof a.key === 'string' ? a.key : '';
    const full = `${typeof name === 'string' ? name : ''}/${key}`;
    const causes: StatusCause[] = qualifiedNameErrors(full).map((why) => ({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(full)}: ${why}`,
      field: `${at}.key`,
    }));
    const value = typeof a.valueExpression === 'string' ? a.valueExpression : '';
    if (value.trim() === '') {
      causes.push({
        reason: 'FieldValueRequired',
        message: 'Required value: valueExpression is not specified',
        field: `${at}.valueExpression`,
      });
    }
    causes.push(...expressionCause(value, `${at}.valueExpression`, 'string-or-null', declared));
    if (seen.has(key)) {
      causes.push({
        reason: 'FieldValueDuplicate',
        message: `Duplicate value: ${JSON.stringify(key)}`,
        field: `${at}.key`,
      });
    }
    seen.add(key);
    return causes;
  });
}

/**
 * ValidatingAdmissionPolicy: matchConditions, variables, validations and their messages,
 * auditAnnotations, in kube-apiserver's order.
 */
export const validatingAdmissionPolicyRules: KindRules = {
  validate(obj) {
    const spec = isObject(obj.spec) ? obj.spec : {};
    const at = (name: string, i: number, key: string) => `spec.${name}[${i}].${key}`;
    const variables = checkVariables(spec);
    return [
      ...matchConditionsCauses(spec.matchConditions, 'spec.matchConditions', variables.conditions),
      ...variables.causes,
      ...list(spec.validations).flatMap((v, i) => [
        ...expressionCause(
          v.expression,
          at('validations', i, 'expression'),
          'bool',
          variables.declared,
        ),
        ...expressionCause(
          v.messageExpression,
          at('validations', i, 'messageExpression'),
          'string',
          variables.declared,
        ),
      ]),
      ...auditAnnotationCauses(obj, spec, variables.declared),
    ];
  },
};

const PATCH_TYPES = { ApplyConfiguration: 'applyConfiguration', JSONPatch: 'jsonPatch' } as const;
const REINVOCATION_POLICIES = ['IfNeeded', 'Never'];

/** A mutation's causes: its patch type, the holder that type needs, and its expression. */
function mutationCauses(m: JsonObject, at: string, declared: PolicyDeclarations): StatusCause[] {
  const patchType = m.patchType;
  if (typeof patchType !== 'string' || patchType === '') {
    return [{ reason: 'FieldValueRequired', message: 'Required value', field: `${at}.patchType` }];
  }
  if (!(patchType in PATCH_TYPES)) {
    const supported = Object.keys(PATCH_TYPES).map((t) => JSON.stringify(t));
    return [
      {
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: ${JSON.stringify(patchType)}: supported values: ${supported.join(', ')}`,
        field: `${at}.patchType`,
      },
    ];
  }
  const key = PATCH_TYPES[patchType as keyof typeof PATCH_TYPES];
  const holder = m[key];
  const causes: StatusCause[] = [];
  if (!isObject(holder)) {
    causes.push({
      reason: 'FieldValueRequired',
      message: `Required value: must be specified when patchType is ${patchType}`,
      field: `${at}.${key}`,
    });
  }
  for (const other of Object.values(PATCH_TYPES)) {
    if (other === key || m[other] === undefined || m[other] === null) continue;
    // kube-apiserver's value here is the field's name in braces, not the field's value.
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: "{${other}}": must not be specified when patchType is ${patchType}`,
      field: `${at}.${other}`,
    });
  }
  if (!isObject(holder)) return causes;
  const expression = holder.expression;
  const field = `${at}.${key}.expression`;
  if (typeof expression !== 'string' || expression.trim() === '') {
    return [...causes, { reason: 'FieldValueRequired', message: 'Required value', field }];
  }
  const why = checkMutationExpression(expression, patchType as keyof typeof PATCH_TYPES, declared);
  if (why === undefined) return causes;
  const message = `Invalid value: ${JSON.stringify(expression.trim())}: ${why}`;
  return [...causes, { reason: 'FieldValueInvalid', message, field }];
}

/**
 * MutatingAdmissionPolicy: matchConditions, variables, the mutations (at least one, each
 * with the expression its patch type needs, compiled and type-checked: an
 * `ApplyConfiguration` must give an `Object`, a `JSONPatch` a `list(JSONPatch)`) and a
 * `reinvocationPolicy`, which v1 requires (it has no default).
 */
export const mutatingAdmissionPolicyRules: KindRules = {
  validate(obj) {
    const spec = isObject(obj.spec) ? obj.spec : {};
    const variables = checkVariables(spec);
    const causes: StatusCause[] = [
      ...matchConditionsCauses(spec.matchConditions, 'spec.matchConditions', variables.conditions),
      ...variables.causes,
    ];
    const mutations = list(spec.mutations);
    if (mutations.length === 0) {
      causes.push({
        reason: 'FieldValueRequired',
        message: 'Required value: mutations must contain at least one item',
        field: 'spec.mutations',
      });
    }
    mutations.forEach((m, i) => {
      causes.push(...mutationCauses(m, `spec.mutations[${i}]`, variables.declared));
    });
    const reinvocation = spec.reinvocationPolicy;
    if (reinvocation === undefined || reinvocation === '') {
      causes.push({
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: 'spec.reinvocationPolicy',
      });
    } else if (!REINVOCATION_POLICIES.includes(String(reinvocation))) {
      const supported = REINVOCATION_POLICIES.map((p) => JSON.stringify(p)).join(', ');
      causes.push({
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: ${JSON.stringify(reinvocation)}: supported values: ${supported}`,
        field: 'spec.reinvocationPolicy',
      });
    }
    return causes;
  },
};
