import type { JsonObject } from './json.js';
import type { ResourceRegistry } from './registry.js';
import { apiVersionOf } from './resource-types.js';

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/**
 * `/openapi/v3`: the index of per-group-version documents. kubectl reads it to learn that
 * the server supports `fieldValidation` (then it validates server-side).
 */
export function openApiIndex(reg: ResourceRegistry): JsonObject {
  const paths: JsonObject = {};
  for (const [group, versions] of reg.groups()) {
    for (const v of versions)
      paths[gvPath(group, v)] = { serverRelativeURL: `/openapi/v3/${gvPath(group, v)}` };
  }
  return { paths };
}

const WRITE_PARAMS = ['fieldValidation', 'fieldManager', 'dryRun', 'force'].map((name) => ({
  name,
  in: 'query',
  schema: { type: 'string', uniqueItems: true },
}));

/**
 * `/openapi/v3/{api/v1 | apis/g/v}`: a skeleton document listing each resource's item path
 * with its PATCH operation, tagged with `x-kubernetes-group-version-kind` and declaring
 * the write query parameters. Schemas are not published (a documented gap).
 */
export function openApiDocument(reg: ResourceRegistry, path: string): JsonObject | undefined {
  const m = /^(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (!m) return undefined;
  const group = m[2] ?? '';
  const version = m[1] ?? m[3]!;
  const types = reg.all().filter((t) => t.group === group && t.versions.includes(version));
  if (types.length === 0) return undefined;
  const paths: JsonObject = {};
  for (const t of types) {
    const prefix = `/${gvPath(group, version)}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.plural}`;
    const gvk = { group, version, kind: t.kind };
    const op = (verb: string) => ({
      operationId: `${verb}${t.kind}`,
      'x-kubernetes-action': verb,
      'x-kubernetes-group-version-kind': gvk,
      parameters: WRITE_PARAMS,
      responses: { '200': { description: 'OK' } },
    });
    paths[`${prefix}/{name}`] = {
      get: op('get'),
      put: op('put'),
      patch: op('patch'),
      delete: op('delete'),
    };
    paths[prefix] = { get: op('list'), post: op('post') };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: apiVersionOf(group, version) },
    paths,
    components: { schemas: {} },
  };
}
