/**
 * The checks kube-apiserver makes before it hands a Pod's log, exec, attach or
 * port-forward request to the Pod's kubelet (its `pod.streamLocation` / `LogLocation`):
 * the Pod exists, the container is one of its containers (or the only one), and the Pod
 * is bound to a Node that exists.
 */
import { badRequest, notFound } from '../errors.js';
import { isObject, type JsonObject } from '../json.js';
import type { ApiState } from '../state.js';
import { objectKey } from '../storage.js';
import { getStored, type Scope } from '../write-scope.js';

function containerNames(pod: JsonObject, field: string): string[] {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const list = spec[field];
  return Array.isArray(list)
    ? list.flatMap((c) => (isObject(c) && typeof c.name === 'string' ? [c.name] : []))
    : [];
}

/** The stored Pod and the container a request names (the only one when it names none). */
export function podContainer(
  s: ApiState,
  sc: Scope,
  name: string,
  container: string,
): { pod: JsonObject; container: string } {
  const pod = getStored(s, sc, name);
  const containers = containerNames(pod, 'containers');
  if (container === '') {
    if (containers.length !== 1) {
      throw badRequest(
        `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`,
      );
    }
    return { pod, container: containers[0]! };
  }
  const all = [
    ...containers,
    ...containerNames(pod, 'initContainers'),
    ...containerNames(pod, 'ephemeralContainers'),
  ];
  if (!all.includes(container)) {
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  }
  return { pod, container };
}

/** The Pod's node name; `''` when it is not scheduled. */
export function nodeNameOf(pod: JsonObject): string {
  const spec = isObject(pod.spec) ? pod.spec : {};
  return typeof spec.nodeName === 'string' ? spec.nodeName : '';
}

/** Throws the 404 kube-apiserver answers when the Pod's Node does not exist. */
export function requireNode(s: ApiState, node: string): void {
  if (!s.storage.get('nodes', objectKey('', node))) {
    throw notFound({ group: '', plural: 'nodes', name: node });
  }
}

/** Whether the Pod's phase is Running. */
export function isRunning(pod: JsonObject): boolean {
  return isObject(pod.status) && pod.status.phase === 'Running';
}
