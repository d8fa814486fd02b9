/**
 * Differential: LimitRanges as kube-apiserver serves them: their defaults and validation,
 * and the LimitRanger admission plugin (on by default): default requests and limits
 * written into a new Pod's containers with the `kubernetes.io/limit-ranger` annotation,
 * 403 refusals of Pods and PersistentVolumeClaims outside the bounds, with its words.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Cause, expectInvalid, forbidden, invalid, requiredValue } from './invalid-status.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;

beforeAll(async () => {
  e2e = await startE2e();
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const ranges = (ns: string) => `/api/v1/namespaces/${ns}/limitranges`;
const createRange = (ns: string, name: string, limits: unknown[]) =>
  raw(kc(), 'POST', ranges(ns), { body: { metadata: { name }, spec: { limits } } });
const createPod = (ns: string, name: string, spec: Record<string, unknown>) =>
  raw(kc(), 'POST', `/api/v1/namespaces/${ns}/pods`, { body: { metadata: { name }, spec } });
const duplicateValue = (field: string, value: string): Cause => ({
  reason: 'FieldValueDuplicate',
  message: `Duplicate value: ${JSON.stringify(value)}`,
  field,
});

/** Expects the plugin's 403 for `what` (`pods "x"`) with these reasons, in any order. */
function expectRefused(
  res: Awaited<ReturnType<typeof raw>>,
  what: string,
  kind: string,
  name: string,
  reasons: string[],
): void {
  expect(res.status, res.text).toBe(403);
  const body = res.json();
  expect(body).toMatchObject({ reason: 'Forbidden', details: { name, kind } });
  // Go ranges over maps there: several reasons come in any order, bracketed.
  const orders = (list: string[]): string[][] =>
    list.length <= 1
      ? [list]
      : list.flatMap((r, i) => orders(list.filter((_, j) => j !== i)).map((o) => [r, ...o]));
  const messages = orders(reasons).map(
    (o) => `${what} is forbidden: ${o.length === 1 ? o[0] : `[${o.join(', ')}]`}`,
  );
  expect(messages).toContain(body.message);
}

