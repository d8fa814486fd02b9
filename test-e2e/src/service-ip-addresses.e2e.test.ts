/**
 * Differential: Service addresses as kube-apiserver v1.36.3 keeps them
 * (MultiCIDRServiceAllocator): the default `kubernetes` ServiceCIDR, one IPAddress per
 * allocated cluster IP (labels, parentRef) removed when the address is released, ranges
 * taken from the ServiceCIDRs, the checks of IPAddresses and ServiceCIDRs, and the
 * health check node port of a LoadBalancer with `externalTrafficPolicy: Local`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SUBDOMAIN } from './invalid-causes.js';
import { expectInvalid, forbidden, invalid, requiredValue } from './invalid-status.js';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const suffix = uniqueSuffix();
const cidrs: string[] = [];

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-svc-ips');
});

afterAll(async () => {
  for (const name of cidrs) await raw(kc(), 'DELETE', `${NET}/servicecidrs/${name}`);
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const NET = '/apis/networking.k8s.io/v1';
const services = (name = '') => `/api/v1/namespaces/${ns}/services${name ? `/${name}` : ''}`;
const ipAddress = (ip: string) => `${NET}/ipaddresses/${ip}`;
const createService = (name: string, spec: Record<string, unknown>) =>
  raw(kc(), 'POST', services(), {
    body: { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec },
  });
const mergePatch = (path: string, body: unknown) =>
  raw(kc(), 'PATCH', path, { body, contentType: 'application/merge-patch+json' });
const ports = [{ port: 80 }];
const ALLOCATOR_LABELS = {
  'ipaddress.kubernetes.io/ip-family': 'IPv4',
  'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io',
};

/** The last part of an IPv4 address. */
const host = (ip: string) => Number(ip.split('.')[3]);

describe('the default ServiceCIDR and the kubernetes Service address', () => {
  test('kube-apiserver keeps a Ready `kubernetes` ServiceCIDR of its service range', async () => {
    // kube-apiserver's default ServiceCIDR controller marks it Ready shortly after start.
    let cidr: { spec: unknown; status?: { conditions?: { type: string }[] } } = { spec: {} };
    await expect
      .poll(async () => {
        const res = await raw(kc(), 'GET', `${NET}/servicecidrs/kubernetes`);
        cidr = res.json();
        return [res.status, cidr.status?.conditions?.map((c) => c.type)];
      }, EVENTUALLY)
      .toEqual([200, ['Ready']]);
    expect(cidr.spec).toEqual({ cidrs: ['10.0.0.0/24'] });
    const [ready] = cidr.status?.conditions ?? [];
    expect(ready).toMatchObject({ type: 'Ready', status: 'True', reason: '' });
    // kube-apiserver's default ServiceCIDR controller and kube-controller-manager's
    // ServiceCIDR controller each set Ready when it is missing, in their own words: which
    // comes first is not fixed (MemoryApiServer ends with kube-controller-manager's).
    expect([
      'Kubernetes default Service CIDR is ready',
      'Kubernetes Service CIDR is ready',
    ]).toContain((ready as { message?: string }).message);
  });

  test('the default/kubernetes Service holds 10.0.0.1 through an IPAddress', async () => {
    const res = await raw(kc(), 'GET', ipAddress('10.0.0.1'));
    expect(res.status, res.text).toBe(200);
    expect(res.json().metadata.labels).toEqual(ALLOCATOR_LABELS);
    expect(res.json().spec).toEqual({
      parentRef: { resource: 'services', namespace: 'default', name: 'kubernetes' },
    });
  });
});

