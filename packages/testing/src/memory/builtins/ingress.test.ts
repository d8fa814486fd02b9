import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { ingressRules } from './ingress.js';

const ctx = { group: 'networking.k8s.io', create: true };
const causes = (obj: JsonObject) =>
  (ingressRules.validate?.(obj, ctx) ?? []).map((c) => `${c.field}: ${c.message}`);
const service = (name: string, port: JsonObject) => ({ service: { name, port } });

describe('Ingress', () => {
  test('a default backend or rules', () => {
    expect(causes({ spec: {} })).toEqual([
      'spec: Invalid value: null: either `defaultBackend` or `rules` must be specified',
    ]);
    expect(causes({ spec: { defaultBackend: service('web', { number: 80 }) } })).toEqual([]);
  });

  test('hosts, paths and backends', () => {
    const rules: JsonObject[] = [
      {
        host: '10.0.0.1',
        http: {
          paths: [
            {
              path: 'api',
              pathType: 'Prefix',
              backend: service('Web', { name: 'http', number: 80 }),
            },
            { path: '/a//b', backend: {} },
            { path: '/x/..', pathType: 'Exact', backend: {} },
          ],
        },
      },
      { host: '*.*.example.com', http: { paths: [] } },
    ];
    expect(causes({ spec: { rules } })).toEqual([
      'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
      'spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path',
      expect.stringMatching(
        /^spec.rules\[0\].http.paths\[0\].backend.service.name: Invalid value: "Web": a lowercase RFC 1123 label/,
      ),
      'spec.rules[0].http.paths[0].backend: Invalid value: "": cannot set both port name & port number',
      'spec.rules[0].http.paths[1].pathType: Required value: pathType must be specified',
      'spec.rules[0].http.paths[2].path: Invalid value: "/x/..": cannot end with \'/..\'',
      'spec.rules[0].http.paths[2].backend: Invalid value: "": resource or service backend is required',
      expect.stringMatching(
        /^spec.rules\[1\].host: Invalid value: "\*.\*.example.com": a wildcard DNS-1123 subdomain/,
      ),
      'spec.rules[1].http.paths: Required value',
    ]);
  });

  test('the class annotation agrees with ingressClassName on create', () => {
    const obj = {
      metadata: { annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
      spec: { ingressClassName: 'traefik', defaultBackend: service('web', { number: 80 }) },
    };
    expect(causes(obj)).toEqual([
      'annotations.kubernetes.io/ingress.class: Invalid value: "nginx": must match `ingressClassName` when both are specified',
    ]);
    expect(ingressRules.validate?.(obj, { ...ctx, create: false })).toEqual([]);
  });

  test('the load balancer status: IPs (stored ones kept), hostnames; IP warnings', () => {
    const lb = (...ingress: JsonObject[]) => ({ status: { loadBalancer: { ingress } } });
    const old = lb({ ip: '1.2.3.4' });
    const status = { ...ctx, create: false, subresource: 'status', old };
    const obj = lb(
      { ip: '1.2.3.4' },
      { ip: '010.0.0.1', hostname: 'Example.com' },
      { ip: 'nope', hostname: '10.0.0.2' },
      { ip: '::ffff:1.2.3.4' },
    );
    expect(
      (ingressRules.validate?.(obj, status) ?? []).map((c) => `${c.field}: ${c.message}`),
    ).toEqual([
      'status.loadBalancer.ingress[1].ip: Invalid value: "010.0.0.1": must not have leading 0s',
      expect.stringMatching(
        /^status.loadBalancer.ingress\[1\].hostname: Invalid value: "Example.com": a lowercase RFC 1123 subdomain/,
      ),
      'status.loadBalancer.ingress[2].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      'status.loadBalancer.ingress[2].hostname: Invalid value: "10.0.0.2": must be a DNS name, not an IP address',
      'status.loadBalancer.ingress[3].ip: Invalid value: "::ffff:1.2.3.4": must not be an IPv4-mapped IPv6 address',
    ]);
    expect(ingressRules.warnings?.(lb({ ip: '2001:DB8::1' }), status)).toEqual([
      'status.loadBalancer.ingress[0]: IPv6 address "2001:DB8::1" should be in RFC 5952 canonical format ("2001:db8::1")',
    ]);
  });

  test('a warning for the class annotation without ingressClassName', () => {
    const obj = { metadata: { annotations: { 'kubernetes.io/ingress.class': 'nginx' } } };
    expect(ingressRules.warnings?.(obj, ctx)).toEqual([
      'annotation "kubernetes.io/ingress.class" is deprecated, please use \'spec.ingressClassName\' instead',
    ]);
    expect(ingressRules.warnings?.(obj, { ...ctx, create: false })).toEqual([]);
  });
});
