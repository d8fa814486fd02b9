/**
 * Differential: a Service's cluster IP and node ports are allocated as kube-apiserver's
 * allocators do: unique among Services, a requested value that another Service holds or
 * that lies outside the range refused in the allocator's words, and what a type change no
 * longer needs (cluster IPs when becoming ExternalName, node ports when becoming
 * ClusterIP) cleared and released for others.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-svc-alloc');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const services = (name = '') => `/api/v1/namespaces/${ns}/services${name ? `/${name}` : ''}`;

function create(name: string, spec: Record<string, unknown>) {
  return raw(kc(), 'POST', services(), {
    body: { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec },
  });
}

function mergePatch(name: string, body: Record<string, unknown>) {
  return raw(kc(), 'PATCH', services(name), {
    body,
    contentType: 'application/merge-patch+json',
  });
}

/** The 422 a Service gets for one field. */
function refused(name: string, field: string, value: string, why: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `Service "${name}" is invalid: ${field}: Invalid value: ${value}: ${why}`,
    reason: 'Invalid',
    details: {
      name,
      kind: 'Service',
      causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${value}: ${why}`, field }],
    },
    code: 422,
  };
}

const ports = [{ port: 80 }];

describe('cluster IPs', () => {
  test('a cluster IP another Service holds is refused, and is free again once it is released', async () => {
    const first = await create('first', { ports });
    expect(first.status).toBe(201);
    const ip: string = first.json().spec.clusterIP;
    const second = await create('second', { ports, clusterIP: ip });
    expect(second.status).toBe(422);
    expect(second.json()).toEqual(
      refused(
        'second',
        'spec.clusterIPs',
        JSON.stringify([ip]),
        `failed to allocate IP ${ip}: provided IP is already allocated`,
      ),
    );
    // Becoming ExternalName clears the cluster IPs and families and releases the address.
    const external = await mergePatch('first', {
      spec: { type: 'ExternalName', externalName: 'example.com' },
    });
    expect(external.status).toBe(200);
    const spec = external.json().spec;
    expect([spec.clusterIP, spec.clusterIPs, spec.ipFamilies, spec.ipFamilyPolicy]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const reused = await create('second', { ports, clusterIP: ip });
    expect(reused.status).toBe(201);
    expect(reused.json().spec.clusterIPs).toEqual([ip]);
  });

  test('a cluster IP outside the service range is refused', async () => {
    const res = await create('outside', { ports, clusterIP: '192.168.255.7' });
    expect(res.json()).toEqual(
      refused(
        'outside',
        'spec.clusterIPs',
        '["192.168.255.7"]',
        'failed to allocate IP 192.168.255.7: the provided network does not match the current range',
      ),
    );
  });

  test('an ExternalName Service that becomes ClusterIP gets an address and families', async () => {
    const created = await create('named', { type: 'ExternalName', externalName: 'example.com' });
    expect(created.status).toBe(201);
    const res = await mergePatch('named', {
      spec: { type: 'ClusterIP', externalName: null, ports },
    });
    expect(res.status, res.text).toBe(200);
    const spec = res.json().spec;
    expect(spec.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(spec.clusterIPs).toEqual([spec.clusterIP]);
    expect(spec.ipFamilies).toEqual(['IPv4']);
    expect(spec.ipFamilyPolicy).toBe('SingleStack');
  });
});

describe('node ports', () => {
  test('a node port another Service holds is refused, and is free again once released', async () => {
    const first = await create('np-first', { type: 'NodePort', ports });
    expect(first.status).toBe(201);
    const port: number = first.json().spec.ports[0].nodePort;
    const second = await create('np-second', {
      type: 'NodePort',
      ports: [{ port: 80, nodePort: port }],
    });
    expect(second.json()).toEqual(
      refused(
        'np-second',
        'spec.ports[0].nodePort',
        String(port),
        'provided port is already allocated',
      ),
    );
    // Becoming ClusterIP clears the node ports (the request left them as they were).
    const cluster = await mergePatch('np-first', { spec: { type: 'ClusterIP' } });
    expect(cluster.status, cluster.text).toBe(200);
    expect(cluster.json().spec.ports[0].nodePort).toBeUndefined();
    expect(cluster.json().spec.externalTrafficPolicy).toBeUndefined();
    const reused = await create('np-second', {
      type: 'NodePort',
      ports: [{ port: 80, nodePort: port }],
    });
    expect(reused.status).toBe(201);
    expect(reused.json().spec.ports[0].nodePort).toBe(port);
  });

  test('a node port outside the range is refused', async () => {
    const res = await create('np-outside', {
      type: 'NodePort',
      ports: [{ port: 80, nodePort: 80 }],
    });
    expect(res.json()).toEqual(
      refused(
        'np-outside',
        'spec.ports[0].nodePort',
        '80',
        'provided port is not in the valid range. The range of valid ports is 30000-32767',
      ),
    );
  });

  test('a ClusterIP Service that becomes NodePort gets node ports, unique per Service', async () => {
    expect(
      (await create('np-late', { ports: [{ port: 80 }, { port: 81, name: 'b' }] })).status,
    ).toBe(422);
    expect(
      (
        await create('np-late', {
          ports: [
            { port: 80, name: 'a' },
            { port: 81, name: 'b' },
          ],
        })
      ).status,
    ).toBe(201);
    const res = await mergePatch('np-late', { spec: { type: 'NodePort' } });
    expect(res.status, res.text).toBe(200);
    const got = res.json().spec.ports.map((p: { nodePort: number }) => p.nodePort);
    expect(got).toHaveLength(2);
    expect(new Set(got).size).toBe(2);
    for (const p of got) {
      expect(p).toBeGreaterThanOrEqual(30000);
      expect(p).toBeLessThanOrEqual(32767);
    }
  });
});
