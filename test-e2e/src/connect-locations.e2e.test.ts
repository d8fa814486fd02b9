/**
 * Differential: plain-HTTP (not WebSocket) requests of the connect subresources, which
 * kube-apiserver refuses from where it would send them: an exec, attach or port-forward
 * to a Pod with no node (400), to a missing Node (404), to a Node without an address of
 * the kinds kube-apiserver reads (500), or one that is not an upgrade (400 `Upgrade
 * request required`); a Pod proxy to a Pod with no IP or one that is not global unicast
 * (400 `address not allowed`); a Node proxy to a missing Node (404), one without such an
 * address (500) or whose address is such an IP (400); a Service proxy with no Endpoints
 * (404), no such port or no Pod address to send to (503); any of them with `dryRun` (400).
 */
import { Api } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { endpoints as endpointsResource, nodes as nodesResource } from '@kube-ts/k8s/core/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, ignoreNotFound, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const node = `connect-node-${uniqueSuffix()}`;
const kc = () => e2e.backend.kubeConfig;
/** Nodes by name suffix with their `status.addresses`. */
const ODD_NODES = {
  bare: [],
  other: [
    { type: 'Other', address: '10.254.0.2' },
    { type: 'Spare', address: 'spare.invalid' },
  ],
  loopback: [{ type: 'InternalIP', address: '127.0.0.1' }],
};
const STREAMS = ['exec', 'attach', 'portforward'] as const;
/** Each stream's query: what a client sends. */
const QUERY: Record<(typeof STREAMS)[number], Record<string, string>> = {
  exec: { command: 'true', stdout: 'true' },
  attach: { stdout: 'true' },
  portforward: { ports: '80' },
};

/** kube-apiserver's Status of a refusal without details. */
const refusal = (code: number, reason: string, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  code,
});

/** kube-apiserver's 500 for a Node without an address it reads (an error with no reason). */
const noAddress = (known: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: `no preferred addresses found; known addresses: ${known}`,
  code: 500,
});

async function answer(method: string, path: string, query: Record<string, string> = {}) {
  const res = await raw(kc(), method, path, { query });
  return { status: res.status, body: res.json() as unknown };
}

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-connect-locations');
  const nodes = Api.cluster(e2e.client, nodesResource);
  // A Node with an address (kube-apiserver reads the kubelet's address from it); no kubelet.
  await nodes.create({
    metadata: { name: node },
    status: { addresses: [{ type: 'InternalIP', address: '10.254.0.1' }] },
  });
  e2e.onStop(() => nodes.delete(node).catch(ignoreNotFound));
  // Nodes without an address kube-apiserver reads, and one it may not proxy to.
  for (const [suffix, addresses] of Object.entries(ODD_NODES)) {
    await nodes.create({ metadata: { name: `${node}-${suffix}` }, status: { addresses } });
    e2e.onStop(() => nodes.delete(`${node}-${suffix}`).catch(ignoreNotFound));
  }
  const pods = Api.namespaced(e2e.client, resources.pods, ns);
  const container = [{ name: 'main', image: 'registry.invalid/none' }];
  // A node selector no Node matches keeps it unbound on a backend with a scheduler.
  await pods.create({
    metadata: { name: 'unbound' },
    spec: { nodeSelector: { 'kube-ts.test/none': 'none' }, containers: container },
  });
  await pods.create({
    metadata: { name: 'bound' },
    spec: { nodeName: node, containers: container },
  });
  for (const suffix of ['bare', 'other']) {
    await pods.create({
      metadata: { name: `on-${suffix}` },
      spec: { nodeName: `${node}-${suffix}`, containers: container },
    });
  }
});

afterAll(async () => {
  await e2e?.stop();
});

describe('exec, attach and port-forward without an upgrade', () => {
  it('to a Pod with no node: 400 does not have a host assigned', async () => {
    for (const sub of STREAMS) {
      for (const method of ['GET', 'POST']) {
        expect(
          await answer(method, `/api/v1/namespaces/${ns}/pods/unbound/${sub}`, QUERY[sub]),
          `${method} ${sub}`,
        ).toEqual({
          status: 400,
          body: refusal(400, 'BadRequest', 'pod unbound does not have a host assigned'),
        });
      }
    }
  });

  it('to a Pod whose Node is missing: 404 naming the Node as a pod', async () => {
    // Made here: kube-controller-manager's pod GC deletes it some 40 s after it sees it.
    await Api.namespaced(e2e.client, resources.pods, ns).create({
      metadata: { name: 'lost' },
      spec: {
        nodeName: `${node}-missing`,
        containers: [{ name: 'main', image: 'registry.invalid/none' }],
      },
    });
    // Its logs too: kube-apiserver reads the Node as it does for a stream.
    for (const [method, sub] of [...STREAMS.map((s) => ['POST', s]), ['GET', 'log']] as const) {
      expect(
        await answer(
          method,
          `/api/v1/namespaces/${ns}/pods/lost/${sub}`,
          QUERY[sub as 'exec'] ?? {},
        ),
        sub,
      ).toEqual({
        status: 404,
        body: {
          ...refusal(404, 'NotFound', `pods "${node}-missing" not found`),
          details: { name: `${node}-missing`, kind: 'pods' },
        },
      });
    }
  });

  it('to a Pod on a Node without an address kube-apiserver reads: 500', async () => {
    const known = { bare: '[]', other: '[{Other 10.254.0.2} {Spare spare.invalid}]' };
    for (const [suffix, addresses] of Object.entries(known)) {
      // Its logs too: kube-apiserver looks for the kubelet as it does for a stream.
      for (const [method, sub] of [...STREAMS.map((s) => ['GET', s]), ['GET', 'log']] as const) {
        expect(
          await answer(
            method,
            `/api/v1/namespaces/${ns}/pods/on-${suffix}/${sub}`,
            QUERY[sub as 'exec'] ?? {},
          ),
          `${suffix} ${sub}`,
        ).toEqual({
          status: 500,
          body: noAddress(addresses),
        });
      }
    }
  });

  it('to a Pod on a Node: 400 Upgrade request required', async () => {
    for (const sub of STREAMS) {
      for (const method of ['GET', 'POST']) {
        expect(
          await answer(method, `/api/v1/namespaces/${ns}/pods/bound/${sub}`, QUERY[sub]),
          `${method} ${sub}`,
        ).toEqual({ status: 400, body: refusal(400, 'BadRequest', 'Upgrade request required') });
      }
    }
  });

  it('with dryRun: 400 before anything is looked up', async () => {
    for (const sub of STREAMS) {
      expect(
        await answer('POST', `/api/v1/namespaces/${ns}/pods/missing/${sub}`, {
          ...QUERY[sub],
          dryRun: 'All',
        }),
      ).toEqual({ status: 400, body: refusal(400, 'BadRequest', 'dryRun is not supported') });
    }
  });
});

