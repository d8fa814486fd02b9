import { createHash } from 'node:crypto';
import { KUBERNETES_VERSION } from '../control-plane/version.js';
import type { JsonObject } from './json.js';
import { type NegotiationTarget, negotiate } from './output/negotiate.js';
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

/**
 * `/version`: the Kubernetes version the server imitates (the one ControlPlane runs), with
 * kube-apiserver's fields. Build details (commit, date, Go version) describe no real build.
 */
export function versionInfo(): JsonObject {
  const [major, minor] = KUBERNETES_VERSION.slice(1).split('.') as [string, string];
  return {
    major,
    minor,
    emulationMajor: major,
    emulationMinor: minor,
    minCompatibilityMajor: major,
    minCompatibilityMinor: String(Number(minor) - 1),
    gitVersion: KUBERNETES_VERSION,
    gitCommit: '',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.26.8',
    compiler: 'gc',
    platform: `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`,
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

/**
 * The order kube-apiserver 1.36.3 lists its built-in groups in (the aggregator's group
 * priorities); other groups (custom resources) follow, by name.
 */
const BUILTIN_GROUP_ORDER = [
  '',
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'resource.k8s.io',
  'flowcontrol.apiserver.k8s.io',
];

/** Code-point order (what Go's sort of strings gives), not the locale's. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The registry's groups in kube-apiserver's discovery order; `listed`: of the resources
 * listed with their own discovery (not a CRD's before it is established, whose group the
 * legacy `/apis` and `/apis/{g}` list from its APIService all the same).
 */
function orderedGroups(reg: ResourceRegistry, listed: boolean): [string, string[]][] {
  const rank = (g: string) => {
    const i = BUILTIN_GROUP_ORDER.indexOf(g);
    return i < 0 ? BUILTIN_GROUP_ORDER.length : i;
  };
  return [...reg.groups(listed)].sort(([a], [b]) => rank(a) - rank(b) || byCodePoint(a, b));
}

/** `/apis`: every named group (legacy, non-aggregated form). */
export function groupList(reg: ResourceRegistry): JsonObject {
  const groups: JsonObject[] = [];
  for (const [name, versions] of orderedGroups(reg, false)) {
    if (name) groups.push(groupEntry(name, versions));
  }
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** `/apis/{group}`, or undefined when the group is not served. */
export function group(reg: ResourceRegistry, name: string): JsonObject | undefined {
  const versions = reg.groups().get(name);
  if (!name || !versions) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(name, versions) };
}

/**
 * The built-ins kube-apiserver v1.36.3 stores at another group/version than the one they
 * are served at first (their storage version hashes name the stored form), by
 * `plural.group`.
 */
const STORED_AS: Record<string, string> = {
  'events.events.k8s.io': '/v1/Event',
  'customresourcedefinitions.apiextensions.k8s.io':
    'apiextensions.k8s.io/v1beta1/CustomResourceDefinition',
  'mutatingadmissionpolicies.admissionregistration.k8s.io':
    'admissionregistration.k8s.io/v1beta1/MutatingAdmissionPolicy',
  'mutatingadmissionpolicybindings.admissionregistration.k8s.io':
    'admissionregistration.k8s.io/v1beta1/MutatingAdmissionPolicyBinding',
};

/**
 * kube-apiserver's storageVersionHash: base64 of the first 8 bytes of
 * sha256("group/version/Kind") of the stored form (the core group's group is empty, so
 * `/v1/ConfigMap`).
 */
function storageVersionHash(t: ResourceType): string {
  const stored = t.builtin ? STORED_AS[`${t.plural}.${t.group}`] : undefined;
  const gvk = stored ?? `${t.group}/${t.versions[0]!}/${t.kind}`;
  return createHash('sha256').update(gvk).digest().subarray(0, 8).toString('base64');
}

function entries(t: ResourceType): JsonObject[] {
  const main: JsonObject = {
    name: t.plural,
    singularName: t.singular,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: t.readOnly
      ? ['get', 'list']
      : t.createOnly
        ? ['create']
        : !t.builtin
          ? CR_VERBS
          : t.plural === 'namespaces'
            ? VERBS.filter((v) => v !== 'deletecollection')
            : VERBS,
  };
  if (t.shortNames.length) main.shortNames = t.shortNames;
  // What is never stored has no storage version.
  if (!t.readOnly && !t.createOnly) main.storageVersionHash = storageVersionHash(t);
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
  const types = reg.listed().filter((t) => t.group === groupName && t.versions.includes(version));
  if (types.length === 0) return undefined;
  const resources = types.flatMap(entries);
  // kube-apiserver lists a built-in group's resources and subresources by name.
  if (types.every((t) => t.builtin)) {
    resources.sort((a, b) => byCodePoint(String(a.name), String(b.name)));
  }
  return {
    kind: 'APIResourceList',
    // kube-apiserver's core document has no apiVersion; the named groups' have one.
    ...(groupName === '' ? {} : { apiVersion: 'v1' }),
    groupVersion: apiVersionOf(groupName, version),
    resources,
  };
}

/**
 * One legacy APIResource entry in aggregated discovery's form. kube-apiserver leaves a
 * built-in's own group/version out of `responseKind` and sorts its subresources; a custom
 * resource's names them, status before scale.
 */
function discoveryResource(
  main: JsonObject,
  subs: JsonObject[],
  gv: { group: string; version: string } | undefined,
): JsonObject {
  const own = gv ?? { group: '', version: '' };
  const out: JsonObject = {
    resource: main.name!,
    responseKind: { ...own, kind: main.kind! },
    scope: main.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: main.singularName!,
    verbs: main.verbs!,
  };
  if (main.shortNames) out.shortNames = main.shortNames;
  if (main.categories) out.categories = main.categories;
  if (subs.length) {
    const list = subs.map((s) => ({
      subresource: String(s.name).split('/')[1]!,
      responseKind: {
        group: s.group ?? own.group,
        version: s.version ?? own.version,
        kind: s.kind!,
      },
      verbs: s.verbs!,
    }));
    out.subresources = gv ? list : list.sort((a, b) => a.subresource.localeCompare(b.subresource));
  }
  return out;
}

function discoveryVersion(reg: ResourceRegistry, groupName: string, version: string): JsonObject {
  const flat = (resourceList(reg, groupName, version)?.resources ?? []) as JsonObject[];
  const resources = flat
    .filter((e) => !String(e.name).includes('/'))
    .map((main) =>
      discoveryResource(
        main,
        flat.filter((e) => String(e.name).startsWith(`${main.name}/`)),
        reg.find(groupName, version, String(main.name))?.builtin
          ? undefined
          : { group: groupName, version },
      ),
    )
    .sort((a, b) => String(a.resource).localeCompare(String(b.resource)));
  return { version, resources, freshness: 'Current' };
}

/** How `/api` and `/apis` negotiate: their legacy lists or aggregated discovery, protobuf too. */
export const ROOT_DISCOVERY_NEGOTIATION = {
  transforms: ['APIGroupDiscoveryList'],
  protobuf: true,
} as const satisfies NegotiationTarget;

/**
 * Whether `accept` has `/api` or `/apis` answer aggregated discovery (false when it asks for
 * nothing they can answer: their 406 comes from the legacy handler).
 */
export function asksAggregatedDiscovery(accept: string | undefined): boolean {
  try {
    return negotiate(accept, ROOT_DISCOVERY_NEGOTIATION).as === 'APIGroupDiscoveryList';
  } catch {
    return false;
  }
}

/**
 * Aggregated discovery (`apidiscovery.k8s.io/v2` `APIGroupDiscoveryList`): the core group
 * for `/api`, every named group for `/apis`, each version with its resources and their
 * subresources, as kube-apiserver answers `Accept:
 * application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`. Custom resources
 * appear once their CRD is established (as in the legacy documents).
 */
export function aggregatedDiscovery(reg: ResourceRegistry, core: boolean): JsonObject {
  const items: JsonObject[] = [];
  for (const [name, versions] of orderedGroups(reg, true)) {
    if ((name === '') !== core) continue;
    items.push({
      metadata: core ? {} : { name },
      versions: versions.map((v) => discoveryVersion(reg, name, v)),
    });
  }
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items,
  };
}
