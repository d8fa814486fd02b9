/**
 * The checks kube-apiserver makes on a CRD's CEL rules when the CRD is written: every
 * `rule` and `messageExpression` must compile (a bool rule, a string message), and
 * `optionalOldSelf`, when set, needs a rule that reads `oldSelf`.
 */
import type { JSONSchemaProps, ValidationRule } from '@kube-ts/k8s/apiextensions/v1';
import type { Environment } from '@marcbachmann/cel-js';
import { itemSchema } from '../json-schema.js';
import type { StructuralProblem } from '../structural.js';
import { programError } from './constant-folding.js';
import {
  type CostType,
  costExceededMessage,
  costTypeOf,
  ESTIMATED_COST_LIMIT,
  ESTIMATED_SCHEMA_COST_LIMIT,
  estimatedCost,
  unboundedCardinality,
} from './cost.js';
import { checkHomogeneous } from './homogeneous.js';
import { ruleCheckEnvironment, ruleEnvironment } from './library.js';
import type { CelType } from './object-types.js';
import { usesOldSelf } from './rules.js';
import { celTypeOfSchema } from './schema-types.js';
import { checkErrorText } from './type-check.js';

const env = ruleEnvironment();

/**
 * The rule as kube-apiserver prints it in these messages: its Go struct as JSON, with
 * `<`, `>` and `&` escaped as Go's encoder escapes them for HTML.
 */
