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
  policyProgramError,
  policyVariableType,
} from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { goHtmlEscape, goJson } from '../go-json.js';
import { isObject, type Json, type JsonObject, str } from '../json.js';
import {
  duplicate,
  invalidValue,
  notSupported,
  qualifiedNameErrors,
  required,
  tooMany,
} from '../validation.js';
import { defaultPolicySpec, policySpecCauses } from './admission-policy-spec.js';
import type { KindRules } from './kind-rules.js';

const list = (v: Json | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);

/**
 * What kube-apiserver does with the white space around an expression: `trimmed` compiles
 * and quotes it trimmed (match conditions, mutations), `as-written` compiles and quotes it
 * as sent (variables, validations, message expressions), `compiled-trimmed` compiles it
 * trimmed but quotes it as sent (audit annotations). A compile error's column and
 * snippet are those of the text compiled.
 */
type Trimming = 'trimmed' | 'as-written' | 'compiled-trimmed';

/** The cause for an expression at `field` that the server refuses (none if it is absent or fine). */
function expressionCause(
  expression: Json | undefined,
  field: string,
  want: ExpressionResult,
  scope: ExpressionScope,
  trimming: Trimming,
): StatusCause[] {
  if (typeof expression !== 'string' || expression.trim() === '') return [];
  const compiled = trimming === 'as-written' ? expression : expression.trim();
  const why = checkPolicyExpression(compiled, want, scope);
  if (why === undefined) return programCause(compiled, field);
  const quoted = trimming === 'trimmed' ? compiled : expression;
  return [invalidValue(field, quoted, why)];
}

/**
 * The cause for an expression that compiles but whose program kube-apiserver cannot make
 * (`int('x') == 1`, a constant its planner folds and fails to convert): an internal error
 * on the expression's field, the policy still refused with 422.
 */
function programCause(compiled: string, field: string): StatusCause[] {
  const why = policyProgramError(compiled);
  if (why === undefined) return [];
  const message = `Internal error: program instantiation failed: ${why}`;
  return [{ reason: 'InternalError', message, field }];
}

