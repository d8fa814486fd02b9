/**
 * MutatingAdmissionPolicy: kube-apiserver's in-process CEL mutation, which runs before the
 * mutating admission webhooks. Every MutatingAdmissionPolicyBinding whose policy exists
 * and selects a create, an update or a CONNECT (the policy's `matchConstraints`, the binding's
 * `matchResources`, the policy's `matchConditions`, as for ValidatingAdmissionPolicies)
 * mutates the object, binding after binding in name order, with each of the policy's
 * `mutations` in turn: an `ApplyConfiguration` expression's object is merged in as
 * server-side apply merges, a `JSONPatch` expression's operations are applied. A
 * mutation that fails does not stop the others; once every policy ran, the failures of
 * policies whose `failurePolicy` is not `Ignore` refuse the write (403, "policy '…' with
 * binding '…' denied request: …", every failure a cause, the first the message). A policy with
 * `reinvocationPolicy: IfNeeded` is run a second time as kube-apiserver reinvokes it, after
 * the mutating webhooks' first round (see {@link mutateByPolicies}).
 */

import { evaluateMutation } from '@kube-ts/schema/validation';
import { HttpStatusError } from '../errors.js';
import { deepEqual, isObject, type JsonObject } from '../json.js';
import { jsonPatch } from '../json-patch.js';
import { mergeApplied } from '../managed-fields.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { listRules, type Scope } from '../write-scope.js';
import { applyTypeProblem } from './apply-types.js';
import { assignInPlace } from './in-place.js';
import type { RequestOrigin } from './matching.js';
import {
  boundPolicies,
  failed,
  list,
  paramsOf,
  policyInputs,
  policyVariables,
} from './policies.js';

const GROUP = 'admissionregistration.k8s.io';
const POLICIES = `mutatingadmissionpolicies.${GROUP}`;
const BINDINGS = `mutatingadmissionpolicybindings.${GROUP}`;

/**
 * `object` after one mutation, or the error text of a mutation that failed. `connect`:
 * the object is a CONNECT's options object.
 */
