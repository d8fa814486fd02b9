/**
 * Differential: kube-apiserver's checks of container `resources` in Pods and in every
 * workload template: negative quantities, requests above limits, resource names,
 * extended resources (whole numbers, requests equal to limits) and huge pages.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectCauses, INVALID } from './invalid-causes.js';
import { holderPath, POD, WORKLOADS } from './pod-spec-fixtures.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-resources');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const container = (name: string, resources: Record<string, unknown>) => ({
  name,
  image: 'i',
  resources,
});

describe('container resources', () => {
  test('a Pod: requests above limits, negative, extended and huge page quantities, names', async () => {
    const spec = {
      containers: [
        container('c0', { requests: { cpu: '2' }, limits: { cpu: '1' } }),
        container('c1', { requests: { memory: '-1Gi' } }),
        container('c2', {
          requests: { 'example.com/gpu': '2' },
          limits: { 'example.com/gpu': '1' },
        }),
        container('c3', { requests: { 'example.com/gpu': '1' } }),
        // The Pod's defaults copy limits into missing requests, so both are reported.
        container('c4', { limits: { 'example.com/gpu': '500m' } }),
        container('c5', { limits: { foo: '1' } }),
        container('c6', { limits: { 'hugepages-2Mi': '3Mi' } }),
        container('c7', { limits: { pods: '1', cpu: '1' } }),
      ],
      initContainers: [container('i0', { requests: { cpu: '-500m', memory: '2Gi' } })],
    };
    const c = (i: number) => `spec.containers[${i}].resources`;
    await expectCauses(kc(), holderPath(POD, ns), POD.body('res', spec), [
      [
        `${c(0)}.requests`,
        INVALID,
        'Invalid value: "2": must be less than or equal to cpu limit of 1',
      ],
      [
        `${c(1)}.requests[memory]`,
        INVALID,
        'Invalid value: "-1Gi": must be greater than or equal to 0',
      ],
      [
        `${c(2)}.requests`,
        INVALID,
        'Invalid value: "2": must be equal to example.com/gpu limit of 1',
      ],
      [
        `${c(3)}.limits`,
        'FieldValueRequired',
        'Required value: Limit must be set for non overcommitable resources',
      ],
      [`${c(4)}.limits[example.com/gpu]`, INVALID, 'Invalid value: "500m": must be an integer'],
      [`${c(4)}.requests[example.com/gpu]`, INVALID, 'Invalid value: "500m": must be an integer'],
      [
        `${c(5)}.limits[foo]`,
        INVALID,
        'Invalid value: "foo": must be a standard resource type or fully qualified',
      ],
      [
        `${c(5)}.limits[foo]`,
        INVALID,
        'Invalid value: "foo": must be a standard resource for containers',
      ],
      [
        `${c(5)}.requests[foo]`,
        INVALID,
        'Invalid value: "foo": must be a standard resource type or fully qualified',
      ],
      [
        `${c(5)}.requests[foo]`,
        INVALID,
        'Invalid value: "foo": must be a standard resource for containers',
      ],
      [
        `${c(6)}.limits[hugepages-2Mi]`,
        INVALID,
        'Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi',
      ],
      [
        `${c(6)}.requests[hugepages-2Mi]`,
        INVALID,
        'Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi',
      ],
      [c(6), 'FieldValueForbidden', 'Forbidden: HugePages require cpu or memory'],
      [
        `${c(7)}.limits[pods]`,
        INVALID,
        'Invalid value: "pods": must be a standard resource for containers',
      ],
      [
        `${c(7)}.requests[pods]`,
        INVALID,
        'Invalid value: "pods": must be a standard resource for containers',
      ],
      [
        'spec.initContainers[0].resources.requests[cpu]',
        INVALID,
        'Invalid value: "-500m": must be greater than or equal to 0',
      ],
    ]);
  });

  test('every workload template is checked the same way, init containers included', async () => {
    const spec = {
      containers: [container('c', { requests: { cpu: '2' }, limits: { cpu: '1' } })],
      initContainers: [container('i', { requests: { memory: '-1' } })],
    };
    for (const holder of WORKLOADS) {
      const at = holder.prefix;
      await expectCauses(kc(), holderPath(holder, ns), holder.body('res', spec), [
        [
          `${at}.containers[0].resources.requests`,
          INVALID,
          'Invalid value: "2": must be less than or equal to cpu limit of 1',
        ],
        [
          `${at}.initContainers[0].resources.requests[memory]`,
          INVALID,
          'Invalid value: "-1": must be greater than or equal to 0',
        ],
      ]);
    }
  });

  test('valid requests and limits are accepted: equal extended resources, huge pages beside memory', async () => {
    const spec = {
      containers: [
        container('c', {
          requests: { cpu: '500m', 'example.com/gpu': '2' },
          limits: { cpu: '1', memory: '1Gi', 'example.com/gpu': '2', 'hugepages-2Mi': '4Mi' },
        }),
      ],
    };
    const res = await raw(kc(), 'POST', holderPath(POD, ns), { body: POD.body('ok', spec) });
    expect(res.status, res.text).toBe(201);
    expect(res.json().spec.containers[0].resources.requests).toEqual({
      cpu: '500m',
      'example.com/gpu': '2',
      'hugepages-2Mi': '4Mi',
      memory: '1Gi',
    });
  });
});