describe('IPAddresses of cluster IPs', () => {
  test('each allocated cluster IP gets an IPAddress, removed when the Service goes', async () => {
    const created = await createService('web', { ports });
    expect(created.status, created.text).toBe(201);
    const ip: string = created.json().spec.clusterIP;
    const res = await raw(kc(), 'GET', ipAddress(ip));
    expect(res.status, res.text).toBe(200);
    expect(res.json().metadata.labels).toEqual(ALLOCATOR_LABELS);
    expect(res.json().spec.parentRef).toEqual({ resource: 'services', namespace: ns, name: 'web' });
    // A headless Service holds no address.
    const headless = await createService('headless', { clusterIP: 'None', ports });
    expect(headless.status, headless.text).toBe(201);
    const list = await raw(kc(), 'GET', `${NET}/ipaddresses`);
    const parents = list
      .json()
      .items.map((i: { spec: { parentRef: { name: string } } }) => i.spec.parentRef.name);
    expect(parents).toContain('web');
    expect(parents).not.toContain('headless');
    expect((await raw(kc(), 'DELETE', services('web'))).status).toBe(200);
    await expect
      .poll(async () => (await raw(kc(), 'GET', ipAddress(ip))).status, EVENTUALLY)
      .toBe(404);
  });

  test('an address released by a type change is removed too', async () => {
    const created = await createService('renamed', { ports });
    const ip: string = created.json().spec.clusterIP;
    const external = await mergePatch(services('renamed'), {
      spec: { type: 'ExternalName', externalName: 'example.com' },
    });
    expect(external.status, external.text).toBe(200);
    await expect
      .poll(async () => (await raw(kc(), 'GET', ipAddress(ip))).status, EVENTUALLY)
      .toBe(404);
  });

  test('dynamic addresses come from above the range reserved for static ones', async () => {
    for (const i of [1, 2, 3, 4, 5, 6]) {
      const res = await createService(`dyn-${i}`, { ports });
      expect(res.status, res.text).toBe(201);
      // A /24 keeps its first 16 host addresses for requested IPs (KEP-3070).
      expect(host(res.json().spec.clusterIP)).toBeGreaterThan(16);
    }
  });

  test('an IPAddress written by a client holds its address', async () => {
    const held = await raw(kc(), 'POST', `${NET}/ipaddresses`, {
      body: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IPAddress',
        metadata: { name: '10.0.0.9' },
        spec: { parentRef: { resource: 'services', namespace: ns, name: 'elsewhere' } },
      },
    });
    expect(held.status, held.text).toBe(201);
    const res = await createService('wants-9', { clusterIP: '10.0.0.9', ports });
    expectInvalid(res, 'Service "wants-9"', [
      invalid(
        'spec.clusterIPs',
        '["10.0.0.9"]',
        'failed to allocate IP 10.0.0.9: provided IP is already allocated',
      ),
    ]);
    // The allocators run before validation: their refusal comes first.
    const both = await createService('both', { clusterIP: '10.0.0.9', ports: [{ port: 0 }] });
    expectInvalid(both, 'Service "both"', [
      invalid(
        'spec.clusterIPs',
        '["10.0.0.9"]',
        'failed to allocate IP 10.0.0.9: provided IP is already allocated',
      ),
    ]);
    // A range's network address is not one of its addresses.
    const edge = await createService('network', { clusterIP: '10.0.0.0', ports });
    expectInvalid(edge, 'Service "network"', [
      invalid(
        'spec.clusterIPs',
        '["10.0.0.0"]',
        'failed to allocate IP 10.0.0.0: the provided network does not match the current range',
      ),
    ]);
  });

  test('a new ServiceCIDR widens the ranges Services take addresses from', async () => {
    const name = `extra-${suffix}`;
    const outside = await createService('far', { clusterIP: '10.1.0.7', ports });
    expect(outside.status).toBe(422);
    const cidr = await raw(kc(), 'POST', `${NET}/servicecidrs`, {
      body: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'ServiceCIDR',
        metadata: { name },
        spec: { cidrs: ['10.1.0.0/24'] },
        status: {
          conditions: [
            {
              type: 'X',
              status: 'True',
              reason: 'R',
              message: 'm',
              lastTransitionTime: '2020-01-01T00:00:00Z',
            },
          ],
        },
      },
    });
    expect(cidr.status, cidr.text).toBe(201);
    cidrs.push(name);
    // The status of a new ServiceCIDR is the controllers' to write.
    expect(cidr.json().status).toEqual({});
    await expect
      .poll(
        async () => (await createService('far', { clusterIP: '10.1.0.7', ports })).status,
        EVENTUALLY,
      )
      .toBe(201);
    const res = await raw(kc(), 'GET', ipAddress('10.1.0.7'));
    expect(res.json().spec.parentRef.name).toBe('far');
    expect((await raw(kc(), 'DELETE', services('far'))).status).toBe(200);
  });
});

