import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { computeQosClass } from './pod-qos.js';

const c = (resources: JsonObject): JsonObject => ({ name: 'c', image: 'i', resources });

describe('computeQosClass', () => {
  test('from the containers: zero does not count, sums compared by value', () => {
    expect(computeQosClass({ containers: [c({ requests: { cpu: '0' } })] })).toBe('BestEffort');
    const same = { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1Gi' } };
    expect(computeQosClass({ containers: [c(same)] })).toBe('Guaranteed');
    const cpuOnly = { requests: { cpu: '1' }, limits: { cpu: '1' } };
    expect(computeQosClass({ containers: [c(same), c(cpuOnly)] })).toBe('Burstable');
  });

  test('pod-level resources win over the containers', () => {
    const spec = {
      resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
      containers: [c({ requests: { cpu: '100m' } })],
    };
    expect(computeQosClass(spec)).toBe('Guaranteed');
    expect(computeQosClass({ ...spec, resources: { requests: { cpu: '1' } } })).toBe('Burstable');
  });
});
