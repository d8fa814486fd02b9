/**
 * The status a kubelet reports for a Pod it runs, without containers: every container
 * started and ready at once (init containers completed), the pod IP from the node's range,
 * and, for a Pod that ran to completion, every container terminated with exit code 0.
 * Conditions, container statuses and field order follow what kubelet v1.36 writes.
 */
import { createHash } from 'node:crypto';
import { isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';

/** Where the Pod runs. */
export interface Placement {
  /** The node's InternalIP. */
  readonly hostIP: string;
  /** The Pod's IP. */
  readonly podIP: string;
}

function containers(pod: JsonObject, field: string): JsonObject[] {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const list = spec[field];
  return Array.isArray(list) ? list.filter(isObject) : [];
}

function statusOf(pod: JsonObject): JsonObject {
  return isObject(pod.status) ? pod.status : {};
}

function conditionsOf(pod: JsonObject): JsonObject[] {
  const list = statusOf(pod).conditions;
  return Array.isArray(list) ? list.filter(isObject) : [];
}

/** A stable fake container id (64 hex digits, as containerd's), per pod and container. */
function containerId(pod: JsonObject, name: string): string {
  const digest = createHash('sha256')
    .update(`${String(metaOf(pod).uid)}/${name}`)
    .digest('hex');
  return `containerd://${digest}`;
}

/** The image reference as a runtime reports it (a bare name is a Docker Hub library image). */
function imageName(image: string): string {
  const named = image.includes('/') ? image : `docker.io/library/${image}`;
  return /[:@]/.test(named.slice(named.lastIndexOf('/'))) ? named : `${named}:latest`;
}

function containerStatus(
  pod: JsonObject,
  c: JsonObject,
  state: JsonObject,
  ready: boolean,
): JsonObject {
  const name = String(c.name);
  const image = imageName(String(c.image ?? ''));
  const running = isObject(state.running);
  return {
    name,
    state,
    lastState: {},
    ready,
    restartCount: 0,
    image,
    imageID: `${image.replace(/:[^:/]*$/, '')}@sha256:${createHash('sha256').update(image).digest('hex')}`,
    containerID: containerId(pod, name),
    started: running,
  };
}

/** A condition keeping its lastTransitionTime when its status did not change. */
function condition(
  pod: JsonObject,
  type: string,
  status: string,
  now: string,
  reason?: string,
): JsonObject {
  const old = conditionsOf(pod).find((c) => c.type === type);
  const out: JsonObject = {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime:
      old?.status === status && typeof old.lastTransitionTime === 'string'
        ? old.lastTransitionTime
        : now,
  };
  if (reason !== undefined) out.reason = reason;
  return out;
}

/** Whether every readiness gate of the Pod has its condition `True`. */
function gatesPass(pod: JsonObject): string | undefined {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const gates = Array.isArray(spec.readinessGates) ? spec.readinessGates.filter(isObject) : [];
  const missing = gates
    .map((g) => String(g.conditionType))
    .filter((type) => !conditionsOf(pod).some((c) => c.type === type && c.status === 'True'));
  return missing.length === 0 ? undefined : missing.join(', ');
}

/** The other conditions (PodScheduled, readiness gates) kept as they are, after the kubelet's. */
function otherConditions(pod: JsonObject, own: readonly string[]): JsonObject[] {
  return conditionsOf(pod).filter((c) => !own.includes(String(c.type)));
}

const KUBELET_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady'];

/** The status of a Pod whose containers all run (Ready unless a readiness gate is not met). */
export function runningStatus(pod: JsonObject, at: Placement, now: string): JsonObject {
  const old = statusOf(pod);
  const startTime = typeof old.startTime === 'string' ? old.startTime : now;
  const unmetGates = gatesPass(pod);
  const ready = unmetGates === undefined;
  const generation = metaOf(pod).generation;
  const status: JsonObject = {
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    phase: 'Running',
    conditions: [
      condition(pod, 'PodReadyToStartContainers', 'True', now),
      condition(pod, 'Initialized', 'True', now),
      ready
        ? condition(pod, 'Ready', 'True', now)
        : {
            ...condition(pod, 'Ready', 'False', now, 'ReadinessGatesNotReady'),
            message: `corresponding condition of pod readiness gate "${unmetGates}" does not exist.`,
          },
      condition(pod, 'ContainersReady', 'True', now),
      ...otherConditions(pod, KUBELET_CONDITIONS),
    ],
    hostIP: at.hostIP,
    hostIPs: [{ ip: at.hostIP }],
    podIP: at.podIP,
    podIPs: [{ ip: at.podIP }],
    startTime,
  };
  const init = containers(pod, 'initContainers');
  if (init.length > 0) {
    status.initContainerStatuses = init.map((c) =>
      c.restartPolicy === 'Always'
        ? containerStatus(pod, c, { running: { startedAt: startTime } }, true)
        : containerStatus(
            pod,
            c,
            {
              terminated: {
                exitCode: 0,
                reason: 'Completed',
                startedAt: startTime,
                finishedAt: startTime,
                containerID: containerId(pod, String(c.name)),
              },
            },
            true,
          ),
    );
  }
  status.containerStatuses = containers(pod, 'containers').map((c) =>
    containerStatus(pod, c, { running: { startedAt: startTime } }, true),
  );
  if (old.qosClass !== undefined) status.qosClass = old.qosClass;
  return status;
}

/** The status of a running Pod whose containers all exited with 0 (a Job's pod, done). */
export function succeededStatus(pod: JsonObject, now: string): JsonObject {
  const old = statusOf(pod);
  const startTime = typeof old.startTime === 'string' ? old.startTime : now;
  return {
    ...old,
    phase: 'Succeeded',
    conditions: [
      condition(pod, 'PodReadyToStartContainers', 'False', now),
      condition(pod, 'Initialized', 'True', now, 'PodCompleted'),
      condition(pod, 'Ready', 'False', now, 'PodCompleted'),
      condition(pod, 'ContainersReady', 'False', now, 'PodCompleted'),
      ...otherConditions(pod, KUBELET_CONDITIONS),
    ],
    containerStatuses: containers(pod, 'containers').map((c) =>
      containerStatus(
        pod,
        c,
        {
          terminated: {
            exitCode: 0,
            reason: 'Completed',
            startedAt: startTime,
            finishedAt: now,
            containerID: containerId(pod, String(c.name)),
          },
        },
        false,
      ),
    ),
  };
}
