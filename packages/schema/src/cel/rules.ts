/**
 * Runs a CRD schema's `x-kubernetes-validations` (CEL) rules over an object the way
 * kube-apiserver's CEL validator does: each node's rules with `self` bound to the value
 * there, transition rules (`oldSelf`) only where the old object has a correlated value
 * (same property, same map key, same `x-kubernetes-list-type: map` item) unless
 * `optionalOldSelf`, failures of unchanged values ratcheted away on update, and the
 * failure written with the rule's `message`, `messageExpression`, `reason` and
 * `fieldPath` in the server's words.
 */
import type { JSONSchemaProps, ValidationRule } from '@kube-ts/k8s/apiextensions/v1';
import { Optional } from '@marcbachmann/cel-js';
import { type Correlated, correlatedItems, correlatedProperty } from '../correlation.js';
import { childPath, indexPath } from '../field-path.js';
import { isJsonObject, itemSchema, jsonEqual } from '../json-schema.js';
import { NO_FIELD, renderValue, type SchemaViolation } from '../violation.js';
import { toCelValue } from './cel-value.js';
import { OUT_OF_COST_BUDGET, RUNTIME_CALL_COST_LIMIT, RUNTIME_COST_BUDGET } from './cost.js';
import { celErrorText } from './error-text.js';
import { ruleEnvironment } from './library.js';
import { cachedCompiler, type Program } from './programs.js';
import { CostLimitExceeded, withRuntimeCost } from './runtime-cost.js';

const env = ruleEnvironment();
const compile = cachedCompiler(env);

/** Whether a rule reads `oldSelf` (outside string literals): a transition rule. */
export function usesOldSelf(expr: string): boolean {
  return /\boldSelf\b/.test(expr.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, ''));
}

function ruleText(rule: ValidationRule): string {
  return rule.message?.trim() ? rule.message.trim() : rule.rule.trim();
}

function defaultMessage(rule: ValidationRule): string {
  return rule.message?.trim() ? rule.message.trim() : `failed rule: ${rule.rule.trim()}`;
}

/** `field.Invalid`'s rendering: scalar values are shown, objects and lists are not. */
function shown(head: string, value: unknown, detail?: string): string {
  const scalar = value === null || typeof value !== 'object';
  const parts = [head, ...(scalar ? [renderValue(value)] : []), ...(detail ? [detail] : [])];
  return parts.join(': ');
}

function failure(rule: ValidationRule, field: string, value: unknown, message: string) {
  const at = field === '' ? NO_FIELD : field;
  switch (rule.reason) {
    case 'FieldValueForbidden':
      return { field: at, reason: rule.reason, message: `Forbidden: ${message}` } as const;
    case 'FieldValueRequired':
      return { field: at, reason: rule.reason, message: `Required value: ${message}` } as const;
    case 'FieldValueDuplicate':
      return { field: at, reason: rule.reason, message: shown('Duplicate value', value) } as const;
    default:
      return {
        field: at,
        reason: 'FieldValueInvalid',
        message: shown('Invalid value', value, message),
      } as const;
  }
}

/** The rule's `fieldPath` (`.spec.x`, `['a-b']`) joined to the node's path. */
function reportedAt(path: string, fieldPath: string | undefined): string {
  const rel = fieldPath?.trim().replace(/^\./, '');
  return rel ? childPath(path, rel) : path;
}

/** A rule's or messageExpression's run: its value or error, and what it cost. */
type Run = { value: unknown; cost: number } | { error: unknown; cost: number };

/** Runs a compiled expression, counting its cost against the per-call limit. */
function run(p: Program, bindings: Record<string, unknown>): Run {
  return withRuntimeCost(p.ast, RUNTIME_CALL_COST_LIMIT, () => p(bindings));
}

/**
 * The message of a failed rule: its messageExpression's (charged to the budget, as
 * kube-apiserver charges it), else its `message` or the default; `stop` when the
 * messageExpression ended validation (over the per-call limit or the budget).
 */
function messageOf(
  rule: ValidationRule,
  bindings: Record<string, unknown>,
  budget: Budget,
): { message: string } | { stop: string } {
  if (rule.messageExpression) {
    const p = compile(rule.messageExpression);
    if (!(p instanceof Error)) {
      const r = run(p, bindings);
      if (r.cost > budget.remaining) {
        return {
          stop: 'messageExpression evaluation failed due to running out of cost budget, no further validation rules will be run',
        };
      }
      if ('error' in r && r.error instanceof CostLimitExceeded) {
        return {
          stop: `no further validation rules will be run due to call cost exceeds limit for messageExpression: ${JSON.stringify(rule.messageExpression)}`,
        };
      }
      budget.remaining -= r.cost;
      // kube-apiserver falls back to `message` when messageExpression fails.
      const m = 'value' in r && typeof r.value === 'string' ? r.value.trim() : '';
      if (m !== '' && !/[\r\n]/.test(m) && Buffer.byteLength(m) <= MAX_MESSAGE_BYTES) {
        return { message: m };
      }
    }
  }
  return { message: defaultMessage(rule) };
}

/** kube-apiserver ignores a messageExpression's message longer than this (in bytes). */
const MAX_MESSAGE_BYTES = 5 * 1024;

interface Node {
  readonly schema: JSONSchemaProps;
  readonly value: unknown;
  readonly old: Correlated;
  readonly path: string;
  readonly root: boolean;
}

/**
 * What the rules of one object may still cost (kube-apiserver's runtime budget), and
 * whether a cost limit has ended the validation (no further rules run).
 */
