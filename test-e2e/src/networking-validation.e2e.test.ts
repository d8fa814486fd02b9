/**
 * Differential: kube-apiserver's defaults and validation of networking.k8s.io/v1
 * NetworkPolicies (ports, peers, ipBlock CIDRs, policyTypes), Ingresses (backends, hosts,
 * paths, TLS, the class annotation) and IngressClasses (controller, parameters, the
 * immutable controller).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Cause,
  expectInvalid,
  forbidden,
  invalid,
  requiredValue,
  unsupported,
} from './invalid-status.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const suffix = uniqueSuffix();
const classes: string[] = [];

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-net-valid');
});

afterAll(async () => {
  for (const name of classes)
    await raw(e2e.backend.kubeConfig, 'DELETE', `${NET}/ingressclasses/${name}`);
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const NET = '/apis/networking.k8s.io/v1';
const GROUP = 'networking.k8s.io';
const at = (plural: string, name = '') =>
  plural === 'ingressclasses'
    ? `${NET}/ingressclasses${name ? `/${name}` : ''}`
    : `${NET}/namespaces/${ns}/${plural}${name ? `/${name}` : ''}`;
const post = (plural: string, body: { metadata: { name: string } } & Record<string, unknown>) => {
  if (plural === 'ingressclasses') classes.push(body.metadata.name);
  return raw(kc(), 'POST', at(plural), { body });
};
const patch = (plural: string, name: string, body: unknown) =>
  raw(kc(), 'PATCH', at(plural, name), { body, contentType: 'application/merge-patch+json' });

const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const WILDCARD =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

describe('NetworkPolicies', () => {
  test('defaults: TCP ports and policyTypes from the rules present', async () => {
    const res = await post('networkpolicies', {
      metadata: { name: 'dns' },
      spec: { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json().spec).toEqual({
      podSelector: {},
      egress: [{ ports: [{ protocol: 'TCP', port: 53 }] }],
      policyTypes: ['Ingress', 'Egress'],
    });
  });

  test('ports, peers, CIDRs and policyTypes', async () => {
    const causes: Cause[] = [
      unsupported('spec.ingress[0].ports[0].protocol', 'ICMP', ['TCP', 'UDP', 'SCTP']),
      invalid('spec.ingress[0].ports[0].endPort', '90', 'must be greater than or equal to `port`'),
      invalid(
        'spec.ingress[0].ports[1].endPort',
        '9',
        'may not be specified when `port` is non-numeric',
      ),
      invalid('spec.ingress[0].ports[1].port', '"http-"', 'must not begin or end with a hyphen'),
      invalid('spec.ingress[0].ports[2].port', '70000', 'must be between 1 and 65535, inclusive'),
      requiredValue('spec.ingress[0].from[0]', 'must specify a peer'),
      invalid(
        'spec.ingress[0].from[1].ipBlock.cidr',
        '"10.0.0.1/8"',
        'must not have bits set beyond the prefix length',
      ),
      invalid(
        'spec.ingress[0].from[1].ipBlock.except[0]',
        '"11.0.0.0/16"',
        'must be a strict subset of `cidr`',
      ),
      forbidden('spec.ingress[0].from[1]', 'may not specify both ipBlock and another peer'),
      invalid(
        'spec.egress[0].to[0].ipBlock.cidr',
        '"10.0.0/8"',
        'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      ),
      unsupported('spec.policyTypes[0]', 'Sideways', ['Ingress', 'Egress']),
    ];
    expectInvalid(
      await post('networkpolicies', {
        metadata: { name: 'bad' },
        spec: {
          podSelector: {},
          ingress: [
            {
              ports: [
                { port: 90, endPort: 80, protocol: 'ICMP' },
                { port: 'http-', endPort: 9 },
                { port: 70000 },
              ],
              from: [
                {},
                {
                  ipBlock: { cidr: '10.0.0.1/8', except: ['11.0.0.0/16'] },
                  namespaceSelector: {},
                },
              ],
            },
          ],
          egress: [{ to: [{ ipBlock: { cidr: '10.0.0/8' } }] }],
          policyTypes: ['Sideways'],
        },
      }),
      `NetworkPolicy.${GROUP} "bad"`,
      causes,
    );
  });
});

describe('Ingresses', () => {
  const web = { service: { name: 'web', port: { number: 80 } } };

  test('a default backend or rules; hosts, paths and backends', async () => {
    expectInvalid(
      await post('ingresses', { metadata: { name: 'empty' }, spec: {} }),
      `Ingress.${GROUP} "empty"`,
      [invalid('spec', 'null', 'either `defaultBackend` or `rules` must be specified')],
    );
    expectInvalid(
      await post('ingresses', {
        metadata: { name: 'bad' },
        spec: {
          ingressClassName: 'Nginx',
          rules: [
            {
              host: '10.0.0.1',
              http: {
                paths: [
                  {
                    path: 'api',
                    pathType: 'Prefix',
                    backend: { service: { name: 'Web', port: { name: 'http', number: 80 } } },
                  },
                  { path: '/a', backend: web },
                  { path: '/x/..', pathType: 'Exact', backend: {} },
                  { path: '/b', pathType: 'Regex', backend: { service: { name: 'web' } } },
                ],
              },
            },
            { host: '*.*.example.com', http: { paths: [] } },
          ],
          tls: [{ hosts: ['*.example.com', 'Bad.example.com'], secretName: 'tls_secret' }],
        },
      }),
      `Ingress.${GROUP} "bad"`,
      [
        invalid('spec.rules[0].host', '"10.0.0.1"', 'must be a DNS name, not an IP address'),
        invalid('spec.rules[0].http.paths[0].path', '"api"', 'must be an absolute path'),
        invalid('spec.rules[0].http.paths[0].backend.service.name', '"Web"', LABEL),
        invalid(
          'spec.rules[0].http.paths[0].backend',
          '""',
          'cannot set both port name & port number',
        ),
        requiredValue('spec.rules[0].http.paths[1].pathType', 'pathType must be specified'),
        invalid('spec.rules[0].http.paths[2].path', '"/x/.."', "cannot end with '/..'"),
        invalid(
          'spec.rules[0].http.paths[2].backend',
          '""',
          'resource or service backend is required',
        ),
        unsupported('spec.rules[0].http.paths[3].pathType', 'Regex', [
          'Exact',
          'ImplementationSpecific',
          'Prefix',
        ]),
        requiredValue('spec.rules[0].http.paths[3].backend', 'port name or number is required'),
        invalid('spec.rules[1].host', '"*.*.example.com"', WILDCARD),
        requiredValue('spec.rules[1].http.paths'),
        invalid('spec.tls[0].hosts[1]', '"Bad.example.com"', SUBDOMAIN),
        invalid('spec.tls[0].secretName', '"tls_secret"', SUBDOMAIN),
        invalid('spec.ingressClassName', '"Nginx"', SUBDOMAIN),
      ],
    );
  });

  test('the class annotation must agree with ingressClassName on create only', async () => {
    const body = {
      metadata: { name: 'classed', annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
      spec: { ingressClassName: 'traefik', defaultBackend: web },
    };
    expectInvalid(await post('ingresses', body), `Ingress.${GROUP} "classed"`, [
      invalid(
        'annotations.kubernetes.io/ingress.class',
        '"nginx"',
        'must match `ingressClassName` when both are specified',
      ),
    ]);
    const created = await post('ingresses', {
      ...body,
      spec: { ...body.spec, ingressClassName: 'nginx' },
    });
    expect(created.status, created.text).toBe(201);
    const updated = await patch('ingresses', 'classed', { spec: { ingressClassName: 'traefik' } });
    expect(updated.status, updated.text).toBe(200);
  });

  test('a warning for the class annotation without ingressClassName, on create only', async () => {
    const body = {
      metadata: { name: 'annotated', annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
      spec: { defaultBackend: web },
    };
    const created = await post('ingresses', body);
    expect(created.status, created.text).toBe(201);
    expect(created.warnings).toEqual([
      'annotation "kubernetes.io/ingress.class" is deprecated, please use \'spec.ingressClassName\' instead',
    ]);
    const updated = await patch('ingresses', 'annotated', { metadata: { labels: { a: 'b' } } });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.warnings).toEqual([]);
  });

  test('the load balancer status through /status: IPs, hostnames, warnings', async () => {
    const created = await post('ingresses', {
      metadata: { name: 'balanced' },
      spec: { defaultBackend: web },
      status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json().status).toEqual({ loadBalancer: {} });
    const status = (ingress: unknown[]) =>
      raw(kc(), 'PATCH', `${at('ingresses', 'balanced')}/status`, {
        body: { status: { loadBalancer: { ingress } } },
        contentType: 'application/merge-patch+json',
      });
    expectInvalid(
      await status([
        { ip: '010.0.0.1', hostname: 'Example.com' },
        { ip: 'nope', hostname: '10.0.0.2' },
        { ip: '::ffff:1.2.3.4', ports: [{ port: 99999, protocol: 'ICMP' }] },
      ]),
      `Ingress.${GROUP} "balanced"`,
      [
        invalid('status.loadBalancer.ingress[0].ip', '"010.0.0.1"', 'must not have leading 0s'),
        invalid('status.loadBalancer.ingress[0].hostname', '"Example.com"', SUBDOMAIN),
        invalid(
          'status.loadBalancer.ingress[1].ip',
          '"nope"',
          'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        ),
        invalid(
          'status.loadBalancer.ingress[1].hostname',
          '"10.0.0.2"',
          'must be a DNS name, not an IP address',
        ),
        invalid(
          'status.loadBalancer.ingress[2].ip',
          '"::ffff:1.2.3.4"',
          'must not be an IPv4-mapped IPv6 address',
        ),
      ],
    );
    // Ports are not checked; an IPv6 address not in canonical form gets a warning.
    const ingress = [
      { ip: '2001:DB8::1', hostname: 'lb.example.com', ports: [{ port: 0, protocol: 'ICMP' }] },
    ];
    const ok = await status(ingress);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json().status).toEqual({ loadBalancer: { ingress } });
    expect(ok.warnings).toEqual([
      'status.loadBalancer.ingress[0]: IPv6 address "2001:DB8::1" should be in RFC 5952 canonical format ("2001:db8::1")',
    ]);
  });
});

const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

describe('IngressClasses', () => {
  test('controller and parameters; the controller cannot change', async () => {
    const name = `e2e-class-${suffix}`;
    expectInvalid(
      await post('ingressclasses', {
        metadata: { name },
        spec: {
          controller: 'nginx',
          parameters: { apiGroup: 'Example.com', kind: 'a/b', name: 'p', scope: 'Namespace' },
        },
      }),
      `IngressClass.${GROUP} "${name}"`,
      [
        invalid(
          'spec.controller',
          '"nginx"',
          'must be a domain-prefixed path (such as "acme.io/foo")',
        ),
        invalid('spec.parameters.apiGroup', '"Example.com"', SUBDOMAIN),
        invalid('spec.parameters.kind', '"a/b"', "may not contain '/'"),
        requiredValue('spec.parameters.namespace', "`parameters.scope` is set to 'Namespace'"),
      ],
    );
    const created = await post('ingressclasses', {
      metadata: { name },
      spec: { controller: 'example.com/ingress', parameters: { kind: 'Config', name: 'c' } },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json().spec.parameters).toEqual({ kind: 'Config', name: 'c', scope: 'Cluster' });
    expectInvalid(
      await patch('ingressclasses', name, {
        spec: { controller: 'example.com/other', parameters: { namespace: ns } },
      }),
      `IngressClass.${GROUP} "${name}"`,
      [
        invalid('spec.controller', '"example.com/other"', 'field is immutable'),
        forbidden('spec.parameters.namespace', "`parameters.scope` is set to 'Cluster'"),
      ],
    );
  });
});
