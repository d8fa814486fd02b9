/**
 * admissionregistration.k8s.io/v1 webhook configurations and ValidatingAdmissionPolicies:
 * kube-apiserver compiles their CEL expressions when they are written and refuses one that
 * does not compile or has the wrong type (422 on the expression's field), so a broken
 * condition is found at `kubectl apply`, not at the first request it should filter.
 */
import { checkPolicyExpression, type ExpressionScope } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import type { KindRules } from './kind-rules.js';

const list = (v: Json | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** The cause for an expression at `field` that the server refuses (none if it is absent or fine). */
function expressionCause(
  expression: Json | undefined,
  field: string,
  want: 'bool' | 'string' | 'any',
  scope: ExpressionScope,
): StatusCause[] {
  if (typeof expression !== 'string' || expression.trim() === '') return [];
  const why = checkPolicyExpression(expression, want, scope);
  if (why === undefined) return [];
  const message = `Invalid value: ${JSON.stringify(expression.trim())}: ${why}`;
  return [{ reason: 'FieldValueInvalid', message, field }];
}

/** Validating and mutating webhook configurations: each webhook's matchConditions. */
export const webhookConfigurationRules: KindRules = {
  validate(obj) {
    return list(obj.webhooks).flatMap((w, i) =>
      list(w.matchConditions).flatMap((c, j) =>
        expressionCause(
          c.expression,
          `webhooks[${i}].matchConditions[${j}].expression`,
          'bool',
          'webhook',
        ),
      ),
    );
  },
};

/** ValidatingAdmissionPolicy: matchConditions, variables, validations and their messages. */
export const validatingAdmissionPolicyRules: KindRules = {
  validate(obj) {
    const spec = isObject(obj.spec) ? obj.spec : {};
    const at = (name: string, i: number, key: string) => `spec.${name}[${i}].${key}`;
    return [
      ...list(spec.matchConditions).flatMap((c, i) =>
        expressionCause(c.expression, at('matchConditions', i, 'expression'), 'bool', 'policy'),
      ),
      ...list(spec.variables).flatMap((v, i) =>
        expressionCause(v.expression, at('variables', i, 'expression'), 'any', 'policy'),
      ),
      ...list(spec.validations).flatMap((v, i) => [
        ...expressionCause(v.expression, at('validations', i, 'expression'), 'bool', 'policy'),
        ...expressionCause(
          v.messageExpression,
          at('validations', i, 'messageExpression'),
          'string',
          'policy',
        ),
      ]),
    ];
  },
};