function printed(r: ValidationRule): string {
  const json = JSON.stringify({
    Rule: r.rule,
    Message: r.message ?? '',
    MessageExpression: r.messageExpression ?? '',
    Reason: r.reason ?? null,
    FieldPath: r.fieldPath ?? '',
    OptionalOldSelf: r.optionalOldSelf ?? null,
  });
  return json.replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

/**
 * The type an expression checks to in `checkEnv` (its node's `self`), or the error that
 * checking it gave.
 */
function typeOf(expr: string, checkEnv: Environment): string | Error {
  let r: ReturnType<Environment['check']>;
  try {
    r = checkHomogeneous(checkEnv, expr);
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
  return r.valid ? (r.type ?? 'dyn') : (r.error ?? new Error('invalid expression'));
}

/** The rules' estimated costs so far, for the schema's total (kube-apiserver's `TotalCost`). */
interface TotalCost {
  total: number;
  /** The (at most 4) most expensive rules of at least 1% of the limit, most expensive first. */
  mostExpensive: { field: string; cost: number }[];
}

function observe(totals: TotalCost, field: string, cost: number): void {
  totals.total = Math.min(totals.total + cost, 2 ** 64 - 1);
  if (cost < ESTIMATED_SCHEMA_COST_LIMIT / 100) return;
  totals.mostExpensive.push({ field, cost });
  totals.mostExpensive.sort((a, b) => b.cost - a.cost);
  totals.mostExpensive.splice(4);
}

/** Where a rule is checked: its node's types and how many times it can run. */
interface RuleNode {
  readonly type: CostType;
  /** The node's CEL type: `self`'s. */
  readonly self: CelType;
  /** How many times the node can occur (undefined: under an unbounded list or map). */
  readonly cardinality: number | undefined;
}

/** An expression's estimated cost, or undefined if it does not parse. */
function costOf(expr: string, type: CostType): number | undefined {
  try {
    return estimatedCost(env.parse(expr).ast, type);
  } catch {
    return undefined;
  }
}

function checkRule(
  r: ValidationRule,
  at: string,
  node: RuleNode,
  totals: TotalCost,
  out: StructuralProblem[],
): void {
  if (typeof r.rule !== 'string' || r.rule.trim() === '') return; // reported as structural
  const checkEnv = ruleCheckEnvironment(node.self, r.optionalOldSelf === true);
  const rule = typeOf(r.rule, checkEnv);
  // cel-go's checked type must be bool itself: a `dyn` result is refused too.
  const bool = rule === 'bool';
  // A literal find/findAll pattern Go refuses or a constant conversion that fails (see
  // programError) fails making the program, which kube-apiserver
  // does before estimating the rule's cost and compiling its messageExpression.
  const refused = bool ? programError(env.parse(r.rule).ast) : undefined;
  // kube-apiserver stops at a rule's first failure (it does not compile, gives no bool, or
  // its program is refused): such a rule has no cost and no messageExpression check, and
  // one that does not compile or gives no bool does not count as reading oldSelf.
  const failure =
    rule instanceof Error
      ? `compilation failed: ${checkErrorText(r.rule, rule, checkEnv)}`
      : !bool
        ? 'cel expression must evaluate to a bool'
        : refused
          ? `program instantiation failed: ${refused}`
          : undefined;
  const cost = failure === undefined ? costOf(r.rule, node.type) : undefined;
  if (cost !== undefined) {
    const times = node.cardinality ?? unboundedCardinality(node.type);
    const total = Math.min(cost * times, 2 ** 64 - 1);
    if (total > ESTIMATED_COST_LIMIT) {
      out.push({
        field: `${at}.rule`,
        message: `Forbidden: ${costExceededMessage('estimated rule cost', total, ESTIMATED_COST_LIMIT)}`,
      });
    }
    observe(totals, `${at}.rule`, total);
  }
  if (failure !== undefined) {
    out.push({ field: `${at}.rule`, message: `Invalid value: ${printed(r)}: ${failure}` });
  }
  // Set at all (`false` too) on a rule that does not read oldSelf.
  const optional = r.optionalOldSelf;
  if (typeof optional === 'boolean' && (rule instanceof Error || !bool || !usesOldSelf(r.rule))) {
    out.push({
      field: `${at}.optionalOldSelf`,
      message: `Invalid value: ${optional}: may not be set if oldSelf is not used in rule`,
    });
  }
  if (
    failure === undefined &&
    r.messageExpression !== undefined &&
    r.messageExpression.trim() !== ''
  ) {
    const message = typeOf(r.messageExpression, checkEnv);
    if (message instanceof Error) {
      out.push({
        field: `${at}.messageExpression`,
        message: `Invalid value: ${printed(r)}: messageExpression compilation failed: ${checkErrorText(r.messageExpression, message, checkEnv)}`,
      });
    } else if (message !== 'string') {
      out.push({
        field: `${at}.messageExpression`,
        message: `Invalid value: ${printed(r)}: messageExpression must evaluate to a string`,
      });
    } else {
      const refused = programError(env.parse(r.messageExpression).ast);
      const cost = refused ? undefined : costOf(r.messageExpression, node.type);
      if (refused) {
        out.push({
          field: `${at}.messageExpression`,
          message: `Invalid value: ${printed(r)}: messageExpression instantiation failed: ${refused}`,
        });
      } else if (cost !== undefined && cost > ESTIMATED_COST_LIMIT) {
        out.push({
          field: `${at}.messageExpression`,
          message: `Forbidden: ${costExceededMessage('estimated messageExpression cost', cost, ESTIMATED_COST_LIMIT)}`,
        });
      }
      if (cost !== undefined) observe(totals, `${at}.messageExpression`, cost);
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
  const totals: TotalCost = { total: 0, mostExpensive: [] };
  // `cardinality`: how many times the node can occur (kube-apiserver's MaxCardinality:
  // the product of the maxItems and maxProperties above it; undefined when unbounded).
  const walk = (s: JSONSchemaProps, at: string, cardinality: number | undefined, root: boolean) => {
    const times = (max: number | undefined) =>
      cardinality === undefined || max === undefined ? undefined : cardinality * Math.max(0, max);
    if (typeof s.additionalProperties === 'object') {
      walk(s.additionalProperties, `${at}.additionalProperties`, times(s.maxProperties), false);
    }
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      walk(prop, `${at}.properties[${name}]`, cardinality, false);
    }
    const items = itemSchema(s);
    if (items) walk(items, `${at}.items`, times(s.maxItems), false);
    // A node's own rules after its children's, in kube-apiserver's order.
    const rules = s['x-kubernetes-validations'] ?? [];
    if (rules.length > 0) {
      const embedded = root || s['x-kubernetes-embedded-resource'] === true;
      const self = celTypeOfSchema(s, embedded) ?? 'dyn';
      const node = { type: costTypeOf(s, embedded), self, cardinality };
      rules.forEach((r, i) => {
        checkRule(r, `${at}.x-kubernetes-validations[${i}]`, node, totals, out);
      });
    }
  };
  walk(schema, path, 1, true);
  if (totals.total > ESTIMATED_SCHEMA_COST_LIMIT) {
    for (const { field } of totals.mostExpensive) {
      out.push({
        field,
        message:
          'Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema',
      });
    }
    out.push({
      field: path,
      message: `Forbidden: ${costExceededMessage('x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema', totals.total, ESTIMATED_SCHEMA_COST_LIMIT)}`,
    });
  }
  return out;
}
