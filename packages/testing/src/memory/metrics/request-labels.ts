/**
 * The labels kube-apiserver's request metrics give a request (its `endpoints/metrics`):
 * the scope, the reported verb and the dry-run value. Our own copy, because a test reads
 * the series by exactly these values (e.g. a GET of a collection is `LIST`, an apply patch
 * `APPLY`, a create's scope `resource`).
 */
import type { IncomingMessage } from 'node:http';
import type { ResourceAttributes } from '../auth/request-attributes.js';
import type { ResourceRoute } from '../router.js';

/** The verbs kube-apiserver reports as they are; any other is reported as `other`. */
const REPORTED_VERBS = new Set([
  'APPLY',
  'CONNECT',
  'CREATE',
  'DELETE',
  'DELETECOLLECTION',
  'GET',
  'LIST',
  'PATCH',
  'POST',
  'PROXY',
  'PUT',
  'UPDATE',
  'WATCH',
  'WATCHLIST',
]);

/** Subresources whose requests are reported as `CONNECT`. */
const CONNECT_SUBRESOURCES = new Set(['log', 'exec', 'portforward', 'attach', 'proxy']);

/**
 * The scope of a request by what it names (kube-apiserver's CleanScope): `resource` for a
 * name or a create, `namespace` for a namespace, else `cluster`.
 */
export function requestScope(a: ResourceAttributes): string {
  if (a.name !== '' || a.verb === 'create') return 'resource';
  if (a.namespace !== '') return 'namespace';
  return 'cluster';
}

/**
 * The scope kube-apiserver's handler of `r` reports: for a built-in resource its route's,
 * `resource` for a path with a name or a POST, `namespace` for a namespaced path, else
 * `cluster` (all namespaces included); for a custom resource {@link requestScope}.
 */
export function handlerScope(r: ResourceRoute, method: string, a: ResourceAttributes): string {
  if (r.t.crdName !== undefined) return requestScope(a);
  if (r.name !== undefined || method.toUpperCase() === 'POST') return 'resource';
  return r.namespaced ? 'namespace' : 'cluster';
}

/** Whether the URL asks to watch, as the metrics read `watch` (its first value). */
function asksWatch(url: URL): boolean {
  const first = url.searchParams.getAll('watch')[0];
  return first !== undefined && !['0', 'false'].includes(first.toLowerCase());
}

/**
 * The verb kube-apiserver reports for a request with `scope`: the HTTP method, a GET or
 * HEAD of more than one object `LIST`, `WATCH` for a watch (`watchRoute`: a route that
 * only watches), `APPLY` for an apply patch, `CONNECT` for a connect subresource, and
 * `other` for a method it does not know.
 */
export function reportedVerb(
  req: IncomingMessage,
  url: URL,
  scope: string,
  subresource: string,
  watchRoute: boolean,
): string {
  if (watchRoute) return 'WATCH';
  const method = (req.method ?? 'GET').toUpperCase();
  let verb = method;
  if (method === 'GET' || method === 'HEAD') {
    verb = scope !== 'resource' && scope !== '' ? 'LIST' : 'GET';
  }
  if ((method === 'GET' || method === 'LIST') && asksWatch(url)) verb = 'WATCH';
  if (verb === 'PATCH' && req.headers['content-type'] === 'application/apply-patch+yaml') {
    verb = 'APPLY';
  }
  if (CONNECT_SUBRESOURCES.has(subresource)) verb = 'CONNECT';
  return REPORTED_VERBS.has(verb) ? verb : 'other';
}

/**
 * The `dry_run` label: '' without `dryRun` values, `invalid` when one is not `All`, else
 * the values deduplicated in order, joined by commas.
 */
export function dryRunLabel(url: URL): string {
  const values = url.searchParams.getAll('dryRun');
  if (values.some((v) => v !== 'All')) return 'invalid';
  return [...new Set(values)].sort().join(',');
}