describe('Service writes', () => {
  test('a PUT of a missing Service creates it; a DELETE answers with the Service', async () => {
    const body = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'put-made' },
      spec: { ports },
    };
    const put = await raw(kc(), 'PUT', services('put-made'), { body });
    expect(put.status, put.text).toBe(201);
    const ip: string = put.json().spec.clusterIP;
    expect((await raw(kc(), 'GET', ipAddress(ip))).status).toBe(200);
    const deleted = await raw(kc(), 'DELETE', services('put-made'));
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.json()).toMatchObject({ kind: 'Service', metadata: { name: 'put-made' } });
    // Kinds whose storage does not allow it answer 404.
    const configMap = await raw(kc(), 'PUT', `/api/v1/namespaces/${ns}/configmaps/absent`, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'absent' } },
    });
    expect(configMap.status).toBe(404);
  });
});

describe('validation', () => {
  test('IPAddresses: an IP in canonical form as name, a parent reference', async () => {
    const post = (name: string, spec: Record<string, unknown>) =>
      raw(kc(), 'POST', `${NET}/ipaddresses`, {
        body: { apiVersion: 'networking.k8s.io/v1', kind: 'IPAddress', metadata: { name }, spec },
      });
    expectInvalid(await post('10.0.0.0300', {}), 'IPAddress.networking.k8s.io "10.0.0.0300"', [
      invalid(
        'metadata.name',
        '"10.0.0.0300"',
        'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ),
      requiredValue('spec.parentRef'),
    ]);
    const bad = await post('2001:DB8::5', {
      parentRef: { group: 'a_b', resource: '', name: 'x/y', namespace: '..' },
    });
    expectInvalid(bad, 'IPAddress.networking.k8s.io "2001:DB8::5"', [
      invalid('metadata.name', '"2001:DB8::5"', 'must be in canonical form ("2001:db8::5")'),
      invalid('spec.parentRef.group', '"a_b"', SUBDOMAIN),
      requiredValue('spec.parentRef.resource'),
      invalid('spec.parentRef.name', '"x/y"', "may not contain '/'"),
      invalid('spec.parentRef.namespace', '".."', "may not be '..'"),
    ]);
    const ok = await post('10.0.0.10', {
      parentRef: { resource: 'gateways', group: 'example.com', name: 'g' },
    });
    expect(ok.status, ok.text).toBe(201);
    const moved = await mergePatch(ipAddress('10.0.0.10'), { spec: { parentRef: { name: 'h' } } });
    expectInvalid(moved, 'IPAddress.networking.k8s.io "10.0.0.10"', [
      invalid(
        'spec.parentRef',
        '{"Group":"example.com","Resource":"gateways","Namespace":"","Name":"h"}',
        'field is immutable',
      ),
    ]);
  });

  test('ServiceCIDRs: one or two canonical CIDRs, one per family, fixed once written', async () => {
    const post = (name: string, spec: Record<string, unknown>) =>
      raw(kc(), 'POST', `${NET}/servicecidrs`, {
        body: { apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata: { name }, spec },
      });
    expectInvalid(await post('none', {}), 'ServiceCIDR.networking.k8s.io "none"', [
      requiredValue('spec.cidrs', 'at least one CIDR required'),
    ]);
    expectInvalid(
      await post('three', { cidrs: ['10.1.0.0/16', '2001:db8::/64', 'x'] }),
      'ServiceCIDR.networking.k8s.io "three"',
      [
        invalid(
          'spec.cidrs',
          '{"CIDRs":["10.1.0.0/16","2001:db8::/64","x"]}',
          'may only hold up to 2 values',
        ),
      ],
    );
    expectInvalid(
      await post('two-v4', { cidrs: ['10.2.0.1/16', '10.3.0.0/16'] }),
      'ServiceCIDR.networking.k8s.io "two-v4"',
      [
        invalid(
          'spec.cidrs[0]',
          '"10.2.0.1/16"',
          'must not have bits set beyond the prefix length',
        ),
        invalid(
          'spec.cidrs',
          '["10.2.0.1/16","10.3.0.0/16"]',
          'may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64',
        ),
      ],
    );
    expectInvalid(
      await post('upper', { cidrs: ['2001:DB8::/64'] }),
      'ServiceCIDR.networking.k8s.io "upper"',
      [invalid('spec.cidrs[0]', '"2001:DB8::/64"', 'must be in canonical form ("2001:db8::/64")')],
    );
    expectInvalid(
      await post('Bad_Name', { cidrs: ['10.4.0.0/24'] }),
      'ServiceCIDR.networking.k8s.io "Bad_Name"',
      [invalid('metadata.name', '"Bad_Name"', SUBDOMAIN)],
    );
    const name = `fixed-${suffix}`;
    const created = await post(name, { cidrs: ['10.5.0.0/24'] });
    expect(created.status, created.text).toBe(201);
    cidrs.push(name);
    const changed = await mergePatch(`${NET}/servicecidrs/${name}`, {
      spec: { cidrs: ['10.6.0.0/24'] },
    });
    expectInvalid(changed, `ServiceCIDR.networking.k8s.io "${name}"`, [
      invalid('spec.cidrs[0]', '"10.6.0.0/24"', 'field is immutable'),
    ]);
  });
});

describe('health check node ports', () => {
  test('a LoadBalancer with Local traffic gets one; leaving Local releases it', async () => {
    const lb = await createService('lb-local', {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      ports,
    });
    expect(lb.status, lb.text).toBe(201);
    const spec = lb.json().spec;
    expect(spec.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    expect(spec.healthCheckNodePort).toBeLessThanOrEqual(32767);
    expect(spec.healthCheckNodePort).not.toBe(spec.ports[0].nodePort);
    const port: number = spec.healthCheckNodePort;
    // Another Service may not have it, as a node port or a health check port.
    const taken = await createService('lb-taken', {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: port,
      ports,
    });
    expect(taken.status).toBe(500);
    expect(taken.json().message).toBe(
      `Internal error occurred: failed to allocate requested HealthCheck NodePort ${port}: provided port is already allocated`,
    );
    const immutable = await mergePatch(services('lb-local'), {
      spec: { healthCheckNodePort: port === 30000 ? 30001 : port - 1 },
    });
    expectInvalid(immutable, 'Service "lb-local"', [
      forbidden('spec.healthCheckNodePort', 'field is immutable'),
    ]);
    const cluster = await mergePatch(services('lb-local'), {
      spec: { externalTrafficPolicy: 'Cluster' },
    });
    expect(cluster.status, cluster.text).toBe(200);
    expect(cluster.json().spec.healthCheckNodePort).toBeUndefined();
    const reused = await createService('lb-taken', {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: port,
      ports,
    });
    expect(reused.status, reused.text).toBe(201);
    expect(reused.json().spec.healthCheckNodePort).toBe(port);
    const back = await mergePatch(services('lb-local'), {
      spec: { externalTrafficPolicy: 'Local' },
    });
    expect(back.status, back.text).toBe(200);
    expect(back.json().spec.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    expect(back.json().spec.healthCheckNodePort).not.toBe(port);
  });

  test('only a LoadBalancer with Local traffic may have one', async () => {
    const res = await createService('np-local', {
      type: 'NodePort',
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: 30123,
      ports,
    });
    expectInvalid(res, 'Service "np-local"', [
      invalid(
        'spec.healthCheckNodePort',
        '30123',
        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
      ),
    ]);
  });
});
