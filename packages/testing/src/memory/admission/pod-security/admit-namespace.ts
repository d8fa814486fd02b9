/**
 * kube-apiserver's `PodSecurity` admission plugin on Namespaces (own code, for its
 * decisions and words): invalid `pod-security.kubernetes.io/*` labels are refused (422)
 * on create, and on update unless the update leaves the same ones; an update that makes
 * the enforce level stricter warns about the Pods already in the namespace.
 */
import { invalid, type StatusCause } from '../../errors.js';
import { isObject, type JsonObject } from '../../json.js';
import type { ApiState } from '../../state.js';
import type { Scope } from '../../write-scope.js';
import { existingPodWarnings } from './existing-pods.js';
import { policyOf, sameLevelVersion, sameVersion, strictness } from './namespace-policy.js';

const labelsOf = (o: JsonObject): JsonObject =>
  isObject(o.metadata) && isObject(o.metadata.labels) ? o.metadata.labels : {};

const sameCauses = (a: readonly StatusCause[], b: readonly StatusCause[]) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * The plugin's validation of a Namespace write (`old` on update; subresources are let
 * through): throws the 422 of invalid labels, pushes the existing Pods' warnings.
 */
export function validateNamespacePodSecurity(
  s: ApiState,
  sc: Scope,
  name: string,
  ns: JsonObject,
  old: JsonObject | undefined,
  subresource: string,
  warnings: string[],
): void {
  if (sc.t.group !== '' || sc.t.plural !== 'namespaces' || subresource !== '') return;
  const next = policyOf(labelsOf(ns));
  const refuse = () => {
    throw invalid('Namespace', '', name, next.errors);
  };
  if (!old) {
    if (next.errors.length) refuse();
    return;
  }
  const prev = policyOf(labelsOf(old));
  if (next.errors.length && (!prev.errors.length || !sameCauses(next.errors, prev.errors)))
    refuse();
  const now = next.policy.enforce;
  const before = prev.policy.enforce;
  // Nothing to check when enforce is unchanged, privileged, or relaxed at the same version.
  if (sameLevelVersion(now, before) || now.level === 'privileged') return;
  if (sameVersion(now.version, before.version) && strictness(now.level) <= strictness(before.level))
    return;
  const pods = [...s.storage.scan('pods', name)].map(([, pod]) => pod);
  warnings.push(...existingPodWarnings(name, now, pods));
}
