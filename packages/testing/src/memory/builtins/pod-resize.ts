/**
 * A Pod's `resize` subresource as kube-apiserver serves it (InPlacePodVerticalScaling is GA
 * in v1.36, InPlacePodLevelResourcesVerticalScaling on by default), in own code: the
 * strategy keeps the stored Pod but for the containers' and init containers' `resources`
 * and `resizePolicy` and the pod-level `resources` (`resizedSpec`), and the validation
 * refuses a static or Windows Pod, a change of QoS class, a Pod whose running containers
 * report no resources, added, removed, renamed or reordered containers, removed requests
 * or limits, and changes to anything but cpu and memory (`resizeCauses`), with the words
 * and fields a test sees.
 */
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, semanticEqual } from '../json.js';
import { forbiddenValue, invalidValue } from '../validation.js';
import { isMirrorPod, ROOT_PATH } from './pod-mirror.js';
import { computeQosClass } from './pod-qos.js';

const CONTAINER_LISTS = ['containers', 'initContainers'] as const;
const CPU_MEMORY = ['cpu', 'memory'];

const list = (v: Json | undefined): JsonObject[] =>
  Array.isArray(v) ? v.map((x) => (isObject(x) ? x : {})) : [];
const objectAt = (o: JsonObject, k: string): JsonObject | undefined =>
  isObject(o[k]) ? (o[k] as JsonObject) : undefined;

/**
 * One container list of a resize: the stored containers with the sent `resources` and
 * `resizePolicy`, or the sent list as is when a name moved (validation refuses it).
 */
function mergedContainers(sent: JsonObject[], stored: JsonObject[]): JsonObject[] {
  if (sent.length === 0) return sent;
  if (sent.some((c, i) => c.name !== stored[i]?.name)) return sent;
  return stored.map((old, i) => {
    const now = sent[i]!;
    const out: JsonObject = { ...old };
    for (const k of ['resources', 'resizePolicy']) {
      if (now[k] === undefined) delete out[k];
      else out[k] = now[k]!;
    }
    return out;
  });
}

/**
 * The spec a resize stores (`dropNonResizeUpdates`): the stored spec with the sent
 * containers' resources and resize policies and the sent pod-level `resources`; the sent
 * spec as is when containers were added or removed (validation refuses it).
 */
export function resizedSpec(sent: JsonObject, stored: JsonObject): JsonObject {
  for (const key of CONTAINER_LISTS) {
    if (list(sent[key]).length !== list(stored[key]).length) return sent;
  }
  const spec: JsonObject = { ...stored };
  if (sent.resources === undefined) delete spec.resources;
  else spec.resources = sent.resources;
  for (const key of CONTAINER_LISTS) {
    if (sent[key] === undefined) continue;
    spec[key] = mergedContainers(list(sent[key]), list(stored[key]));
  }
  return spec;
}

/** Whether `next` lacks a name that `prev` has (`resourcesRemoved`). */
function removed(next: Json | undefined, prev: Json | undefined): boolean {
  const had = isObject(prev) ? Object.keys(prev) : [];
  return had.some((k) => !isObject(next) || !Object.hasOwn(next, k));
}

/** A resource list with the stored cpu and memory in place of the sent ones (`dropCPUMemoryUpdates`). */
function maskCpuMemory(next: Json | undefined, prev: Json | undefined): JsonObject | undefined {
  if (!isObject(next) && !isObject(prev)) return undefined;
  const out: JsonObject = isObject(next) ? { ...next } : {};
  for (const k of CPU_MEMORY) {
    delete out[k];
    if (isObject(prev) && prev[k] !== undefined) out[k] = prev[k]!;
  }
  return out;
}

/** A container whose resources keep only limits and requests, cpu and memory as stored. */
function maskedContainer(c: JsonObject, old: JsonObject): JsonObject {
  const r = objectAt(c, 'resources') ?? {};
  const o = objectAt(old, 'resources') ?? {};
  const resources: JsonObject = {};
  const limits = maskCpuMemory(r.limits, o.limits);
  const requests = maskCpuMemory(r.requests, o.requests);
  if (limits) resources.limits = limits;
  if (requests) resources.requests = requests;
  return { ...c, resources };
}

/** Containers added, removed, renamed or reordered (`validatePodResizeContainerOrdering`). */
function orderingCauses(next: JsonObject, prev: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const key of CONTAINER_LISTS) {
    const a = list(next[key]);
    const b = list(prev[key]);
    if (a.length !== b.length) {
      causes.push(forbiddenValue(`spec.${key}`, `${key} may not be added or removed on resize`));
      continue;
    }
    b.forEach((old, i) => {
      if (a[i]!.name !== old.name) {
        causes.push(
          forbiddenValue(
            `spec.${key}[${i}].name`,
            `${key} may not be renamed or reordered on resize`,
          ),
        );
      }
    });
  }
  return causes;
}

