/**
 * The checks kube-apiserver makes before it hands a Pod's log, exec, attach or
 * port-forward request to the Pod's kubelet (its `pod.streamLocation` / `LogLocation`):
 * the Pod exists, the container is one of its containers (or the only one), and the Pod
 * is bound to a Node that exists and has an address kube-apiserver reads.
 */
import type { IncomingMessage } from 'node:http';
import type { ConnectTarget } from '../admission/admit-connect.js';
import { userOf } from '../auth/authenticate.js';
import { authorize } from '../auth/rbac.js';
import { requestAttributes } from '../auth/request-attributes.js';
import { badRequest, HttpStatusError, notFound } from '../errors.js';
import { isObject, type JsonObject } from '../json.js';
import type { ApiState } from '../state.js';
import { objectKey } from '../storage.js';
import { getStored, type Scope } from '../write-scope.js';
import { kubeletHost } from './node-address.js';

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

/**
 * Throws what kube-apiserver answers when it cannot find the Pod's kubelet: 404 when the
 * Node does not exist (its registry names the resource of the request in it: `pods
 * "<node>" not found`), 500 when the Node has no address of a kind it reads
 * ({@link kubeletHost}).
 */
export function requireNode(s: ApiState, node: string): void {
  const found = s.storage.get('nodes', objectKey('', node));
  if (!found) throw notFound({ group: '', plural: 'pods', name: node });
  kubeletHost(found);
}

/** Whether the Pod's phase is Running. */
export function isRunning(pod: JsonObject): boolean {
  return isObject(pod.status) && pod.status.phase === 'Running';
}

/** The Pod, container and Node an admitted exec, attach or port-forward request goes to. */
export interface StreamTarget {
  readonly pod: JsonObject;
  /** The container (the only one when the request names none); `''` for a port-forward. */
  readonly container: string;
  readonly node: string;
}

/**
 * kube-apiserver's checks of an admitted exec, attach or port-forward request (plain or
 * WebSocket), in its order: `create` on the subresource (its second authorization, which a
 * GET needs too since 1.35; the 403 names the Pod and RBAC's reason, often empty), the Pod
 * (404), the container of an exec or attach (400), a node assigned (400) that exists (404) and
 * has an address (500).
 */
export function streamTarget(
  s: ApiState,
  target: ConnectTarget,
  options: JsonObject,
  req: IncomingMessage,
): StreamTarget {
  const { namespace, name } = target;
  const url = new URL(req.url ?? '/', 'http://localhost');
  const d = authorize(s.storage, userOf(req), {
    ...requestAttributes('POST', url),
    verb: 'create',
  });
  if (!d.allowed) {
    throw new HttpStatusError(403, 'Forbidden', `pods "${name}" is forbidden: ${d.reason}`, {
      name,
      kind: 'pods',
    });
  }
  const sc = { t: target.t, version: 'v1', namespace };
  const named = typeof options.container === 'string' ? options.container : '';
  // Port-forward names no container; exec and attach name one (or the only one).
  const { pod, container } =
    target.subresource === 'portforward'
      ? { pod: getStored(s, sc, name), container: '' }
      : podContainer(s, sc, name, named);
  const node = nodeNameOf(pod);
  if (node === '') throw badRequest(`pod ${name} does not have a host assigned`);
  requireNode(s, node);
  return { pod, container, node };
}
