/** `src/rbac.ts`: the ClusterRole's rules, derived from what the controller declares. */
export function rbacSource(): string {
  return `import type { ApiResource } from '@kube-ts/core';

/** One rule of a ClusterRole. */
export interface PolicyRule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
  readonly resourceNames?: string[];
}

/** What a controller declares it touches (see \`ACCESS\` in operator.ts). */
export interface DeclaredAccess {
  readonly reconciles: ApiResource;
  readonly owns: readonly ApiResource[];
  readonly recordsEvents: boolean;
  readonly leaseName: string;
  /** The ring's name when the controller is sharded across replicas, else undefined. */
  readonly shardingRing?: string | undefined;
}

const READ = ['get', 'list', 'watch'];

/**
 * The cluster-wide rules (a ClusterRole): the least the controller needs, resource by
 * resource:
 * - what it reconciles: read and watch it, read and patch its \`status\`; update its
 *   \`finalizers\` subresource, which the API server asks of whoever sets an owner
 *   reference with \`blockOwnerDeletion\` on a child (OwnerReferencesPermissionEnforcement);
 * - what it owns: read and watch, and create/patch (server-side apply), update, delete;
 * - Events: create, and patch to count repeats;
 * - sharded: patch on what it reconciles too — the sharder writes the shard and drain
 *   labels, and a shard removes them when it lets an object go (owned objects are patched
 *   already).
 */
export function clusterRules(access: DeclaredAccess): PolicyRule[] {
  const { reconciles: primary } = access;
  const primaryVerbs = access.shardingRing === undefined ? READ : [...READ, 'patch'];
  const rules: PolicyRule[] = [
    { apiGroups: [primary.group], resources: [primary.plural], verbs: primaryVerbs },
    {
      apiGroups: [primary.group],
      resources: [\`\${primary.plural}/status\`],
      verbs: ['get', 'patch', 'update'],
    },
    { apiGroups: [primary.group], resources: [\`\${primary.plural}/finalizers\`], verbs: ['update'] },
  ];
  for (const owned of access.owns) {
    rules.push({
      apiGroups: [owned.group],
      resources: [owned.plural],
      verbs: [...READ, 'create', 'update', 'patch', 'delete'],
    });
  }
  if (access.recordsEvents) {
    rules.push({ apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] });
  }
  return rules;
}

/**
 * The rules in the operator's own namespace (a Role): its Lease, read and renewed by
 * name, and created once (\`create\` cannot be limited to a name). Sharded, each replica
 * also holds a shard Lease named after its pod (\`<ring>-<pod>\`, so not limited by name),
 * and the sharder lists and watches the ring's Leases, takes over expired ones and
 * deletes dead ones.
 */
export function namespaceRules(access: DeclaredAccess): PolicyRule[] {
  if (access.shardingRing !== undefined) {
    return [
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'],
      },
    ];
  }
  return [
    {
      apiGroups: ['coordination.k8s.io'],
      resources: ['leases'],
      resourceNames: [access.leaseName],
      verbs: ['get', 'update'],
    },
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  ];
}
`;
}
