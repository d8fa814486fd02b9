/**
 * MutatingAdmissionPolicy: kube-apiserver's in-process CEL mutation, which runs before the
 * mutating admission webhooks. Every MutatingAdmissionPolicyBinding whose policy exists
 * and selects a create or update (the policy's `matchConstraints`, the binding's
 * `matchResources`, the policy's `matchConditions`, as for ValidatingAdmissionPolicies)
 * mutates the object, binding after binding in name order, with each of the policy's
 * `mutations` in turn: an `ApplyConfiguration` expression's object is merged in as
 * server-side apply merges, a `JSONPatch` expression's operations are applied. A
 * mutation that fails refuses the write (403, reason `Invalid`, "policy '…' with binding
 * '…' denied request: …") unless the policy's `failurePolicy` is `Ignore`. Reinvocation
 * (`reinvocationPolicy: IfNeeded`) is not simulated: each policy runs once.
 */

import { evaluateMutation } from '@kube-ts/schema/validation';
import type { UserInfo } from '../auth/user.js';
import { HttpStatusError } from '../errors.js';
import { isObject, type JsonObject } from '../json.js';
import { jsonPatch } from '../json-patch.js';
import { mergeApplied } from '../managed-fields.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { listRules, type Scope } from '../write-scope.js';
import { assignInPlace } from './in-place.js';
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

/** `object` after one mutation, or the error text of a mutation that failed. */
function mutate(
  sc: Scope,
  object: JsonObject,
  mutation: JsonObject,
  vars: Record<string, unknown>,
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
    return mergeApplied(object, r.value, [], listRules(sc.t, sc.version)) as JsonObject;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Runs the MutatingAdmissionPolicies bound to a create (`old` undefined) or update by
 * `user` of
 * `obj`, changing `obj` in place (the write path holds on to it); throws the first
 * failure of a policy whose `failurePolicy` is not `Ignore`.
 */
export function mutateByPolicies(
  s: ApiState,
  sc: Scope,
  name: string,
  obj: JsonObject,
  old: JsonObject | undefined,
  subresource: string,
  user: UserInfo,
): void {
  const inputs = policyInputs(s, BINDINGS, sc, name, obj, old, subresource, user);
  if (!inputs) return;
  let object = obj;
  for (const { policy, binding } of boundPolicies(s, POLICIES, inputs)) {
    const spec = isObject(policy.spec) ? policy.spec : {};
    const refuse = (message: string) => {
      if (spec.failurePolicy === 'Ignore') return;
      const text = `policy '${String(metaOf(policy).name)}' with binding '${String(metaOf(binding).name)}' denied request: ${message}`;
      const what = sc.t.group ? `${sc.t.plural}.${sc.t.group}` : sc.t.plural;
      throw new HttpStatusError(403, 'Invalid', text, {
        name,
        group: sc.t.group,
        kind: what,
      });
    };
    const params = paramsOf(s, policy, binding, sc.namespace);
    if (typeof params === 'string') {
      refuse(params);
      continue;
    }
    for (const param of params) {
      const vars = {
        object,
        oldObject: old ?? null,
        request: inputs.request,
        params: param,
        namespaceObject: inputs.namespaceObject,
        authorizer: inputs.authorizer,
      };
      const prepared = policyVariables(spec, vars);
      if (prepared === undefined) continue;
      if ('error' in prepared) {
        refuse(prepared.error);
        continue;
      }
      for (const mutation of list(spec.mutations)) {
        const next = mutate(sc, object, mutation, { ...vars, object, ...prepared });
        if (typeof next === 'string') refuse(next);
        else object = next;
      }
    }
  }
  if (object !== obj) assignInPlace(obj, object);
}
