/**
 * Differential: what a Service update may do to its cluster IPs, IP families and family
 * policy on kube-apiserver's single-stack IPv4 cluster (a second IP or family is refused,
 * a changed IP may not change once set and is not allocated, a headless Service without a
 * selector steps down to one family only as `SingleStack`), and its node ports: shared by
 * the ports of one number at create, repeated ones refused (a `Duplicate value`, the
 * allocator's `already allocated`, or on an update its 500), another Service's refused.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Cause, duplicateValue, expectInvalid, forbidden, invalid } from './invalid-status.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-svc-update');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const services = (name = '') => `/api/v1/namespaces/${ns}/services${name ? `/${name}` : ''}`;
const ports = [{ port: 80 }];
const selector = { app: 'x' };

function create(name: string, spec: Record<string, unknown>, dryRun = false) {
  return raw(kc(), 'POST', `${services()}${dryRun ? '?dryRun=All' : ''}`, {
    body: { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec },
  });
}

function patch(name: string, spec: Record<string, unknown>) {
  return raw(kc(), 'PATCH', services(name), {
    body: { spec },
    contentType: 'application/merge-patch+json',
  });
}

/** Expects the update of `name` with `spec` refused with `causes`. */
async function refused(name: string, spec: Record<string, unknown>, causes: Cause[]) {
  expectInvalid(await patch(name, spec), `Service "${name}"`, causes);
}

/** Expects the update of `name` with `spec` to pass; its spec. */
async function updated(name: string, spec: Record<string, unknown>) {
  const res = await patch(name, spec);
  expect(res.status, res.text).toBe(200);
  return res.json().spec;
}

const policy = (value: string, why: string) =>
  invalid('spec.ipFamilyPolicy', JSON.stringify(value), why);
const MULTIPLE = (what: string) =>
  `must be 'RequireDualStack' or 'PreferDualStack' when multiple ${what} are specified`;
const NOT_CONFIGURED = 'not configured on this cluster';
const ONCE_SET = 'may not change once set';

