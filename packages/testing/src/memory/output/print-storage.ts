/**
 * Table cells of the storage kinds (PersistentVolume, PersistentVolumeClaim, StorageClass,
 * CSIDriver, CSINode, VolumeAttachment, VolumeAttributesClass), computed as kube-apiserver's
 * printers compute them (v1.36.3). Quantities are printed as stored: the server keeps them
 * in apimachinery's `Quantity.String()` form (see builtins/quantities.ts), which is what
 * its printers write.
 */
import type { JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { arr, type Cells, NONE, obj, str, UNSET } from './print-format.js';

const ACCESS_MODES: [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** helper.GetAccessModesAsString: the short names, in this fixed order. */
function accessModes(v: unknown): string {
  const modes = Array.isArray(v) ? v.map(String) : [];
  return ACCESS_MODES.filter(([m]) => modes.includes(m))
    .map(([, s]) => s)
    .join(',');
}

/** The storage class of a volume or claim: the beta annotation first (even empty), then the spec's. */
function storageClassOf(o: JsonObject): string {
  const annotations = obj(metaOf(o).annotations);
  const beta = annotations['volume.beta.kubernetes.io/storage-class'];
  return beta !== undefined ? str(beta) : str(obj(o.spec).storageClassName);
}

/** A `storage` quantity of a resource list, `0` (a zero Quantity's text) when absent. */
function storageOf(list: unknown): string {
  return str(obj(list).storage) || '0';
}

/** An optional boolean of a CSIDriver's spec, `fallback` when unset. */
function flag(v: unknown, fallback: boolean): boolean {
  return typeof v === 'boolean' ? v : fallback;
}

/** The storage kinds' cells, by resource. */
export const storageCells: Record<string, Cells> = {
  persistentvolumes: (o, age) => {
    const spec = obj(o.spec);
    const claim = spec.claimRef;
    const status = obj(o.status);
    return [
      metaOf(o).name,
      storageOf(spec.capacity),
      accessModes(spec.accessModes),
      str(spec.persistentVolumeReclaimPolicy),
      metaOf(o).deletionTimestamp ? 'Terminating' : str(status.phase),
      claim === undefined || claim === null
        ? ''
        : `${str(obj(claim).namespace)}/${str(obj(claim).name)}`,
      storageClassOf(o),
      typeof spec.volumeAttributesClassName === 'string' ? spec.volumeAttributesClassName : UNSET,
      str(status.reason),
      age,
      str(spec.volumeMode) || UNSET,
    ];
  },
  persistentvolumeclaims: (o, age) => {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const bound = str(spec.volumeName) !== '';
    return [
      metaOf(o).name,
      str(status.phase),
      str(spec.volumeName),
      bound ? storageOf(status.capacity) : '',
      bound ? accessModes(status.accessModes) : '',
      storageClassOf(o),
      str(spec.volumeAttributesClassName) || UNSET,
      age,
      str(spec.volumeMode) || UNSET,
    ];
  },
  'storageclasses.storage.k8s.io': (o, age) => {
    const annotations = obj(metaOf(o).annotations);
    const isDefault =
      annotations['storageclass.kubernetes.io/is-default-class'] === 'true' ||
      annotations['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
    return [
      `${metaOf(o).name}${isDefault ? ' (default)' : ''}`,
      str(o.provisioner),
      str(o.reclaimPolicy),
      str(o.volumeBindingMode),
      o.allowVolumeExpansion === true,
      age,
    ];
  },
  // Unset flags print the driver's defaults; TokenRequests lists audiences, `<unset>` without.
  'csidrivers.storage.k8s.io': (o, age) => {
    const spec = obj(o.spec);
    const modes = Array.isArray(spec.volumeLifecycleModes) ? spec.volumeLifecycleModes : [];
    return [
      metaOf(o).name,
      flag(spec.attachRequired, true),
      flag(spec.podInfoOnMount, false),
      flag(spec.storageCapacity, false),
      Array.isArray(spec.tokenRequests)
        ? arr(spec.tokenRequests)
            .map((t) => str(t.audience))
            .join(',')
        : UNSET,
      flag(spec.requiresRepublish, false),
      modes.map(String).join(',') || NONE,
      age,
    ];
  },
  'csinodes.storage.k8s.io': (o, age) => [metaOf(o).name, arr(obj(o.spec).drivers).length, age],
  'volumeattachments.storage.k8s.io': (o, age) => {
    const spec = obj(o.spec);
    return [
      metaOf(o).name,
      str(spec.attacher),
      str(obj(spec.source).persistentVolumeName),
      str(spec.nodeName),
      obj(o.status).attached === true,
      age,
    ];
  },
  'volumeattributesclasses.storage.k8s.io': (o, age) => [metaOf(o).name, str(o.driverName), age],
};
