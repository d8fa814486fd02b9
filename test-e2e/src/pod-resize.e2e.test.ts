/**
 * Differential: a Pod's `resize` subresource changes its containers' cpu and memory only
 * (the rest of the request is dropped, the generation moves), and refuses what
 * kube-apiserver refuses: removed limits, other resources, a new QoS class, added
 * containers, a Windows Pod, a Pod whose running containers report no resources; and
 * container `resizePolicy` is checked in every pod spec.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectCauses, INVALID, REQUIRED, UNSUPPORTED } from './invalid-causes.js';
import { expectInvalid, forbidden, invalid } from './invalid-status.js';
import { holderPath, POD, WORKLOADS } from './pod-spec-fixtures.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-resize');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const pods = () => `/api/v1/namespaces/${ns}/pods`;
const burstable = {
  requests: { cpu: '100m', memory: '64Mi' },
  limits: { cpu: '200m', memory: '128Mi' },
};

/** Creates a Pod with one container `app` of `resources`; answers the stored Pod. */
async function createPod(name: string, spec: Record<string, unknown> = {}) {
  const res = await raw(kc(), 'POST', pods(), {
    body: {
      metadata: { name },
      spec: { containers: [{ name: 'app', image: 'nginx', resources: burstable }], ...spec },
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.json();
}

/** A PUT of `pod` through resize with its first container's resources replaced. */
// biome-ignore lint/suspicious/noExplicitAny: tests edit arbitrary server JSON.
function resizeTo(pod: any, resources: Record<string, unknown>) {
  const containers = [{ ...pod.spec.containers[0], resources }, ...pod.spec.containers.slice(1)];
  return raw(kc(), 'PUT', `${pods()}/${pod.metadata.name}/resize`, {
    body: { ...pod, spec: { ...pod.spec, containers } },
  });
}

describe('pods/resize', () => {
  test('changes container cpu and memory only, and bumps the generation', async () => {
    await createPod('resized');
    const got = await raw(kc(), 'GET', `${pods()}/resized/resize`);
    expect(got.status, got.text).toBe(200);
    expect(got.json()).toMatchObject({ kind: 'Pod', metadata: { name: 'resized', generation: 1 } });

    const patched = await raw(kc(), 'PATCH', `${pods()}/resized/resize`, {
      contentType: 'application/strategic-merge-patch+json',
      body: {
        metadata: { labels: { changed: 'yes' } },
        spec: {
          activeDeadlineSeconds: 5,
          containers: [{ name: 'app', image: 'other', resources: { limits: { cpu: '300m' } } }],
        },
      },
    });
    expect(patched.status, patched.text).toBe(200);
    const pod = patched.json();
    expect(pod.metadata.labels).toBeUndefined();
    expect(pod.metadata.generation).toBe(2);
    expect(pod.spec.activeDeadlineSeconds).toBeUndefined();
    expect(pod.spec.containers[0].image).toBe('nginx');
    expect(pod.spec.containers[0].resources).toEqual({
      requests: { cpu: '100m', memory: '64Mi' },
      limits: { cpu: '300m', memory: '128Mi' },
    });
    expect(pod.status.qosClass).toBe('Burstable');
  });

  test('refuses removed limits, other resources, a new QoS class and added containers', async () => {
    const pod = await createPod('refused');
    expectInvalid(
      await resizeTo(pod, { requests: burstable.requests, limits: { cpu: '200m' } }),
      'Pod "refused"',
      [forbidden('spec.containers[0].resources.limits', 'resource limits cannot be removed')],
    );
    expectInvalid(
      await resizeTo(pod, {
        requests: { ...burstable.requests, 'ephemeral-storage': '1Gi' },
        limits: burstable.limits,
      }),
      'Pod "refused"',
      [forbidden('spec', 'only cpu and memory resources are mutable')],
    );
    expectInvalid(
      await resizeTo(pod, { requests: burstable.limits, limits: burstable.limits }),
      'Pod "refused"',
      [invalid('spec', '"Burstable"', 'Pod QOS Class may not change as a result of resizing')],
    );
    const added = { ...pod.spec.containers[0], name: 'more' };
    expectInvalid(
      await raw(kc(), 'PUT', `${pods()}/refused/resize`, {
        body: { ...pod, spec: { ...pod.spec, containers: [...pod.spec.containers, added] } },
      }),
      'Pod "refused"',
      [forbidden('spec.containers', 'containers may not be added or removed on resize')],
    );
    const policy = [{ resourceName: 'cpu', restartPolicy: 'RestartContainer' }];
    expectInvalid(
      await raw(kc(), 'PUT', `${pods()}/refused/resize`, {
        body: {
          ...pod,
          spec: { ...pod.spec, containers: [{ ...pod.spec.containers[0], resizePolicy: policy }] },
        },
      }),
      'Pod "refused"',
      [forbidden('spec', 'only cpu and memory resources are mutable')],
    );
  });

  test('refuses a Windows Pod and a Pod whose running containers report no resources', async () => {
    const windows = await createPod('windows', { os: { name: 'windows' } });
    expectInvalid(
      await resizeTo(windows, { requests: burstable.requests, limits: burstable.requests }),
      'Pod "windows"',
      [forbidden('[]', 'windows pods cannot be resized')],
    );
    const running = await createPod('running');
    const status = await raw(kc(), 'PUT', `${pods()}/running/status`, {
      body: {
        ...running,
        status: {
          ...running.status,
          containerStatuses: [
            {
              name: 'app',
              image: 'nginx',
              imageID: '',
              ready: true,
              restartCount: 0,
              state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
            },
          ],
        },
      },
    });
    expect(status.status, status.text).toBe(200);
    expectInvalid(
      await resizeTo(status.json(), { ...burstable, limits: { cpu: '300m', memory: '128Mi' } }),
      'Pod "running"',
      [forbidden('spec', 'Pod running on node without support for resize')],
    );
  });
});

describe('container resizePolicy', () => {
  const policies = [
    { resourceName: 'cpu', restartPolicy: 'NotRequired' },
    { resourceName: 'cpu', restartPolicy: 'Sometimes' },
    { resourceName: 'storage', restartPolicy: 'RestartContainer' },
    { resourceName: '', restartPolicy: '' },
  ];
  const causes = (prefix: string, never: boolean) => {
    const at = `${prefix}.containers[0].resizePolicy`;
    const neverCause = (v: string) =>
      never
        ? [
            [
              at,
              INVALID,
              `Invalid value: "${v}": must be 'NotRequired' when pod \`restartPolicy\` is 'Never'`,
            ],
          ]
        : [];
    return [
      [`${at}[1]`, 'FieldValueDuplicate', 'Duplicate value: "cpu"'],
      [
        at,
        UNSUPPORTED,
        'Unsupported value: "Sometimes": supported values: "NotRequired", "RestartContainer"',
      ],
      ...neverCause('Sometimes'),
      [at, UNSUPPORTED, 'Unsupported value: "storage": supported values: "cpu", "memory"'],
      ...neverCause('RestartContainer'),
      [at, REQUIRED, 'Required value'],
      [at, REQUIRED, 'Required value'],
      ...neverCause(''),
    ] as [string, string, string][];
  };

  test('a Pod: duplicates, resources, policies, Never, non-sidecar init containers', async () => {
    await expectCauses(
      kc(),
      holderPath(POD, ns),
      POD.body('policies', {
        restartPolicy: 'Never',
        containers: [{ name: 'c', image: 'i', resizePolicy: policies }],
        initContainers: [
          {
            name: 'init',
            image: 'i',
            resizePolicy: [{ resourceName: 'memory', restartPolicy: 'RestartContainer' }],
          },
        ],
      }),
      [
        ...causes('spec', true),
        [
          'spec.initContainers[0].resizePolicy',
          INVALID,
          `Invalid value: "RestartContainer": must be 'NotRequired' when pod \`restartPolicy\` is 'Never'`,
        ],
        [
          'spec.initContainers[0].resizePolicy[0].restartPolicy',
          INVALID,
          `Invalid value: "RestartContainer": must not be set to 'RestartContainer' for non-sidecar initContainers`,
        ],
      ],
    );
  });

  test.each(WORKLOADS.map((w) => [w.plural, w] as const))('a %s template', async (_, holder) => {
    const never = holder.plural === 'jobs' || holder.plural === 'cronjobs';
    await expectCauses(
      kc(),
      holderPath(holder, ns),
      holder.body(`policies-${holder.plural}`, {
        containers: [{ name: 'c', image: 'i', resizePolicy: policies }],
      }),
      causes(holder.prefix, never),
    );
  });
});
