/**
 * MutatingAdmissionPolicy mutation expressions: an `applyConfiguration` (an object built
 * with `Object{…}`) or a `jsonPatch` (a list of `JSONPatch{…}`), run like the policy
 * expressions and returned as JSON.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { celTypeName, compileErrorText } from './error-text.js';
import { checkHomogeneous } from './homogeneous.js';
import { CONSTRUCTIONS, mutationCheckEnvironment, mutationEnvironment } from './library.js';
import { constructionsOf, objectsAsMaps, rewriteConstructions } from './object-literals.js';
import { type PolicyDeclarations, type PolicyResult, runPolicyExpression } from './policy.js';
import { cachedCompiler, environmentCache } from './programs.js';
import { celGoErrorAt, checkErrorText } from './type-check.js';

const compile = cachedCompiler(mutationEnvironment());

/** A CEL result as JSON: integers as numbers, maps as objects. */
function asJson(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(asJson);
  if (v instanceof Map) {
    return Object.fromEntries([...v].map(([k, x]) => [String(k), asJson(x)]));
  }
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asJson(x)]));
  }
  return v;
}

/**
 * Runs a MutatingAdmissionPolicy mutation expression with the policy's variables (as
 * `evaluatePolicyExpression`, and `jsonpatch.escapeKey`); the value is JSON: the apply configuration's object,
 * or the JSON Patch operations.
 */
export function evaluateMutation(expression: string, vars: Record<string, unknown>): PolicyResult {
  const r = runPolicyExpression(compile, objectsAsMaps(expression), vars);
  return 'error' in r ? r : { value: asJson(r.value), cost: r.cost };
}

const checkerOf = environmentCache(mutationCheckEnvironment);

/** The fields of kube-apiserver's `JSONPatch` type and their CEL types. */
const JSON_PATCH_FIELDS: Readonly<Record<string, string>> = {
  op: 'string',
  path: 'string',
  from: 'string',
  value: 'dyn',
};

/** The CEL type of a literal value's text (`'a'`, `1`, `1.5`, `true`); undefined otherwise. */
function literalType(text: string): string | undefined {
  if (/^[rR]?(?:'[^']*'|"[^"]*")$/.test(text)) return 'string';
  if (/^-?(?:\d+|0x[0-9a-fA-F]+)$/.test(text)) return 'int';
  if (/^-?(?:\d+|0x[0-9a-fA-F]+)[uU]$/.test(text)) return 'uint';
  if (/^-?(?:\d+\.\d*|\.\d+|\d+(?:\.\d*)?[eE][+-]?\d+)$/.test(text)) return 'double';
  if (text === 'true' || text === 'false') return 'bool';
  return undefined;
}

/**
 * The CEL type of a field's value that is not a literal, checked on its own in `env`;
 * undefined when it does not check alone (it names a macro's variable, say) or is `dyn`.
 */
function computedType(env: Environment, text: string): string | undefined {
  const { text: rewritten } = rewriteConstructions(text, () => CONSTRUCTIONS.object);
  let r: ReturnType<Environment['check']>;
  try {
    r = checkHomogeneous(env, rewritten);
  } catch {
    return undefined;
  }
  return r.valid && r.type !== undefined && r.type !== 'dyn' ? celTypeName(r.type) : undefined;
}

/**
 * The first field of a `JSONPatch{…}` construction whose value (a literal, or an
 * expression checked in `env`) does not have the field's type, or that the type does not
 * have, as cel-go's checker words it (at the field's `:`).
 */
function jsonPatchFieldError(expr: string, env: Environment): string | undefined {
  if (expr.includes('\n')) return undefined;
  for (const fields of constructionsOf(expr, 'JSONPatch')) {
    for (const f of fields) {
      const provided = literalType(f.value) ?? computedType(env, f.value);
      const wanted = JSON_PATCH_FIELDS[f.name] ?? '';
      if (!provided || wanted === 'dyn' || wanted === provided) continue;
      const text = `expected type of field '${f.name}' is '${wanted}' but provided type is '${provided}'`;
      return `ERROR: <input>:1:${f.colon + 1}: ${text}\n | ${expr}\n | ${'.'.repeat(f.colon)}^`;
    }
  }
  return undefined;
}

/** The type each patch type's expression must have, as kube-apiserver names it. */
const WANTED = { ApplyConfiguration: 'Object', JSONPatch: 'list<JSONPatch>' } as const;

/**
 * Why kube-apiserver refuses a MutatingAdmissionPolicy mutation expression when the
 * policy is written, worded as its validation does after `Invalid value: "<expression>": `
 * (`compilation failed: ERROR: <input>:L:C: …`, or `must evaluate to Object but got
 * string`); undefined when it compiles to what its patch type needs, with the policy's
 * declarations (`params` only with a `paramKind`, `variables.<name>` of a declared
 * variable). The expression is checked trimmed, as the server does. Object constructions
 * are checked as objects of dynamic fields, but for the typed fields of `JSONPatch{…}`.
 */
export function checkMutationExpression(
  expression: string,
  patchType: 'ApplyConfiguration' | 'JSONPatch',
  declared: PolicyDeclarations,
): string | undefined {
  const expr = expression.trim();
  const field = jsonPatchFieldError(expr, checkerOf(declared));
  if (field) return `compilation failed: ${field}`;
  const wrap = (typeName: string) =>
    typeName === 'JSONPatch' ? CONSTRUCTIONS.jsonPatch : CONSTRUCTIONS.object;
  const { text, origin } = rewriteConstructions(expr, wrap);
  const r = checkHomogeneous(checkerOf(declared), text);
  if (!r.valid) {
    const error = (r.error ?? new Error('invalid expression')) as Error & {
      range?: { start: number };
    };
    // Without constructions the expression is checked as written: every error in cel-go's words.
    if (text === expr)
      return `compilation failed: ${checkErrorText(expr, error, checkerOf(declared))}`;
    // The position in the expression as written, not in its rewritten form.
    const start = error.range ? (origin[error.range.start] ?? expr.length) : 0;
    const first = error.message.split('\n')[0] ?? '';
    // An undeclared field of `variables` or a missing operator overload in cel-go's words.
    if (/^(No such key|no such overload): /.test(first) && !expr.includes('\n')) {
      return `compilation failed: ${celGoErrorAt(expr, first, { line: 1, column: start })}`;
    }
    const located = Object.assign(new Error(error.message), { range: { start } });
    return `compilation failed: ${compileErrorText(expr, located)}`;
  }
  const type = r.type ?? 'dyn';
  const want = WANTED[patchType];
  if (type === want) return undefined;
  // The checker names the element type of `[]` T; cel-go, whose words these are, dyn.
  const got = celTypeName(type).replace(/\bT\b/g, 'dyn');
  return `must evaluate to ${celTypeName(want)} but got ${got}`;
}