/** A match condition's expression: required (white space is none), then compiled. */
function matchConditionCause(c: JsonObject, field: string, scope: ExpressionScope): StatusCause[] {
  if (str(c.expression).trim() === '') return [required(field)];
  return expressionCause(c.expression, field, 'bool', scope, 'trimmed');
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
    const field = `${at}[${i}]`;
    causes.push(...matchConditionCause(c, `${field}.expression`, scope));
    const name = str(c.name);
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

/** CEL's reserved words, which no variable may be named. */
const CEL_RESERVED = new Set(
  'true false null in as break const continue else for function if import let loop package namespace return var void while'.split(
    ' ',
  ),
);

/** A variable's name: given, and a CEL identifier that is not a reserved word. */
function variableNameCauses(name: string, field: string): StatusCause[] {
  if (name.trim() === '') return [required(field, 'name is not specified')];
  if (/^[_a-zA-Z][_a-zA-Z0-9]*$/.test(name) && !CEL_RESERVED.has(name)) return [];
  return [invalidValue(field, name, 'must be a valid CEL identifier')];
}

/**
 * A policy's declarations (`params` with a `paramKind`) and its variables, each checked
 * with the ones declared before it (`variables.<name>` of a later or unknown one does not
 * compile); `declared` is what the policy's other expressions see, `conditions` what its
 * matchConditions see (no `variables`, as kube-apiserver compiles them). `composited`:
 * `variables` is declared even when the policy has none (a MutatingAdmissionPolicy).
 */
function checkVariables(
  spec: JsonObject,
  composited: boolean,
): {
  causes: StatusCause[];
  declared: PolicyDeclarations;
  conditions: PolicyDeclarations;
} {
  const params = isObject(spec.paramKind);
  const types: Record<string, string> = {};
  const causes = list(spec.variables).flatMap((v, i) => {
    const field = `spec.variables[${i}].expression`;
    const before = { params, variables: { ...types } };
    const found =
      str(v.expression).trim() === ''
        ? [required(field, 'expression is not specified')]
        : expressionCause(v.expression, field, 'any', before, 'as-written');
    if (typeof v.name === 'string' && typeof v.expression === 'string') {
      types[v.name] = found.length > 0 ? 'dyn' : policyVariableType(v.expression, before);
    }
    return [...variableNameCauses(str(v.name), `spec.variables[${i}].name`), ...found];
  });
  // `variables` is declared only by kube-apiserver's composition compiler, which a
  // ValidatingAdmissionPolicy gets only when it has variables.
  const declared = composited || list(spec.variables).length > 0;
  return {
    causes,
    declared: declared ? { params, variables: types } : { params },
    conditions: { params },
  };
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
    causes.push(
      ...expressionCause(
        value,
        `${at}.valueExpression`,
        'string-or-null',
        declared,
        'compiled-trimmed',
      ),
    );
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

/** The most auditAnnotations a ValidatingAdmissionPolicy may have. */
const MAX_AUDIT_ANNOTATIONS = 20;

/**
 * More than 20 auditAnnotations, refused on the list as kube-apiserver refuses it: its
 * value printed as Go's JSON of its internal type (`[{"Key":"a","ValueExpression":"'x'"}]`,
 * field names without JSON tags, HTML-escaped), before each annotation's causes.
 */
function tooManyAuditAnnotations(spec: JsonObject): StatusCause[] {
  const all = list(spec.auditAnnotations);
  if (all.length <= MAX_AUDIT_ANNOTATIONS) return [];
  const fields = all.map((a) => ({ Key: str(a.key), ValueExpression: str(a.valueExpression) }));
  const value = goHtmlEscape(goJson(fields));
  return [
    {
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${value}: must not have more than ${MAX_AUDIT_ANNOTATIONS} auditAnnotations`,
      field: 'spec.auditAnnotations',
    },
  ];
}

/** The reasons a validation may give. */
const VALIDATION_REASONS = ['Forbidden', 'Invalid', 'RequestEntityTooLarge'];

/**
 * One validation at `at`: its expression required and compiled, a message expression
 * not of white space only and compiled, a message not of white space only and on one line
 * (kube-apiserver's words).
 */
function validationCauses(v: JsonObject, at: string, declared: PolicyDeclarations): StatusCause[] {
  const causes =
    str(v.expression).trim() === ''
      ? [required(`${at}.expression`, 'expression is not specified')]
      : expressionCause(v.expression, `${at}.expression`, 'bool', declared, 'as-written');
  const messageExpression = str(v.messageExpression);
  if (messageExpression !== '' && messageExpression.trim() === '') {
    causes.push(
      invalidValue(`${at}.messageExpression`, messageExpression, 'must be non-empty if specified'),
    );
  } else {
    // kube-apiserver compiles a message expression without `authorizer`.
    causes.push(
      ...expressionCause(
        messageExpression,
        `${at}.messageExpression`,
        'string',
        { ...declared, authorizer: false },
        'as-written',
      ),
    );
  }
  const message = str(v.message);
  if (message !== '' && message.trim() === '') {
    causes.push(invalidValue(`${at}.message`, message, 'must be non-empty if specified'));
  } else if (/[\n\r]/.test(message.trim())) {
    causes.push(invalidValue(`${at}.message`, message, 'must not contain line breaks'));
  }
  if (typeof v.reason === 'string' && !VALIDATION_REASONS.includes(v.reason)) {
    causes.push(notSupported(`${at}.reason`, v.reason, VALIDATION_REASONS));
  }
  return causes;
}

/**
 * ValidatingAdmissionPolicy: matchConditions, variables, validations and their messages,
 * auditAnnotations, in kube-apiserver's order.
 */
export const validatingAdmissionPolicyRules: KindRules = {
  defaults(obj) {
    if (isObject(obj.spec)) defaultPolicySpec(obj.spec);
  },
  validate(obj) {
    const spec = isObject(obj.spec) ? obj.spec : {};
    const variables = checkVariables(spec, false);
    const validations = list(spec.validations);
    const none = 'validations or auditAnnotations must contain at least one item';
    const checks =
      validations.length === 0 && list(spec.auditAnnotations).length === 0
        ? [required('spec.validations', none), required('spec.auditAnnotations', none)]
        : [
            ...validations.flatMap((v, i) =>
              validationCauses(v, `spec.validations[${i}]`, variables.declared),
            ),
            ...tooManyAuditAnnotations(spec),
            ...auditAnnotationCauses(obj, spec, variables.declared),
          ];
    return [
      ...policySpecCauses(spec, false),
      ...matchConditionsCauses(spec.matchConditions, 'spec.matchConditions', variables.conditions),
      ...variables.causes,
      ...checks,
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
  // Compiled and quoted trimmed, as kube-apiserver does.
  const trimmed = expression.trim();
  const why = checkMutationExpression(trimmed, patchType as keyof typeof PATCH_TYPES, declared);
  if (why === undefined) return [...causes, ...programCause(trimmed, field)];
  return [...causes, invalidValue(field, trimmed, why)];
}

/**
 * MutatingAdmissionPolicy: matchConditions, variables, the mutations (at least one, each
 * with the expression its patch type needs, compiled and type-checked: an
 * `ApplyConfiguration` must give an `Object`, a `JSONPatch` a `list(JSONPatch)`) and a
 * `reinvocationPolicy`, which v1 requires (it has no default).
 */
export const mutatingAdmissionPolicyRules: KindRules = {
  defaults(obj) {
    if (isObject(obj.spec)) defaultPolicySpec(obj.spec);
  },
  validate(obj) {
    const spec = isObject(obj.spec) ? obj.spec : {};
    const variables = checkVariables(spec, true);
    const causes: StatusCause[] = [
      ...policySpecCauses(spec, true),
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
