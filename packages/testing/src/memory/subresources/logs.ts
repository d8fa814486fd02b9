/**
 * `GET pods/{name}/log`: the container is checked against the Pod (400 when it is missing
 * and the Pod has several, or names none of them); a Pod that is not scheduled (no
 * `spec.nodeName`) has no log (kube-apiserver answers 204 No Content), and one bound to a Node that does not exist answers
 * 404 for the Node, as kube-apiserver does. Otherwise the log is what the test wrote with
 * `server.containers.writeLog`; `follow=true` streams later writes until `endLog` or the
 * client goes away. `tailLines` and `limitBytes` are applied.
 */
import type { ServerResponse } from 'node:http';
import { nodeNameOf, podContainer, requireNode } from '../containers/pod-target.js';
import type { ApiState } from '../state.js';
import type { Scope } from '../write-scope.js';

/** A log to send: its text so far, and how to follow it when `follow=true` was asked. */
export interface PodLog {
  readonly text: string;
  /** Streams the log from `text` on into `res` (headers already sent). */
  readonly follow: ((res: ServerResponse) => void) | undefined;
}

/**
 * The log of the Pod's container, `undefined` when the Pod has no node, or the error
 * kube-apiserver gives.
 */
export function podLog(
  s: ApiState,
  sc: Scope,
  name: string,
  query: URLSearchParams,
): PodLog | undefined {
  const { pod, container } = podContainer(s, sc, name, query.get('container') ?? '');
  const node = nodeNameOf(pod);
  if (node === '') return undefined;
  requireNode(s, node);
  const ns = sc.namespace;
  const text = limited(s.containers.logText(ns, name, container), query);
  const follow =
    query.get('follow') === 'true'
      ? (res: ServerResponse) => s.containers.follow(ns, name, container, text, res)
      : undefined;
  return { text, follow };
}

function limited(text: string, query: URLSearchParams): string {
  let out = text;
  const tail = Number(query.get('tailLines') ?? Number.NaN);
  if (Number.isInteger(tail) && tail >= 0) {
    const lines = out.split(/(?<=\n)/);
    out = tail === 0 ? '' : lines.slice(-tail).join('');
  }
  const limit = Number(query.get('limitBytes') ?? Number.NaN);
  if (Number.isInteger(limit) && limit > 0) {
    out = Buffer.from(out).subarray(0, limit).toString('utf8');
  }
  return out;
}
