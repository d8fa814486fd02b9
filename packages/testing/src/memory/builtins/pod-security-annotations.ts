/**
 * The deprecated seccomp and AppArmor annotations of Pods and pod templates, as
 * kube-apiserver treats them (own code; the causes, their paths and words are what a test
 * sees): their values checked (`ValidateSeccompPodAnnotations`,
 * `ValidateAppArmorPodAnnotations`), checked against the profile fields they duplicate on a
 * new Pod and in every template (`validateSeccompAnnotationsAndFields`,
 * `validateAppArmorAnnotationsAndFieldsMatchOnCreate`), a Pod's AppArmor annotations fixed
 * after create (`ValidatePodSpecificAnnotationUpdates`) and copied into the container's
 * field when a new Pod's container has none (the Pod strategy's `applyAppArmorVersionSkew`).
 */
import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type Json, type JsonObject, str } from '../json.js';
import { forbiddenValue, invalidValue } from '../validation.js';
import { appArmorCauses } from './pod-security.js';
import { descendingPathCauses } from './pod-volumes.js';

/** The annotation of a pod's seccomp profile (non-functional since v1.27). */
export const SECCOMP_POD = 'seccomp.security.alpha.kubernetes.io/pod';
/** The prefix of a container's seccomp annotation (the container's name follows). */
export const SECCOMP_CONTAINER = 'container.seccomp.security.alpha.kubernetes.io/';
/** The prefix of a container's AppArmor annotation (deprecated since v1.30). */
export const APPARMOR_CONTAINER = 'container.apparmor.security.beta.kubernetes.io/';

const LOCALHOST = 'localhost/';
const obj = (v: Json | undefined): JsonObject => (isObject(v) ? v : {});
const profileOf = (holder: Json | undefined, key: string): JsonObject | undefined => {
  const p = obj(obj(holder).securityContext)[key];
  return isObject(p) ? p : undefined;
};

/** `ApparmorFieldForAnnotation`: the profile an AppArmor annotation stands for, if any. */
export function appArmorProfileOf(annotation: string): JsonObject | undefined {
  if (annotation === 'unconfined') return { type: 'Unconfined' };
  if (annotation === 'runtime/default') return { type: 'RuntimeDefault' };
  const local = annotation.startsWith(LOCALHOST) ? annotation.slice(LOCALHOST.length) : '';
  return local ? { type: 'Localhost', localhostProfile: local } : undefined;
}

/** A pod spec's containers with their paths, in `VisitContainersWithPath`'s order. */
export function containersWithPaths(spec: JsonObject, at: string): [JsonObject, string][] {
  return ['initContainers', 'containers', 'ephemeralContainers'].flatMap((key) => {
    const list = Array.isArray(spec[key]) ? spec[key] : [];
    return list.flatMap((c, i): [JsonObject, string][] =>
      isObject(c) ? [[c, `${at}.${key}[${i}]`]] : [],
    );
  });
}

/** `ValidateSeccompProfile`: a profile annotation's value. */
function seccompValueCauses(field: string, value: string): StatusCause[] {
  if (['runtime/default', 'docker/default', 'unconfined'].includes(value)) return [];
  if (value.startsWith(LOCALHOST))
    return descendingPathCauses(field, value.slice(LOCALHOST.length));
  return [invalidValue(field, value, 'must be a valid seccomp profile')];
}

/**
 * The causes of a pod's (or template's) seccomp and AppArmor annotations at `at` (its
 * `annotations` path): the values, and an AppArmor annotation naming one of the containers.
 * The seccomp causes are named as Go's `Child` names them (`at.<key>`), the AppArmor ones as
 * its `Key` does (`at[<key>]`); both are found by ranging over the map in kube-apiserver,
 * in no fixed order (here in key order).
 */
export function securityAnnotationCauses(
  annotations: Json | undefined,
  spec: JsonObject,
  at: string,
): StatusCause[] {
  const entries = Object.entries(obj(annotations));
  const causes: StatusCause[] = [];
  const pod = obj(annotations)[SECCOMP_POD];
  if (typeof pod === 'string') causes.push(...seccompValueCauses(`${at}.${SECCOMP_POD}`, pod));
  for (const [key, value] of entries) {
    if (key.startsWith(SECCOMP_CONTAINER)) {
      causes.push(...seccompValueCauses(`${at}.${key}`, str(value)));
    }
  }
  const names = new Set(containersWithPaths(spec, '').map(([c]) => str(c.name)));
  for (const [key, value] of entries) {
    if (!key.startsWith(APPARMOR_CONTAINER)) continue;
    const container = key.slice(APPARMOR_CONTAINER.length);
    if (!names.has(container))
      causes.push(invalidValue(`${at}[${key}]`, container, 'container not found'));
    const profile = str(value);
    const known = ['', 'runtime/default', 'unconfined'].includes(profile);
    if (!known && !profile.startsWith(LOCALHOST)) {
      causes.push(
        invalidValue(
          `${at}[${key}]`,
          profile,
          `invalid AppArmor profile name: ${JSON.stringify(profile)}`,
        ),
      );
    }
  }
  return causes;
}

/**
 * The cause of a `what` (`seccomp`, `apparmor`) annotation that disagrees with its profile
 * field (at `at`), if any; `runtimeDefault` lists the annotation values of `RuntimeDefault`.
 */
