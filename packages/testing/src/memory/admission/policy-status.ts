/**
 * kube-controller-manager's ValidatingAdmissionPolicy status controller: for each policy
 * whose `metadata.generation` is newer than `status.observedGeneration`, type-checks its
 * validations' `expression`s and `messageExpression`s against every kind its
 * `matchConstraints.resourceRules` name without wildcards, and writes
 * `status.observedGeneration` and `status.typeChecking` (`expressionWarnings`, one per
 * expression that does not check: `fieldRef` and, per kind, `<group/version>,
 * Kind=<kind>: <error>`). `params` is typed by the `paramKind`'s schema as the controller
 * resolves it (a built-in's OpenAPI types, a CRD's schema), dynamic when it has none, and
 * `variables` by the policy's variables checked the same way.
 */
import { type CelObjectType, typeCheckPolicyExpression } from '@kube-ts/schema/validation';
import type { Change } from '../history.js';
import { isObject, type Json, type JsonObject, str, strings } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { commitUpdate } from '../update-object.js';
import { list } from './policies.js';
import { celTypeOf } from './policy-types.js';

const GROUP = 'admissionregistration.k8s.io';
const POLICIES = `validatingadmissionpolicies.${GROUP}`;
const MANAGER = 'validatingadmissionpolicy-status';

interface CheckedKind {
  /** As kube-apiserver prints a GroupVersionKind: `apps/v1, Kind=Deployment`. */
  name: string;
  /** The kind (`Deployment`), after which kube-apiserver names its CEL type. */
  kind: string;
  type: CelObjectType;
}

/** Writes each ValidatingAdmissionPolicy's type checking into its status. */
export class PolicyStatusController {
  constructor(private readonly s: ApiState) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey !== POLICIES || c.type === 'DELETED') return;
    const status = isObject(c.object.status) ? c.object.status : {};
    if (Number(metaOf(c.object).generation ?? 0) <= Number(status.observedGeneration ?? 0)) return;
    const name = String(metaOf(c.object).name);
    this.s.schedule(() => this.sync(name));
  }

  /** The kinds a policy's resource rules name without wildcards, with their CEL types. */
  #kinds(policy: JsonObject): CheckedKind[] {
    const spec = isObject(policy.spec) ? policy.spec : {};
    const constraints = isObject(spec.matchConstraints) ? spec.matchConstraints : {};
    const out = new Map<string, CheckedKind>();
    for (const rule of list(constraints.resourceRules)) {
      const concrete = (v: Json | undefined) =>
        strings(v)
          .filter((x) => x !== '*')
          .sort();
      for (const group of concrete(rule.apiGroups)) {
        for (const version of concrete(rule.apiVersions)) {
          for (const plural of concrete(rule.resources).filter((r) => !r.includes('/'))) {
            const t = this.s.registry.find(group, version, plural);
            const type = t && celTypeOf(t, version);
            if (!t || !type) continue;
            const name = `${group ? `${group}/` : '/'}${version}, Kind=${t.kind}`;
            out.set(name, { name, kind: t.kind, type });
          }
        }
      }
    }
    return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The kind and CEL type of a policy's `paramKind`; undefined (dynamic) when it has none. */
  #params(policy: JsonObject): { kind: string; type: CelObjectType } | undefined {
    const spec = isObject(policy.spec) ? policy.spec : {};
    const paramKind = isObject(spec.paramKind) ? spec.paramKind : {};
    const apiVersion = str(paramKind.apiVersion);
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = apiVersion.slice(slash + 1);
    const t = this.s.registry.findKind(group, str(paramKind.kind));
    const type = t && celTypeOf(t, version);
    return t && type && { kind: t.kind, type };
  }

  /** Type-checks one policy and writes its status. */
  sync(name: string): void {
    const policy = this.s.storage.get(POLICIES, name);
    if (!policy) return;
    const meta = metaOf(policy);
    const status = isObject(policy.status) ? policy.status : {};
    if (Number(meta.generation ?? 0) <= Number(status.observedGeneration ?? 0)) return;
    const kinds = this.#kinds(policy);
    const params = this.#params(policy);
    const spec = isObject(policy.spec) ? policy.spec : {};
    const variables = list(spec.variables).map((v) => ({
      name: str(v.name),
      expression: str(v.expression),
    }));
    const warnings: JsonObject[] = [];
    const check = (fieldRef: string, expression: unknown) => {
      if (typeof expression !== 'string' || expression === '') return;
      const found = kinds.flatMap((k) => {
        const error = typeCheckPolicyExpression(expression, k.type, params?.type, variables, {
          object: k.kind,
          params: params?.kind,
        });
        return error === undefined ? [] : [`${k.name}: ${error}\n`];
      });
      if (found.length) warnings.push({ fieldRef, warning: found.join('\n') });
    };
    list(spec.validations).forEach((v, i) => {
      check(`spec.validations[${i}].expression`, v.expression);
      check(`spec.validations[${i}].messageExpression`, v.messageExpression);
    });
    const t = this.s.registry.find(GROUP, 'v1', 'validatingadmissionpolicies');
    if (!t) return;
    const next: JsonObject = {
      ...policy,
      status: {
        ...status,
        observedGeneration: meta.generation ?? 1,
        typeChecking: warnings.length ? { expressionWarnings: warnings } : {},
      },
    };
    try {
      commitUpdate(
        this.s,
        { t, version: 'v1', namespace: '' },
        policy,
        next,
        { defaultManager: MANAGER },
        { subresource: 'status', managedFields: (meta.managedFields as Json[]) ?? [] },
      );
    } catch {
      // A concurrent change of the policy brings it back here.
    }
  }
}