describe('proxies with no address to send to', () => {
  it('a Pod with no IP: 400 address not allowed; a name it cannot split: 400', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
      for (const path of ['unbound/proxy', 'unbound:8080/proxy/a/b', 'http:bound:80/proxy/']) {
        expect(
          await answer(method, `/api/v1/namespaces/${ns}/pods/${path}`),
          `${method} ${path}`,
        ).toEqual({ status: 400, body: refusal(400, 'BadRequest', 'address not allowed') });
      }
    }
    for (const id of ['ftp:bound:80', 'a:b:c:d', ':80']) {
      expect(await answer('GET', `/api/v1/namespaces/${ns}/pods/${id}/proxy`), id).toEqual({
        status: 400,
        body: refusal(400, 'BadRequest', `invalid pod request "${id}"`),
      });
    }
  });

  it('a Pod whose IP is not global unicast: 400 address not allowed', async () => {
    const pods = Api.namespaced(e2e.client, resources.pods, ns);
    // Pod validation takes any IP a status writer sets.
    for (const ip of ['127.0.0.1', '169.254.1.1', '224.0.0.5', '0.0.0.0', '::1', 'fe80::1']) {
      await pods.patchStatus('unbound', {
        type: 'merge',
        body: { status: { podIP: ip, podIPs: [{ ip }] } },
      });
      expect(await answer('GET', `/api/v1/namespaces/${ns}/pods/unbound:80/proxy/`), ip).toEqual({
        status: 400,
        body: refusal(400, 'BadRequest', 'address not allowed'),
      });
    }
  });

  it('a Node: missing, without an address kube-apiserver reads, or a loopback one', async () => {
    const proxy = (id: string) => answer('GET', `/api/v1/nodes/${id}/proxy/x`);
    expect(await proxy(`${node}-missing:10250`)).toEqual({
      status: 404,
      body: {
        ...refusal(404, 'NotFound', `nodes "${node}-missing" not found`),
        details: { name: `${node}-missing`, kind: 'nodes' },
      },
    });
    expect(await proxy('a:b:c:d')).toEqual({
      status: 400,
      body: refusal(400, 'BadRequest', 'invalid node request "a:b:c:d"'),
    });
    expect(await proxy(`https:${node}-bare:10250`)).toEqual({
      status: 500,
      body: noAddress('[]'),
    });
    expect(await proxy(`${node}-loopback`)).toEqual({
      status: 400,
      body: refusal(400, 'BadRequest', 'address not allowed'),
    });
  });

  it('a Service: its Endpoints, its port, a Pod address', async () => {
    const services = Api.namespaced(e2e.client, resources.services, ns);
    // No selector: the endpoints controller leaves its Endpoints to the test. Without
    // them, the 404 names the Service (kube-apiserver's registry names the request's resource).
    await services.create({
      metadata: { name: 'plain' },
      spec: { ports: [{ name: 'web', port: 80, targetPort: 8080 }] },
    });
    const proxy = (id: string) => answer('GET', `/api/v1/namespaces/${ns}/services/${id}/proxy/x`);
    expect(await proxy('plain')).toEqual({
      status: 404,
      body: {
        ...refusal(404, 'NotFound', 'services "plain" not found'),
        details: { name: 'plain', kind: 'services' },
      },
    });
    expect(await proxy('plain:81')).toEqual({
      status: 503,
      body: refusal(503, 'ServiceUnavailable', 'no service port 81 found for service "plain"'),
    });
    expect(await proxy('invalid:plain:80')).toEqual({
      status: 400,
      body: refusal(400, 'BadRequest', 'invalid service request "invalid:plain:80"'),
    });
    const endpoints = Api.namespaced(e2e.client, endpointsResource, ns);
    await endpoints.create({ metadata: { name: 'plain' } });
    expect(await proxy('plain:80')).toEqual({
      status: 503,
      body: refusal(503, 'ServiceUnavailable', 'no endpoints available for service "plain"'),
    });
    // An address that is no Pod's: none to send to, named by the request's id.
    await endpoints.replace('plain', {
      metadata: {
        name: 'plain',
        resourceVersion: (await endpoints.get('plain')).metadata?.resourceVersion,
      },
      subsets: [{ addresses: [{ ip: '10.254.0.9' }], ports: [{ name: 'web', port: 8080 }] }],
    });
    for (const id of ['plain:80', 'https:plain:web', 'plain:other']) {
      expect(await proxy(id), id).toEqual({
        status: 503,
        body: refusal(503, 'ServiceUnavailable', `no endpoints available for service "${id}"`),
      });
    }
  });
});
