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

describe('PersistentVolume validation', () => {
  const ctx = { group: '', create: true };
  const volume = (spec: JsonObject): JsonObject => ({
    metadata: { name: 'pv' },
    spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], ...spec },
  });

  it("refuses Recycle only for a hostPath that Go's path.Clean makes '/'", () => {
    const fields = (path: string) =>
      persistentVolumeRules
        .validate?.(volume({ hostPath: { path }, persistentVolumeReclaimPolicy: 'Recycle' }), ctx)
        .map((c) => c.field);
    for (const root of ['/', '//', '/./', '/..', '/a/..']) {
      expect(fields(root)).toContain('spec.persistentVolumeReclaimPolicy');
    }
    for (const other of ['/a', 'a/..', '/a/b/..'])
      expect(fields(other)).not.toContain('spec.persistentVolumeReclaimPolicy');
  });

  it('lets a beta node label become its GA name, nothing else', () => {
    const affinity = (key: string) => ({
      required: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator: 'Exists' }] }] },
    });
    const prev = volume({
      local: { path: '/mnt' },
      nodeAffinity: affinity('beta.kubernetes.io/os'),
    });
    const next = (key: string) => volume({ local: { path: '/mnt' }, nodeAffinity: affinity(key) });
    const update = { group: '', create: false };
    expect(persistentVolumeRules.validateUpdate?.(next('kubernetes.io/os'), prev, update)).toEqual(
      [],
    );
    expect(
      persistentVolumeRules
        .validateUpdate?.(next('kubernetes.io/arch'), prev, update)
        ?.map((c) => c.field),
    ).toEqual(['nodeAffinity']);
  });
});
