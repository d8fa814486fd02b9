import { describe, expect, test } from 'vitest';
import { hostUsersCauses, osCauses } from './pod-os.js';

describe('osCauses', () => {
  test('names, then the other system fields', () => {
    expect(osCauses({ os: {} }, 'spec').map((c) => c.field)).toEqual(['spec.os.name']);
    expect(osCauses({ os: { name: 'plan9' } }, 'spec').map((c) => c.reason)).toEqual([
      'FieldValueNotSupported',
    ]);
    const windows = {
      os: { name: 'windows' },
      hostUsers: true,
      containers: [{ name: 'c', securityContext: { privileged: true } }],
    };
    expect(osCauses(windows, 'spec').map((c) => c.field)).toEqual([
      'spec.hostUsers',
      'spec.containers[0].securityContext.privileged',
    ]);
  });
});

describe('hostUsersCauses', () => {
  test('only with hostUsers: false, named as kube-apiserver names them', () => {
    const spec = { hostPID: true, hostIPC: true, containers: [{ volumeDevices: [{}] }] };
    expect(hostUsersCauses(spec, 'spec')).toEqual([]);
    expect(hostUsersCauses({ ...spec, hostUsers: false }, 'spec').map((c) => c.field)).toEqual([
      'spec.HostPID',
      'spec.HostIPC',
      'spec.containers[0].volumeDevices',
    ]);
  });
});
