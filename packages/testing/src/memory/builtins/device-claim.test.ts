import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { defaultDeviceClaim, deviceClaimCauses } from './device-claim.js';

const lines = (spec: JsonObject) =>
  deviceClaimCauses(spec, 'spec.devices').map((c) => `${c.field}: ${c.message}`);

describe('device claims', () => {
  test('requests default to one device of ExactCount; tolerations to Equal', () => {
    const spec: JsonObject = {
      devices: {
        requests: [
          { name: 'a', exactly: { deviceClassName: 'c', tolerations: [{ key: 'k' }] } },
          {
            name: 'b',
            firstAvailable: [{ name: 's', deviceClassName: 'c', allocationMode: 'All' }],
          },
        ],
      },
    };
    defaultDeviceClaim(spec);
    expect(spec.devices).toEqual({
      requests: [
        {
          name: 'a',
          exactly: {
            deviceClassName: 'c',
            allocationMode: 'ExactCount',
            count: 1,
            tolerations: [{ key: 'k', operator: 'Equal' }],
          },
        },
        { name: 'b', firstAvailable: [{ name: 's', deviceClassName: 'c', allocationMode: 'All' }] },
      ],
    });
    expect(lines(spec)).toEqual([]);
  });

  test('one of exactly or firstAvailable; names unique; references name requests', () => {
    expect(
      lines({
        devices: {
          requests: [
            { name: 'a' },
            { name: 'a', exactly: { deviceClassName: 'c', allocationMode: 'All', count: 2 } },
          ],
          config: [{ requests: ['a/x'], opaque: { driver: 'd.example.com', parameters: {} } }],
        },
      }),
    ).toEqual([
      'spec.devices.requests[0]: Required value: exactly one of `exactly` or `firstAvailable` is required',
      "spec.devices.requests[1].exactly.count: Invalid value: 2: must not be specified when allocationMode is 'All'",
      'spec.devices.requests[1]: Duplicate value: "a"',
      'spec.devices.config[0].requests[0]: Invalid value: "a/x": must be the name of a request in the claim or the name of a request and a subrequest separated by \'/\'',
    ]);
  });
});
