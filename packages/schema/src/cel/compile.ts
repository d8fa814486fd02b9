/**
 * The checks kube-apiserver makes on a CRD's CEL rules when the CRD is written: every
 * `rule` and `messageExpression` must compile (a bool rule, a string message), and
 * `optionalOldSelf` needs a rule that reads `oldSelf`.
 */
import type { JSONSchemaProps, ValidationRule } from '@kube-ts/k8s/apiextensions/v1';
import { itemSchema } from '../json-schema.js';
import type { StructuralProblem } from '../structural.js';
import { compileErrorText } from './error-text.js';
import { ruleEnvironment } from './library.js';
import { usesOldSelf } from './rules.js';

const env = ruleEnvironment();

/** The rule as kube-apiserver prints it in these messages (its Go struct as JSON). */
function printed(r: ValidationRule): string {
  return JSON.stringify({
    Rule: r.rule,
    Message: r.message ?? '',
    MessageExpression: r.messageExpression ?? '',
    Reason: r.reason ?? null,
    FieldPath: r.fieldPath ?? '',
    OptionalOldSelf: r.optionalOldSelf ?? null,
  });
}

/** The type an expression checks to, or the error that checking it gave. */
function typeOf(expr: string): string | Error {
  const r = env.check(expr);
  return r.valid ? (r.type ?? 'dyn') : (r.error ?? new Error('invalid expression'));
}

function checkRule(r: ValidationRule, at: string, out: StructuralProblem[]): void {
  if (typeof r.rule !== 'string' || r.rule.trim() === '') return; // reported as structural
  const rule = typeOf(r.rule);
  if (rule instanceof Error) {
    out.push({
      field: `${at}.rule`,
      message: `Invalid value: ${printed(r)}: compilation failed: ${compileErrorText(r.rule, rule)}`,
    });
  } else if (rule !== 'bool' && rule !== 'dyn') {
    out.push({
      field: `${at}.rule`,
      message: `Invalid value: ${printed(r)}: compilation failed: cel expression must evaluate to a bool`,
    });
  }
  if (r.optionalOldSelf === true && !usesOldSelf(r.rule)) {
    out.push({
      field: `${at}.optionalOldSelf`,
      message: 'Invalid value: true: may not be set if oldSelf is not used in rule',
    });
  }
  if (r.messageExpression !== undefined && r.messageExpression.trim() !== '') {
    const message = typeOf(r.messageExpression);
    if (message instanceof Error) {
      out.push({
        field: `${at}.messageExpression`,
        message: `Invalid value: ${printed(r)}: messageExpression compilation failed: ${compileErrorText(r.messageExpression, message)}`,
      });
    } else if (message !== 'string' && message !== 'dyn') {
      out.push({
        field: `${at}.messageExpression`,
        message: `Invalid value: ${printed(r)}: messageExpression must evaluate to a string`,
      });
    }
  }
}

/**
 * The CEL rules of a (structural) schema that kube-apiserver would refuse when the CRD
 * is written, with its field paths (`….properties[spec].x-kubernetes-validations[0].rule`).
 *
 * @param schema a CRD version's `openAPIV3Schema`.
 * @param path the name of the schema in reported paths (default `openAPIV3Schema`).
 */
export function checkCelRules(
  schema: JSONSchemaProps,
  path = 'openAPIV3Schema',
): StructuralProblem[] {
  const out: StructuralProblem[] = [];
  const walk = (s: JSONSchemaProps, at: string): void => {
    s['x-kubernetes-validations']?.forEach((r, i) => {
      checkRule(r, `${at}.x-kubernetes-validations[${i}]`, out);
    });
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      walk(prop, `${at}.properties[${name}]`);
    }
    if (typeof s.additionalProperties === 'object') {
      walk(s.additionalProperties, `${at}.additionalProperties`);
    }
    const items = itemSchema(s);
    if (items) walk(items, `${at}.items`);
  };
  walk(schema, path);
  return out;
}
