import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { resizeCauses, resizedSpec } from './pod-resize.js';

const resources = { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '1Gi' } };
const spec = (r: JsonObject = resources, more: JsonObject = {}): JsonObject => ({
  containers: [{ name: 'app', image: 'nginx', resources: r, ...more }],
});
const pod = (s: JsonObject, status: JsonObject = { qosClass: 'Burstable' }): JsonObject => ({
  metadata: { name: 'p' },
  spec: s,
  status,
});

describe('resizedSpec', () => {
  test('keeps the stored spec but for resources and resize policies', () => {
    const sent = spec({ limits: { cpu: '3' } }, { image: 'other' });
    sent.activeDeadlineSeconds = 5;
    expect(resizedSpec(sent, spec())).toEqual(spec({ limits: { cpu: '3' } }));
  });

  test('answers the sent spec when containers are added', () => {
    const sent = { containers: [...(spec().containers as JsonObject[]), { name: 'b' }] };
    expect(resizedSpec(sent, spec())).toBe(sent);
  });
});

describe('resizeCauses', () => {
  test('a cpu change passes; removed limits and other resources are refused', () => {
    const prev = pod(spec());
    expect(
      resizeCauses(pod(spec({ ...resources, limits: { cpu: '3', memory: '1Gi' } })), prev, []),
    ).toEqual([]);
    expect(resizeCauses(pod(spec({ requests: resources.requests })), prev, [])).toEqual([
      {
        reason: 'FieldValueForbidden',
        message: 'Forbidden: resource limits cannot be removed',
        field: 'spec.containers[0].resources.limits',
      },
    ]);
    const storage = { ...resources, requests: { ...resources.requests, 'ephemeral-storage': '1' } };
    expect(resizeCauses(pod(spec(storage)), prev, []).map((c) => c.message)).toEqual([
      'Forbidden: only cpu and memory resources are mutable',
    ]);
  });

  test('a Windows Pod gets its refusal alone, after no spec causes', () => {
    const windows = pod({ ...spec(), os: { name: 'windows' } });
    const other = { reason: 'FieldValueInvalid', message: 'x', field: 'spec' };
    expect(resizeCauses(windows, windows, [other])).toEqual([
      {
        reason: 'FieldValueForbidden',
        message: 'Forbidden: windows pods cannot be resized',
        field: '[]',
      },
    ]);
  });
});
