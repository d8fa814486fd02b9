import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { ingressClassRules } from './ingress-class.js';

const ctx = { group: 'networking.k8s.io', create: true };
const causes = (spec: JsonObject) =>
  (ingressClassRules.validate?.({ spec }, ctx) ?? []).map((c) => `${c.field}: ${c.message}`);

describe('IngressClass', () => {
  test('controller: a domain-prefixed path that cannot change', () => {
    expect(causes({ controller: 'example.com/ingress' })).toEqual([]);
    expect(causes({})).toEqual(['spec.controller: Required value']);
    expect(causes({ controller: 'nginx' })).toEqual([
      'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
    ]);
    expect(
      ingressClassRules.validateUpdate?.(
        { spec: { controller: 'b.io/x' } },
        { spec: { controller: 'a.io/x' } },
        ctx,
      ),
    ).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "b.io/x": field is immutable',
        field: 'spec.controller',
      },
    ]);
  });

  test('parameters: scope defaults to Cluster; Namespace needs a namespace', () => {
    const obj: JsonObject = {
      spec: { controller: 'a.io/x', parameters: { kind: 'K', name: 'n' } },
    };
    ingressClassRules.defaults?.(obj, true);
    expect(obj.spec).toMatchObject({ parameters: { scope: 'Cluster' } });
    expect(
      causes({ controller: 'a.io/x', parameters: { kind: 'K', name: 'n', scope: 'Namespace' } }),
    ).toEqual([
      "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'",
    ]);
    expect(
      causes({
        controller: 'a.io/x',
        parameters: { kind: 'K', name: 'n', scope: 'Cluster', namespace: 'x' },
      }),
    ).toEqual(["spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'"]);
  });
});