function profileMismatch(
  what: string,
  runtimeDefault: readonly string[],
  annotation: string,
  field: JsonObject,
  at: string,
): StatusCause[] {
  const type = [forbiddenValue(`${at}.type`, `${what} type in annotation and field must match`)];
  switch (field.type) {
    case 'Unconfined':
      return annotation === 'unconfined' ? [] : type;
    case 'RuntimeDefault':
      return runtimeDefault.includes(annotation) ? [] : type;
    case 'Localhost':
      if (!annotation.startsWith(LOCALHOST)) return type;
      return annotation.slice(LOCALHOST.length) === field.localhostProfile
        ? []
        : [
            forbiddenValue(
              `${at}.localhostProfile`,
              `${what} profile in annotation and field must match`,
            ),
          ];
    default:
      return [];
  }
}

const seccompMismatch = (annotation: string, field: JsonObject, at: string) =>
  profileMismatch('seccomp', ['runtime/default', 'docker/default'], annotation, field, at);
const appArmorMismatch = (annotation: string, field: JsonObject, at: string) =>
  profileMismatch('apparmor', ['runtime/default'], annotation, field, at);

/**
 * The causes of annotations that disagree with the profile fields of the pod spec at
 * `specAt` (checked on a new Pod and in every template): the pod's and each container's
 * seccomp annotation against its own field, then each container's AppArmor annotation
 * against its profile or the pod's (not in a Windows pod).
 */
export function annotationFieldMatchCauses(
  annotations: Json | undefined,
  spec: JsonObject,
  specAt: string,
): StatusCause[] {
  const ann = obj(annotations);
  const causes: StatusCause[] = [];
  const podSeccomp = profileOf(spec, 'seccompProfile');
  const podAnnotation = ann[SECCOMP_POD];
  if (podSeccomp && typeof podAnnotation === 'string') {
    causes.push(
      ...seccompMismatch(podAnnotation, podSeccomp, `${specAt}.securityContext.seccompProfile`),
    );
  }
  const containers = containersWithPaths(spec, specAt);
  for (const [c, at] of containers) {
    const field = profileOf(c, 'seccompProfile');
    const annotation = ann[SECCOMP_CONTAINER + str(c.name)];
    if (field && typeof annotation === 'string') {
      causes.push(...seccompMismatch(annotation, field, `${at}.securityContext.seccompProfile`));
    }
  }
  if (obj(spec.os).name === 'windows') return causes;
  const podAppArmor = profileOf(spec, 'appArmorProfile');
  for (const [c, at] of containers) {
    const field = profileOf(c, 'appArmorProfile') ?? podAppArmor;
    const annotation = ann[APPARMOR_CONTAINER + str(c.name)];
    if (field && typeof annotation === 'string') {
      causes.push(...appArmorMismatch(annotation, field, `${at}.securityContext.appArmorProfile`));
    }
  }
  return causes;
}

/**
 * The causes of a Pod update that adds, changes or removes an AppArmor annotation (at `at`,
 * the annotations' path): the changed and removed ones first, then the added ones, each in
 * no fixed order on kube-apiserver (it ranges over the maps; here in key order).
 */
export function appArmorAnnotationUpdateCauses(
  next: Json | undefined,
  prev: Json | undefined,
  at: string,
): StatusCause[] {
  const now = obj(next);
  const old = obj(prev);
  const causes: StatusCause[] = [];
  for (const [key, value] of Object.entries(old)) {
    if (!key.startsWith(APPARMOR_CONTAINER) || (Object.hasOwn(now, key) && now[key] === value)) {
      continue;
    }
    causes.push(forbiddenValue(`${at}[${key}]`, 'may not remove or update AppArmor annotations'));
  }
  for (const key of Object.keys(now)) {
    if (key.startsWith(APPARMOR_CONTAINER) && !Object.hasOwn(old, key)) {
      causes.push(forbiddenValue(`${at}[${key}]`, 'may not add AppArmor annotations'));
    }
  }
  return causes;
}

/**
 * On a new Pod (not a Windows one), copies each container's AppArmor annotation into the
 * container's `appArmorProfile` when it has none and the annotation names a valid profile
 * other than the pod's; returns the deprecation warnings kube-apiserver gives for the
 * annotations it copied or could not read (`applyAppArmorVersionSkew`).
 */
export function syncAppArmorAnnotations(pod: JsonObject): string[] {
  const spec = obj(pod.spec);
  if (obj(spec.os).name === 'windows') return [];
  const annotations = obj(obj(pod.metadata).annotations);
  const podProfile = profileOf(spec, 'appArmorProfile');
  const warnings: string[] = [];
  for (const [c] of containersWithPaths(spec, 'spec')) {
    const key = APPARMOR_CONTAINER + str(c.name);
    const annotation = annotations[key];
    if (typeof annotation !== 'string' || profileOf(c, 'appArmorProfile')) continue;
    const derived = appArmorProfileOf(annotation);
    const valid = derived && appArmorCauses(derived, '').length === 0 ? derived : undefined;
    if (valid && !deepEqual(valid, podProfile ?? null)) {
      if (!isObject(c.securityContext)) c.securityContext = {};
      (c.securityContext as JsonObject).appArmorProfile = valid;
    } else if (valid) continue;
    warnings.push(
      `metadata.annotations[${key}]: deprecated since v1.30; use the "appArmorProfile" field instead`,
    );
  }
  return warnings;
}
