/**
 * Differential: pod-level `resources` (PodLevelResources, on in v1.36): a Pod's requests
 * defaulted from its containers' and its limits, and kube-apiserver's checks in Pods and
 * every workload template (no claims, supported names, the containers' aggregate requests
 * and limits within the pod's, none on a Windows pod).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectCauses, FORBIDDEN, INVALID, UNSUPPORTED } from './invalid-causes.js';
import { holderPath, POD, WORKLOADS } from './pod-spec-fixtures.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-pod-level');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;

describe('pod-level resources', () => {
  test('a Pod: requests default from the containers, then from the limits', async () => {
    const res = await raw(kc(), 'POST', holderPath(POD, ns), {
      body: POD.body('pod-level', {
        resources: { limits: { cpu: '1', memory: '1Gi' } },
        containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '100m' } } }],
      }),
    });
    expect(res.status, res.text).toBe(201);
    const pod = res.json();
    expect(pod.spec.resources).toEqual({
      limits: { cpu: '1', memory: '1Gi' },
      requests: { cpu: '100m', memory: '1Gi' },
    });
    expect(pod.status.qosClass).toBe('Burstable');
  });

  test.each([POD, ...WORKLOADS].map((h) => [h.plural, h] as const))(
    '%s: claims, names, aggregates and Windows',
    async (_, h) => {
      const at = `${h.prefix}.resources`;
      const path = holderPath(h, ns);
      await expectCauses(
        kc(),
        path,
        h.body(`pod-level-${h.plural}`, {
          resources: {
            requests: { cpu: '1', 'ephemeral-storage': '1Gi' },
            limits: { cpu: '2' },
            claims: [],
          },
          containers: [
            {
              name: 'c',
              image: 'i',
              resources: { requests: { cpu: '1500m' }, limits: { cpu: '3' } },
            },
          ],
        }),
        [
          [
            `${at}.claims`,
            FORBIDDEN,
            'Forbidden: claims may not be set for Resources at pod-level',
          ],
          [
            `${at}.requests[ephemeral-storage]`,
            UNSUPPORTED,
            'Unsupported value: "ephemeral-storage": supported values: "cpu", "hugepages-", "memory"',
          ],
          [
            `${at}.requests[cpu]`,
            INVALID,
            'Invalid value: "1": must be greater than or equal to aggregate container requests of 1500m',
          ],
          [
            `${at}.containers[0][cpu].limits`,
            INVALID,
            'Invalid value: "3": must be less than or equal to pod limits of 2',
          ],
        ],
      );
      await expectCauses(
        kc(),
        path,
        h.body(`pod-level-windows-${h.plural}`, {
          os: { name: 'windows' },
          resources: { requests: { cpu: '-1' } },
          containers: [{ name: 'c', image: 'i' }],
        }),
        [[at, FORBIDDEN, 'Forbidden: may not be set for a windows pod']],
      );
    },
  );
});
