/**
 * Differential: kube-controller-manager's EndpointSlice mirroring controller. Endpoints a
 * client writes for a Service without a selector are mirrored into EndpointSlices owned by
 * the Endpoints (their labels plus the service-name and managed-by labels, their
 * annotations but kubectl's last-applied configuration, one slice per port set, `ready`
 * from addresses or notReadyAddresses, hostname, nodeName, targetRef); an update of the
 * Endpoints is mirrored into the same slices, ports in the controller's hash order; Endpoints labelled skip-mirror are not
 * mirrored; deleted Endpoints take their slices with them.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-eps-mirror');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const core = (kind: string, name = '') =>
  `/api/v1/namespaces/${ns}/${kind}${name ? `/${name}` : ''}`;
const slicesPath = () => `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`;
const MIRROR = 'endpointslicemirroring-controller.k8s.io';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
type Obj = any;

async function create(kind: string, body: Obj): Promise<Obj> {
  const res = await raw(kc(), 'POST', core(kind), { body });
  expect(res.status, res.text).toBe(201);
  return res.json();
}

/** A Service without a selector. */
const service = (name: string) =>
  create('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { ports: [{ name: 'http', port: 80 }] },
  });

/** The mirrored slices of Endpoints `name`. */
async function slicesOf(name: string): Promise<Obj[]> {
  const res = await raw(kc(), 'GET', slicesPath(), {
    query: {
      labelSelector: `kubernetes.io/service-name=${name},endpointslice.kubernetes.io/managed-by=${MIRROR}`,
    },
  });
  expect(res.status, res.text).toBe(200);
  return res.json().items;
}

/** The mirrored slices of `name` once `done` holds of them (by first port name, then address type). */
async function slicesWhen(name: string, done: (slices: Obj[]) => boolean): Promise<Obj[]> {
  let slices: Obj[] = [];
  await expect
    .poll(async () => {
      slices = await slicesOf(name);
      return done(slices);
    }, EVENTUALLY)
    .toBe(true);
  const key = (x: Obj) => `${x.ports?.[0]?.name}/${x.addressType}`;
  return slices.sort((a, b) => key(a).localeCompare(key(b)));
}

/** A slice's endpoints in address order (the controller lists them in no fixed order). */
const endpointsOf = (slice: Obj): Obj[] =>
  [...(slice.endpoints ?? [])].sort((a, b) => a.addresses[0].localeCompare(b.addresses[0]));

async function createEndpoints(name: string, subsets: Obj[]): Promise<Obj> {
  return create('endpoints', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name }, subsets });
}

const target = (name: string) => ({ kind: 'Pod', namespace: ns, name, uid: `uid-${name}` });

