/**
 * How lists of built-in types merge in a strategic merge patch (their
 * `patchStrategy`/`patchMergeKey` tags in the Kubernetes API types; server-side apply reads
 * the schema's list types instead, see `builtins/ownership-rules.ts`). Keys are suffixes of
 * the field path (field names only, list indices left out), most specific first; a list not
 * in the table is atomic (replaced whole).
 */
export interface ListMerge {
  /** Merge key of a list of objects; undefined with `set` for primitive lists merged as sets. */
  key?: string;
  /** A list of primitives merged as a set. */
  set?: boolean;
}

const TABLE: [string, ListMerge][] = [
  ['containers.ports', { key: 'containerPort' }],
  ['initContainers.ports', { key: 'containerPort' }],
  ['ephemeralContainers.ports', { key: 'containerPort' }],
  ['Service:spec.ports', { key: 'port' }],
  ['containers', { key: 'name' }],
  ['initContainers', { key: 'name' }],
  ['ephemeralContainers', { key: 'name' }],
  ['env', { key: 'name' }],
  ['volumeMounts', { key: 'mountPath' }],
  ['volumeDevices', { key: 'devicePath' }],
  ['volumes', { key: 'name' }],
  ['imagePullSecrets', { key: 'name' }],
  ['hostAliases', { key: 'ip' }],
  ['topologySpreadConstraints', { key: 'topologyKey' }],
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
