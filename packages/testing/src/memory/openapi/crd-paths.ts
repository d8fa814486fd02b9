import type { JsonObject } from '../json.js';
import type { ResourceType } from '../resource-types.js';
import { builtinSpec } from './builtin-spec.js';
import { modelName, REF_PREFIX } from './crd-schema.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const SCALE = 'io.k8s.api.autoscaling.v1.Scale';

/** The query parameters of each action: the fields of its options type. */
const OPTION_PARAMS: Record<string, string[]> = {
  get: ['resourceVersion'],
  list: [
    'allowWatchBookmarks',
    'continue',
    'fieldSelector',
    'labelSelector',
    'limit',
    'resourceVersion',
    'resourceVersionMatch',
    'sendInitialEvents',
    'shardSelector',
    'timeoutSeconds',
    'watch',
  ],
  post: ['dryRun', 'fieldManager', 'fieldValidation'],
  put: ['dryRun', 'fieldManager', 'fieldValidation'],
  patch: ['dryRun', 'fieldManager', 'fieldValidation', 'force'],
  delete: [
    'dryRun',
    'gracePeriodSeconds',
    'ignoreStoreReadErrorWithClusterBreakingPotential',
    'orphanDependents',
    'propagationPolicy',
  ],
};
OPTION_PARAMS.deletecollection = OPTION_PARAMS.list!;

/** In kube-apiserver's order (the v2 document lists them so). */
const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
];

function content(types: string[], schema: string): JsonObject {
  return Object.fromEntries(
    types.map((t) => [t, { schema: { $ref: `${REF_PREFIX.v3}${schema}` } }]),
  );
}

function queryParam(action: string, name: string): JsonObject {
  const { queryParams } = builtinSpec();
  const p =
    queryParams.get(`${action === 'deletecollection' ? 'list' : action}:${name}`) ??
    queryParams.get(name);
  return p
    ? structuredClone(p)
    : { name, in: 'query', schema: { type: 'string', uniqueItems: true } };
}

function pathParam(name: string, description: string): JsonObject {
  return {
    name,
    in: 'path',
    description,
    required: true,
    schema: { type: 'string', uniqueItems: true },
  };
}

const byName = (a: JsonObject, b: JsonObject) => (String(a.name) < String(b.name) ? -1 : 1);

/**
 * A name made fit for an operation id the way kube-apiserver does it: letters, `_` and
 * (not first) digits kept, every other character dropped and the next one capitalized.
 */
function operationId(s: string, capitalizeFirst: boolean): string {
  let out = '';
  let capitalize = capitalizeFirst;
  [...s].forEach((c, i) => {
    if (/\p{L}/u.test(c) || c === '_' || (i !== 0 && /\p{Nd}/u.test(c))) {
      out += capitalize ? c.toUpperCase() : c;
      capitalize = false;
    } else capitalize = true;
  });
  return out;
}

/** " a Foo", " an Apple", " Things" (plurals have none), as kube-apiserver's descriptions say. */
function withArticle(kind: string): string {
  if (kind.endsWith('s') && !kind.endsWith('ss')) return ` ${kind}`;
  return /^[aeiou]/i.test(kind) ? ` an ${kind}` : ` a ${kind}`;
}

interface Route {
  method: string;
  action: string;
  verb: string;
  path: string;
  sub: string;
  returns: string;
  reads?: string;
  operationId?: string;
}

/**
 * The paths kube-apiserver publishes in OpenAPI v3 for one served version of a custom
 * resource: list (also across namespaces), create, delete collection, read, replace,
 * delete and patch, plus the status and scale subresources the CRD declares. Parameters
 * shared by every operation of a path are listed on the path, the rest on each operation.
 */