describe('EndpointSlice mirroring', () => {
  test('mirrors Endpoints of a Service without a selector, follows updates, skips and deletions', async () => {
    await service('web');
    const ep = await create('endpoints', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name: 'web',
        labels: { team: 'a' },
        annotations: {
          note: 'kept',
          'kubectl.kubernetes.io/last-applied-configuration': '{}',
        },
      },
      subsets: [
        {
          addresses: [
            { ip: '10.1.0.2', hostname: 'two', nodeName: 'n1', targetRef: target('p2') },
            { ip: '10.1.0.1' },
          ],
          notReadyAddresses: [{ ip: '10.1.0.3' }],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP', appProtocol: 'http' }],
        },
        {
          addresses: [{ ip: '10.2.0.1' }],
          notReadyAddresses: [{ ip: '10.2.0.2', targetRef: target('p4') }],
          ports: [{ name: 'metrics', port: 9090, protocol: 'UDP' }],
        },
      ],
    });

    const slices = await slicesWhen('web', (s) => s.length === 2);
    const owner = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      name: 'web',
      uid: ep.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    };
    for (const slice of slices) {
      expect(slice.metadata.generateName).toBe('web-');
      expect(slice.metadata.name.startsWith('web-')).toBe(true);
      expect(slice.metadata.labels).toEqual({
        team: 'a',
        'kubernetes.io/service-name': 'web',
        'endpointslice.kubernetes.io/managed-by': MIRROR,
      });
      expect(slice.metadata.annotations).toEqual({ note: 'kept' });
      expect(slice.metadata.ownerReferences).toEqual([owner]);
      expect(slice.addressType).toBe('IPv4');
    }
    const [http, metrics] = slices;
    expect(http.ports).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP', appProtocol: 'http' },
    ]);
    expect(endpointsOf(http)).toEqual([
      { addresses: ['10.1.0.1'], conditions: { ready: true } },
      {
        addresses: ['10.1.0.2'],
        conditions: { ready: true },
        hostname: 'two',
        nodeName: 'n1',
        targetRef: target('p2'),
      },
      { addresses: ['10.1.0.3'], conditions: { ready: false } },
    ]);
    expect(metrics.ports).toEqual([{ name: 'metrics', port: 9090, protocol: 'UDP' }]);
    expect(endpointsOf(metrics)).toEqual([
      { addresses: ['10.2.0.1'], conditions: { ready: true } },
      { addresses: ['10.2.0.2'], conditions: { ready: false }, targetRef: target('p4') },
    ]);

    // An update: the http subset loses an address, the other one changes its port; both
    // are written over the slices there were (names kept), rebuilt from the Endpoints.
    const current = (await raw(kc(), 'GET', core('endpoints', 'web'))).json();
    current.metadata.labels = { team: 'b' };
    current.subsets[0].notReadyAddresses = undefined;
    current.subsets[1].ports[0].port = 9091;
    const put = await raw(kc(), 'PUT', core('endpoints', 'web'), { body: current });
    expect(put.status, put.text).toBe(200);
    const updated = await slicesWhen(
      'web',
      (s) => s.length === 2 && s.every((x) => x.metadata.labels.team === 'b'),
    );
    expect(updated.map((s) => s.metadata.name).sort()).toEqual(
      slices.map((s) => s.metadata.name).sort(),
    );
    const [http2, metrics2] = updated;
    expect(http2.metadata.generateName).toBeUndefined();
    expect(http2.metadata.ownerReferences).toEqual([owner]);
    expect(http2.metadata.annotations).toEqual({ note: 'kept' });
    expect(endpointsOf(http2).map((e) => e.addresses[0])).toEqual(['10.1.0.1', '10.1.0.2']);
    expect(metrics2.ports).toEqual([{ name: 'metrics', port: 9091, protocol: 'UDP' }]);
    expect(endpointsOf(metrics2)).toEqual(endpointsOf(metrics));

    // Endpoints labelled skip-mirror are not mirrored; a later mirrored Endpoints is the
    // barrier that shows the controller has had its chance with them.
    await service('skipped');
    await create('endpoints', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'skipped', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [{ ip: '10.3.0.1' }], ports: [{ port: 80 }] }],
    });
    await service('barrier');
    await create('endpoints', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'barrier' },
      subsets: [{ addresses: [{ ip: '10.4.0.1' }], ports: [{ port: 80 }] }],
    });
    const [barrier] = await slicesWhen('barrier', (s) => s.length === 1);
    expect(barrier.ports).toEqual([{ name: '', port: 80, protocol: 'TCP' }]);
    expect(barrier.metadata.annotations).toBeUndefined();
    expect(await slicesOf('skipped')).toEqual([]);

    // Deleted Endpoints take their mirrored slices with them.
    const del = await raw(kc(), 'DELETE', core('endpoints', 'web'));
    expect(del.status, del.text).toBe(200);
    await slicesWhen('web', (s) => s.length === 0);
  });

  test('repacks ports by addresses, splits address types, restores its slices, and drops them for a selector or a deleted Service', async () => {
    await service('packed');
    const addresses = [{ ip: '10.5.0.1' }, { ip: '2001:db8::1' }];
    await createEndpoints('packed', [
      {
        addresses,
        ports: [
          { name: 'a', port: 80 },
          { name: 'b', port: 81 },
        ],
      },
      { addresses: [...addresses].reverse(), ports: [{ name: 'c', port: 82, protocol: 'SCTP' }] },
    ]);
    const slices = await slicesWhen('packed', (s) => s.length === 2);
    expect(slices.map((s) => s.addressType)).toEqual(['IPv4', 'IPv6']);
    // In the controller's order: by a hash of each port, whatever the Endpoints' order.
    for (const slice of slices) {
      expect(slice.ports).toEqual([
        { name: 'b', port: 81, protocol: 'TCP' },
        { name: 'a', port: 80, protocol: 'TCP' },
        { name: 'c', port: 82, protocol: 'SCTP' },
      ]);
    }
    expect(slices.map((s) => s.endpoints)).toEqual([
      [{ addresses: ['10.5.0.1'], conditions: { ready: true } }],
      [{ addresses: ['2001:db8::1'], conditions: { ready: true } }],
    ]);
    const [v4, v6] = slices;

    // A deleted slice is written again; a slice whose endpoints a client changed is put back.
    const gone = await raw(kc(), 'DELETE', `${slicesPath()}/${v4.metadata.name}`);
    expect(gone.status, gone.text).toBe(200);
    const edited = await raw(kc(), 'PUT', `${slicesPath()}/${v6.metadata.name}`, {
      body: { ...v6, endpoints: [{ addresses: ['2001:db8::9'], conditions: { ready: false } }] },
    });
    expect(edited.status, edited.text).toBe(200);
    const restored = await slicesWhen(
      'packed',
      (s) =>
        s.length === 2 &&
        s.every((x) => x.metadata.name !== v4.metadata.name) &&
        s.some((x) => x.endpoints?.[0]?.addresses[0] === '2001:db8::1'),
    );
    expect(restored.map((s) => s.endpoints)).toEqual(slices.map((s) => s.endpoints));
    expect(restored[1].metadata.name).toBe(v6.metadata.name);

    // A selector on the Service: its mirrored slices go.
    const patched = await raw(kc(), 'PATCH', core('services', 'packed'), {
      body: { spec: { selector: { app: 'packed' } } },
      contentType: 'application/merge-patch+json',
    });
    expect(patched.status, patched.text).toBe(200);
    await slicesWhen('packed', (s) => s.length === 0);

    // A deleted Service: its Endpoints' mirrored slices go.
    await service('lost');
    await createEndpoints('lost', [{ addresses: [{ ip: '10.6.0.1' }], ports: [{ port: 80 }] }]);
    await slicesWhen('lost', (s) => s.length === 1);
    const deleted = await raw(kc(), 'DELETE', core('services', 'lost'));
    expect(deleted.status, deleted.text).toBe(200);
    await slicesWhen('lost', (s) => s.length === 0);
  });

  test('mirrors at most 1000 addresses of a subset and reports the rest in a warning Event', async () => {
    await service('crowded');
    const addresses = Array.from({ length: 1001 }, (_, i) => ({
      ip: `10.7.${i >> 8}.${i & 255}`,
    }));
    const ep = await createEndpoints('crowded', [
      { addresses, notReadyAddresses: [{ ip: '10.8.0.1' }], ports: [{ port: 80 }] },
    ]);
    const [slice] = await slicesWhen('crowded', (s) => s.length === 1);
    expect(slice.endpoints).toHaveLength(1000);
    expect(slice.endpoints.every((e: Obj) => e.conditions.ready)).toBe(true);

    let events: Obj[] = [];
    await expect
      .poll(async () => {
        const res = await raw(kc(), 'GET', core('events'), {
          query: { fieldSelector: 'involvedObject.name=crowded,involvedObject.kind=Endpoints' },
        });
        expect(res.status, res.text).toBe(200);
        events = res.json().items;
        return events.length;
      }, EVENTUALLY)
      .toBeGreaterThan(0);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      type: 'Warning',
      reason: 'TooManyAddressesToMirror',
      message:
        'A max of 1000 addresses can be mirrored to EndpointSlices per Endpoints subset. 2 addresses were skipped',
      source: { component: 'endpoint-slice-mirroring-controller' },
      reportingComponent: 'endpoint-slice-mirroring-controller',
      involvedObject: {
        kind: 'Endpoints',
        namespace: ns,
        name: 'crowded',
        uid: ep.metadata.uid,
        apiVersion: 'v1',
      },
    });
    expect(event.count).toBeGreaterThanOrEqual(1);
  });
});
