import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { networkPolicyRules } from './network-policy.js';

const ctx = { group: 'networking.k8s.io', create: true };
const causes = (spec: JsonObject) =>
  (networkPolicyRules.validate?.({ spec }, ctx) ?? []).map((c) => `${c.field}: ${c.message}`);

describe('NetworkPolicy', () => {
  test('defaults: TCP ports, policyTypes from the rules present', () => {
    const obj: JsonObject = { spec: { egress: [{ ports: [{ port: 53 }] }] } };
    networkPolicyRules.defaults?.(obj, true);
    expect(obj.spec).toEqual({
      egress: [{ ports: [{ port: 53, protocol: 'TCP' }] }],
      policyTypes: ['Ingress', 'Egress'],
    });
  });

  test('ports and peers', () => {
    expect(
      causes({
        ingress: [
          {
            ports: [
              { port: 90, endPort: 80, protocol: 'ICMP' },
              { port: 'http', endPort: 9 },
            ],
            from: [
              {},
              { ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/16'] }, podSelector: {} },
            ],
          },
        ],
        policyTypes: ['Sideways'],
      }),
    ).toEqual([
      'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
      'spec.ingress[0].ports[0].endPort: Invalid value: 90: must be greater than or equal to `port`',
      'spec.ingress[0].ports[1].endPort: Invalid value: 9: may not be specified when `port` is non-numeric',
      'spec.ingress[0].from[0]: Required value: must specify a peer',
      'spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: "11.0.0.0/16": must be a strict subset of `cidr`',
      'spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer',
      'spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"',
    ]);
  });

  test('an update may keep a CIDR it stored', () => {
    const spec = { ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.1/8' } }] }] };
    expect(causes(spec)).toHaveLength(1);
    expect(networkPolicyRules.validateUpdate?.({ spec }, { spec }, ctx)).toEqual([]);
  });
});