describe('LimitRanges', () => {
  test('validation: types, resource names, bounds, defaults of a Pod limit, PVC storage', async () => {
    const ns = await e2e.namespace('e2e-limits-valid');
    expectInvalid(
      await createRange(ns, 'bad', [
        { type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } },
        { type: 'Pod', default: { memory: '1Gi' } },
        { type: 'PersistentVolumeClaim', max: { cpu: '1' } },
        { type: 'Container' },
        { type: 'Bogus', max: { foo: '1' } },
        { type: 'example.com/x', maxLimitRequestRatio: { cpu: '500m' } },
      ]),
      'LimitRange "bad"',
      [
        invalid('spec.limits[0].min[cpu]', '"2"', 'min value 2 is greater than max value 1'),
        invalid(
          'spec.limits[0].defaultRequest[cpu]',
          '"1"',
          'min value 2 is greater than default request value 1',
        ),
        invalid(
          'spec.limits[0].default[cpu]',
          '"2"',
          'min value 2 is greater than default value 1',
        ),
        forbidden('spec.limits[1].default', "may not be specified when `type` is 'Pod'"),
        requiredValue(
          'spec.limits[2].limits',
          'either minimum or maximum storage value is required, but neither was provided',
        ),
        duplicateValue('spec.limits[3].type', 'Container'),
        invalid(
          'spec.limits[4].type',
          '"Bogus"',
          'must be a standard limit type or fully qualified',
        ),
        invalid(
          'spec.limits[4].max[foo]',
          '"foo"',
          'must be a standard resource type or fully qualified',
        ),
        invalid('spec.limits[5].maxLimitRequestRatio[cpu]', '"500m"', 'ratio 500m is less than 1'),
      ],
    );
    expectInvalid(
      await createRange(ns, 'ratio', [
        {
          type: 'Pod',
          min: { cpu: '100m' },
          max: { cpu: '1' },
          maxLimitRequestRatio: { cpu: '20' },
        },
      ]),
      'LimitRange "ratio"',
      [
        invalid(
          'spec.limits[0].maxLimitRequestRatio[cpu]',
          '"20"',
          'ratio 20 is greater than max/min = 10.000000',
        ),
      ],
    );
    expectInvalid(
      await createRange(ns, 'gpu', [
        {
          type: 'Container',
          default: { 'example.com/gpu': '2' },
          defaultRequest: { 'example.com/gpu': '1' },
        },
      ]),
      'LimitRange "gpu"',
      [
        invalid(
          'spec.limits[0].defaultRequest[example.com/gpu]',
          '"1"',
          'default value 2 must equal to defaultRequest value 1 in example.com/gpu',
        ),
      ],
    );
  });

  test('a Container limit is defaulted; new pods get its defaults, or 403 outside its bounds', async () => {
    const ns = await e2e.namespace('e2e-limits-pods');
    const created = await createRange(ns, 'defaults', [
      {
        type: 'Container',
        max: { cpu: '1', memory: '1Gi' },
        min: { cpu: '50m' },
        default: { cpu: '500m', memory: '512Mi' },
        defaultRequest: { cpu: '100m' },
        maxLimitRequestRatio: { cpu: '10' },
      },
    ]);
    expect(created.status, created.text).toBe(201);
    expect(created.json().spec.limits[0]).toEqual({
      type: 'Container',
      max: { cpu: '1', memory: '1Gi' },
      min: { cpu: '50m' },
      default: { cpu: '500m', memory: '512Mi' },
      defaultRequest: { cpu: '100m', memory: '512Mi' },
      maxLimitRequestRatio: { cpu: '10' },
    });
    const minOnly = await createRange(ns, 'min-only', [
      { type: 'Container', min: { memory: '1Mi' } },
    ]);
    expect(minOnly.status, minOnly.text).toBe(201);
    expect(minOnly.json().spec.limits[0]).toEqual({
      type: 'Container',
      min: { memory: '1Mi' },
      defaultRequest: { memory: '1Mi' },
    });
    await raw(kc(), 'DELETE', `${ranges(ns)}/min-only`);

    const pod = await createPod(ns, 'defaulted', {
      containers: [
        { name: 'app', image: 'nginx' },
        { name: 'side', image: 'nginx', resources: { limits: { cpu: '200m' } } },
      ],
      initContainers: [{ name: 'init', image: 'busybox' }],
    });
    expect(pod.status, pod.text).toBe(201);
    const body = pod.json();
    expect(body.metadata.annotations).toEqual({
      'kubernetes.io/limit-ranger':
        'LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app; memory request for container side; memory limit for container side; cpu, memory request for init container init; cpu, memory limit for init container init',
    });
    const defaulted = {
      requests: { cpu: '100m', memory: '512Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    };
    expect(body.spec.containers[0].resources).toEqual(defaulted);
    expect(body.spec.containers[1].resources).toEqual({
      requests: { cpu: '200m', memory: '512Mi' },
      limits: { cpu: '200m', memory: '512Mi' },
    });
    expect(body.spec.initContainers[0].resources).toEqual(defaulted);
    expect(body.status.qosClass).toBe('Burstable');

    const big = await createPod(ns, 'too-big', {
      containers: [{ name: 'app', image: 'nginx', resources: { limits: { cpu: '2' } } }],
    });
    expectRefused(big, 'pods "too-big"', 'pods', 'too-big', [
      'maximum cpu usage per Container is 1, but limit is 2',
    ]);
    const skewed = await createPod(ns, 'skewed', {
      containers: [
        {
          name: 'app',
          image: 'nginx',
          resources: { requests: { cpu: '10m' }, limits: { cpu: '500m' } },
        },
      ],
    });
    expectRefused(skewed, 'pods "skewed"', 'pods', 'skewed', [
      'minimum cpu usage per Container is 50m, but request is 10m',
      'cpu max limit to request ratio per Container is 10, but provided ratio is 50.000000',
    ]);
    // A resize is held to the same bounds; other updates are not checked.
    const small = await createPod(ns, 'resized', {
      containers: [
        {
          name: 'app',
          image: 'nginx',
          resources: { requests: { cpu: '100m' }, limits: { cpu: '500m' } },
        },
      ],
    });
    expect(small.status, small.text).toBe(201);
    const stored = small.json();
    const resized = structuredClone(stored);
    resized.spec.containers[0].resources = {
      requests: { cpu: '1', memory: '512Mi' },
      limits: { cpu: '2', memory: '512Mi' },
    };
    expectRefused(
      await raw(kc(), 'PUT', `/api/v1/namespaces/${ns}/pods/resized/resize`, { body: resized }),
      'pods "resized"',
      'pods',
      'resized',
      ['maximum cpu usage per Container is 1, but limit is 2'],
    );
    const labelled = await raw(kc(), 'PATCH', `/api/v1/namespaces/${ns}/pods/resized`, {
      body: { metadata: { labels: { a: 'b' } } },
      contentType: 'application/merge-patch+json',
    });
    expect(labelled.status, labelled.text).toBe(200);
    // The defaults are written before validation: a request above the default limit is 422.
    expectInvalid(
      await createPod(ns, 'over-default', {
        containers: [{ name: 'app', image: 'nginx', resources: { requests: { memory: '768Mi' } } }],
      }),
      'Pod "over-default"',
      [
        invalid(
          'spec.containers[0].resources.requests',
          '"768Mi"',
          'must be less than or equal to memory limit of 512Mi',
        ),
      ],
    );
  });

  test('a Pod limit bounds the sum of the containers', async () => {
    const ns = await e2e.namespace('e2e-limits-pod');
    expect((await createRange(ns, 'pod', [{ type: 'Pod', max: { cpu: '1' } }])).status).toBe(201);
    const container = (name: string) => ({
      name,
      image: 'nginx',
      resources: { limits: { cpu: '600m' } },
    });
    const res = await createPod(ns, 'pair', { containers: [container('a'), container('b')] });
    expectRefused(res, 'pods "pair"', 'pods', 'pair', [
      'maximum cpu usage per Pod is 1, but limit is 1200m',
    ]);
    const one = await createPod(ns, 'one', { containers: [container('a')] });
    expect(one.status, one.text).toBe(201);
    expect(one.json().metadata.annotations).toBeUndefined();
  });

  test('a PersistentVolumeClaim limit bounds the storage a claim requests', async () => {
    const ns = await e2e.namespace('e2e-limits-pvc');
    const lr = await createRange(ns, 'storage', [
      { type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } },
    ]);
    expect(lr.status, lr.text).toBe(201);
    const claim = (name: string, storage: string) =>
      raw(kc(), 'POST', `/api/v1/namespaces/${ns}/persistentvolumeclaims`, {
        body: {
          metadata: { name },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
        },
      });
    expectRefused(
      await claim('big', '20Gi'),
      'persistentvolumeclaims "big"',
      'persistentvolumeclaims',
      'big',
      ['maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi'],
    );
    expectRefused(
      await claim('small', '500Mi'),
      'persistentvolumeclaims "small"',
      'persistentvolumeclaims',
      'small',
      ['minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi'],
    );
    expect((await claim('fits', '5Gi')).status).toBe(201);
  });
});
