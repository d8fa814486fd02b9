/**
 * Differential, on a control plane without nodes: kube-controller-manager's Endpoints and
 * EndpointSlice controllers still write, for a Service with a selector, Endpoints of its
 * name without subsets and one placeholder EndpointSlice (no endpoints, no ports), as no
 * Pod ever gets an IP; what they write on a Service's first sync carries its creation
 * time as trigger time, later writes none. Endpoints a client wrote first are taken over,
 * deleted ones come back, a Service whose selector is removed keeps what it had, and an
 * ExternalName Service gets nothing. A Pod a client gives an IP without a Node makes
 * both controllers fail and report it in a Warning Event; Pods bound to a Node a client
 * created are listed (by IP, with hostname and zone; a terminating one in the slice only),
 * ports in each controller's hash order.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-ep-no-nodes');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const core = (kind: string, name = '') =>
  `/api/v1/namespaces/${ns}/${kind}${name ? `/${name}` : ''}`;
const slicesPath = () => `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`;
const TRIGGER = 'endpoints.kubernetes.io/last-change-trigger-time';
const EP_MANAGED_BY = { 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' };
const sliceLabels = (name: string) => ({
  'kubernetes.io/service-name': name,
  'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
});

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
type Obj = any;

async function createService(name: string, spec: Obj, labels?: Obj): Promise<Obj> {
  const res = await raw(kc(), 'POST', core('services'), {
    body: { apiVersion: 'v1', kind: 'Service', metadata: { name, labels }, spec },
  });
  expect(res.status, res.text).toBe(201);
  return res.json();
}

async function patchService(name: string, patch: Obj): Promise<void> {
  const res = await raw(kc(), 'PATCH', core('services', name), {
    body: patch,
    contentType: 'application/merge-patch+json',
  });
  expect(res.status, res.text).toBe(200);
}

/** The Endpoints named `name` once `done` holds of them. */
async function endpointsWhen(name: string, done: (ep: Obj) => boolean): Promise<Obj> {
  let ep: Obj;
  await expect
    .poll(async () => {
      const res = await raw(kc(), 'GET', core('endpoints', name));
      ep = res.status === 200 ? res.json() : undefined;
      return ep !== undefined && done(ep);
    }, EVENTUALLY)
    .toBe(true);
  return ep;
}

async function slicesOf(name: string): Promise<Obj[]> {
  const res = await raw(kc(), 'GET', slicesPath(), {
    query: { labelSelector: `kubernetes.io/service-name=${name}` },
  });
  expect(res.status, res.text).toBe(200);
  return res.json().items;
}

/** The one EndpointSlice of Service `name` once `done` holds of it. */
async function sliceWhen(name: string, done: (slice: Obj) => boolean): Promise<Obj> {
  let slice: Obj;
  await expect
    .poll(async () => {
      const items = await slicesOf(name);
      slice = items.length === 1 ? items[0] : undefined;
      return slice !== undefined && done(slice);
    }, EVENTUALLY)
    .toBe(true);
  return slice;
}

