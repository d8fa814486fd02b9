import { describe, expect, it } from 'vitest';
import { MemoryApiServer } from '../server.js';
import { httpClient, until } from '../test-client.test-helper.js';
import {
  desiredSlices,
  MAX_ENDPOINTS_PER_SUBSET,
  repackSubsets,
} from './endpoint-slice-mirroring.js';

describe('repackSubsets', () => {
  it('groups ports by the addresses behind them; an address not ready anywhere stays not ready', () => {
    const groups = repackSubsets([
      { addresses: [{ ip: '10.0.0.2' }, { ip: '10.0.0.1' }], ports: [{ name: 'a', port: 1 }] },
      { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ name: 'b', port: 2 }] },
      { notReadyAddresses: [{ ip: '10.0.0.3' }] },
      {
        addresses: [{ ip: '10.0.0.4' }],
        notReadyAddresses: [{ ip: '10.0.0.4' }],
        ports: [{ port: 3 }],
      },
    ]);
    expect(groups).toEqual([
      {
        ports: [
          { name: 'a', port: 1 },
          { name: 'b', port: 2 },
        ],
        addresses: [
          { address: { ip: '10.0.0.1' }, ready: true },
          { address: { ip: '10.0.0.2' }, ready: true },
        ],
      },
      { ports: [], addresses: [{ address: { ip: '10.0.0.3' }, ready: false }] },
      { ports: [{ port: 3 }], addresses: [{ address: { ip: '10.0.0.4' }, ready: false }] },
    ]);
  });
});

describe('desiredSlices', () => {
  it('splits a subset by address type, canonical addresses, ready ones first, 1000 at most in all', () => {
    const many = Array.from({ length: MAX_ENDPOINTS_PER_SUBSET + 5 }, (_, i) => ({
      ip: `10.${i >> 8}.${i & 255}.1`,
    }));
    const plan = desiredSlices({
      subsets: [
        {
          addresses: [{ ip: '0:db8:0:0::1', hostname: 'h' }, ...many],
          notReadyAddresses: [{ ip: '9.9.9.9', nodeName: 'n' }],
          ports: [{ name: 'p', port: 80, protocol: 'TCP' }],
        },
      ],
    });
    const desired = [...plan.slices.values()];
    // 1007 addresses: six ready ones beyond the cap, and the not-ready one after them.
    expect([plan.invalid, plan.skipped]).toEqual([0, 7]);
    expect(desired.map((d) => [d.addressType, d.endpoints.length])).toEqual([
      ['IPv4', MAX_ENDPOINTS_PER_SUBSET - 1],
      ['IPv6', 1],
    ]);
    expect(desired[1]?.endpoints).toEqual([
      { addresses: ['0:db8::1'], conditions: { ready: true }, hostname: 'h' },
    ]);
    expect(desired[0]?.ports).toEqual([{ name: 'p', port: 80, protocol: 'TCP' }]);
    // The not-ready address came after the cap.
    expect(JSON.stringify(desired[0]?.endpoints)).not.toContain('"ready":false');
  });
});

describe('desiredSlices of an address Go cannot read', () => {
  it('counts it as invalid and skipped (no API server stores one, older ones might)', () => {
    const plan = desiredSlices({
      subsets: [{ addresses: [{ ip: 'not-an-ip' }, { ip: '10.0.0.1' }], ports: [{ port: 80 }] }],
    });
    expect([plan.invalid, plan.skipped]).toEqual([1, 1]);
    expect([...plan.slices.values()].map((d) => d.endpoints.length)).toEqual([1, 0]);
  });
});

describe('EndpointSliceMirroring on a server', () => {
  it('mirrors Endpoints of a Service without a selector, and drops the slices once it has one', async () => {
    const server = await MemoryApiServer.start({ bookmarkIntervalMs: 0 });
    try {
      const call = httpClient(server);
      const NS = '/api/v1/namespaces/default';
      const slices = '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices';
      await call('POST', `${NS}/services`, {
        metadata: { name: 'm' },
        spec: { ports: [{ port: 80 }] },
      });
      const { body: ep } = await call('POST', `${NS}/endpoints`, {
        metadata: { name: 'm', labels: { a: 'b' } },
        subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 8080 }] }],
      });
      const list = async (): Promise<unknown[]> => (await call('GET', slices)).body.items;
      const [slice] = await until(list, (items) => items.length === 1);
      expect(slice).toMatchObject({
        metadata: {
          generateName: 'm-',
          labels: {
            a: 'b',
            'kubernetes.io/service-name': 'm',
            'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io',
          },
          ownerReferences: [
            { kind: 'Endpoints', name: 'm', uid: ep.metadata.uid, controller: true },
          ],
        },
        addressType: 'IPv4',
        endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true } }],
        ports: [{ name: '', port: 8080, protocol: 'TCP' }],
      });
      const patched = await call(
        'PATCH',
        `${NS}/services/m`,
        { spec: { selector: { app: 'x' } } },
        'application/merge-patch+json',
      );
      expect(patched.status).toBe(200);
      // The Endpoints controller's placeholder slice replaces the mirrored one.
      const after = await until(list, (items) => !JSON.stringify(items).includes('mirroring'));
      expect(JSON.stringify(after)).toContain('endpointslice-controller.k8s.io');
    } finally {
      await server.stop();
    }
  });
});
