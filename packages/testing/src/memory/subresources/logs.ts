/**
 * `GET pods/{name}/log`, as far as kube-apiserver answers it without a kubelet: the
 * container is checked against the Pod (400 when it is missing and the Pod has several, or
 * names none of them), and a Pod that is not scheduled (no `spec.nodeName`) has an empty
 * log. A scheduled Pod's log lives on its node's kubelet, which this server does not have:
 * that answers 404 for the node, as kube-apiserver does when the Node does not exist.
 */
import { badRequest, notFound } from '../errors.js';
import { isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { getStored, type Scope } from '../write-scope.js';

function containerNames(pod: JsonObject, field: string): string[] {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const list = spec[field];
  return Array.isArray(list)
    ? list.flatMap((c) => (isObject(c) && typeof c.name === 'string' ? [c.name] : []))
    : [];
}

/** The log text of the Pod's container (always empty here), or the error kube-apiserver gives. */
export function podLog(s: ApiState, sc: Scope, name: string, query: URLSearchParams): string {
  const pod = getStored(s, sc, name);
  const containers = containerNames(pod, 'containers');
  const container = query.get('container') ?? '';
  if (container === '') {
    if (containers.length !== 1) {
      throw badRequest(
        `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`,
      );
    }
  } else {
    const all = [
      ...containers,
      ...containerNames(pod, 'initContainers'),
      ...containerNames(pod, 'ephemeralContainers'),
    ];
    if (!all.includes(container)) {
      throw badRequest(`container ${container} is not valid for pod ${metaOf(pod).name}`);
    }
  }
  const spec = isObject(pod.spec) ? pod.spec : {};
  const node = typeof spec.nodeName === 'string' ? spec.nodeName : '';
  if (node !== '') throw notFound({ group: '', plural: 'nodes', name: node });
  return '';
}
