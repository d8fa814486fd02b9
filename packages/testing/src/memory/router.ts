import type { ResourceRegistry } from './registry.js';
import type { ResourceType } from './resource-types.js';

/** A request for a resource, as parsed from its path. */
export interface ResourceRoute {
  type: 'resource';
  t: ResourceType;
  version: string;
  /** '' for cluster scope or "all namespaces". */
  namespace: string;
  /** True when the path named a namespace (`/namespaces/{ns}/...`). */
  namespaced: boolean;
  name?: string;
  subresource?: string;
  /** The legacy `/watch/` path prefix was used. */
  watchPath: boolean;
}

/** A discovery request. */
export interface DiscoveryRoute {
  type: 'discovery';
  what: 'api' | 'apis' | 'group' | 'groupVersion' | 'version' | 'health';
  group?: string;
  version?: string;
  /** For `health`: the endpoint (`healthz`, `livez`, `readyz`) and the check's path segments. */
  health?: { endpoint: string; check: string[] };
}

/** What a path addresses, or undefined for a path the server does not serve. */
export type Route = ResourceRoute | DiscoveryRoute;

/**
 * Parses a request path: discovery paths, `/api/v1/...` and `/apis/{g}/{v}/...` with
 * optional `namespaces/{ns}/`, name and subresource, and the legacy `watch/` prefix.
 */
export function route(reg: ResourceRegistry, path: string): Route | undefined {
  const segs = path
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  if (segs.length === 0) return undefined;
  const head = segs[0]!;
  if (head === 'version' && segs.length === 1) return { type: 'discovery', what: 'version' };
  if (['healthz', 'livez', 'readyz'].includes(head)) {
    return { type: 'discovery', what: 'health', health: { endpoint: head, check: segs.slice(1) } };
  }
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (head === 'api') {
    if (segs.length === 1) return { type: 'discovery', what: 'api' };
    group = '';
    version = segs[1]!;
    rest = segs.slice(2);
  } else if (head === 'apis') {
    if (segs.length === 1) return { type: 'discovery', what: 'apis' };
    group = segs[1]!;
    if (segs.length === 2) return { type: 'discovery', what: 'group', group };
    version = segs[2]!;
    rest = segs.slice(3);
  } else return undefined;
  if (rest.length === 0) return { type: 'discovery', what: 'groupVersion', group, version };
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace = '';
  let namespaced = false;
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(rest.length === 3 && ['status', 'finalize'].includes(rest[2]!))
  ) {
    const t = reg.find(group, version, rest[2]!);
    if (t?.namespaced) {
      namespace = rest[1]!;
      namespaced = true;
      rest = rest.slice(2);
    } else if (t) return undefined;
    else if (!(group === '' && rest[0] === 'namespaces')) return undefined;
    else return undefined;
  }
  const t = reg.find(group, version, rest[0]!);
  if (!t || rest.length > 3) return undefined;
  if (namespaced && !t.namespaced) return undefined;
  const r: ResourceRoute = { type: 'resource', t, version, namespace, namespaced, watchPath };
  if (rest[1] !== undefined) r.name = rest[1];
  if (rest[2] !== undefined) r.subresource = rest[2];
  return r;
}
