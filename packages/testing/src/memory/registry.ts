import { builtinResourceTypes, type ResourceType, resourceKey } from './resource-types.js';

/**
 * The resources the server serves: the built-ins plus one entry per established CRD.
 * Looked up by group, version and plural, the way the URL names them.
 */
export class ResourceRegistry {
  private readonly byKey = new Map<string, ResourceType>();

  constructor() {
    for (const t of builtinResourceTypes()) this.add(t);
  }

  /** Registers (or replaces) a resource. */
  add(t: ResourceType): void {
    this.byKey.set(resourceKey({ group: t.group, plural: t.plural }), t);
  }

  /** Removes a resource (a deleted CRD). */
  remove(group: string, plural: string): void {
    this.byKey.delete(resourceKey({ group, plural }));
  }

  /** The resource served at group/version/plural, if any. */
  find(group: string, version: string, plural: string): ResourceType | undefined {
    const t = this.byKey.get(resourceKey({ group, plural }));
    return t?.versions.includes(version) ? t : undefined;
  }

  /** The resource that owns this storage key (not a view of it). */
  byResourceKey(key: string): ResourceType | undefined {
    const t = this.byKey.get(key);
    return t?.view ? undefined : t;
  }

  /** The resource of a kind in a group (any served version). */
  findKind(group: string, kind: string): ResourceType | undefined {
    for (const t of this.byKey.values()) if (t.group === group && t.kind === kind) return t;
    return undefined;
  }

  /** Every served resource. */
  all(): ResourceType[] {
    return [...this.byKey.values()];
  }

  /** Every resource discovery and OpenAPI list (not those of a CRD not yet established). */
  listed(): ResourceType[] {
    return this.all().filter((t) => !t.unlisted);
  }

  /**
   * Group name -> versions served (preferred first), in a stable order (core group first);
   * `listed`: of the {@link listed} resources only.
   */
  groups(listed = false): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const t of listed ? this.listed() : this.all()) {
      const vs = out.get(t.group) ?? [];
      for (const v of t.versions) if (!vs.includes(v)) vs.push(v);
      out.set(t.group, vs);
    }
    return out;
  }
}
