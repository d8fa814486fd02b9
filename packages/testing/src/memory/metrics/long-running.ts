/**
 * The requests a handler has made long-running: kube-apiserver's `RecordLongRunning`
 * wraps a connect handler (exec, attach, port-forward, the proxies) once admission has
 * let it through, and a streamed answer (a Pod's log, followed or not), so each counts in
 * `apiserver_longrunning_requests` until its response ends. Kept by request, so the
 * handlers that know need not reach the server's metrics.
 */
import type { IncomingMessage } from 'node:http';

const marked = new WeakSet<IncomingMessage>();

/** Marks `req` long-running from now until its response ends. */
export function markLongRunning(req: IncomingMessage): void {
  marked.add(req);
}

/** Whether a handler marked `req` long-running. */
export function isMarkedLongRunning(req: IncomingMessage): boolean {
  return marked.has(req);
}
