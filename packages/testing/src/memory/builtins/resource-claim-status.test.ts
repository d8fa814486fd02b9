import { describe, expect, test } from 'vitest';
import { claimStatusCauses, dropDeallocatedDevices } from './resource-claim-status.js';

const spec = { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName: 'c' } }] } };
const result = (device: string, shareID?: string) => ({
  request: 'gpu',
  driver: 'dra.example.com',
  pool: 'p',
  device,
  ...(shareID ? { shareID } : {}),
});

describe('claimStatusCauses', () => {
  test('share IDs as google/uuid and the normalized form judge them', () => {
    const ids = ['{00000000-0000-0000-0000-000000000000}', 'urn:uuid:x', 'zz', '0'.repeat(36)];
    const causes = claimStatusCauses(
      { spec, status: { allocation: { devices: { results: ids.map((id) => result('d', id)) } } } },
      { spec, status: {} },
    );
    expect(causes.map((c) => c.message)).toEqual([
      'Invalid value: "{00000000-0000-0000-0000-000000000000}": uid must be in RFC 4122 normalized form, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` with lowercase hexadecimal characters',
      'Invalid value: "urn:uuid:x": error validating uid: invalid UUID length: 10',
      'Invalid value: "zz": error validating uid: invalid UUID length: 2',
      `Invalid value: "${'0'.repeat(36)}": error validating uid: invalid UUID format`,
    ]);
  });

  test('an unchanged allocation passes; reservations need one', () => {
    const status = { allocation: { devices: { results: [result('d')] } } };
    expect(claimStatusCauses({ spec, status }, { spec, status })).toEqual([]);
    const reserved = { reservedFor: [{ resource: 'pods', name: 'p', uid: 'u' }] };
    expect(claimStatusCauses({ spec, status: reserved }, { spec, status: {} })).toEqual([
      {
        reason: 'FieldValueForbidden',
        message: 'Forbidden: may not be specified when `allocated` is not set',
        field: 'status.reservedFor',
      },
    ]);
  });
});

test('dropDeallocatedDevices keeps the statuses of devices still allocated', () => {
  const device = (name: string) => ({ driver: 'dra.example.com', pool: 'p', device: name });
  const prev = { status: { allocation: { devices: { results: [result('a'), result('b')] } } } };
  const next = {
    status: {
      allocation: { devices: { results: [result('a')] } },
      devices: [device('a'), device('b')],
    },
  };
  dropDeallocatedDevices(next, prev);
  expect(next.status.devices).toEqual([device('a')]);
});
