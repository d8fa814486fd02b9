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
});