export function crdPaths(t: ResourceType, version: string): JsonObject {
  const model = modelName(t.group, version, t.kind);
  const list = modelName(t.group, version, t.listKind);
  const base = `/apis/${t.group}/${version}`;
  const ns = t.namespaced ? 'Namespaced' : '';
  const root = `${base}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.plural}`;
  const group = t.group.replace(/\.k8s\.io$/, '');
  const tag = `${operationId(group, false)}_${operationId(version, false)}`;
  const opGroup = `${operationId(group, true)}${operationId(version, true)}`;
  const routes: Route[] = [];
  if (t.namespaced) {
    routes.push({
      method: 'get',
      action: 'list',
      verb: 'list',
      path: `${base}/${t.plural}`,
      sub: '',
      returns: list,
      operationId: `list${opGroup}${operationId(`${t.kind}ForAllNamespaces`, true)}`,
    });
  }
  routes.push(
    { method: 'get', action: 'list', verb: 'list', path: root, sub: '', returns: list },
    {
      method: 'post',
      action: 'post',
      verb: 'create',
      path: root,
      sub: '',
      returns: model,
      reads: model,
    },
    {
      method: 'delete',
      action: 'deletecollection',
      verb: 'deletecollection',
      path: root,
      sub: '',
      returns: `${META}Status`,
    },
  );
  const item = `${root}/{name}`;
  const itemRoutes = (sub: string, returns: string, del: boolean) => {
    const path = sub ? `${item}/${sub}` : item;
    routes.push(
      { method: 'get', action: 'get', verb: 'read', path, sub, returns },
      { method: 'put', action: 'put', verb: 'replace', path, sub, returns, reads: returns },
    );
    if (del) {
      routes.push({
        method: 'delete',
        action: 'delete',
        verb: 'delete',
        path,
        sub,
        returns: `${META}Status`,
        reads: `${META}DeleteOptions`,
      });
    }
    routes.push({
      method: 'patch',
      action: 'patch',
      verb: 'patch',
      path,
      sub,
      returns,
      reads: `${META}Patch`,
    });
  };
  itemRoutes('', model, true);
  if (t.status) itemRoutes('status', model, false);
  if (t.scale) itemRoutes('scale', SCALE, false);

  const paths: Record<string, { ops: Record<string, JsonObject>; params: JsonObject[][] }> = {};
  for (const r of routes) {
    const subOf = r.sub ? ` ${r.sub} of` : '';
    const description =
      r.verb === 'list'
        ? `list objects of kind ${t.kind}`
        : r.verb === 'deletecollection'
          ? `delete collection of ${t.kind}`
          : r.verb === 'patch'
            ? `partially update${subOf} the specified ${t.kind}`
            : r.verb === 'create' || r.verb === 'delete'
              ? `${r.verb}${subOf}${withArticle(t.kind)}`
              : `${r.verb}${subOf} the specified ${t.kind}`;
    // kube-apiserver's verb prefixes: "deletecollection" reads as "delete" + "collection…".
    const opVerb = r.verb === 'deletecollection' ? 'delete' : r.verb;
    const sub = r.sub.charAt(0).toUpperCase() + r.sub.slice(1);
    const rest = `${r.verb === 'deletecollection' ? 'collection' : ''}${ns}${t.kind}${sub}`;
    const params: JsonObject[] = [queryParam(r.action, 'pretty')];
    if (r.path.includes('{namespace}')) {
      params.push(
        pathParam('namespace', 'object name and auth scope, such as for teams and projects'),
      );
    }
    if (r.path.includes('{name}')) params.push(pathParam('name', `name of the ${t.kind}`));
    for (const name of OPTION_PARAMS[r.action] ?? []) params.push(queryParam(r.action, name));
    const responses: JsonObject = {
      '200': {
        description: 'OK',
        content: content(['application/json', 'application/yaml'], r.returns),
      },
    };
    const also =
      r.action === 'post'
        ? ['201', '202']
        : r.action === 'put'
          ? ['201']
          : r.action === 'delete'
            ? ['202']
            : [];
    for (const code of also) {
      responses[code] = {
        description: code === '201' ? 'Created' : 'Accepted',
        content: content(['application/json', 'application/yaml'], r.returns),
      };
    }
    responses['401'] = { description: 'Unauthorized' };
    const op: JsonObject = {
      tags: [tag],
      description,
      operationId: r.operationId ?? `${opVerb}${opGroup}${operationId(rest, true)}`,
    };
    if (r.reads) {
      const body: JsonObject = {
        content: content(
          r.method === 'patch' ? PATCH_TYPES : ['application/json', 'application/yaml'],
          r.reads,
        ),
      };
      if (r.action !== 'delete') body.required = true;
      op.requestBody = body;
    }
    op.responses = responses;
    op['x-kubernetes-action'] = r.action;
    op['x-kubernetes-group-version-kind'] = { group: t.group, version, kind: t.kind };
    paths[r.path] ??= { ops: {}, params: [] };
    const entry = paths[r.path]!;
    entry.ops[r.method] = op;
    entry.params.push(params);
  }
  const out: JsonObject = {};
  for (const [path, { ops, params }] of Object.entries(paths)) {
    const names = (ps: JsonObject[]) => new Set(ps.map((p) => `${p.in}:${p.name}`));
    const shared = [...names(params[0]!)].filter((n) => params.every((ps) => names(ps).has(n)));
    const item: JsonObject = {};
    Object.entries(ops).forEach(([method, op], i) => {
      const own = params[i]!.filter((p) => !shared.includes(`${p.in}:${p.name}`)).sort(byName);
      if (own.length) op.parameters = own;
      item[method] = reorder(op);
    });
    item.parameters = params[0]!.filter((p) => shared.includes(`${p.in}:${p.name}`)).sort(byName);
    out[path] = item;
  }
  return out;
}

/** Operation members in the order kube-apiserver writes them. */
function reorder(op: JsonObject): JsonObject {
  const order = ['tags', 'description', 'operationId', 'parameters', 'requestBody', 'responses'];
  const out: JsonObject = {};
  for (const k of order) if (op[k] !== undefined) out[k] = op[k];
  for (const [k, v] of Object.entries(op)) if (!(k in out)) out[k] = v;
  return out;
}
