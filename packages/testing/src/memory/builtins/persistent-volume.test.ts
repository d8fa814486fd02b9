import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { persistentVolumeRules } from './persistent-volume.js';

describe('PersistentVolume', () => {
  it('defaults the reclaim policy and volume mode; a new volume is Pending whatever it says', () => {
    const pv: JsonObject = { spec: { volumeMode: 'Block' }, status: { phase: 'Bound' } };
    persistentVolumeRules.defaults?.(pv, true);
    expect(pv.spec).toEqual({ volumeMode: 'Block', persistentVolumeReclaimPolicy: 'Retain' });
    expect(pv.status).toEqual({
      phase: 'Pending',
      lastPhaseTransitionTime: expect.stringMatching(/Z$/),
    });
    const updated: JsonObject = { spec: {}, status: { phase: 'Bound' } };
    persistentVolumeRules.defaults?.(updated, false);
    expect(updated).toEqual({
      spec: { persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' },
      status: { phase: 'Bound' },
    });
  });
});
