import { isObject } from '../json.js';
import type { KindRules } from './kind-rules.js';

/**
 * core/v1 PersistentVolumeClaim: `spec.volumeMode` defaults to `Filesystem`; a new claim's
 * status is `phase: Pending`. (kube-apiserver's StorageObjectInUseProtection admission also
 * adds the `kubernetes.io/pvc-protection` finalizer, which its controller removes; without
 * that controller here the finalizer is left out.)
 */
export const persistentVolumeClaimRules: KindRules = {
  defaults(obj, create) {
    const spec = isObject(obj.spec) ? obj.spec : {};
    spec.volumeMode ??= 'Filesystem';
    obj.spec = spec;
    if (create) obj.status = { phase: 'Pending' };
  },
};
