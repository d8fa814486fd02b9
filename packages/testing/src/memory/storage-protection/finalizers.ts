/**
 * The finalizers kube-apiserver's `StorageObjectInUseProtection` admission plugin puts on
 * new PersistentVolumeClaims, PersistentVolumes and VolumeAttributesClasses (appended when
 * absent), which kube-controller-manager's protection controllers remove once nothing
 * uses the object (see `protection-controller.ts`).
 */

import type { JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ResourceType } from '../resource-types.js';

/** The protection finalizer of each protected resource, by storage key. */
export const PROTECTION_FINALIZERS: Readonly<Record<string, string>> = {
  persistentvolumeclaims: 'kubernetes.io/pvc-protection',
  persistentvolumes: 'kubernetes.io/pv-protection',
  'volumeattributesclasses.storage.k8s.io': 'kubernetes.io/vac-protection',
};

/** Adds the protection finalizer to a new object of a protected resource. */
export function admitStorageProtection(t: ResourceType, obj: JsonObject): void {
  if (!t.builtin) return;
  const finalizer = PROTECTION_FINALIZERS[t.group ? `${t.plural}.${t.group}` : t.plural];
  if (!finalizer) return;
  const meta = metaOf(obj);
  const fins = Array.isArray(meta.finalizers) ? meta.finalizers : [];
  if (!fins.includes(finalizer)) meta.finalizers = [...fins, finalizer];
}