const ports = [{ name: 'http', port: 80, targetPort: 8080 }];
/** kube-apiserver's refusal of the `nodeName: ""` the endpoints controller writes for a Pod without a Node. */
const NODE_NAME_REFUSED = `subsets[0].addresses[0].nodeName: Invalid value: "": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
const selector = { app: 'nowhere' };

describe('Endpoints and EndpointSlices of a selector Service without nodes', () => {
  test('are written without addresses, and follow the Service', async () => {
    const pod = await raw(kc(), 'POST', core('pods'), {
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'pending', labels: selector },
        spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
      },
    });
    expect(pod.status, pod.text).toBe(201);
    const svc = await createService('web', { selector, ports }, { tier: 'front' });
    const created = svc.metadata.creationTimestamp;

    const ep = await endpointsWhen('web', () => true);
    expect(ep.metadata.labels).toEqual({ tier: 'front', ...EP_MANAGED_BY });
    expect(ep.metadata.annotations).toEqual({ [TRIGGER]: created });
    expect(ep.subsets).toBeUndefined();

    const slice = await sliceWhen('web', () => true);
    expect(slice.metadata.generateName).toBe('web-');
    expect(slice.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slice.metadata.labels).toEqual({ tier: 'front', ...sliceLabels('web') });
    expect(slice.metadata.annotations).toEqual({ [TRIGGER]: created });
    expect(slice.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Service',
        name: 'web',
        uid: svc.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(slice.addressType).toBe('IPv4');
    expect(slice.endpoints).toBeNull();
    expect(slice.ports).toBeNull();

    // New ports change nothing without endpoints; new labels are copied, and this later
    // write has no trigger time. The slice keeps its name.
    await patchService('web', { spec: { ports: [{ name: 'https', port: 443 }] } });
    await patchService('web', { metadata: { labels: { tier: 'back' } } });
    const ep2 = await endpointsWhen('web', (e) => e.metadata.labels?.tier === 'back');
    expect(ep2.metadata.labels).toEqual({ tier: 'back', ...EP_MANAGED_BY });
    expect(ep2.metadata.annotations).toBeUndefined();
    expect(ep2.subsets).toBeUndefined();
    const slice2 = await sliceWhen('web', (s) => s.metadata.labels?.tier === 'back');
    expect(slice2.metadata.name).toBe(slice.metadata.name);
    expect(slice2.metadata.labels).toEqual({ tier: 'back', ...sliceLabels('web') });
    expect(slice2.metadata.annotations).toBeUndefined();
    expect(slice2.endpoints).toBeNull();
    expect(slice2.ports).toBeNull();

    // Deleted ones come back (as later writes: no trigger time).
    const delEp = await raw(kc(), 'DELETE', core('endpoints', 'web'));
    expect(delEp.status, delEp.text).toBe(200);
    const ep3 = await endpointsWhen('web', (e) => e.metadata.uid !== ep.metadata.uid);
    expect(ep3.metadata.labels).toEqual({ tier: 'back', ...EP_MANAGED_BY });
    expect(ep3.metadata.annotations).toBeUndefined();
    const delSlice = await raw(kc(), 'DELETE', `${slicesPath()}/${slice.metadata.name}`);
    expect(delSlice.status, delSlice.text).toBe(200);
    const slice3 = await sliceWhen('web', (s) => s.metadata.name !== slice.metadata.name);
    expect(slice3.metadata.labels).toEqual({ tier: 'back', ...sliceLabels('web') });
    expect(slice3.metadata.annotations).toBeUndefined();
    expect(slice3.endpoints).toBeNull();

    // A deleted Service's Endpoints and slices go.
    expect((await raw(kc(), 'DELETE', core('services', 'web'))).status).toBe(200);
    await expect
      .poll(async () => (await raw(kc(), 'GET', core('endpoints', 'web'))).status, EVENTUALLY)
      .toBe(404);
    await expect.poll(async () => (await slicesOf('web')).length, EVENTUALLY).toBe(0);
  });

  test('a headless Service gets the headless label', async () => {
    await createService('quiet', { selector, clusterIP: 'None', ports });
    const ep = await endpointsWhen('quiet', () => true);
    expect(ep.metadata.labels).toEqual({ 'service.kubernetes.io/headless': '', ...EP_MANAGED_BY });
    const slice = await sliceWhen('quiet', () => true);
    expect(slice.metadata.labels).toEqual({
      'service.kubernetes.io/headless': '',
      ...sliceLabels('quiet'),
    });
    expect(slice.endpoints).toBeNull();
    expect(slice.ports).toBeNull();
  });

  test('Endpoints a client wrote before the Service are taken over', async () => {
    // A first Service proves the endpoints controller runs: when it starts, it deletes
    // Endpoints without a Service once, which would take 'taken' before its Service comes.
    await createService('first', { selector, ports });
    await endpointsWhen('first', () => true);
    const mine = await raw(kc(), 'POST', core('endpoints'), {
      body: {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'taken', labels: { mine: 'yes' }, annotations: { note: 'kept' } },
        subsets: [{ addresses: [{ ip: '10.9.8.7' }], ports: [{ port: 80 }] }],
      },
    });
    expect(mine.status, mine.text).toBe(201);
    const svc = await createService('taken', { selector, ports });
    const ep = await endpointsWhen('taken', (e) => e.subsets === undefined);
    expect(ep.metadata.uid).toBe(mine.json().metadata.uid);
    expect(ep.metadata.labels).toEqual(EP_MANAGED_BY);
    expect(ep.metadata.annotations).toEqual({
      note: 'kept',
      [TRIGGER]: svc.metadata.creationTimestamp,
    });
  });

  test('a Service whose selector is removed keeps them; an ExternalName Service gets none', async () => {
    await createService('dropped', { selector, ports });
    const ep = await endpointsWhen('dropped', () => true);
    const slice = await sliceWhen('dropped', () => true);
    await patchService('dropped', { spec: { selector: null } });
    await createService('named', { type: 'ExternalName', externalName: 'example.com', selector });
    // A later Service is the barrier: once its Endpoints and slice are there, the
    // controllers have had their chance with the two Services before it.
    await createService('barrier', { selector, ports });
    await endpointsWhen('barrier', () => true);
    await sliceWhen('barrier', () => true);

    const epAfter = await raw(kc(), 'GET', core('endpoints', 'dropped'));
    expect(epAfter.status).toBe(200);
    expect(epAfter.json().metadata.resourceVersion).toBe(ep.metadata.resourceVersion);
    const slicesAfter = await slicesOf('dropped');
    expect(slicesAfter.map((s) => s.metadata.resourceVersion)).toEqual([
      slice.metadata.resourceVersion,
    ]);
    expect((await raw(kc(), 'GET', core('endpoints', 'named'))).status).toBe(404);
    expect(await slicesOf('named')).toEqual([]);
  });

  test('a Service held by a finalizer keeps its Endpoints until it is gone', async () => {
    const svc = await raw(kc(), 'POST', core('services'), {
      body: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'held', finalizers: ['example.com/hold'] },
        spec: { selector, ports },
      },
    });
    expect(svc.status, svc.text).toBe(201);
    await endpointsWhen('held', () => true);
    await sliceWhen('held', () => true);
    expect((await raw(kc(), 'DELETE', core('services', 'held'))).status).toBe(200);
    await createService('barrier-2', { selector, ports });
    await endpointsWhen('barrier-2', () => true);
    expect((await raw(kc(), 'GET', core('endpoints', 'held'))).status).toBe(200);
    expect(await slicesOf('held')).toHaveLength(1);
    await patchService('held', { metadata: { finalizers: null } });
    await expect
      .poll(async () => (await raw(kc(), 'GET', core('endpoints', 'held'))).status, EVENTUALLY)
      .toBe(404);
    await expect.poll(async () => (await slicesOf('held')).length, EVENTUALLY).toBe(0);
  });

  test('a Pod a client gives an IP, on no Node: the Endpoints write is refused, the slice skips it, both reported', async () => {
    const svc = await createService('addressed', { selector: { app: 'addressed' }, ports });
    const ep = await endpointsWhen('addressed', () => true);
    const slice = await sliceWhen('addressed', () => true);
    await podWithIP('loose', { app: 'addressed' }, '10.9.0.1');

    const eps = await eventsWhen('addressed', 'FailedToUpdateEndpoint');
    expect(eps[0]).toMatchObject({
      type: 'Warning',
      message: `Failed to update endpoint ${ns}/addressed: Endpoints "addressed" is invalid: ${NODE_NAME_REFUSED}`,
      source: { component: 'endpoint-controller' },
      involvedObject: { kind: 'Endpoints', name: 'addressed', uid: ep.metadata.uid },
    });
    const slices = await eventsWhen('addressed', 'FailedToUpdateEndpointSlices');
    expect(slices[0]).toMatchObject({
      type: 'Warning',
      message: `Error updating Endpoint Slices for Service ${ns}/addressed: skipping Pod loose for Service ${ns}/addressed: Node  Not Found`,
      source: { component: 'endpoint-slice-controller' },
      involvedObject: { kind: 'Service', name: 'addressed', uid: svc.metadata.uid },
    });
    // Both were written before the Pod got its IP and stay as they were.
    const epAfter = (await raw(kc(), 'GET', core('endpoints', 'addressed'))).json();
    expect(epAfter.metadata.resourceVersion).toBe(ep.metadata.resourceVersion);
    expect(await slicesOf('addressed')).toEqual([slice]);

    // A Service that comes after the Pod's IP: its Endpoints are never created, and the
    // Event about them (which carry no namespace yet) goes to `default`.
    const late = `late-${ns.split('-').pop()}`;
    await podWithIP('early', { app: late }, '10.9.0.4');
    await createService(late, { selector: { app: late }, ports });
    const [created] = await eventsWhen(late, 'FailedToCreateEndpoint', 'default');
    expect(created).toMatchObject({
      type: 'Warning',
      message: `Failed to create endpoint for service ${ns}/${late}: Endpoints "${late}" is invalid: ${NODE_NAME_REFUSED}`,
      source: { component: 'endpoint-controller' },
      involvedObject: { kind: 'Endpoints', name: late, apiVersion: 'v1' },
    });
    expect(created.involvedObject.namespace).toBeUndefined();
    expect(created.involvedObject.uid).toBeUndefined();
    expect((await raw(kc(), 'GET', core('endpoints', late))).status).toBe(404);
  });

  test("Pods a client binds to a Node it created and gives IPs are listed, ports in the controllers' orders", async () => {
    const node = `e2e-ep-node-${ns}`;
    const made = await raw(kc(), 'POST', '/api/v1/nodes', {
      body: {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: node, labels: { 'topology.kubernetes.io/zone': 'zone-a' } },
      },
    });
    expect(made.status, made.text).toBe(201);
    try {
      const three = [
        { name: 'a', port: 80, targetPort: 8080 },
        { name: 'b', port: 81, targetPort: 8081 },
        { name: 'c', port: 82, targetPort: 8082, protocol: 'SCTP' },
      ];
      await createService('bound', { selector: { app: 'bound' }, ports: three });
      const named = { nodeName: node, hostname: 'web-0', subdomain: 'bound' };
      const a = await podWithIP('bound-a', { app: 'bound' }, '10.9.0.3', named);
      const b = await podWithIP('bound-b', { app: 'bound' }, '10.9.0.12', { nodeName: node });
      const ref = (pod: Obj) => ({
        kind: 'Pod',
        namespace: ns,
        name: pod.metadata.name,
        uid: pod.metadata.uid,
      });
      const ep = await endpointsWhen('bound', (e) => e.subsets?.[0]?.addresses?.length === 2);
      // Addresses by IP as text, the hostname of the Pod whose subdomain names the
      // Service; ports sorted by a hash of each, a different one for Endpoints and slices.
      expect(ep.subsets).toEqual([
        {
          addresses: [
            { ip: '10.9.0.12', nodeName: node, targetRef: ref(b) },
            { ip: '10.9.0.3', hostname: 'web-0', nodeName: node, targetRef: ref(a) },
          ],
          ports: [
            { name: 'c', port: 8082, protocol: 'SCTP' },
            { name: 'a', port: 8080, protocol: 'TCP' },
            { name: 'b', port: 8081, protocol: 'TCP' },
          ],
        },
      ]);
      const slice = await sliceWhen('bound', (x) => x.endpoints?.length === 2);
      const conditions = { ready: true, serving: true, terminating: false };
      const byIP = (x: Obj, y: Obj) => x.addresses[0].localeCompare(y.addresses[0]);
      expect([...slice.endpoints].sort(byIP)).toEqual([
        { addresses: ['10.9.0.12'], conditions, nodeName: node, targetRef: ref(b), zone: 'zone-a' },
        {
          addresses: ['10.9.0.3'],
          conditions,
          hostname: 'web-0',
          nodeName: node,
          targetRef: ref(a),
          zone: 'zone-a',
        },
      ]);
      expect(slice.ports).toEqual([
        { name: 'b', port: 8081, protocol: 'TCP' },
        { name: 'a', port: 8080, protocol: 'TCP' },
        { name: 'c', port: 8082, protocol: 'SCTP' },
      ]);

      // A terminating Pod (no kubelet ends it) leaves the Endpoints; the slice keeps it as
      // terminating, serving but not ready.
      const del = await raw(kc(), 'DELETE', core('pods', 'bound-b'));
      expect(del.status, del.text).toBe(200);
      const ep2 = await endpointsWhen('bound', (e) => e.subsets?.[0]?.addresses?.length === 1);
      expect(ep2.subsets[0].addresses.map((x: Obj) => x.ip)).toEqual(['10.9.0.3']);
      const ending = { ready: false, serving: true, terminating: true };
      const slice2 = await sliceWhen('bound', (x) =>
        x.endpoints?.some((e: Obj) => e.conditions.terminating),
      );
      expect([...slice2.endpoints].sort(byIP).map((e: Obj) => e.conditions)).toEqual([
        ending,
        conditions,
      ]);
    } finally {
      for (const pod of ['bound-a', 'bound-b']) {
        await raw(kc(), 'DELETE', core('pods', pod), { query: { gracePeriodSeconds: '0' } });
      }
      await raw(kc(), 'DELETE', `/api/v1/nodes/${node}`);
    }
  });

  test('a Pod on a Node not there yet is listed in the Endpoints, and in the slice once the Node comes', async () => {
    const node = `e2e-ep-later-${ns}`;
    await createService('awaiting', { selector: { app: 'awaiting' }, ports });
    const pod = await podWithIP('awaiting-pod', { app: 'awaiting' }, '10.9.0.5', {
      nodeName: node,
    });
    const targetRef = { kind: 'Pod', namespace: ns, name: 'awaiting-pod', uid: pod.metadata.uid };
    const ep = await endpointsWhen('awaiting', (e) => e.subsets !== undefined);
    expect(ep.subsets[0].addresses).toEqual([{ ip: '10.9.0.5', nodeName: node, targetRef }]);
    const [event] = await eventsWhen('awaiting', 'FailedToUpdateEndpointSlices');
    expect(event.message).toBe(
      `Error updating Endpoint Slices for Service ${ns}/awaiting: skipping Pod awaiting-pod for Service ${ns}/awaiting: Node ${node} Not Found`,
    );
    expect((await slicesOf('awaiting')).map((s) => s.endpoints)).toEqual([null]);
    const made = await raw(kc(), 'POST', '/api/v1/nodes', {
      body: { apiVersion: 'v1', kind: 'Node', metadata: { name: node } },
    });
    expect(made.status, made.text).toBe(201);
    try {
      const slice = await sliceWhen('awaiting', (x) => x.endpoints?.length === 1);
      expect(slice.endpoints[0]).toEqual({
        addresses: ['10.9.0.5'],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: node,
        targetRef,
      });
    } finally {
      await raw(kc(), 'DELETE', core('pods', 'awaiting-pod'), {
        query: { gracePeriodSeconds: '0' },
      });
      await raw(kc(), 'DELETE', `/api/v1/nodes/${node}`);
    }
  });
});

/** A Pod labelled `labels` (with `spec` besides its container) whose status a client gives `ip` and `Ready`. */
async function podWithIP(name: string, labels: Obj, ip: string, spec: Obj = {}): Promise<Obj> {
  const made = await raw(kc(), 'POST', core('pods'), {
    body: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels },
      spec: { ...spec, containers: [{ name: 'c', image: 'nginx:1.27' }] },
    },
  });
  expect(made.status, made.text).toBe(201);
  const pod = made.json();
  const put = await raw(kc(), 'PUT', core('pods', `${name}/status`), {
    body: { ...pod, status: { podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] } },
  });
  expect(put.status, put.text).toBe(200);
  return put.json();
}

/** The Events about `name` with `reason` in `namespace` (the test's), once there is one. */
async function eventsWhen(name: string, reason: string, namespace = ns): Promise<Obj[]> {
  let events: Obj[] = [];
  await expect
    .poll(async () => {
      const res = await raw(kc(), 'GET', `/api/v1/namespaces/${namespace}/events`, {
        query: { fieldSelector: `involvedObject.name=${name},reason=${reason}` },
      });
      expect(res.status, res.text).toBe(200);
      events = res.json().items;
      return events.length;
    }, EVENTUALLY)
    .toBeGreaterThan(0);
  return events;
}
