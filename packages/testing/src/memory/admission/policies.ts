/**
 * ValidatingAdmissionPolicy: kube-apiserver's in-process CEL admission. Every
 * ValidatingAdmissionPolicyBinding whose policy exists is checked against a create,
 * update or delete (`object` null, `oldObject` the stored object): the policy's `matchConstraints` and the binding's `matchResources` (rules,
 * namespace and object selectors, excluded rules), the policy's `matchConditions`, its
 * params (`paramKind` + the binding's `paramRef`), `variables`, then each validation
 * (`expression`, `message`/`messageExpression`, `reason`) with the policy's
 * `failurePolicy` for expressions that fail; a failed validation is acted on by the
 * binding's `validationActions` (`Deny` refuses the write with kube-apiserver's status,
 * `Warn` and `Audit` let it through).
 */
import {
  celAuthorizer,
  evaluatePolicyExpression,
  OUT_OF_COST_BUDGET,
  type PolicyResult,
} from '@kube-ts/schema/validation';
import { celAuthorizerCheck } from '../auth/cel-authorizer.js';
import { HttpStatusError } from '../errors.js';
import { isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { resourceKey } from '../resource-types.js';
import { SCALE_KIND } from '../scale.js';
import { matchLabels } from '../selectors.js';
import type { ApiState } from '../state.js';
import { objectKey } from '../storage.js';
import type { Scope } from '../write-scope.js';
import {
  type AdmissionAttributes,
  matchingWebhooks,
  type RequestOrigin,
  selectorOf,
} from './matching.js';
import { CostBudget, LazyVariables } from './policy-cost.js';

const GROUP = 'admissionregistration.k8s.io';
const POLICIES = `validatingadmissionpolicies.${GROUP}`;
const BINDINGS = `validatingadmissionpolicybindings.${GROUP}`;
/** Policies never apply to the policy resources themselves (no lock-out). */
const EXEMPT = new Set([
  'validatingadmissionpolicies',
  'validatingadmissionpolicybindings',
  'mutatingadmissionpolicies',
  'mutatingadmissionpolicybindings',
]);

interface Denial {
  policy: string;
  binding: string;
  message: string;
  reason: string;
}

/** The objects of a JSON array (none when it is not one). */
export function list(v: unknown): JsonObject[] {
  return Array.isArray(v) ? v.filter(isObject) : [];
}

/** Whether a policy's `matchConstraints` or a binding's `matchResources` select the request. */
function matches(
  s: ApiState,
  constraints: JsonObject,
  a: AdmissionAttributes,
  requireRules: boolean,
): boolean {
  const namespaceLabels = (ns: string) => {
    const obj = s.storage.get('namespaces', ns);
    const labels = obj ? metaOf(obj).labels : undefined;
    return isObject(labels) ? labels : undefined;
  };
  const asWebhook = (rules: JsonObject[]) => ({
    metadata: { name: 'policy' },
    webhooks: [
      {
        rules,
        matchPolicy: constraints.matchPolicy ?? 'Equivalent',
        namespaceSelector: constraints.namespaceSelector ?? {},
        objectSelector: constraints.objectSelector ?? {},
      },
    ],
  });
  const rules = list(constraints.resourceRules);
  if (rules.length === 0 && requireRules) return false;
  const everything = [
    { operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*', '*/*'] },
  ];
  if (
    matchingWebhooks([asWebhook(rules.length ? rules : everything)], a, namespaceLabels).length ===
    0
  )
    return false;
  const names = (r: JsonObject) =>
    Array.isArray(r.resourceNames) ? r.resourceNames.map(String) : [];
  if (rules.length && !rules.some((r) => names(r).length === 0 || names(r).includes(a.name)))
    return false;
  const excluded = list(constraints.excludeResourceRules);
  if (excluded.length) {
    const hit = matchingWebhooks([{ ...asWebhook(excluded) }], a, namespaceLabels);
    if (hit.length && excluded.some((r) => names(r).length === 0 || names(r).includes(a.name)))
      return false;
  }
  return true;
}

/** The params a binding gives its policy: one object per param, `[null]` without paramKind. */
export function paramsOf(
  s: ApiState,
  policy: JsonObject,
  binding: JsonObject,
  namespace: string,
): (JsonObject | null)[] | string {
  const spec = isObject(policy.spec) ? policy.spec : {};
  const kind = isObject(spec.paramKind) ? spec.paramKind : undefined;
  if (!kind) return [null];
  const ref =
    isObject(binding.spec) && isObject(binding.spec.paramRef) ? binding.spec.paramRef : undefined;
  if (!ref) return 'failed to configure binding: no paramRef specified';
  const [group, version] = String(kind.apiVersion ?? '').includes('/')
    ? String(kind.apiVersion).split('/')
    : ['', String(kind.apiVersion ?? '')];
  const t = s.registry.findKind(group ?? '', String(kind.kind ?? ''));
  if (!t?.versions.includes(version ?? '')) {
    return `failed to configure policy: failed to find resource referenced by paramKind: '${String(kind.apiVersion)}, Kind=${String(kind.kind)}'`;
  }
  const ns = t.namespaced ? String(ref.namespace ?? namespace) : '';
  const key = resourceKey(t);
  let found: JsonObject[];
  if (typeof ref.name === 'string' && ref.name !== '') {
    const one = s.storage.get(key, objectKey(ns, ref.name));
    found = one ? [one] : [];
  } else {
    const sel = selectorOf(ref.selector);
    found = [...s.storage.scan(key, ns || undefined)]
      .map(([, o]) => o)
      .filter((o) => matchLabels(sel, metaOf(o).labels as Record<string, string> | undefined));
  }
  if (found.length) return found;
  if (ref.parameterNotFoundAction === 'Allow') return [];
  return 'no params found for policy binding with `Deny` parameterNotFoundAction';
}

/** The text kube-apiserver gives an expression that could not be evaluated. */
export function failed(expression: string, error: string): string {
  return `expression '${expression}' resulted in error: ${error}`;
}

/**
 * A policy's `matchConditions`, then its `variables` (of a validating or mutating policy):
 * undefined when a condition is false, the error of a condition that could not be
 * evaluated, else the variables (each evaluated when an expression first reads it).
 */
export function policyVariables(
  spec: JsonObject,
  vars: Record<string, unknown>,
): LazyVariables | { error: string } | undefined {
  for (const c of list(spec.matchConditions)) {
    const r = evaluatePolicyExpression(String(c.expression ?? ''), vars);
    if ('error' in r) return { error: failed(String(c.expression), r.error) };
    if (r.value !== true) return undefined;
  }
  return new LazyVariables(list(spec.variables), vars);
}

/** kube-apiserver ignores a messageExpression's message longer than this (in bytes). */
const MAX_MESSAGE_BYTES = 5 * 1024;

/**
 * Runs one policy for one param; returns the failed validations' messages and reasons.
 * The expressions' runtime cost is kept as kube-apiserver's validator keeps it: one over
 * the per-call limit fails (`operation cancelled: actual cost limit exceeded`), and when
 * the validations pass the policy's budget only that error is reported; the
 * messageExpressions, all run after the validations, spend what is left, and when they
 * pass it every validation that did not fail on its own reports `failed
 * messageExpression: …`.
 */
function evaluate(
  policy: JsonObject,
  vars: Record<string, unknown>,
): { message: string; reason: string }[] {
  const spec = isObject(policy.spec) ? policy.spec : {};
  const ignoreErrors = spec.failurePolicy === 'Ignore';
  const onError = (message: string) => (ignoreErrors ? [] : [{ message, reason: 'Invalid' }]);
  const prepared = policyVariables(spec, vars);
  if (prepared === undefined) return [];
  if ('error' in prepared) return onError(prepared.error);
  const scope = { ...vars, variables: prepared.values };
  const budget = new CostBudget();
  const validations = list(spec.validations);
  const results: PolicyResult[] = [];
  for (const v of validations) {
    const expression = String(v.expression ?? '');
    const r = evaluatePolicyExpression(expression, scope);
    if (!budget.charge(r.cost + prepared.takeCost())) return onError(OUT_OF_COST_BUDGET);
    results.push(r);
  }
  const messages: (PolicyResult | undefined)[] = [];
  let messagesOverBudget = false;
  for (const v of validations) {
    if (typeof v.messageExpression !== 'string') {
      messages.push(undefined);
      continue;
    }
    const m = evaluatePolicyExpression(v.messageExpression, scope);
    if (!budget.charge(m.cost + prepared.takeCost())) {
      messagesOverBudget = true;
      break;
    }
    messages.push(m);
  }
  const out: { message: string; reason: string }[] = [];
  validations.forEach((v, i) => {
    const expression = String(v.expression ?? '');
    const r = results[i] as PolicyResult;
    if ('error' in r) out.push(...onError(failed(expression, r.error)));
    else if (messagesOverBudget)
      out.push(...onError(`failed messageExpression: ${OUT_OF_COST_BUDGET}`));
    else if (r.value !== true) {
      const m = messages[i];
      let message = '';
      if (m && 'value' in m && typeof m.value === 'string') {
        const text = m.value.trim();
        if (!text.includes('\n') && Buffer.byteLength(text) <= MAX_MESSAGE_BYTES) message = text;
      }
      if (!message && typeof v.message === 'string') message = v.message.trim();
      if (!message) message = `failed expression: ${expression.trim()}`;
      out.push({ message, reason: typeof v.reason === 'string' ? v.reason : 'Invalid' });
    }
  });
  return out;
}

/**
 * Runs the ValidatingAdmissionPolicies bound to a create (`old` undefined), update,
 * delete (`obj` null, `name` the request's: empty for a deletecollection) or, with
 * `connect`, a CONNECT (`obj` its options object) made as `origin` says (its user is whom
 * the `authorizer` checks for; its dry run and options are `request.dryRun` and `options`);
 * throws the first `Deny` as kube-apiserver does (reason `Invalid` unless the validation
 * names another, the message naming policy and binding, `details.causes` with it). A
 * binding's `Warn` action adds kube-apiserver's warning to `warnings`; `Audit` only
 * annotates kube-apiserver's audit events, which MemoryApiServer does not write.
 */
export function admitPolicies(
  s: ApiState,
  sc: Scope,
  name: string,
  obj: JsonObject | null,
  old: JsonObject | undefined,
  subresource: string,
  warnings: string[],
  origin: RequestOrigin,
  connect = false,
): void {
  const inputs = policyInputs(s, BINDINGS, sc, name, obj, old, subresource, origin, connect);
  if (!inputs) return;
  const { request, namespaceObject, authorizer } = inputs;
  const denials: Denial[] = [];
  for (const { policy, binding } of boundPolicies(s, POLICIES, inputs)) {
    const pspec = isObject(policy.spec) ? policy.spec : {};
    const bspec = isObject(binding.spec) ? binding.spec : {};
    const actions = Array.isArray(bspec.validationActions)
      ? bspec.validationActions.map(String)
      : [];
    const params = paramsOf(s, policy, binding, sc.namespace);
    const results =
      typeof params === 'string'
        ? pspec.failurePolicy === 'Ignore'
          ? []
          : [{ message: params, reason: 'Invalid' }]
        : params.flatMap((p) =>
            evaluate(policy, {
              object: obj,
              oldObject: old ?? null,
              request,
              params: p,
              namespaceObject,
              authorizer,
            }),
          );
    const names = { policy: String(metaOf(policy).name), binding: String(metaOf(binding).name) };
    for (const r of results) {
      if (actions.includes('Deny')) denials.push({ ...names, ...r });
      if (actions.includes('Warn')) {
        warnings.push(
          `Validation failed for ValidatingAdmissionPolicy '${names.policy}' with binding '${names.binding}': ${r.message}`,
        );
      }
    }
  }
  const d = denials[0];
  if (!d) return;
  const message = `ValidatingAdmissionPolicy '${d.policy}' with binding '${d.binding}' denied request: ${d.message}`;
  const what = sc.t.group ? `${sc.t.plural}.${sc.t.group}` : sc.t.plural;
  // admission.NewForbidden names a request without a name (a deletecollection) `Unknown`.
  const named = name || 'Unknown';
  const code =
    d.reason === 'Forbidden'
      ? 403
      : d.reason === 'Unauthorized'
        ? 401
        : d.reason === 'RequestEntityTooLarge'
          ? 413
          : 422;
  throw new HttpStatusError(code, d.reason, `${what} "${named}" is forbidden: ${message}`, {
    name: named,
    group: sc.t.group,
    kind: sc.t.plural,
    causes: [{ message }],
  });
}

/**
 * What the policies of a write see: its attributes, the bindings, `request`,
 * `namespaceObject` and the `authorizer` (checks for the requesting user).
 */
export interface PolicyInputs {
  a: AdmissionAttributes;
  bindings: JsonObject[];
  request: JsonObject;
  namespaceObject: JsonObject | null;
  authorizer: unknown;
}

/**
 * The inputs of the policies bound (by bindings stored under `bindingsKey`) to a create
 * (`old` undefined), update, delete (`obj` null) or CONNECT (`connect`); undefined when there are no bindings or the write is to a
 * policy resource (policies never apply to those: no lock-out).
 */
export function policyInputs(
  s: ApiState,
  bindingsKey: string,
  sc: Scope,
  name: string,
  obj: JsonObject | null,
  old: JsonObject | undefined,
  subresource: string,
  origin: RequestOrigin,
  connect = false,
): PolicyInputs | undefined {
  const { user } = origin;
  if (sc.t.group === GROUP && EXEMPT.has(sc.t.plural)) return undefined;
  const bindings = [...s.storage.scan(bindingsKey)].map(([, b]) => b);
  if (bindings.length === 0) return undefined;
  // A CONNECT's `kind` is its options object's (`PodExecOptions`, …).
  const kind = connect && obj ? String(obj.kind) : sc.t.kind;
  const a: AdmissionAttributes = {
    operation: connect ? 'CONNECT' : obj === null ? 'DELETE' : old ? 'UPDATE' : 'CREATE',
    t: sc.t,
    kind,
    version: sc.version,
    namespace: sc.namespace,
    name,
    subresource,
    object: obj ?? undefined,
    oldObject: old,
    ...origin,
  };
  const isNamespace = sc.t.group === '' && sc.t.plural === 'namespaces';
  const namespaceObject =
    sc.t.namespaced && !isNamespace ? (s.storage.get('namespaces', sc.namespace) ?? null) : null;
  // A write through `scale` is of an autoscaling/v1 Scale.
  const gvk =
    subresource === 'scale' ? SCALE_KIND : { group: sc.t.group, version: sc.version, kind };
  const gvr = { group: sc.t.group, version: sc.version, resource: sc.t.plural };
  // An AdmissionRequest omits an empty name (a deletecollection's), namespace and
  // subresource. Policies are evaluated at the version the object is written at, so the
  // request's own kind and resource (`requestKind`, `requestResource`) are the same.
  const request: JsonObject = {
    kind: { ...gvk },
    resource: { ...gvr },
    requestKind: { ...gvk },
    requestResource: { ...gvr },
    ...(subresource ? { requestSubResource: subresource } : {}),
    ...(name ? { name } : {}),
    ...(sc.namespace ? { namespace: sc.namespace } : {}),
    operation: a.operation,
    userInfo: user as unknown as JsonObject,
    dryRun: origin.dryRun,
    options: origin.options,
  };
  if (subresource) request.subResource = subresource;
  return {
    a,
    bindings: bindings.sort((x, y) => String(metaOf(x).name).localeCompare(String(metaOf(y).name))),
    request,
    namespaceObject,
    authorizer: celAuthorizer(celAuthorizerCheck(s.storage), user, {
      group: sc.t.group,
      resource: sc.t.plural,
      subresource,
      namespace: sc.namespace,
      name,
    }),
  };
}

/**
 * The bindings (in name order) whose policy (stored under `policiesKey`) exists and whose
 * policy `matchConstraints` and binding `matchResources` select the write.
 */
export function* boundPolicies(
  s: ApiState,
  policiesKey: string,
  inputs: PolicyInputs,
): Generator<{ policy: JsonObject; binding: JsonObject }> {
  for (const binding of inputs.bindings) {
    const bspec = isObject(binding.spec) ? binding.spec : {};
    const policy = s.storage.get(policiesKey, String(bspec.policyName ?? ''));
    if (!policy) continue;
    const pspec = isObject(policy.spec) ? policy.spec : {};
    const constraints = isObject(pspec.matchConstraints) ? pspec.matchConstraints : {};
    if (!matches(s, constraints, inputs.a, true)) continue;
    if (isObject(bspec.matchResources) && !matches(s, bspec.matchResources, inputs.a, false))
      continue;
    yield { policy, binding };
  }
}
