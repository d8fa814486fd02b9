/**
 * core/v1 PersistentVolume: kube-apiserver's defaults (`persistentVolumeReclaimPolicy`
 * `Retain`, `volumeMode` `Filesystem`) and a new volume's status, which the server sets
 * whatever the client sent: `phase: Pending` since the moment of creation.
 */
import { isObject } from '../json.js';
import { timestamp } from '../state.js';
import type { KindRules } from './kind-rules.js';

/** core/v1 PersistentVolume's defaults and the status of a new volume. */
export const persistentVolumeRules: KindRules = {
  defaults(obj, create) {
    const spec = isObject(obj.spec) ? obj.spec : {};
    spec.persistentVolumeReclaimPolicy ??= 'Retain';
    spec.volumeMode ??= 'Filesystem';
    obj.spec = spec;
    if (create) obj.status = { phase: 'Pending', lastPhaseTransitionTime: timestamp() };
  },
};
