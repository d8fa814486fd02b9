/**
 * Differential: kube-apiserver's defaults, validation and warnings of core/v1 Endpoints
 * and discovery.k8s.io/v1 EndpointSlices, as an operator writes them for a headless
 * Service or one without a selector (addresses, ports, address types, conditions, hints,
 * limits, the immutable address type, generation).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LABEL, LABEL_VALUE, NAME_PART, SUBDOMAIN } from './invalid-causes.js';
import {
  duplicateValue,
  expectInvalid,
  invalid,
  requiredValue,
  tooMany,
  unsupported,
} from './invalid-status.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-endpoints');
  // kube-controller-manager's endpoints controller deletes Endpoints without a Service;
  // one without a selector is left to whoever writes its Endpoints.
  const service = await raw(kc(), 'POST', `/api/v1/namespaces/${ns}/services`, {
    body: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'external-db' },
      spec: { ports: [{ name: 'pg', port: 5432 }] },
    },
  });
  expect(service.status, service.text).toBe(201);
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const endpoints = (name = '') => `/api/v1/namespaces/${ns}/endpoints${name ? `/${name}` : ''}`;
const slices = (name = '') =>
  `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices${name ? `/${name}` : ''}`;
const postEndpoints = (name: string, subsets: unknown[]) =>
  raw(kc(), 'POST', endpoints(), {
    body: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name }, subsets },
  });
const postSlice = (name: string, spec: Record<string, unknown>, labels?: Record<string, string>) =>
  raw(kc(), 'POST', slices(), {
    body: {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name, ...(labels ? { labels } : {}) },
      ...spec,
    },
  });
const mergePatch = (path: string, body: unknown) =>
  raw(kc(), 'PATCH', path, { body, contentType: 'application/merge-patch+json' });

const DEPRECATED = 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice';
const NOT_AN_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

describe('Endpoints', () => {
  test('defaults: a port without protocol is TCP; the addresses are kept as written', async () => {
    const res = await postEndpoints('external-db', [
      {
        addresses: [{ ip: '192.0.2.10', hostname: 'db-0', nodeName: 'node-a' }],
        notReadyAddresses: [{ ip: '192.0.2.11' }],
        ports: [{ name: 'pg', port: 5432 }],
      },
    ]);
    expect(res.status, res.text).toBe(201);
    expect(res.json().subsets).toEqual([
      {
        addresses: [{ ip: '192.0.2.10', hostname: 'db-0', nodeName: 'node-a' }],
        notReadyAddresses: [{ ip: '192.0.2.11' }],
        ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
      },
    ]);
    // A headless Service's endpoints may have no ports; an Endpoints may have no subsets.
    const bare = await postEndpoints('headless', [{ addresses: [{ ip: '192.0.2.12' }] }]);
    expect(bare.status, bare.text).toBe(201);
    const empty = await postEndpoints('empty', []);
    expect(empty.status, empty.text).toBe(201);
    expect(empty.json().subsets).toBeUndefined();
    const lists = await postEndpoints('lists', [
      { addresses: [{ ip: '192.0.2.13' }], notReadyAddresses: [], ports: [] },
    ]);
    expect(lists.json().subsets).toEqual([{ addresses: [{ ip: '192.0.2.13' }] }]);
  });

  test('addresses and ports are checked', async () => {
    const res = await postEndpoints('bad', [
      { ports: [{ port: 80 }] },
      {
        addresses: [
          { ip: 'not-an-ip', hostname: 'Db_0', nodeName: 'Node A' },
          { ip: '127.0.0.1' },
          { ip: '010.1.2.3' },
        ],
        notReadyAddresses: [{ ip: '169.254.1.1' }, { ip: '::' }],
        ports: [
          { port: 0, protocol: 'ICMP' },
          { name: 'Web', port: 80, appProtocol: 'bad proto' },
        ],
      },
    ]);
    expectInvalid(res, 'Endpoints "bad"', [
      requiredValue('subsets[0]', 'must specify `addresses` or `notReadyAddresses`'),
      invalid('subsets[1].addresses[0].ip', '"not-an-ip"', NOT_AN_IP),
      invalid('subsets[1].addresses[0].hostname', '"Db_0"', LABEL),
      invalid('subsets[1].addresses[0].nodeName', '"Node A"', SUBDOMAIN),
      invalid('subsets[1].addresses[0].ip', '"not-an-ip"', 'must be a valid IP address'),
      invalid(
        'subsets[1].addresses[1].ip',
        '"127.0.0.1"',
        'may not be in the loopback range (127.0.0.0/8, ::1/128)',
      ),
      invalid('subsets[1].addresses[2].ip', '"010.1.2.3"', 'must not have leading 0s'),
      invalid(
        'subsets[1].notReadyAddresses[0].ip',
        '"169.254.1.1"',
        'may not be in the link-local range (169.254.0.0/16, fe80::/10)',
      ),
      invalid('subsets[1].notReadyAddresses[1].ip', '"::"', 'may not be unspecified (::)'),
      requiredValue('subsets[1].ports[0].name'),
      invalid('subsets[1].ports[0].port', '0', 'must be between 1 and 65535, inclusive'),
      unsupported('subsets[1].ports[0].protocol', 'ICMP', PROTOCOLS),
      invalid('subsets[1].ports[1].name', '"Web"', LABEL),
      invalid('subsets[1].ports[1].appProtocol', '"bad proto"', NAME_PART),
    ]);
  });

  test('every answer warns that v1 Endpoints are deprecated', async () => {
    for (const res of [
      await raw(kc(), 'GET', endpoints()),
      await raw(kc(), 'GET', endpoints('external-db')),
      await raw(kc(), 'GET', endpoints('missing')),
    ]) {
      expect(res.warnings).toEqual([DEPRECATED]);
    }
  });

  test('an IPv6 address not in canonical form is kept with a warning', async () => {
    const res = await postEndpoints('v6', [{ addresses: [{ ip: '2001:DB8:0:0::1' }] }]);
    expect(res.status, res.text).toBe(201);
    expect(res.warnings).toEqual([
      DEPRECATED,
      'subsets[0].addresses[0].ip: IPv6 address "2001:DB8:0:0::1" should be in RFC 5952 canonical format ("2001:db8::1")',
    ]);
    expect(res.json().subsets[0].addresses).toEqual([{ ip: '2001:DB8:0:0::1' }]);
  });

  test('a PUT of missing Endpoints creates them', async () => {
    const body = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'external-db' },
      subsets: [{ addresses: [{ ip: '192.0.2.30' }], ports: [{ port: 5432 }] }],
    };
    const missing = await raw(kc(), 'DELETE', endpoints('external-db'));
    expect(missing.status, missing.text).toBe(200);
    const put = await raw(kc(), 'PUT', endpoints('external-db'), { body });
    expect(put.status, put.text).toBe(201);
    expect(put.json().subsets[0].ports).toEqual([{ port: 5432, protocol: 'TCP' }]);
  });

  test('an update is checked like a create', async () => {
    const res = await mergePatch(endpoints('external-db'), {
      subsets: [{ addresses: [{ ip: '0.0.0.0' }] }],
    });
    expectInvalid(res, 'Endpoints "external-db"', [
      invalid('subsets[0].addresses[0].ip', '"0.0.0.0"', 'may not be unspecified (0.0.0.0)'),
    ]);
  });
});

describe('EndpointSlices', () => {
  test('defaults: port name and protocol, empty conditions, generation 1', async () => {
    const res = await postSlice(
      'db-1',
      {
        addressType: 'IPv4',
        endpoints: [
          { addresses: ['192.0.2.10'] },
          { addresses: ['192.0.2.11'], conditions: { ready: false }, nodeName: 'node-a' },
        ],
        ports: [{ port: 5432 }],
      },
      { 'kubernetes.io/service-name': 'db' },
    );
    expect(res.status, res.text).toBe(201);
    const body = res.json();
    expect(body.metadata.generation).toBe(1);
    expect(body.endpoints).toEqual([
      { addresses: ['192.0.2.10'], conditions: {} },
      { addresses: ['192.0.2.11'], conditions: { ready: false }, nodeName: 'node-a' },
    ]);
    expect(body.ports).toEqual([{ name: '', protocol: 'TCP', port: 5432 }]);
  });

  test('a slice without endpoints or ports has them null', async () => {
    const res = await postSlice('db-empty', { addressType: 'IPv6' });
    expect(res.status, res.text).toBe(201);
    const body = res.json();
    expect([body.endpoints, body.ports]).toEqual([null, null]);
  });

  test('address type, addresses, names, hints and ports are checked', async () => {
    const res = await postSlice('bad-v4', {
      addressType: 'IPv4',
      endpoints: [
        { addresses: [] },
        {
          addresses: ['2001:db8::1', 'nope', '127.0.0.1', '010.0.0.1'],
          nodeName: 'Node A',
          hostname: 'Db_0',
          hints: { forZones: [{ name: 'a' }, { name: 'a' }, { name: 'b c' }] },
        },
      ],
      ports: [
        { name: 'Web', protocol: 'ICMP', port: 80 },
        { name: 'Web', port: 81, appProtocol: 'bad proto' },
      ],
    });
    expectInvalid(res, 'EndpointSlice.discovery.k8s.io "bad-v4"', [
      invalid('ports[0].name', '"Web"', LABEL),
      unsupported('ports[0].protocol', 'ICMP', PROTOCOLS),
      invalid('ports[1].name', '"Web"', LABEL),
      duplicateValue('ports[1].name', 'Web'),
      invalid('ports[1].appProtocol', '"bad proto"', NAME_PART),
      requiredValue('endpoints[0].addresses', 'must contain at least 1 address'),
      invalid('endpoints[1].addresses', '"2001:db8::1"', 'must be an IPv4 address'),
      invalid('endpoints[1].addresses[1]', '"nope"', NOT_AN_IP),
      invalid(
        'endpoints[1].addresses[2]',
        '"127.0.0.1"',
        'may not be in the loopback range (127.0.0.0/8, ::1/128)',
      ),
      invalid('endpoints[1].addresses[3]', '"010.0.0.1"', 'must not have leading 0s'),
      invalid('endpoints[1].nodeName', '"Node A"', SUBDOMAIN),
      invalid('endpoints[1].hostname', '"Db_0"', LABEL),
      duplicateValue('endpoints[1].hints.forZones[1].name', 'a'),
      invalid('endpoints[1].hints.forZones[2].name', '"b c"', LABEL_VALUE),
    ]);
  });

  test('IPv6 addresses must be canonical, FQDNs domain names', async () => {
    const v6 = await postSlice('bad-v6', {
      addressType: 'IPv6',
      endpoints: [{ addresses: ['2001:DB8::1', '10.0.0.1', 'fe80::1'] }],
    });
    expectInvalid(v6, 'EndpointSlice.discovery.k8s.io "bad-v6"', [
      invalid(
        'endpoints[0].addresses[0]',
        '"2001:DB8::1"',
        'must be in canonical form ("2001:db8::1")',
      ),
      invalid('endpoints[0].addresses', '"10.0.0.1"', 'must be an IPv6 address'),
      invalid(
        'endpoints[0].addresses[2]',
        '"fe80::1"',
        'may not be in the link-local range (169.254.0.0/16, fe80::/10)',
      ),
    ]);
    const fqdn = await postSlice('bad-fqdn', {
      addressType: 'FQDN',
      endpoints: [{ addresses: ['db', 'Db.example.com', 'db.example.com.'] }],
    });
    expectInvalid(fqdn, 'EndpointSlice.discovery.k8s.io "bad-fqdn"', [
      invalid(
        'endpoints[0].addresses[0]',
        '"db"',
        'should be a domain with at least two segments separated by dots',
      ),
      invalid('endpoints[0].addresses[1]', '"Db.example.com"', SUBDOMAIN),
    ]);
    const type = await postSlice('bad-type', { addressType: 'IPv5' });
    expectInvalid(type, 'EndpointSlice.discovery.k8s.io "bad-type"', [
      unsupported('addressType', 'IPv5', ['FQDN', 'IPv4', 'IPv6']),
    ]);
    const none = await postSlice('no-type', {});
    expectInvalid(none, 'EndpointSlice.discovery.k8s.io "no-type"', [requiredValue('addressType')]);
  });

  test('limits: endpoints, addresses per endpoint, zone hints', async () => {
    const many = Array.from({ length: 1001 }, () => ({ addresses: ['192.0.2.1'] }));
    const endpointsRes = await postSlice('too-many', { addressType: 'IPv4', endpoints: many });
    expectInvalid(endpointsRes, 'EndpointSlice.discovery.k8s.io "too-many"', [
      tooMany('endpoints', 1001, 1000),
    ]);
    const addresses = Array.from({ length: 101 }, (_, i) => `192.0.2.${i + 1}`);
    const zones = Array.from({ length: 9 }, (_, i) => ({ name: `z${i}` }));
    const res = await postSlice('wide', {
      addressType: 'IPv4',
      endpoints: [{ addresses, hints: { forZones: zones } }],
    });
    expectInvalid(res, 'EndpointSlice.discovery.k8s.io "wide"', [
      tooMany('endpoints[0].addresses', 101, 100),
      tooMany('endpoints[0].hints.forZones', 9, 8),
    ]);
  });

  test('FQDN slices are deprecated: a warning, as are IPv6 addresses the server would rewrite', async () => {
    const res = await postSlice('names', {
      addressType: 'FQDN',
      endpoints: [{ addresses: ['db.example.com'] }],
    });
    expect(res.status, res.text).toBe(201);
    expect(res.warnings).toEqual(['spec.addressType: FQDN endpoints are deprecated']);
  });

  test('the address type is immutable; generation moves with the spec and the labels', async () => {
    const created = await postSlice('moving', {
      addressType: 'IPv4',
      endpoints: [{ addresses: ['192.0.2.20'] }],
    });
    expect(created.status, created.text).toBe(201);
    const type = await mergePatch(slices('moving'), {
      addressType: 'IPv6',
      endpoints: [{ addresses: ['2001:db8::20'] }],
    });
    expectInvalid(type, 'EndpointSlice.discovery.k8s.io "moving"', [
      invalid('addressType', '"IPv6"', 'field is immutable'),
    ]);
    const annotated = await mergePatch(slices('moving'), { metadata: { annotations: { a: 'b' } } });
    expect(annotated.json().metadata.generation).toBe(1);
    const labelled = await mergePatch(slices('moving'), { metadata: { labels: { a: 'b' } } });
    expect(labelled.json().metadata.generation).toBe(2);
    const moved = await mergePatch(slices('moving'), {
      endpoints: [
        { addresses: ['192.0.2.21'], deprecatedTopology: { 'kubernetes.io/hostname': 'x' } },
      ],
    });
    expect(moved.status, moved.text).toBe(200);
    // deprecatedTopology is dropped from writes through v1.
    expect(moved.json().endpoints).toEqual([{ addresses: ['192.0.2.21'], conditions: {} }]);
    expect(moved.json().metadata.generation).toBe(3);
  });
});
