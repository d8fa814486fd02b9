import {
  awaitsEstablishing,
  CRD_CLEANUP_FINALIZER,
  establishedStatus,
  resourceTypeOfCrd,
} from './crd.js';
import { deleteObject, FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from './deletion.js';
import type { Change } from './history.js';
import { isObject, type Json, type JsonObject } from './json.js';
import { namespaceDeletionConditions } from './namespace-conditions.js';
import { metaOf } from './object-meta.js';
import { defaultStoredObjects } from './read-defaults.js';
import { resourceKey } from './resource-types.js';
import { type ApiState, timestamp } from './state.js';
import { commitUpdate } from './update-object.js';
import type { Scope, WriteParams, WriteSubresource } from './write-scope.js';

const MANAGER: WriteParams = { defaultManager: 'kube-controller-manager' };
const CRD_KEY = 'customresourcedefinitions.apiextensions.k8s.io';

interface Ref {
  resKey: string;
  key: string;
}

function ownerUids(obj: JsonObject | undefined): string[] {
  const refs = obj ? metaOf(obj).ownerReferences : undefined;
  if (!Array.isArray(refs)) return [];
  return refs.filter(isObject).map((r) => String(r.uid));
}

/** The namespace controller's finalizer in a Namespace's `spec.finalizers`. */
const NAMESPACE_FINALIZER = 'kubernetes';
/**
 * The controllers kube-apiserver and kube-controller-manager run that operators rely on:
 * ownerReference garbage collection (Background, Foreground, Orphan), namespace
 * finalization, CRD establishment and CRD cleanup. They react to committed changes and
 * run asynchronously (after the request that caused them), like the real ones.
 */
export class GarbageCollector {
  /** owner uid -> dependents. */
  private readonly dependents = new Map<string, Map<string, Ref>>();

  constructor(private readonly s: ApiState) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    const before = ownerUids(c.prev);
    const after = c.type === 'DELETED' ? [] : ownerUids(c.object);
    const id = `${c.resKey}|${c.key}`;
    for (const u of before) {
      if (after.includes(u)) continue;
      const m = this.dependents.get(u);
      m?.delete(id);
      if (m?.size === 0) this.dependents.delete(u);
    }
    for (const u of after) {
      let m = this.dependents.get(u);
      if (!m) {
        m = new Map();
        this.dependents.set(u, m);
      }
      m.set(id, { resKey: c.resKey, key: c.key });
    }
    const meta = metaOf(c.object);
    const uid = String(meta.uid ?? '');
    if (c.type === 'DELETED') {
      this.s.schedule(() => this.ownerGone(uid));
      for (const u of before) this.s.schedule(() => this.recheckForeground(u));
      if (c.namespace) this.s.schedule(() => this.finalizeNamespace(c.namespace));
      if (c.resKey !== CRD_KEY) {
        const crd = this.crdOf(c.resKey);
        if (crd) this.s.schedule(() => this.cleanupCrd(crd));
      }
      if (c.resKey === CRD_KEY) this.unregisterCrd(c.object);
      return;
    }
    if (c.type === 'ADDED' && after.length)
      this.s.schedule(() => this.checkDangling(c.resKey, c.key));
    if (
      c.type === 'MODIFIED' &&
      c.prev !== undefined &&
      JSON.stringify(metaOf(c.prev).ownerReferences) !== JSON.stringify(meta.ownerReferences)
    ) {
      // A reference made non-blocking (or dropped) may release an owner waiting in the foreground.
      for (const u of before) this.s.schedule(() => this.recheckForeground(u));
    }
    const fins = Array.isArray(meta.finalizers) ? meta.finalizers : [];
    if (meta.deletionTimestamp) {
      if (fins.includes(FOREGROUND_FINALIZER)) this.s.schedule(() => this.foreground(uid));
      if (fins.includes(ORPHAN_FINALIZER)) this.s.schedule(() => this.orphan(uid));
      if (c.resKey === 'namespaces')
        this.s.schedule(() => this.finalizeNamespace(String(meta.name)));
      if (c.resKey === CRD_KEY) this.s.schedule(() => this.cleanupCrd(String(meta.name)));
    }
    if (c.resKey === CRD_KEY) this.crdChanged(c.object);
  }

  private scopeOf(resKey: string, obj: JsonObject): Scope | undefined {
    const t = this.s.registry.byResourceKey(resKey);
    if (!t) return undefined;
    return {
      t,
      version: t.versions[0]!,
      namespace: t.namespaced ? String(metaOf(obj).namespace ?? '') : '',
    };
  }

  private load(ref: Ref): JsonObject | undefined {
    return this.s.storage.get(ref.resKey, ref.key);
  }

  private del(ref: Ref, policy: 'Background' | 'Foreground' = 'Background'): void {
    const obj = this.load(ref);
    if (!obj || metaOf(obj).deletionTimestamp) return;
    const sc = this.scopeOf(ref.resKey, obj);
    if (!sc) return;
    try {
      deleteObject(this.s, sc, String(metaOf(obj).name), { propagationPolicy: policy });
    } catch {
      // Already gone or changed concurrently: the next change triggers another pass.
    }
  }

  private update(
    ref: Ref,
    change: (o: JsonObject) => JsonObject,
    subresource?: WriteSubresource,
  ): void {
    const obj = this.load(ref);
    if (!obj) return;
    const sc = this.scopeOf(ref.resKey, obj);
    if (!sc) return;
    try {
      commitUpdate(this.s, sc, obj, change(obj), MANAGER, {
        managedFields: (metaOf(obj).managedFields as Json[]) ?? [],
        ...(subresource ? { subresource } : {}),
      });
    } catch {
      // Retried on the next relevant change.
    }
  }

  private removeFinalizer(ref: Ref, finalizer: string): void {
    this.update(ref, (o) => {
      const meta = metaOf(o);
      const fins = (Array.isArray(meta.finalizers) ? meta.finalizers : []).filter(
        (f) => f !== finalizer,
      );
      return { ...o, metadata: { ...meta, finalizers: fins } };
    });
  }

  private ownerGone(uid: string): void {
    for (const ref of [...(this.dependents.get(uid)?.values() ?? [])]) {
      const obj = this.load(ref);
      if (!obj) continue;
      if (ownerUids(obj).every((u) => !this.s.storage.locateUid(u))) this.del(ref);
    }
  }

  private checkDangling(resKey: string, key: string): void {
    const obj = this.s.storage.get(resKey, key);
    if (!obj) return;
    const owners = ownerUids(obj);
    if (owners.length && owners.every((u) => !this.s.storage.locateUid(u)))
      this.del({ resKey, key });
  }

  private foreground(uid: string): void {
    for (const ref of [...(this.dependents.get(uid)?.values() ?? [])]) this.collectDependent(ref);
    this.recheckForeground(uid);
  }

  /** Whether an object is being deleted in the foreground (waiting for its dependents). */
  private deletingDependents(ref: Ref | undefined): boolean {
    const obj = ref ? this.load(ref) : undefined;
    const meta = obj ? metaOf(obj) : {};
    return (
      meta.deletionTimestamp !== undefined &&
      Array.isArray(meta.finalizers) &&
      meta.finalizers.includes(FOREGROUND_FINALIZER)
    );
  }

  /**
   * One dependent of an owner deleted in the foreground, as kube-controller-manager's
   * garbage collector treats it (attemptToDeleteItem): with another live owner it only
   * loses its references to the owners that are gone or waiting; otherwise it is deleted,
   * in the foreground when it has dependents of its own. When one of those is itself
   * waiting for its dependents, the item's ownerReferences are first made non-blocking,
   * which breaks a circle of blocking references (A owns B owns C owns A).
   */
  private collectDependent(ref: Ref): void {
    const obj = this.load(ref);
    if (!obj || metaOf(obj).deletionTimestamp) return;
    const owners = ownerUids(obj).map((u) => this.s.storage.locateUid(u));
    if (owners.some((at) => at !== undefined && !this.deletingDependents(at))) {
      this.update(ref, (o) => {
        const meta = metaOf(o);
        const refs = (Array.isArray(meta.ownerReferences) ? meta.ownerReferences : []).filter(
          (r) => {
            const at = isObject(r) ? this.s.storage.locateUid(String(r.uid)) : undefined;
            return at !== undefined && !this.deletingDependents(at);
          },
        );
        return { ...o, metadata: { ...meta, ownerReferences: refs } };
      });
      return;
    }
    const own = [...(this.dependents.get(String(metaOf(obj).uid))?.values() ?? [])];
    if (own.length === 0) {
      this.del(ref);
      return;
    }
    if (own.some((d) => this.deletingDependents(d))) {
      this.update(ref, (o) => {
        const meta = metaOf(o);
        const refs = (Array.isArray(meta.ownerReferences) ? meta.ownerReferences : []).map((r) =>
          isObject(r) && r.blockOwnerDeletion === true ? { ...r, blockOwnerDeletion: false } : r,
        );
        return { ...o, metadata: { ...meta, ownerReferences: refs } };
      });
    }
    this.del(ref, 'Foreground');
  }

  private recheckForeground(uid: string): void {
    const at = this.s.storage.locateUid(uid);
    if (!at) return;
    const owner = this.load(at);
    const meta = owner ? metaOf(owner) : {};
    if (!owner || !meta.deletionTimestamp) return;
    if (!(Array.isArray(meta.finalizers) && meta.finalizers.includes(FOREGROUND_FINALIZER))) return;
    const blocking = [...(this.dependents.get(uid)?.values() ?? [])].some((ref) => {
      const d = this.load(ref);
      const refs = d ? metaOf(d).ownerReferences : undefined;
      return (
        Array.isArray(refs) &&
        refs.some((r) => isObject(r) && r.uid === uid && r.blockOwnerDeletion === true)
      );
    });
    if (!blocking) this.removeFinalizer(at, FOREGROUND_FINALIZER);
  }

  private orphan(uid: string): void {
    for (const ref of [...(this.dependents.get(uid)?.values() ?? [])]) {
      this.update(ref, (o) => {
        const meta = metaOf(o);
        const refs = (Array.isArray(meta.ownerReferences) ? meta.ownerReferences : []).filter(
          (r) => !(isObject(r) && r.uid === uid),
        );
        const nm = { ...meta, ownerReferences: refs };
        if (refs.length === 0) delete (nm as JsonObject).ownerReferences;
        return { ...o, metadata: nm };
      });
    }
    const at = this.s.storage.locateUid(uid);
    if (at) this.removeFinalizer(at, ORPHAN_FINALIZER);
  }

  /**
   * The namespace controller's pass over a Terminating namespace: its Pods are deleted
   * first and the rest only once no Pod is left (ordered namespace deletion, as in
   * Kubernetes 1.34+); while something remains, the namespace has the controller's
   * conditions (`NamespaceContentRemaining`, `NamespaceFinalizersRemaining`, …); once all is gone,
   * its `kubernetes` finalizer is removed and it goes unless other finalizers (its own or in
   * `spec.finalizers`) hold it. A namespace without the `kubernetes` finalizer is left alone
   * (the controller counts it finalized already).
   */
  private finalizeNamespace(ns: string): void {
    const obj = this.s.storage.get('namespaces', ns);
    if (!obj || !metaOf(obj).deletionTimestamp) return;
    const spec = isObject(obj.spec) ? obj.spec : {};
    const specFinalizers = Array.isArray(spec.finalizers) ? spec.finalizers : [];
    if (!specFinalizers.includes(NAMESPACE_FINALIZER)) return;
    const resources = new Map<string, number>();
    const finalizers = new Map<string, number>();
    const sweep = (pods: boolean) => {
      for (const t of this.s.registry.all()) {
        if (!t.namespaced || t.view || (t.group === '' && t.plural === 'pods') !== pods) continue;
        const resKey = resourceKey(t);
        for (const [key] of [...this.s.storage.scan(resKey, ns)]) {
          this.del({ resKey, key });
          const left = this.s.storage.get(resKey, key);
          if (!left) continue;
          const name = `${t.plural}.${t.group}`;
          resources.set(name, (resources.get(name) ?? 0) + 1);
          const fins = metaOf(left).finalizers;
          for (const f of Array.isArray(fins) ? fins : []) {
            finalizers.set(String(f), (finalizers.get(String(f)) ?? 0) + 1);
          }
        }
      }
    };
    sweep(true);
    // While Pods remain, kube-controller-manager 1.36 stops its pass before it counts
    // anything, so its conditions then say nothing remains.
    const podsLeft = resources.size > 0;
    if (!podsLeft) sweep(false);
    if (resources.size > 0) {
      const status = isObject(obj.status) ? obj.status : {};
      const conditions = namespaceDeletionConditions(
        podsLeft ? { resources: new Map(), finalizers: new Map() } : { resources, finalizers },
        status.conditions,
        timestamp(),
      );
      if (JSON.stringify(conditions) !== JSON.stringify(status.conditions ?? [])) {
        // Stored directly: an update of a Terminating namespace without metadata
        // finalizers would remove it (commitUpdate's rule for a deleted object).
        const meta = { ...metaOf(obj), resourceVersion: String(this.s.storage.nextRv()) };
        const next: JsonObject = { ...obj, metadata: meta, status: { ...status, conditions } };
        this.s.storage.commit('namespaces', ns, '', next);
      }
      return;
    }
    const others = specFinalizers.filter((f) => f !== NAMESPACE_FINALIZER);
    this.update(
      { resKey: 'namespaces', key: ns },
      (o) => ({ ...o, spec: { ...spec, finalizers: others } }),
      'finalize',
    );
    const after = this.s.storage.get('namespaces', ns);
    const fins = after ? metaOf(after).finalizers : undefined;
    if (after && !(Array.isArray(fins) && fins.length) && others.length === 0) {
      const final: JsonObject = {
        ...after,
        metadata: { ...metaOf(after), resourceVersion: String(this.s.storage.nextRv()) },
      };
      this.s.storage.commit('namespaces', ns, '', null, final);
    }
  }

  private crdOf(resKey: string): string | undefined {
    return this.s.registry.byResourceKey(resKey)?.crdName;
  }

  private crdChanged(crd: JsonObject): void {
    const meta = metaOf(crd);
    if (meta.deletionTimestamp) return;
    try {
      const t = resourceTypeOfCrd(crd);
      this.s.registry.add(t);
      defaultStoredObjects(this.s, t);
    } catch {
      return;
    }
    if (awaitsEstablishing(crd)) {
      const name = String(meta.name);
      this.s.schedule(() => {
        const ref = { resKey: CRD_KEY, key: name };
        const cur = this.load(ref);
        if (!cur || metaOf(cur).deletionTimestamp) return;
        const sc = this.scopeOf(CRD_KEY, cur)!;
        try {
          commitUpdate(
            this.s,
            sc,
            cur,
            { ...cur, status: establishedStatus(cur, timestamp()) },
            MANAGER,
            {
              subresource: 'status',
              managedFields: (metaOf(cur).managedFields as Json[]) ?? [],
            },
          );
        } catch {
          // A concurrent change re-triggers this.
        }
      });
    }
  }

  private cleanupCrd(name: string): void {
    const ref = { resKey: CRD_KEY, key: name };
    const crd = this.load(ref);
    if (!crd || !metaOf(crd).deletionTimestamp) return;
    const spec = isObject(crd.spec) ? crd.spec : {};
    const names = isObject(spec.names) ? spec.names : {};
    const resKey = resourceKey({
      group: String(spec.group ?? ''),
      plural: String(names.plural ?? ''),
    });
    let remaining = 0;
    for (const [key] of [...this.s.storage.scan(resKey)]) {
      remaining++;
      this.del({ resKey, key });
    }
    if (remaining > 0) return;
    this.removeFinalizer(ref, CRD_CLEANUP_FINALIZER);
  }

  private unregisterCrd(crd: JsonObject): void {
    const spec = isObject(crd.spec) ? crd.spec : {};
    const names = isObject(spec.names) ? spec.names : {};
    const group = String(spec.group ?? '');
    const plural = String(names.plural ?? '');
    if (
      this.s.registry.byResourceKey(resourceKey({ group, plural }))?.crdName === metaOf(crd).name
    ) {
      this.s.registry.remove(group, plural);
      this.s.hub.closeResource(resourceKey({ group, plural }));
    }
  }
}
