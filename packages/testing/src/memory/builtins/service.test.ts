import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { serviceRules } from './service.js';

const ctx = { group: '', create: true };

describe('serviceRules', () => {
  test('defaults at create: ports, affinity, policies (addresses and families come later)', () => {
    const svc: JsonObject = { spec: { type: 'NodePort', ports: [{ port: 80 }] } };
    serviceRules.defaults!(svc, true);
    const spec = svc.spec as JsonObject;
    const port = (spec.ports as JsonObject[])[0]!;
    expect(port).toEqual({ protocol: 'TCP', port: 80, targetPort: 80 });
    expect(spec).toMatchObject({
      sessionAffinity: 'None',
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
    });
    expect(spec.clusterIP).toBeUndefined();
    expect(spec.ipFamilies).toBeUndefined();
  });

  test('a type change drops what the new type does not need, when left as it was', () => {
    const prev: JsonObject = {
      spec: {
        type: 'NodePort',
        clusterIP: '10.0.0.5',
        clusterIPs: ['10.0.0.5'],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        externalTrafficPolicy: 'Cluster',
        ports: [{ port: 80, nodePort: 30080 }],
      },
    };
    const external = structuredClone(prev);
    Object.assign(external.spec as JsonObject, { type: 'ExternalName', externalName: 'x.io' });
    serviceRules.prepareUpdate!(external, prev);
    expect(external.spec).toEqual({
      type: 'ExternalName',
      externalName: 'x.io',
      ports: [{ port: 80 }],
    });
    const cluster = structuredClone(prev);
    (cluster.spec as JsonObject).type = 'ClusterIP';
    serviceRules.prepareUpdate!(cluster, prev);
    expect((cluster.spec as JsonObject).ports).toEqual([{ port: 80 }]);
    expect((cluster.spec as JsonObject).clusterIP).toBe('10.0.0.5');
  });

  test('an update keeps the allocated values it leaves out; clusterIPs cannot change', () => {
    const prev: JsonObject = {
      spec: { ports: [{ port: 80 }], clusterIP: '10.0.0.5', clusterIPs: ['10.0.0.5'] },
    };
    serviceRules.defaults!(prev, true);
    const next: JsonObject = { spec: { type: 'ClusterIP', ports: [{ port: 80 }] } };
    serviceRules.prepareUpdate!(next, prev);
    expect((next.spec as JsonObject).clusterIP).toBe((prev.spec as JsonObject).clusterIP);
    const moved: JsonObject = structuredClone(prev);
    (moved.spec as JsonObject).clusterIP = '10.0.0.9';
    serviceRules.prepareUpdate!(moved, prev);
    expect(serviceRules.validateUpdate!(moved, prev, ctx)).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: ["10.0.0.9"]: may not change once set',
        field: 'spec.clusterIPs[0]',
      },
    ]);
  });

  test('validate: port range and names', () => {
    const svc: JsonObject = {
      spec: {
        type: 'ClusterIP',
        sessionAffinity: 'None',
        internalTrafficPolicy: 'Cluster',
        ports: [
          { port: 0, protocol: 'TCP', targetPort: 0 },
          { port: 81, protocol: 'TCP' },
        ],
      },
    };
    expect(serviceRules.validate!(svc, ctx).map((c) => c.field)).toEqual([
      'spec.ports[0].name',
      'spec.ports[0].port',
      'spec.ports[0].targetPort',
      'spec.ports[1].name',
    ]);
  });

  test('validate: the fields of other types, affinity, traffic policies, in kube-apiserver order', () => {
    const svc: JsonObject = {
      metadata: { name: 's' },
      spec: {
        type: 'ClusterIP',
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } },
        selector: { k: 'Bad Value!' },
        ports: [{ port: 80, protocol: 'TCP', targetPort: 80, appProtocol: 'a/b/c' }],
        loadBalancerSourceRanges: ['10.0.0.1/8'],
        allocateLoadBalancerNodePorts: true,
        loadBalancerClass: 'x',
        externalTrafficPolicy: 'Local',
        internalTrafficPolicy: 'Nope',
        trafficDistribution: 'Nope',
      },
    };
    expect(serviceRules.validate!(svc, ctx).map((c) => c.field)).toEqual([
      'spec.ports[0].appProtocol',
      'spec.selector',
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds',
      'spec.LoadBalancerSourceRanges',
      'spec.LoadBalancerSourceRanges[0]',
      'spec.allocateLoadBalancerNodePorts',
      'spec.loadBalancerClass',
      'spec.externalTrafficPolicy',
      'spec.internalTrafficPolicy',
      'spec.trafficDistribution',
    ]);
  });
});