describe('cluster IPs, IP families and policy', () => {
  test('a Service may prefer dual-stack, not require it, and gets no second IP or family', async () => {
    const made = await create('single', { ports, selector });
    expect(made.status, made.text).toBe(201);
    const ip: string = made.json().spec.clusterIP;
    const two = (second: string) => JSON.stringify([ip, second]);
    await refused('single', { ipFamilyPolicy: 'RequireDualStack' }, [
      policy('RequireDualStack', 'this cluster is not configured for dual-stack services'),
    ]);
    await refused('single', { clusterIPs: [ip, 'fd00::1'] }, [
      policy('SingleStack', MULTIPLE('cluster IPs')),
      invalid('spec.clusterIPs[1]', two('fd00::1'), 'IPv6 is not configured on this cluster'),
    ]);
    await refused('single', { clusterIPs: [ip, '10.0.0.5'] }, [
      invalid(
        'spec.clusterIPs',
        two('10.0.0.5'),
        'may specify no more than one IP for each IP family',
      ),
    ]);
    await refused('single', { ipFamilies: ['IPv4', 'IPv6'] }, [
      policy('SingleStack', MULTIPLE('IP families')),
    ]);
    expect(await updated('single', { ipFamilyPolicy: 'PreferDualStack' })).toMatchObject({
      clusterIPs: [ip],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'PreferDualStack',
    });
    await refused('single', { ipFamilies: ['IPv4', 'IPv6'] }, [
      invalid('spec.ipFamilies[1]', '"IPv6"', NOT_CONFIGURED),
    ]);
    await refused('single', { clusterIPs: [ip, 'fd00::1'] }, [
      invalid('spec.clusterIPs[1]', two('fd00::1'), 'IPv6 is not configured on this cluster'),
    ]);
    await refused('single', { ipFamilies: ['IPv6'] }, [
      invalid(
        'spec.clusterIPs[0]',
        JSON.stringify(ip),
        'expected an IPv6 value as indicated by `ipFamilies[0]`',
      ),
    ]);
    // Removed families are those of the cluster IPs again.
    const back = await updated('single', { ipFamilyPolicy: 'SingleStack', ipFamilies: null });
    expect(back).toMatchObject({ clusterIPs: [ip], ipFamilies: ['IPv4'] });
  });

  test('a cluster IP may not change once set: not to None, nor from it, nor allocated', async () => {
    const made = await create('fixed', { ports, selector });
    expect(made.status, made.text).toBe(201);
    await refused('fixed', { clusterIP: 'None' }, [
      invalid('spec.clusterIPs[0]', '["None"]', ONCE_SET),
    ]);
    // Outside the service range: refused as a change, not by the allocator.
    await refused('fixed', { clusterIP: '10.0.1.5' }, [
      invalid('spec.clusterIPs[0]', '["10.0.1.5"]', ONCE_SET),
    ]);
    const headless = await create('headless', { ports, selector, clusterIP: 'None' });
    expect(headless.status, headless.text).toBe(201);
    await refused('headless', { clusterIP: '10.0.1.5' }, [
      invalid('spec.clusterIPs[0]', '["10.0.1.5"]', ONCE_SET),
    ]);
  });

  test('a headless Service without a selector steps down to one family only as SingleStack', async () => {
    const made = await create('dual', { ports, clusterIP: 'None' });
    expect(made.status, made.text).toBe(201);
    expect(made.json().spec).toMatchObject({
      ipFamilies: ['IPv4', 'IPv6'],
      ipFamilyPolicy: 'RequireDualStack',
    });
    await refused('dual', { ipFamilies: ['IPv4'] }, [
      policy('RequireDualStack', "must be 'SingleStack' to release the secondary IP family"),
    ]);
    // Its families may change order; SingleStack keeps the first of those stored.
    expect(await updated('dual', { ipFamilies: ['IPv6', 'IPv4'] })).toMatchObject({
      ipFamilies: ['IPv6', 'IPv4'],
    });
    expect(await updated('dual', { ipFamilyPolicy: 'SingleStack' })).toMatchObject({
      clusterIPs: ['None'],
      ipFamilies: ['IPv6'],
      ipFamilyPolicy: 'SingleStack',
    });
    expect(await updated('dual', { ipFamilyPolicy: 'PreferDualStack' })).toMatchObject({
      ipFamilies: ['IPv6', 'IPv4'],
      ipFamilyPolicy: 'PreferDualStack',
    });
    const single = await updated('dual', { ipFamilyPolicy: 'SingleStack', ipFamilies: null });
    expect(single).toMatchObject({ ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
  });
});

describe('node ports', () => {
  const nodePort = (name: string, port: number, nodePort?: number, protocol = 'TCP') => ({
    name,
    port,
    protocol,
    ...(nodePort === undefined ? {} : { nodePort }),
  });
  const ALLOCATED = 'provided port is already allocated';
  const nodePortsOf = (spec: { ports: { nodePort: number }[] }) =>
    spec.ports.map((p) => p.nodePort);

  test('at create, ports of one number share a node port; others may not ask for one twice', async () => {
    expectInvalid(
      await create(
        'np',
        { type: 'NodePort', ports: [nodePort('a', 80, 30100), nodePort('b', 81, 30100)] },
        true,
      ),
      'Service "np"',
      [invalid('spec.ports[1].nodePort', '30100', ALLOCATED)],
    );
    const shared = await create(
      'np',
      { type: 'NodePort', ports: [nodePort('a', 53), nodePort('b', 53, 30101, 'UDP')] },
      true,
    );
    expect(shared.status, shared.text).toBe(201);
    expect(nodePortsOf(shared.json().spec)).toEqual([30101, 30101]);
    expectInvalid(
      await create(
        'np',
        { type: 'NodePort', ports: [nodePort('a', 80, 30102), nodePort('b', 80, 30102)] },
        true,
      ),
      'Service "np"',
      [
        duplicateValue('spec.ports[1].nodePort', 30102),
        // Go prints the key it compares: the port's number and protocol.
        duplicateValue('spec.ports[1]', {
          Name: '',
          Protocol: 'TCP',
          AppProtocol: null,
          Port: 80,
          TargetPort: 0,
          NodePort: 0,
        }),
      ],
    );
    const NOT_CLUSTER_IP = "may not be used when `type` is 'ClusterIP'";
    expectInvalid(
      await create('np', { ports: [nodePort('a', 80, 30103), nodePort('b', 81, 30103)] }, true),
      'Service "np"',
      [
        forbidden('spec.ports[0].nodePort', NOT_CLUSTER_IP),
        forbidden('spec.ports[1].nodePort', NOT_CLUSTER_IP),
        duplicateValue('spec.ports[1].nodePort', 30103),
      ],
    );
  });

  test("a dry run's new node ports are placeholders past the range, one past the last taken", async () => {
    const dry = async (spec: Record<string, unknown>) => {
      const res = await create('np-dry', spec, true);
      expect(res.status, res.text).toBe(201);
      return res.json().spec;
    };
    const first = await dry({
      type: 'NodePort',
      ports: [nodePort('a', 80), nodePort('b', 81, 30130), nodePort('c', 82)],
    });
    expect(nodePortsOf(first)).toEqual([32769, 30130, 32770]);
    const local = await dry({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      ports: [nodePort('a', 80), nodePort('b', 81)],
    });
    expect([...nodePortsOf(local), local.healthCheckNodePort]).toEqual([32769, 32770, 32771]);
  });

  test('at update, a node port twice with one protocol is a 500; a new port gets its own', async () => {
    const made = await create('np-a', { type: 'NodePort', ports: [nodePort('a', 80, 30110)] });
    expect(made.status, made.text).toBe(201);
    const duplicate = (port: number) => ({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `duplicate nodePort: {TCP ${port}}`,
      code: 500,
    });
    const twice = await patch('np-a', {
      ports: [nodePort('a', 80, 30110), nodePort('b', 81, 30110)],
    });
    expect(twice.status, twice.text).toBe(500);
    expect(twice.json()).toEqual(duplicate(30110));
    const fresh = await patch('np-a', {
      ports: [nodePort('a', 80, 30110), nodePort('b', 81, 30111), nodePort('c', 82, 30111)],
    });
    expect(fresh.json()).toEqual(duplicate(30111));
    const udp = await updated('np-a', {
      ports: [nodePort('a', 80, 30110), nodePort('b', 81, 30110, 'UDP')],
    });
    expect(nodePortsOf(udp)).toEqual([30110, 30110]);
    // A port without one gets a new one, not that of the port of its number.
    const added = await updated('np-a', {
      ports: [
        nodePort('a', 80, 30110),
        nodePort('b', 81, 30110, 'UDP'),
        nodePort('c', 80, undefined, 'UDP'),
      ],
    });
    const [, , third] = nodePortsOf(added);
    expect(third).not.toBe(30110);
    expect(third).toBeGreaterThanOrEqual(30000);
    expect(third).toBeLessThanOrEqual(32767);
  });

  test("at update, another Service's node port and one outside the range are refused", async () => {
    const made = await create('np-b', { type: 'NodePort', ports: [nodePort('a', 80, 30120)] });
    expect(made.status, made.text).toBe(201);
    const held = await create('np-c', { type: 'NodePort', ports: [nodePort('a', 80, 30121)] });
    expect(held.status, held.text).toBe(201);
    await refused('np-b', { ports: [nodePort('a', 80, 30121)] }, [
      invalid('spec.ports[0].nodePort', '30121', ALLOCATED),
    ]);
    await refused('np-b', { ports: [nodePort('a', 80, 29999)] }, [
      invalid(
        'spec.ports[0].nodePort',
        '29999',
        'provided port is not in the valid range. The range of valid ports is 30000-32767',
      ),
    ]);
  });
});
