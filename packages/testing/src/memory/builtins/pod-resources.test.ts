import { describe, expect, test } from 'vitest';
import { containerResourceCauses } from './pod-resources.js';

const lines = (resources: Parameters<typeof containerResourceCauses>[0]) =>
  containerResourceCauses(resources, 'r').map((c) => `${c.field}: ${c.message}`);

describe('containerResourceCauses', () => {
  test('standard resources: not negative, requests up to limits', () => {
    expect(lines({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1500m' } })).toEqual([
      'r.requests: Invalid value: "1500m": must be less than or equal to cpu limit of 1',
    ]);
    expect(lines({ requests: { 'ephemeral-storage': '-1' } })).toEqual([
      'r.requests[ephemeral-storage]: Invalid value: "-1": must be greater than or equal to 0',
    ]);
    expect(lines({ limits: { cpu: '1' }, requests: { cpu: '1000m' } })).toEqual([]);
  });

  test('resource names: standard for containers, or extended', () => {
    expect(lines({ limits: { storage: '1' } })).toEqual([
      'r.limits[storage]: Invalid value: "storage": must be a standard resource for containers',
    ]);
    expect(lines({ limits: { 'example.com/a_b': '1', 'kubernetes.io/x': '1' } })).toEqual([]);
    expect(lines({ limits: { 'requests.example.com/x': '1' } })).toEqual([
      'r.limits[requests.example.com/x]: Invalid value: "requests.example.com/x": doesn\'t follow extended resource name standard',
    ]);
  });

  test('extended resources and huge pages cannot be overcommitted', () => {
    expect(lines({ requests: { 'example.com/gpu': '1' } })).toEqual([
      'r.limits: Required value: Limit must be set for non overcommitable resources',
    ]);
    expect(
      lines({
        limits: { 'hugepages-1Gi': '2Gi', memory: '1Gi' },
        requests: { 'hugepages-1Gi': '1Gi' },
      }),
    ).toEqual(['r.requests: Invalid value: "1Gi": must be equal to hugepages-1Gi limit of 2Gi']);
    expect(lines({ limits: { 'hugepages-bad': '1' } })).toEqual([
      'r.limits[hugepages-bad]: Invalid value: "1": 1 is not positive integer multiple of hugepages-bad',
      'r: Forbidden: HugePages require cpu or memory',
    ]);
  });
});
