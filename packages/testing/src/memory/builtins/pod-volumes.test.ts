import { describe, expect, test } from 'vitest';
import { volumeCauses, volumeMountCauses } from './pod-volumes.js';

const fields = (causes: { field?: string; reason?: string }[]) =>
  causes.map((c) => `${c.field} ${c.reason}`);

describe('volumeCauses', () => {
  test('a volume with errors is not mountable, so a later one of its name is no duplicate', () => {
    const { causes, names } = volumeCauses(
      [
        { name: 'v', configMap: {} },
        { name: 'v', emptyDir: {} },
        { name: 'w', emptyDir: {}, hostPath: { path: '/x' } },
      ],
      'spec.volumes',
      true,
    );
    expect(fields(causes)).toEqual([
      'spec.volumes[0].configMap.name FieldValueRequired',
      'spec.volumes[2].hostPath FieldValueForbidden',
    ]);
    expect([...names]).toEqual(['v']);
  });

  test("an ephemeral volume's claim name, <pod>-<volume>, must be a DNS subdomain (Pods only)", () => {
    const volume = { name: 'v'.repeat(63), ephemeral: { volumeClaimTemplate: { spec: {} } } };
    const pod = { name: 'p'.repeat(190) };
    const named = (meta?: { name: string }) =>
      volumeCauses([volume], 'spec.volumes', true, meta).causes.filter(
        (c) => c.field === 'spec.volumes[0].name',
      );
    expect(named(pod).map((c) => c.message)).toEqual([
      `Invalid value: "${volume.name}": PVC name "${pod.name}-${volume.name}": must be no more than 253 characters`,
    ]);
    expect(named({ name: 'short' })).toEqual([]);
    expect(named()).toEqual([]);
  });

  test('modes, items and hostPath types are checked', () => {
    const { causes } = volumeCauses(
      [
        { name: 's', secret: { secretName: 's', defaultMode: 512, items: [{ key: 'k' }] } },
        { name: 'h', hostPath: { path: '/a/../b', type: 'Nope' } },
      ],
      'v',
      true,
    );
    expect(fields(causes)).toEqual([
      'v[0].secret.defaultMode FieldValueInvalid',
      'v[0].secret.items[0].path FieldValueRequired',
      'v[1].hostPath.path FieldValueInvalid',
      'v[1].hostPath.type FieldValueNotSupported',
    ]);
  });
});

describe('volumeMountCauses', () => {
  test('a mount names a known volume and a unique path', () => {
    const causes = volumeMountCauses(
      [
        { name: 'a', mountPath: '/x' },
        { name: 'b', mountPath: '/x' },
        { name: '', mountPath: '' },
      ],
      new Set(['a']),
      'm',
    );
    expect(fields(causes)).toEqual([
      'm[1].name FieldValueNotFound',
      'm[1].mountPath FieldValueInvalid',
      'm[2].name FieldValueRequired',
      'm[2].name FieldValueNotFound',
      'm[2].mountPath FieldValueRequired',
    ]);
  });
});
