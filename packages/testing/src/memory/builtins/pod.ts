import type { StatusCause } from '../errors.js';
import { isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { forbiddenValue } from '../validation.js';
import { internalSemanticEqual } from './go-internal-json.js';
import type { KindRules } from './kind-rules.js';
import { imageSpaceCauses } from './pod-containers.js';
import { reconcilePodIPs } from './pod-ips.js';
import { defaultPodLevelResources } from './pod-level-resources.js';
import { isMirrorPod, ROOT_PATH } from './pod-mirror.js';
import { prepareNewPod } from './pod-prepare-create.js';
import { computeQosClass } from './pod-qos.js';
import { resizeCauses } from './pod-resize.js';
import {
  annotationFieldMatchCauses,
  appArmorAnnotationUpdateCauses,
  securityAnnotationCauses,
  syncAppArmorAnnotations,
} from './pod-security-annotations.js';
import { defaultPodSpec, podSpecCauses } from './pod-spec.js';
import { podStatusCauses } from './pod-status.js';
import { podUpdateCauses } from './pod-update.js';
import { hostnameWarnings, podSpecWarnings } from './pod-warnings.js';
import { specDiff } from './spec-diff.js';
import { specOf } from './workload.js';

/** An object's spec, or `{}` (the object unchanged). */
const specIn = (o: JsonObject): JsonObject => (isObject(o.spec) ? o.spec : {});

/**
 * A Pod without a service account may project no service account token (the ServiceAccount
 * admission plugin, when enabled, names the `default` one first).
 */
function tokenProjectionCauses(spec: JsonObject): StatusCause[] {
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  return volumes.flatMap((v, i) => {
    const sources = isObject(v) && isObject(v.projected) ? v.projected.sources : undefined;
    return (Array.isArray(sources) ? sources : []).flatMap((src, j) =>
      isObject(src) && isObject(src.serviceAccountToken)
        ? [
            forbiddenValue(
              `spec.volumes[${i}].projected.sources[${j}].serviceAccountToken`,
              'must not be specified when serviceAccountName is not set',
            ),
          ]
        : [],
    );
  });
}

/** Under `hostNetwork`, host ports default to the container ports (SetDefaults_Pod). */
function defaultHostNetworkPorts(spec: JsonObject): void {
  if (spec.hostNetwork !== true) return;
  for (const list of ['containers', 'initContainers']) {
    const cs = Array.isArray(spec[list]) ? spec[list] : [];
    for (const c of cs) {
      const ports = isObject(c) && Array.isArray(c.ports) ? c.ports : [];
      for (const p of ports) {
        if (!isObject(p) || typeof p.containerPort !== 'number') continue;
        if (p.hostPort === undefined || p.hostPort === 0) p.hostPort = p.containerPort;
      }
    }
  }
}

/** Requests default to the limits they lack (SetDefaults_Pod). */
function defaultRequests(spec: JsonObject): void {
  for (const list of ['containers', 'initContainers']) {
    const cs = spec[list];
    if (!Array.isArray(cs)) continue;
    for (const c of cs) {
      const r = isObject(c) && isObject(c.resources) ? c.resources : {};
      if (!isObject(r.limits)) continue;
      r.requests = { ...r.limits, ...(isObject(r.requests) ? r.requests : {}) };
    }
  }
}

/**
 * core/v1 Pod: the pod spec defaults plus what a Pod alone gets (service links, requests
 * from limits; at create a Pending status with
 * its QoS class, which a status write without one keeps; the priority is Priority admission's, see `admission/priority.ts`), the
 * pod spec checks, and a spec that an update may change only in images,
 * `activeDeadlineSeconds` and added tolerations (an update that leaves out the priority or
 * the preemption policy keeps the stored one, as Priority admission does).
 */
export const podRules: KindRules = {
  defaults(obj, create) {
    const spec = specOf(obj);
    // A Pod's (not a template's) negative grace period is read as 1 (its v1 conversion).
    const grace = spec.terminationGracePeriodSeconds;
    if (typeof grace === 'number' && grace < 0) spec.terminationGracePeriodSeconds = 1;
    defaultPodSpec(spec);
    defaultRequests(spec);
    defaultPodLevelResources(spec);
    spec.enableServiceLinks ??= true;
    defaultHostNetworkPorts(spec);
    // Decoding converts the status too: podIP and podIPs[0] become one value.
    if (isObject(obj.status)) reconcilePodIPs(obj.status);
    if (create) {
      obj.status = { phase: 'Pending' };
      prepareNewPod(obj);
    }
  },
  prepareSubresourceUpdate(next, prev, subresource) {
    // The QoS class is set at create and kept: a status write without one keeps the stored.
    if (subresource !== 'status' || !isObject(prev.status) || !prev.status.qosClass) return;
    if (!isObject(next.status)) next.status = {};
    const status = next.status as JsonObject;
    if (status.qosClass === undefined || status.qosClass === null || status.qosClass === '') {
      status.qosClass = prev.status.qosClass;
    }
  },
  // The QoS class follows what mutating admission (LimitRanger's defaults) made of the spec.
  prepareCreate(obj, _user, warnings) {
    if (isObject(obj.status)) obj.status.qosClass = computeQosClass(specOf(obj));
    warnings.push(...syncAppArmorAnnotations(obj));
  },
  prepareUpdate(next, prev) {
    const spec = specOf(next);
    const stored = isObject(prev.spec) ? prev.spec : {};
    if (spec.priority === undefined && stored.priority !== undefined)
      spec.priority = stored.priority;
    if (spec.preemptionPolicy === undefined && stored.preemptionPolicy !== undefined)
      spec.preemptionPolicy = stored.preemptionPolicy;
  },
  validate(obj, ctx) {
    // A resize's and an ephemeral containers update's checks come with their own rules, in
    // kube-apiserver's order (see validateUpdate).
    if (ctx.subresource === 'resize' || ctx.subresource === 'ephemeralcontainers') return [];
    // A status write checks the metadata and the status, not the spec (`ValidatePodStatusUpdate`).
    const status = ctx.subresource === 'status';
    const causes = status ? [] : podCauses(obj, ctx.create);
    if (ctx.old) causes.push(...annotationUpdateCauses(obj, ctx.old));
    if (status && ctx.old) causes.push(...podStatusCauses(obj, ctx.old));
    // kube-apiserver checks the update rule after the spec (`ValidatePodUpdate`).
    if (ctx.old) causes.push(...podUpdateCauses(specIn(obj), specIn(ctx.old)));
    return causes;
  },
  warnings(obj, ctx) {
    // kube-apiserver warns on create only (updates of Pods are mostly controllers').
    if (!ctx.create) return [];
    const spec = isObject(obj.spec) ? obj.spec : {};
    return [
      ...hostnameWarnings(String(metaOf(obj).name ?? ''), true),
      ...podSpecWarnings(spec, metaOf(obj)),
    ];
  },
  validateUpdate(next, prev, ctx) {
    if (ctx.subresource === 'resize') return resizeCauses(next, prev, podCauses(next, false));
    if (ctx.subresource !== 'ephemeralcontainers') return [];
    // A static Pod's mirror gets this refusal alone (`ValidatePodEphemeralContainersUpdate`).
    if (isMirrorPod(prev.metadata)) {
      return [forbiddenValue(ROOT_PATH, 'static pods do not support ephemeral containers')];
    }
    // `ValidatePodEphemeralContainersUpdate`: the new Pod's checks, then the update rule's.
    return [
      ...podCauses(next, false),
      ...annotationUpdateCauses(next, prev),
      ...ephemeralUpdateCauses(specIn(next), specIn(prev)),
    ];
  },
};

/**
 * A Pod's own checks (`validatePodMetadataAndSpec`: its seccomp and AppArmor annotations,
 * its spec; on create its create-only rules and the annotations against the profile fields).
 */
function podCauses(obj: JsonObject, create: boolean): StatusCause[] {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const annotations = metaOf(obj).annotations;
  const causes = securityAnnotationCauses(annotations, spec, 'metadata.annotations');
  causes.push(...podSpecCauses(obj.spec, 'spec', { isPod: true, podMeta: metaOf(obj) }));
  if (typeof spec.serviceAccountName !== 'string' || spec.serviceAccountName === '') {
    causes.push(...tokenProjectionCauses(spec));
  }
  // On update the pod update rule checks the images (pod-update.ts).
  for (const list of create ? ['containers', 'initContainers'] : []) {
    const cs = Array.isArray(spec[list]) ? spec[list] : [];
    cs.forEach((c, i) => {
      if (isObject(c)) causes.push(...imageSpaceCauses(c, `spec.${list}[${i}]`));
    });
  }
  // Ephemeral containers are added through the ephemeralcontainers subresource only.
  const ephemeral = spec.ephemeralContainers;
  if (create && Array.isArray(ephemeral) && ephemeral.length) {
    causes.push(forbiddenValue('spec.ephemeralContainers', 'cannot be set on create'));
  }
  const gates = spec.schedulingGates;
  if (create && spec.nodeName && Array.isArray(gates) && gates.length) {
    causes.push(
      forbiddenValue('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'),
    );
  }
  if (create) causes.push(...annotationFieldMatchCauses(annotations, spec, 'spec'));
  return causes;
}

/**
 * `ValidatePodSpecificAnnotationUpdates`: no AppArmor annotation added, changed or removed,
 * and the seccomp and AppArmor annotations checked (a second time on a spec update).
 */
function annotationUpdateCauses(next: JsonObject, prev: JsonObject): StatusCause[] {
  const annotations = metaOf(next).annotations;
  const spec = isObject(next.spec) ? next.spec : {};
  return [
    ...appArmorAnnotationUpdateCauses(
      annotations,
      metaOf(prev).annotations,
      'metadata.annotations',
    ),
    ...securityAnnotationCauses(annotations, spec, 'metadata.annotations'),
  ];
}

/**
 * An ephemeralcontainers update's causes: a stored ephemeral container may be neither
 * removed nor changed (the latter's cause ends with kube-apiserver's diff of the internal
 * structs, see `spec-diff.ts`).
 */
function ephemeralUpdateCauses(next: JsonObject, prev: JsonObject): StatusCause[] {
  const byName = new Map<unknown, JsonObject>();
  for (const c of Array.isArray(next.ephemeralContainers) ? next.ephemeralContainers : [])
    if (isObject(c)) byName.set(c.name, c);
  const causes: StatusCause[] = [];
  for (const old of Array.isArray(prev.ephemeralContainers) ? prev.ephemeralContainers : []) {
    if (!isObject(old)) continue;
    const now = byName.get(old.name);
    const name = JSON.stringify(old.name);
    if (!now) {
      causes.push(
        forbiddenValue(
          'spec.ephemeralContainers',
          `existing ephemeral containers ${name} may not be removed\n`,
        ),
      );
    } else if (!internalSemanticEqual(old, now, 'core.EphemeralContainer')) {
      causes.push(
        forbiddenValue(
          'spec.ephemeralContainers',
          `existing ephemeral containers ${name} may not be changed\n${specDiff(old, now, 'core.EphemeralContainer')}`,
        ),
      );
    }
  }
  return causes;
}
