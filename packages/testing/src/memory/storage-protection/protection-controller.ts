/**
 * kube-controller-manager's storage protection controllers: a PersistentVolumeClaim being
 * deleted loses `kubernetes.io/pvc-protection` (and goes) once no scheduled Pod of its
 * namespace mounts it; a PersistentVolume being deleted loses `kubernetes.io/pv-protection`
 * unless its status says `Bound`; a VolumeAttributesClass loses
 * `kubernetes.io/vac-protection` once no PersistentVolume or claim names it. Asynchronous,
 * after the change that allows it, like the real controllers.
 */
import type { Change } from '../history.js';
import { isObject, type Json, type JsonObject, str } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { commitUpdate } from '../update-object.js';
import type { WriteParams } from '../write-scope.js';
import { PROTECTION_FINALIZERS } from './finalizers.js';

const MANAGER: WriteParams = { defaultManager: 'kube-controller-manager' };
const PVCS = 'persistentvolumeclaims';
const PVS = 'persistentvolumes';
const VACS = 'volumeattributesclasses.storage.k8s.io';

const specOf = (o: JsonObject) => (isObject(o.spec) ? o.spec : {});
const statusOf = (o: JsonObject) => (isObject(o.status) ? o.status : {});

/** Whether an object is being deleted and still holds its protection finalizer. */
function held(resKey: string, o: JsonObject): boolean {
  const meta = metaOf(o);
  const fins = Array.isArray(meta.finalizers) ? meta.finalizers : [];
  return meta.deletionTimestamp !== undefined && fins.includes(PROTECTION_FINALIZERS[resKey]!);
}

/**
 * Whether a Pod keeps a claim: the pvc-protection controller counts only scheduled Pods
 * (a kubelet sees no other), by a `persistentVolumeClaim` volume, or by a generic
 * ephemeral volume (`<pod>-<volume>`, the claim controlled by the Pod) while the Pod has
 * not finished.
 */
function podUses(pod: JsonObject, claim: JsonObject): boolean {
  const spec = specOf(pod);
  if (str(spec.nodeName) === '') return false;
  const claimName = str(metaOf(claim).name);
  const podName = str(metaOf(pod).name);
  const phase = str(statusOf(pod).phase);
  const finished = phase === 'Succeeded' || phase === 'Failed';
  const owners = Array.isArray(metaOf(claim).ownerReferences) ? metaOf(claim).ownerReferences : [];
  const ownedByPod = (owners as Json[]).some(
    (r) => isObject(r) && r.controller === true && r.uid === metaOf(pod).uid,
  );
  const volumes = Array.isArray(spec.volumes) ? spec.volumes.filter(isObject) : [];
  return volumes.some((v) => {
    if (isObject(v.persistentVolumeClaim))
      return str(v.persistentVolumeClaim.claimName) === claimName;
    return (
      isObject(v.ephemeral) && !finished && ownedByPod && `${podName}-${str(v.name)}` === claimName
    );
  });
}

/** Whether a PersistentVolume or a claim names the VolumeAttributesClass `name`. */
function namesClass(o: JsonObject, name: string): boolean {
  const status = statusOf(o);
  const modify = isObject(status.modifyVolumeStatus) ? status.modifyVolumeStatus : {};
  return [
    specOf(o).volumeAttributesClassName,
    status.currentVolumeAttributesClassName,
    modify.targetVolumeAttributesClassName,
  ].includes(name);
}

/** The storage protection controllers (PVC, PV, VolumeAttributesClass). */
export class StorageProtectionController {
  /** The syncs scheduled and not yet run (one per namespace or kind). */
  private readonly pending = new Set<string>();

  constructor(private readonly s: ApiState) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey === 'pods' || c.resKey === PVCS)
      this.later(`claims/${c.namespace}`, () => this.syncClaims(c.namespace));
    if (c.resKey === PVS) this.later('volumes', () => this.syncVolumes());
    if (c.resKey === PVS || c.resKey === PVCS || c.resKey === VACS)
      this.later('classes', () => this.syncClasses());
  }

  private later(id: string, task: () => void): void {
    if (this.pending.has(id)) return;
    this.pending.add(id);
    this.s.schedule(() => {
      this.pending.delete(id);
      task();
    });
  }

  private syncClaims(namespace: string): void {
    const claims = [...this.s.storage.scan(PVCS, namespace)].filter(([, o]) => held(PVCS, o));
    if (claims.length === 0) return;
    const pods = [...this.s.storage.scan('pods', namespace)].map(([, p]) => p);
    for (const [key, claim] of claims) {
      if (!pods.some((p) => podUses(p, claim))) this.release(PVCS, key, claim, namespace);
    }
  }

  private syncVolumes(): void {
    for (const [key, pv] of [...this.s.storage.scan(PVS)]) {
      if (held(PVS, pv) && statusOf(pv).phase !== 'Bound') this.release(PVS, key, pv, '');
    }
  }

  private syncClasses(): void {
    for (const [key, vac] of [...this.s.storage.scan(VACS)]) {
      if (!held(VACS, vac)) continue;
      const name = str(metaOf(vac).name);
      const users = [...this.s.storage.scan(PVS), ...this.s.storage.scan(PVCS)];
      if (!users.some(([, o]) => namesClass(o, name))) this.release(VACS, key, vac, '');
    }
  }

  /** Removes the protection finalizer (the object goes when it was the last one). */
  private release(resKey: string, key: string, obj: JsonObject, namespace: string): void {
    const t = this.s.registry.byResourceKey(resKey);
    const meta = metaOf(obj);
    const current = this.s.storage.get(resKey, key);
    if (!t || !current || metaOf(current).resourceVersion !== meta.resourceVersion) return;
    const finalizer = PROTECTION_FINALIZERS[resKey];
    const finalizers = (Array.isArray(meta.finalizers) ? meta.finalizers : []).filter(
      (f) => f !== finalizer,
    );
    try {
      commitUpdate(
        this.s,
        { t, version: t.versions[0]!, namespace },
        obj,
        { ...obj, metadata: { ...meta, finalizers } },
        MANAGER,
        { managedFields: (meta.managedFields as Json[]) ?? [] },
      );
    } catch {
      // Retried on the next relevant change.
    }
  }
}