interface Budget {
  remaining: number;
  stopped: boolean;
  /** Where the failures ratcheted away go, as kube-apiserver's warnings. */
  readonly warnings: string[] | undefined;
}

function runRules(n: Node, out: SchemaViolation[], budget: Budget): void {
  const rules = n.schema['x-kubernetes-validations'] ?? [];
  if (rules.length === 0) return;
  const invalid = (detail: string): SchemaViolation => ({
    field: n.path === '' ? NO_FIELD : n.path,
    reason: 'FieldValueInvalid',
    message: `Invalid value: ${JSON.stringify(n.schema.type ?? '')}: ${detail}`,
  });
  if (budget.remaining <= 0) {
    out.push(invalid(OUT_OF_COST_BUDGET));
    budget.stopped = true;
    return;
  }
  const self = toCelValue(n.schema, n.value, n.root);
  const oldCel = n.old === undefined ? undefined : toCelValue(n.schema, n.old.value, n.root);
  const unchanged = n.old !== undefined && jsonEqual(n.old.value, n.value);
  const stop = (detail: string, field = n.path) => {
    out.push({ ...invalid(detail), field: field === '' ? NO_FIELD : field });
    budget.stopped = true;
  };
  for (const rule of rules) {
    const transition = usesOldSelf(rule.rule);
    if (transition && n.old === undefined && !rule.optionalOldSelf) continue;
    const p = compile(rule.rule);
    if (p instanceof Error) continue; // refused when the CRD was created
    const bindings: Record<string, unknown> = { self };
    if (transition) {
      bindings.oldSelf = rule.optionalOldSelf ? Optional.of(oldCel) : oldCel;
    }
    // As kube-apiserver's CEL validator: the rule's cost (what cel-go's tracker counted
    // when it ran) against the budget first, then its error.
    const r = run(p, bindings);
    if (r.cost > budget.remaining) {
      stop(OUT_OF_COST_BUDGET);
      return;
    }
    budget.remaining -= r.cost;
    if ('error' in r) {
      if (r.error instanceof CostLimitExceeded) {
        stop(
          `'${r.error.message}': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleText(rule)}`,
        );
        return;
      }
      out.push(invalid(`${celErrorText(r.error)} evaluating rule: ${ruleText(rule)}`));
      continue;
    }
    if (r.value === true) continue;
    const at = reportedAt(n.path, rule.fieldPath);
    const m = messageOf(rule, bindings, budget);
    if ('stop' in m) {
      stop(m.stop, at);
      return;
    }
    const f = failure(rule, at, n.value, m.message);
    // Validation ratcheting: a value the update leaves as it was may keep failing a rule
    // that does not read oldSelf; kube-apiserver sends the failure as a warning.
    if (!transition && unchanged) budget.warnings?.push(`${f.field}: ${f.message}`);
    else out.push(f);
  }
}

function listChildren(n: Node, out: SchemaViolation[], budget: Budget): void {
  const items = itemSchema(n.schema);
  if (!items || !Array.isArray(n.value)) return;
  const oldItem = correlatedItems(n.schema, n.old);
  n.value.forEach((v, i) => {
    walk(
      { schema: items, value: v, old: oldItem(v), path: indexPath(n.path, i), root: false },
      out,
      budget,
    );
  });
}

function objectChildren(n: Node, out: SchemaViolation[], budget: Budget): void {
  if (!isJsonObject(n.value)) return;
  const extra =
    typeof n.schema.additionalProperties === 'object' ? n.schema.additionalProperties : undefined;
  for (const [k, v] of Object.entries(n.value)) {
    if (n.root && k === 'metadata') continue;
    const prop = n.schema.properties?.[k];
    const schema = prop ?? extra;
    if (!schema) continue;
    const path = prop ? childPath(n.path, k) : `${n.path}[${k}]`;
    walk({ schema, value: v, old: correlatedProperty(n.old, k), path, root: false }, out, budget);
  }
}

function walk(n: Node, out: SchemaViolation[], budget: Budget): void {
  if (budget.stopped || n.value === undefined || n.value === null) return;
  runRules(n, out, budget);
  listChildren(n, out, budget);
  objectChildren(n, out, budget);
}

/**
 * The failures of the CEL rules (`x-kubernetes-validations`) of `schema` on `obj`, as
 * kube-apiserver reports them (its CEL validator runs after the schema checks, and only
 * when those found no type, required, enum or size error). Pass the stored object as
 * `old` on an update: transition rules (`oldSelf`) run only then (or with
 * `optionalOldSelf`), and rules that fail on a value the update did not change are
 * ignored (validation ratcheting) but for a warning. kube-apiserver's runtime cost limits apply: a rule
 * call over 1,000,000 or the object's rules over 10,000,000 end the validation with the
 * server's refusal.
 *
 * @param schema a CRD version's `openAPIV3Schema`.
 * @param obj the object as it would be stored (defaulted and pruned).
 * @param old the stored object, on an update.
 * @param path where `obj` sits (`''`: the object's root; `status` for the status schema).
 * @param warnings receives the failures ratcheted away (`spec.x: Invalid value: …`), which
 *   kube-apiserver sends as `Warning` headers.
 */
export function validateCelRules(
  schema: JSONSchemaProps,
  obj: unknown,
  old?: unknown,
  path = '',
  warnings?: string[],
): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  const correlated = old === undefined ? undefined : { value: old };
  const budget = { remaining: RUNTIME_COST_BUDGET, stopped: false, warnings };
  walk({ schema, value: obj, old: correlated, path, root: path === '' }, out, budget);
  return out;
}
