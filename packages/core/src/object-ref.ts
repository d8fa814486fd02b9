import type { KubeObject } from './object.js';

/**
 * A reference to one object: its name, its namespace (absent for cluster-scoped objects)
 * and optionally its `apiVersion` and `kind`. The {@link ObjectRef.key} of a ref
 * (`namespace/name` or `name`) is what stores and schedulers key objects by.
 */
export interface ObjectRef {
  /** `group/version`, or `version` for the core group; optional. */
  readonly apiVersion?: string | undefined;
  /** The kind, e.g. `ConfigMap`; optional. */
  readonly kind?: string | undefined;
  /** The namespace; absent (or empty) for cluster-scoped objects. */
  readonly namespace?: string | undefined;
  /** The object's name. */
  readonly name: string;
}

/** Helpers to build, parse, key, format and compare {@link ObjectRef}s. */
export const ObjectRef = {
  /**
   * The reference of an object, taken from its `apiVersion`, `kind`, `metadata.namespace`
   * and `metadata.name`. Throws a `TypeError` when the object has no `metadata.name`
   * (e.g. a create request that relies on `generateName` and has not been sent yet).
   */
  from(obj: KubeObject): ObjectRef {
    const name = obj.metadata?.name;
    if (!name) {
      throw new TypeError(
        `ObjectRef.from: the ${obj.kind ?? 'object'} has no metadata.name; ` +
          'only objects returned by the API server (or with a name set) have a reference',
      );
    }
    const ref: { apiVersion?: string; kind?: string; namespace?: string; name: string } = {
      name,
    };
    if (obj.apiVersion) ref.apiVersion = obj.apiVersion;
    if (obj.kind) ref.kind = obj.kind;
    if (obj.metadata?.namespace) ref.namespace = obj.metadata.namespace;
    return ref;
  },

  /**
   * Parses `'namespace/name'` or `'name'` (the inverse of {@link ObjectRef.key}). Throws a
   * `TypeError` for an empty string, an empty part, or more than one `/`.
   */
  parse(text: string): ObjectRef {
    const parts = text.split('/');
    if (parts.length > 2 || parts.some((p) => p === '')) {
      throw new TypeError(
        `ObjectRef.parse: '${text}' is not a reference; write 'namespace/name' or 'name'`,
      );
    }
    if (parts.length === 2) return { namespace: parts[0]!, name: parts[1]! };
    return { name: parts[0]! };
  },

  /**
   * The store key of a reference: `'namespace/name'` for namespaced objects, `'name'` for
   * cluster-scoped ones. Two refs have the same key exactly when they name the same
   * namespace and name (`apiVersion` and `kind` are ignored).
   */
  key(ref: ObjectRef): string {
    return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
  },

  /**
   * A human-readable form for logs and messages: `Kind/namespace/name` (with the group
   * when the apiVersion has one, e.g. `Deployment.apps/ns/web`), or just the key when
   * the kind is unknown.
   */
  format(ref: ObjectRef): string {
    const key = ObjectRef.key(ref);
    if (!ref.kind) return key;
    const slash = ref.apiVersion?.indexOf('/') ?? -1;
    const group = slash > 0 ? ref.apiVersion!.slice(0, slash) : '';
    return `${ref.kind}${group ? `.${group}` : ''}/${key}`;
  },

  /**
   * Whether two refs name the same object: same namespace (absent and `''` are equal) and
   * name, and the same kind and apiVersion when both refs carry them.
   */
  equals(a: ObjectRef, b: ObjectRef): boolean {
    if ((a.namespace ?? '') !== (b.namespace ?? '') || a.name !== b.name) return false;
    if (a.kind && b.kind && a.kind !== b.kind) return false;
    if (a.apiVersion && b.apiVersion && a.apiVersion !== b.apiVersion) return false;
    return true;
  },
} as const;