function mutate(
  sc: Scope,
  object: JsonObject,
  mutation: JsonObject,
  vars: Record<string, unknown>,
  connect: boolean,
): JsonObject | string {
  const patchType = String(mutation.patchType ?? '');
  const holder = patchType === 'JSONPatch' ? mutation.jsonPatch : mutation.applyConfiguration;
  const expression = isObject(holder) ? String(holder.expression ?? '') : '';
  const r = evaluateMutation(expression, vars);
  if ('error' in r) return failed(expression, r.error);
  try {
    if (patchType === 'JSONPatch') {
      const patched = jsonPatch(object, r.value);
      return isObject(patched) ? patched : 'JSON Patch did not produce an object';
    }
    if (!isObject(r.value)) return `${expression}: must evaluate to Object`;
    if (connect) {
      // kube-apiserver merges an ApplyConfiguration with the types of its OpenAPI
      // document, which has no options kinds (PodExecOptions, …).
      return `error applying patch: failed to convert patch object to typed object: no corresponding type for /v1, Kind=${String(object.kind)}`;
    }
    const problem = applyTypeProblem(sc.t, sc.version, r.value);
    if (problem) return problem;
    return mergeApplied(object, r.value, [], listRules(sc.t, sc.version)) as JsonObject;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const POLICY_ERROR = 'failed to configure policy: ';
const BINDING_ERROR = 'failed to configure binding: ';

/** A failed policy invocation: its message and the reason it gives a refusal. */
interface PolicyFailure {
  readonly text: string;
  readonly reason: 'Invalid' | 'Forbidden';
}

/**
 * A binding's configuration error as kube-apiserver's generic dispatcher words it (its
 * params not found): `failed to configure binding: …` unless already said of the policy.
 */
function configurationError(message: string): string {
  return message.startsWith(POLICY_ERROR) || message.startsWith(BINDING_ERROR)
    ? message
    : `${BINDING_ERROR}${message}`;
}

/**
 * kube-apiserver's refusal of a write by its policies' failures: a 403 whose message and
 * reason are the first failure's (`Forbidden` for a configuration error, `Invalid` for a
 * failed mutation or matchCondition) and whose causes are every failure; the details name
 * the resource and its group apart, as `admission.NewForbidden` does.
 */
function refusal(sc: Scope, name: string, failures: readonly PolicyFailure[]): HttpStatusError {
  const [first] = failures;
  return new HttpStatusError(403, first?.reason ?? 'Forbidden', first?.text ?? '', {
    name,
    group: sc.t.group,
    kind: sc.t.plural,
    causes: failures.map((f) => ({ message: f.text })),
  });
}

/** One policy, through one binding, with one param: what kube-apiserver invokes. */
interface Invocation {
  readonly policy: JsonObject;
  readonly binding: JsonObject;
  readonly param: JsonObject | null;
}

/** The policies' part of the admission chain's second round (kube-apiserver's reinvocation). */
export interface PolicyReinvocation {
  /** Whether a policy applied a mutation in the first round (the chain then runs again). */
  readonly applied: boolean;
  /**
   * The policies' second round, on `obj` in place, called when the chain runs a second
   * time (after the mutating webhooks' first round): each `reinvocationPolicy: IfNeeded`
   * policy invoked in the first round (its matchConditions held) runs once more, in order,
   * when a mutation was applied in the first round or the object changed since (a
   * webhook's, or the in-tree plugins' run again).
   */
  again(obj: JsonObject): void;
}

/**
 * Runs the MutatingAdmissionPolicies bound to a create (`old` undefined), an update or,
 * with `connect`, a CONNECT (`obj` its options object) made as `origin` says, changing `obj`
 * in place (the write path holds on to it); throws the failures of policies whose
 * `failurePolicy` is not `Ignore` once all ran (see {@link refusal}). Returns what their
 * second round needs (which throws its own failures the same way).
 *
 * Reinvocation as kube-apiserver's policy dispatcher and admission chain do it: when any
 * mutation was applied (by a policy or, in between, a webhook), the chain runs again, and
 * in that second round each `reinvocationPolicy: IfNeeded` policy invoked in the first
 * runs once more. (The dispatcher marks the object changed after any applied mutation,
 * even one that changed nothing, so an IfNeeded policy is reinvoked even when it is the
 * only one.)
 */
export function mutateByPolicies(
  s: ApiState,
  sc: Scope,
  name: string,
  obj: JsonObject,
  old: JsonObject | undefined,
  subresource: string,
  origin: RequestOrigin,
  connect = false,
): PolicyReinvocation {
  const inputs = policyInputs(s, BINDINGS, sc, name, obj, old, subresource, origin, connect);
  if (!inputs) return { applied: false, again() {} };
  let object = obj;
  let applied = false;
  // kube-apiserver's generic dispatcher collects the bindings' configuration errors
  // (params) before its mutating dispatcher runs the invocations.
  const configErrors: PolicyFailure[] = [];
  const errors: PolicyFailure[] = [];
  const fail = (
    to: PolicyFailure[],
    policy: JsonObject,
    binding: JsonObject | undefined,
    message: string,
  ) => {
    const spec = isObject(policy.spec) ? policy.spec : {};
    if (spec.failurePolicy === 'Ignore') return;
    const p = String(metaOf(policy).name);
    // A policy's own configuration error names no binding (and the policy as Go's %q).
    const text = binding
      ? `policy '${p}' with binding '${String(metaOf(binding).name)}' denied request: ${message}`
      : `policy ${JSON.stringify(p)} denied request: ${message}`;
    to.push({ text, reason: to === errors ? 'Invalid' : 'Forbidden' });
  };
  const refuse = (policy: JsonObject, binding: JsonObject, message: string) =>
    fail(errors, policy, binding, message);
  const endRound = () => {
    const all = [...configErrors, ...errors];
    if (all.length) throw refusal(sc, name, all);
  };
  /** Runs one invocation's mutations; false when its matchConditions skip it. */
  const invoke = ({ policy, binding, param }: Invocation): boolean => {
    const spec = isObject(policy.spec) ? policy.spec : {};
    const vars = {
      object,
      oldObject: old ?? null,
      request: inputs.request,
      params: param,
      namespaceObject: inputs.namespaceObject,
      authorizer: inputs.authorizer,
    };
    const prepared = policyVariables(spec, vars);
    if (prepared === undefined) return false;
    if ('error' in prepared) {
      refuse(policy, binding, prepared.error);
      return false;
    }
    for (const mutation of list(spec.mutations)) {
      const next = mutate(
        sc,
        object,
        mutation,
        { ...vars, object, variables: prepared.values },
        connect,
      );
      if (typeof next === 'string') refuse(policy, binding, next);
      else {
        object = next;
        applied = true;
      }
    }
    return true;
  };
  const reinvocable: Invocation[] = [];
  for (const { policy, binding } of boundPolicies(s, POLICIES, inputs)) {
    const params = paramsOf(s, policy, binding, sc.namespace);
    if (typeof params === 'string') {
      const ofPolicy = params.startsWith(POLICY_ERROR);
      fail(configErrors, policy, ofPolicy ? undefined : binding, configurationError(params));
      continue;
    }
    for (const param of params) {
      const invocation = { policy, binding, param };
      const ran = invoke(invocation);
      const spec = isObject(policy.spec) ? policy.spec : {};
      if (ran && spec.reinvocationPolicy === 'IfNeeded') reinvocable.push(invocation);
    }
  }
  endRound();
  if (object !== obj) assignInPlace(obj, object);
  const output = structuredClone(obj);
  const firstApplied = applied;
  return {
    applied: firstApplied,
    again(target) {
      if (!firstApplied && deepEqual(target, output)) return;
      object = target;
      for (const invocation of reinvocable) invoke(invocation);
      endRound();
      if (object !== target) assignInPlace(target, object);
    },
  };
}