/** Pod-level resources (`validatePodLevelResourcesResize`); `masked` gets the masked form. */
function podLevelCauses(next: JsonObject, prev: JsonObject, masked: JsonObject): StatusCause[] {
  const now = objectAt(next, 'resources');
  const old = objectAt(prev, 'resources');
  if (old && !now)
    return [forbiddenValue('spec.resources', 'pod-level resources cannot be removed')];
  const causes: StatusCause[] = [];
  if (old && now) {
    if (removed(now.requests, old.requests))
      causes.push(
        forbiddenValue('spec.resources.requests', 'pod-level resource requests cannot be removed'),
      );
    if (removed(now.limits, old.limits))
      causes.push(
        forbiddenValue('spec.resources.limits', 'pod-level resource limits cannot be removed'),
      );
  }
  if (now) {
    const m: JsonObject = { ...now };
    for (const k of ['requests', 'limits']) {
      const v = maskCpuMemory(now[k], old?.[k]);
      if (v) m[k] = v;
      else delete m[k];
    }
    const empty = !Object.keys(objectAt(m, 'requests') ?? {}).length;
    const noLimits = !Object.keys(objectAt(m, 'limits') ?? {}).length;
    const noClaims = !list(m.claims).length;
    if (!old && empty && noLimits && noClaims) delete masked.resources;
    else masked.resources = m;
  }
  if (!semanticEqual(masked.resources, old)) {
    causes.push(forbiddenValue('spec', 'only cpu and memory resources are mutable at pod-level'));
  }
  return causes;
}

/** Whether every running container reports its resources (`isPodResizeRequestSupported`). */
function nodeSupportsResize(status: JsonObject): boolean {
  for (const s of list(status.containerStatuses)) {
    const state = objectAt(s, 'state');
    if (state && isObject(state.running)) return isObject(s.resources);
  }
  return true;
}

const hasPodLevel = (spec: JsonObject) => {
  const r = objectAt(spec, 'resources');
  return (
    !!r &&
    Object.keys(objectAt(r, 'requests') ?? {}).length +
      Object.keys(objectAt(r, 'limits') ?? {}).length >
      0
  );
};

/**
 * The causes of a resize of the stored Pod `prev` into `next` (`ValidatePodResize`):
 * `specCauses` are the Pod's own checks, which come first; a static or Windows Pod gets
 * its one refusal alone.
 */
export function resizeCauses(
  next: JsonObject,
  prev: JsonObject,
  specCauses: StatusCause[],
): StatusCause[] {
  if (isMirrorPod(prev.metadata))
    return [forbiddenValue(ROOT_PATH, 'static pods cannot be resized')];
  const a = objectAt(next, 'spec') ?? {};
  const b = objectAt(prev, 'spec') ?? {};
  const os = objectAt(b, 'os');
  if (os?.name === 'windows') return [forbiddenValue(ROOT_PATH, 'windows pods cannot be resized')];
  const causes = [...specCauses];
  const status = objectAt(prev, 'status') ?? {};
  const stored = typeof status.qosClass === 'string' && status.qosClass ? status.qosClass : '';
  if ((stored || computeQosClass(b)) !== computeQosClass(a)) {
    causes.push(
      invalidValue('spec', stored, 'Pod QOS Class may not change as a result of resizing'),
    );
  }
  if (!nodeSupportsResize(status)) {
    causes.push(forbiddenValue('spec', 'Pod running on node without support for resize'));
  }
  const masked: JsonObject = { ...a };
  if (hasPodLevel(a) || hasPodLevel(b)) causes.push(...podLevelCauses(a, b, masked));
  if (list(status.nodeAllocatableResourceClaimStatuses).length) {
    causes.push(
      forbiddenValue('spec', 'pods with node allocatable resource claims cannot be resized'),
    );
  }
  const ordering = orderingCauses(a, b);
  if (ordering.length) return [...causes, ...ordering];
  return [...causes, ...containerChangeCauses(a, b, masked)];
}

/** Removed requests or limits, then changes beyond cpu and memory, container by container. */
function containerChangeCauses(a: JsonObject, b: JsonObject, masked: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const key of ['initContainers', 'containers'] as const) {
    list(b[key]).forEach((old, i) => {
      const now = objectAt(list(a[key])[i]!, 'resources') ?? {};
      const was = objectAt(old, 'resources') ?? {};
      const at = `spec.${key}[${i}].resources`;
      if (removed(now.requests, was.requests))
        causes.push(forbiddenValue(`${at}.requests`, 'resource requests cannot be removed'));
      if (removed(now.limits, was.limits))
        causes.push(forbiddenValue(`${at}.limits`, 'resource limits cannot be removed'));
    });
  }
  const olds = list(b.containers);
  masked.containers = list(a.containers).map((c, i) => {
    const m = maskedContainer(c, olds[i]!);
    if (!semanticEqual(m, olds[i])) {
      causes.push(forbiddenValue('spec', 'only cpu and memory resources are mutable'));
    }
    return m;
  });
  const oldInits = list(b.initContainers);
  if (a.initContainers !== undefined) {
    masked.initContainers = list(a.initContainers).map((c, i) => {
      const old = oldInits[i]!;
      const m = maskedContainer(c, old);
      const at = `spec.initContainers[${i}]`;
      if (!semanticEqual(m, old)) {
        causes.push(
          forbiddenValue(
            at,
            'only cpu and memory resources for init or sidecar containers are mutable',
          ),
        );
      }
      if (!semanticEqual(c, old) && c.restartPolicy !== 'Always') {
        for (const p of list(c.resizePolicy)) {
          if (p.restartPolicy === 'RestartContainer') {
            causes.push(
              forbiddenValue(
                at,
                'non-sidecar init containers with a resize policy of RestartContainer cannot be resized',
              ),
            );
          }
        }
      }
      return m;
    });
  }
  if (causes.length) return causes;
  return semanticEqual(masked, b)
    ? []
    : [forbiddenValue('spec', 'only cpu and memory resources are mutable')];
}
