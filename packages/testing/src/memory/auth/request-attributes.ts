/**
 * The authorization attributes of a request, derived from its method and URL the way
 * kube-apiserver's RequestInfoFactory does (own code: RBAC decisions and 403 messages
 * depend on exactly these rules, e.g. a GET without a name is `list`, or `watch` with
 * `watch=true`; a `metadata.name=` field selector names the object; a DELETE without a
 * name is `deletecollection`; `/api/v1/namespaces/{ns}` is in namespace `ns`).
 */

/** A request for a resource. */
export interface ResourceAttributes {
  readonly resourceRequest: true;
  readonly verb: string;
  readonly apiGroup: string;
  readonly apiVersion: string;
  readonly resource: string;
  readonly subresource: string;
  readonly namespace: string;
  readonly name: string;
}

/** A request for a path that is not a resource (discovery, `/version`, `/healthz`, …). */
export interface NonResourceAttributes {
  readonly resourceRequest: false;
  readonly verb: string;
  readonly path: string;
}

/** What a request asks to do. */
export type RequestAttributes = ResourceAttributes | NonResourceAttributes;

const SPECIAL_VERBS = new Set(['proxy', 'watch']);
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const METHOD_VERBS: Record<string, string> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/** The verb of a write or read with this HTTP method (`PUT` → `update`), '' for others. */
export function methodVerb(method: string): string {
  return METHOD_VERBS[method.toUpperCase()] ?? '';
}

/** A valid path segment name (what kube-apiserver accepts as a name from a field selector). */
function isPathSegmentName(name: string): boolean {
  return name !== '.' && name !== '..' && !name.includes('/') && !name.includes('%');
}

/** The `metadata.name` a field selector requires exactly, if any. */
function nameFromFieldSelector(selector: string | null): string | undefined {
  if (!selector) return undefined;
  for (const term of selector.split(',')) {
    const m = /^\s*metadata\.name\s*(==|=)\s*(.*?)\s*$/.exec(term);
    if (m) return m[2];
  }
  return undefined;
}

function isWatch(q: URLSearchParams): boolean {
  const v = q.get('watch');
  if (v === null) return false;
  return !['false', '0', ''].includes(v.toLowerCase());
}

/** The attributes of a request with this method and URL. */
export function requestAttributes(method: string, url: URL): RequestAttributes {
  const m = method.toUpperCase();
  const nonResource: NonResourceAttributes = {
    resourceRequest: false,
    verb: m.toLowerCase(),
    path: url.pathname,
  };
  let parts = url.pathname
    .split('/')
    .filter((p) => p !== '')
    .map((p) => decodeURIComponent(p));
  if (parts.length < 3) return nonResource;
  const prefix = parts[0];
  if (prefix !== 'api' && prefix !== 'apis') return nonResource;
  parts = parts.slice(1);
  let apiGroup = '';
  if (prefix === 'apis') {
    if (parts.length < 3) return nonResource;
    apiGroup = parts[0]!;
    parts = parts.slice(1);
  }
  const apiVersion = parts[0]!;
  parts = parts.slice(1);
  let verb: string;
  if (SPECIAL_VERBS.has(parts[0]!)) {
    verb = parts[0]!;
    parts = parts.slice(1);
  } else verb = methodVerb(m);
  let namespace = '';
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1]!;
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
  }
  const resource = parts[0] ?? '';
  let name = parts[1] ?? '';
  const subresource = parts.length >= 3 && verb !== 'proxy' ? parts[2]! : '';
  if (name === '' && verb === 'get') {
    verb = isWatch(url.searchParams) ? 'watch' : 'list';
    const selected = nameFromFieldSelector(url.searchParams.get('fieldSelector'));
    if (selected !== undefined && isPathSegmentName(selected)) name = selected;
  }
  if (name === '' && verb === 'delete') verb = 'deletecollection';
  return {
    resourceRequest: true,
    verb,
    apiGroup,
    apiVersion,
    resource,
    subresource,
    namespace,
    name,
  };
}
