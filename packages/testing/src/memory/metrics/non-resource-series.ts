/**
 * Which requests for a path that is no resource kube-apiserver counts in
 * `apiserver_request_total`, and under what: only those its handlers wrap in its metrics
 * instrumentation, each with an empty group, version, resource and scope and a
 * `subresource` of its own. The health endpoints (`/healthz`, `/livez`, `/readyz`, not
 * their single checks) and OpenAPI v3 (`openapi/v3` for its index, `openapi/v3/` for
 * every path below it) with an empty component; aggregated discovery (`/api`, `/apis`
 * asked for `APIGroupDiscoveryList`) with the `apiserver` component. Legacy discovery,
 * `/version`, OpenAPI v2, `/metrics` and the debug paths are not counted.
 */

/** The labels of a counted non-resource request besides its verb, dry run and code. */
export interface NonResourceSeries {
  readonly subresource: string;
  readonly component: string;
}

const HEALTH_PATHS = new Set(['/healthz', '/livez', '/readyz']);

/**
 * The series of a request for `path`, or undefined when kube-apiserver does not count it;
 * `aggregated` tells whether `/api` or `/apis` answer aggregated discovery.
 */
export function nonResourceSeries(
  path: string,
  aggregated: boolean,
): NonResourceSeries | undefined {
  if (HEALTH_PATHS.has(path)) return { subresource: path, component: '' };
  if (path === '/openapi/v3') return { subresource: 'openapi/v3', component: '' };
  if (path.startsWith('/openapi/v3/')) return { subresource: 'openapi/v3/', component: '' };
  if ((path === '/api' || path === '/apis') && aggregated) {
    return { subresource: path.slice(1), component: 'apiserver' };
  }
  return undefined;
}
