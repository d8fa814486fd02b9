import { createHash } from 'node:crypto';
import type { JsonObject } from './json.js';
import type { ResourceRegistry } from './registry.js';
import { apiVersionOf, type ResourceType } from './resource-types.js';
import { extraSubresources } from './subresources/routes.js';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
/** The order kube-apiserver lists custom resources' verbs in. */
const CR_VERBS = [
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'create',
  'update',
  'watch',
];

/** `/version`: the Kubernetes version the server imitates. */
export function versionInfo(): JsonObject {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0+kube-ts-memory',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'n/a',
    compiler: 'n/a',
    platform: 'linux/amd64',
  };
}

/** `/api`: the core group's versions. */
export function coreVersions(host: string): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }],
  };
}

function groupEntry(name: string, versions: string[]): JsonObject {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0]! };
}

/** `/apis`: every named group (legacy, non-aggregated form). */
export function groupList(reg: ResourceRegistry): JsonObject {
  const groups: JsonObject[] = [];
  for (const [name, versions] of reg.groups()) if (name) groups.push(groupEntry(name, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** `/apis/{group}`, or undefined when the group is not served. */
export function group(reg: ResourceRegistry, name: string): JsonObject | undefined {
  const versions = reg.groups().get(name);
  if (!name || !versions) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(name, versions) };
}

/** kube-apiserver's storageVersionHash: base64 of the first 8 bytes of sha256("group/version/Kind"). */
function storageVersionHash(t: ResourceType): string {
  const gv = apiVersionOf(t.group, t.versions[0]!);
  return createHash('sha256').update(`${gv}/${t.kind}`).digest().subarray(0, 8).toString('base64');
}

function entries(t: ResourceType): JsonObject[] {
  const main: JsonObject = {
    name: t.plural,
    singularName: t.singular,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: t.createOnly
      ? ['create']
      : !t.builtin
        ? CR_VERBS
        : t.plural === 'namespaces'
          ? VERBS.filter((v) => v !== 'deletecollection')
          : VERBS,
  };
  if (t.shortNames.length) main.shortNames = t.shortNames;
  main.storageVersionHash = storageVersionHash(t);
  if (t.categories.length) main.categories = t.categories;
  const out = [main];
  if (t.status) {
    out.push({
      name: `${t.plural}/status`,
      singularName: '',
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: ['get', 'patch', 'update'],
    });
  }
  if (t.scale) {
    out.push({
      name: `${t.plural}/scale`,
      singularName: '',
      namespaced: t.namespaced,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
  }
  out.push(...extraSubresources(t));
  return out;
}

/** `/api/v1` or `/apis/{group}/{version}`, or undefined when not served. */
export function resourceList(
  reg: ResourceRegistry,
  groupName: string,
  version: string,
): JsonObject | undefined {
  const types = reg.all().filter((t) => t.group === groupName && t.versions.includes(version));
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf(groupName, version),
    resources: types.flatMap(entries),
  };
}
