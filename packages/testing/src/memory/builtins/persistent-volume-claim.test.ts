import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { persistentVolumeClaimRules } from './persistent-volume-claim.js';

describe('PersistentVolumeClaim defaults', () => {
  it('a new claim is Pending with volumeMode Filesystem', () => {
    const pvc: JsonObject = { spec: { accessModes: ['ReadWriteOnce'] } };
    persistentVolumeClaimRules.defaults!(pvc, true);
    expect(pvc).toEqual({
      spec: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' },
      status: { phase: 'Pending' },
    });
  });

  it('an update keeps the status and a given volumeMode', () => {
    const pvc: JsonObject = {
      spec: { volumeMode: 'Block' },
      status: { phase: 'Bound' },
    };
    persistentVolumeClaimRules.defaults!(pvc, false);
    expect(pvc).toEqual({ spec: { volumeMode: 'Block' }, status: { phase: 'Bound' } });
  });
});
