import { describe, expect, it } from 'vitest';
import type { StatusCause } from '../errors.js';
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

describe('PersistentVolumeClaim validation', () => {
  const ctx = { group: '', create: true };
  const claim = (spec: JsonObject): JsonObject => ({
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
  });
  const causes = (list: StatusCause[] = []) => list.map((c) => `${c.field}: ${c.message}`);

  it('access modes, a positive storage request, class name and data source', () => {
    expect(causes(persistentVolumeClaimRules.validate?.(claim({}), ctx))).toEqual([]);
    expect(
      causes(
        persistentVolumeClaimRules.validate?.(
          claim({
            accessModes: ['ReadWriteOncePod', 'ReadWriteOnce', 'Sometimes'],
            resources: { requests: { storage: '0' } },
            storageClassName: 'Fast_SSD',
            dataSource: { kind: 'ConfigMap', name: 's' },
            dataSourceRef: { kind: 'ConfigMap', name: 's' },
          }),
          ctx,
        ),
      ),
    ).toEqual([
      'spec.accessModes: Unsupported value: "Sometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      'spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
      'spec.resources[storage]: Invalid value: "0": must be greater than zero',
      expect.stringMatching(
        /^spec.storageClassName: Invalid value: "Fast_SSD": a lowercase RFC 1123 subdomain/,
      ),
      'spec.dataSource: Invalid value: "ConfigMap": must be \'PersistentVolumeClaim\' when referencing the default apiGroup',
      'spec.dataSourceRef: Invalid value: "ConfigMap": must be \'PersistentVolumeClaim\' when referencing the default apiGroup',
    ]);
  });

  it('an update: the spec is fixed but for a first class name; storage may not shrink', () => {
    const prev = claim({ volumeMode: 'Filesystem' });
    const classed = claim({ volumeMode: 'Filesystem', storageClassName: 'fast' });
    expect(causes(persistentVolumeClaimRules.validateUpdate?.(classed, prev, ctx))).toEqual([]);
    const smaller = claim({ volumeMode: 'Block', resources: { requests: { storage: '1Mi' } } });
    const got = causes(persistentVolumeClaimRules.validateUpdate?.(smaller, prev, ctx));
    expect(got[0]).toMatch(/^spec: Forbidden: spec is immutable after creation except/);
    expect(got.slice(1)).toEqual(['volumeMode: Invalid value: "Block": field is immutable']);
    const bound = { ...smaller, status: { phase: 'Bound', capacity: { storage: '1Gi' } } };
    const shrunk = { ...prev, status: bound.status };
    expect(
      causes(
        persistentVolumeClaimRules.validateUpdate?.(
          {
            ...claim({ volumeMode: 'Filesystem', resources: { requests: { storage: '1Mi' } } }),
            status: bound.status,
          },
          shrunk,
          ctx,
        ),
      ),
    ).toEqual([
      'spec.resources.requests.storage: Forbidden: field can not be less than status.capacity',
    ]);
  });

  it('data sources: a foreign legacy dataSource is dropped, the two fields copied into each other', () => {
    const pvc: JsonObject = claim({ dataSource: { kind: 'ConfigMap', name: 'c' } });
    persistentVolumeClaimRules.defaults?.(pvc, true);
    expect((pvc.spec as JsonObject).dataSource).toBeUndefined();
    const copied: JsonObject = claim({
      dataSource: { kind: 'PersistentVolumeClaim', name: 'src' },
    });
    persistentVolumeClaimRules.defaults?.(copied, true);
    expect((copied.spec as JsonObject).dataSourceRef).toEqual({
      apiGroup: null,
      kind: 'PersistentVolumeClaim',
      name: 'src',
    });
  });
});
