import { describe, expect, test } from 'vitest';
import { podStatusCauses } from './pod-status.js';

describe('podStatusCauses', () => {
  test('keeps the stored IPs and QoS class, checks new ones', () => {
    const prev = { spec: {}, status: { qosClass: 'BestEffort', podIPs: [{ ip: 'old' }] } };
    expect(podStatusCauses({ spec: {}, status: { ...prev.status } }, prev)).toEqual([]);
    const next = {
      spec: {},
      status: { qosClass: 'Burstable', podIPs: [{ ip: 'x' }] },
    };
    expect(podStatusCauses(next, prev).map((c) => c.field)).toEqual([
      'status.qosClass',
      'status.podIPs[0]',
    ]);
  });

  test('an unchanged nominated node is not checked again', () => {
    const prev = { spec: { nodeName: 'n' }, status: { nominatedNodeName: 'N_' } };
    expect(podStatusCauses(structuredClone(prev), prev)).toEqual([]);
  });
});
