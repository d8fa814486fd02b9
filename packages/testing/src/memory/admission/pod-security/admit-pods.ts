/**
 * kube-apiserver's `PodSecurity` admission plugin on Pods and workloads (own code, for its
 * decisions and words), with the default configuration: no exemptions and every mode
 * `privileged:latest` unless the namespace's labels say otherwise. A Pod create, a
 * significant Pod update and an `ephemeralcontainers` update are refused (403) when the
 * enforce level forbids the Pod; the warn level's violations are warnings; a workload's
 * Pod template is only warned about.
 */
import { isObject, type JsonObject, obj, objects, str } from '../../json.js';
import type { ApiState } from '../../state.js';
import type { Scope } from '../../write-scope.js';
import { admissionForbidden } from '../forbidden.js';
import { decide } from './evaluate-policy.js';
import { fullyPrivileged, type ParsedPolicy, policyOf } from './namespace-policy.js';
import type { PodSecurityRequest } from './pod-security-metrics.js';

/** The Pod subresources the plugin lets through unevaluated (any other one is evaluated). */
const IGNORED_POD_SUBRESOURCES = new Set([
  'exec',
  'attach',
  'binding',
  'eviction',
  'log',
  'portforward',
  'proxy',
  'status',
]);

/** A workload's Pod template (metadata and spec), by group and resource. */
const TEMPLATES: Readonly<Record<string, (o: JsonObject) => unknown>> = {
  '/podtemplates': (o) => o.template,
  '/replicationcontrollers': (o) => obj(o.spec).template,
  'apps/replicasets': (o) => obj(o.spec).template,
  'apps/deployments': (o) => obj(o.spec).template,
  'apps/statefulsets': (o) => obj(o.spec).template,
  'apps/daemonsets': (o) => obj(o.spec).template,
  'batch/jobs': (o) => obj(o.spec).template,
  'batch/cronjobs': (o) => obj(obj(obj(o.spec).jobTemplate).spec).template,
};

/** The policy of the namespace a Pod or workload is written in. */
function namespacePolicy(s: ApiState, namespace: string): ParsedPolicy {
  const ns = s.storage.get('namespaces', namespace);
  return policyOf(obj(obj(ns?.metadata).labels));
}

/**
 * Whether a Pod update changes what the plugin evaluates: the number of containers or
 * init containers, a container's image, or an ephemeral container added or with a new image
 * (pod-security-admission's isSignificantPodUpdate; other changes are always allowed).
 */
export function isSignificantPodUpdate(pod: JsonObject, old: JsonObject): boolean {
  const spec = obj(pod.spec);
  const oldSpec = obj(old.spec);
  for (const key of ['containers', 'initContainers']) {
    const now = objects(spec[key]);
    const before = objects(oldSpec[key]);
    if (now.length !== before.length) return true;
    if (now.some((c, i) => str(c.image) !== str(before[i]?.image))) return true;
  }
  const oldEphemeral = objects(oldSpec.ephemeralContainers);
  return objects(spec.ephemeralContainers).some((c) => {
    const was = oldEphemeral.find((o) => str(o.name) === str(c.name));
    return !was || str(was.image) !== str(c.image);
  });
}

/**
 * The plugin's validation of a Pod or workload write (`old` on update): throws the 403 of
 * an enforced violation, pushes the warn level's warnings onto `warnings`, and counts what
 * it evaluated in the server's Pod Security metrics.
 */
export function validatePodSecurity(
  s: ApiState,
  sc: Scope,
  name: string,
  object: JsonObject,
  old: JsonObject | undefined,
  subresource: string,
  warnings: string[],
): void {
  const { group, plural } = sc.t;
  const pod = group === '' && plural === 'pods';
  const template = TEMPLATES[`${group}/${plural}`];
  if (pod ? IGNORED_POD_SUBRESOURCES.has(subresource) : !template || subresource !== '') return;
  const request: PodSecurityRequest = {
    operation: old ? 'update' : 'create',
    resource: pod ? 'pod' : 'controller',
    subresource,
  };
  const { policy, errors } = namespacePolicy(s, sc.namespace);
  const evaluate = (meta: unknown, spec: unknown, enforce: boolean) => {
    if (errors.length) s.podSecurityMetrics.invalidPolicy(request);
    const d = decide(policy, obj(meta), obj(spec), enforce);
    s.podSecurityMetrics.evaluated(request, d.evaluations);
    return d;
  };
  if (pod) {
    if (errors.length === 0 && fullyPrivileged(policy)) {
      s.podSecurityMetrics.evaluated(request, [
        { decision: 'allow', policy: policy.enforce, mode: 'enforce' },
      ]);
      return;
    }
    if (old && !isSignificantPodUpdate(object, old)) return;
    const d = evaluate(object.metadata, object.spec, true);
    if (d.refusal !== undefined) admissionForbidden(sc.t, name, d.refusal);
    warnings.push(...d.warnings);
    return;
  }
  if (
    errors.length === 0 &&
    policy.warn.level === 'privileged' &&
    policy.audit.level === 'privileged'
  )
    return;
  const t = template!(object);
  // A ReplicationController without a template has no Pod to evaluate (the other kinds'
  // templates are never absent in Go's typed objects: an empty one is evaluated).
  if (!isObject(t) && plural === 'replicationcontrollers') return;
  warnings.push(...evaluate(obj(t).metadata, obj(t).spec, false).warnings);
}
