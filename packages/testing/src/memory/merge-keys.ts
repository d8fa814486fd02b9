/**
 * How lists of built-in types merge (their `patchStrategy`/`patchMergeKey` tags in the
 * Kubernetes API types), for strategic merge patch and server-side apply. Keys are
 * suffixes of the field path (field names only, list indices left out), most specific
 * first; a list not in the table is atomic (replaced whole).
 */
export interface ListMerge {
  /** Merge key of a list of objects; undefined with `set` for primitive lists merged as sets. */
  key?: string;
  /** Additional keys for server-side apply identity (list-map-keys). */
  keys?: string[];
  set?: boolean;
  /** A map that is owned and replaced as a whole (`x-kubernetes-map-type: atomic`). */
  atomicMap?: boolean;
  /** Items of a keyed list are of an atomic type: each is owned and replaced whole. */
  atomicItems?: boolean;
}

const TABLE: [string, ListMerge][] = [
  ['containers.ports', { key: 'containerPort', keys: ['containerPort', 'protocol'] }],
  ['initContainers.ports', { key: 'containerPort', keys: ['containerPort', 'protocol'] }],
  ['ephemeralContainers.ports', { key: 'containerPort', keys: ['containerPort', 'protocol'] }],
  ['Service:spec.ports', { key: 'port', keys: ['port', 'protocol'] }],
  ['containers', { key: 'name' }],
  ['initContainers', { key: 'name' }],
  ['ephemeralContainers', { key: 'name' }],
  ['env', { key: 'name' }],
  ['volumeMounts', { key: 'mountPath' }],
  ['volumeDevices', { key: 'devicePath' }],
  ['volumes', { key: 'name' }],
  ['imagePullSecrets', { key: 'name' }],
  ['hostAliases', { key: 'ip' }],
  ['topologySpreadConstraints', { key: 'topologyKey', keys: ['topologyKey', 'whenUnsatisfiable'] }],
  ['conditions', { key: 'type' }],
  ['metadata.ownerReferences', { key: 'uid' }],
  ['metadata.finalizers', { set: true }],
];

/**
 * The merge rule of the list at `path` (field names from the object root) in an object of
 * `kind`, or undefined when the list is atomic.
 */
export function listMergeFor(kind: string, path: readonly string[]): ListMerge | undefined {
  const joined = path.join('.');
  for (const [suffix, rule] of TABLE) {
    const colon = suffix.indexOf(':');
    if (colon >= 0) {
      if (kind === suffix.slice(0, colon) && joined === suffix.slice(colon + 1)) return rule;
      continue;
    }
    if (joined === suffix || joined.endsWith(`.${suffix}`)) return rule;
  }
  return undefined;
}
