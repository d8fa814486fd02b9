/**
 * Differential: dynamic resource allocation in pod specs as kube-apiserver checks it: the
 * pod's `resourceClaims`, the claims containers name in `resources.claims` (containers and
 * init containers, in Pods and every workload template), and a Pod status's
 * `resourceClaimStatuses`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Cause, expectCauses, INVALID, LABEL, REQUIRED, SUBDOMAIN } from './invalid-causes.js';
import { duplicateValue, expectInvalid, invalid } from './invalid-status.js';
import { holderPath, POD, WORKLOADS } from './pod-spec-fixtures.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-claims');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const DUPLICATE = 'FieldValueDuplicate';
const NOT_FOUND = 'FieldValueNotFound';

const SPEC = {
  resourceClaims: [
    { name: '' },
    { name: 'a', resourceClaimName: 'x', resourceClaimTemplateName: 'y' },
    { name: 'a', resourceClaimName: 'Bad_Name' },
    { name: 'B', resourceClaimTemplateName: 't' },
  ],
  containers: [
    {
      name: 'c',
      image: 'i',
      resources: {
        claims: [
          { name: 'a' },
          { name: 'a' },
          { name: 'zz' },
          { name: 'B', request: 'R' },
          { name: 'B' },
          { name: '' },
        ],
      },
    },
  ],
  initContainers: [{ name: 'i', image: 'i', resources: { claims: [{ name: 'gone' }] } }],
};

function causesAt(at: string): Cause[] {
  const claim = (i: number) => `${at}.resourceClaims[${i}]`;
  const used = (i: number) => `${at}.containers[0].resources.claims[${i}]`;
  const notFound = (field: string, name: string): Cause => [
    field,
    NOT_FOUND,
    `Not found: "${name}": must be one of the names in pod.spec.resourceClaims: B, a`,
  ];
  return [
    [`${claim(0)}.name`, REQUIRED, 'Required value'],
    [
      claim(0),
      INVALID,
      'Invalid value: {"Name":"","ResourceClaimName":null,"ResourceClaimTemplateName":null}: must specify one of: `resourceClaimName`, `resourceClaimTemplateName`',
    ],
    [
      claim(1),
      INVALID,
      'Invalid value: {"Name":"a","ResourceClaimName":"x","ResourceClaimTemplateName":"y"}: at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified',
    ],
    [`${claim(2)}.name`, DUPLICATE, 'Duplicate value: "a"'],
    [`${claim(2)}.resourceClaimName`, INVALID, `Invalid value: "Bad_Name": ${SUBDOMAIN}`],
    [`${claim(3)}.name`, INVALID, `Invalid value: "B": ${LABEL}`],
    [used(1), DUPLICATE, 'Duplicate value: "a"'],
    notFound(used(2), 'zz'),
    [`${used(3)}.request`, INVALID, `Invalid value: "R": ${LABEL}`],
    [used(4), DUPLICATE, 'Duplicate value: "B"'],
    [used(5), REQUIRED, 'Required value'],
    notFound(`${at}.initContainers[0].resources.claims[0]`, 'gone'),
  ];
}

describe('resource claims', () => {
  test('pod claims and the claims containers use, in a Pod and every workload template', async () => {
    for (const holder of [POD, ...WORKLOADS]) {
      await expectCauses(
        kc(),
        holderPath(holder, ns),
        holder.body('claims', SPEC),
        causesAt(holder.prefix),
      );
    }
  });

  test('a container may name no claim of a pod without claims', async () => {
    const spec = {
      containers: [{ name: 'c', image: 'i', resources: { claims: [{ name: 'x' }] } }],
    };
    await expectCauses(kc(), holderPath(POD, ns), POD.body('no-claims', spec), [
      [
        'spec.containers[0].resources.claims[0]',
        NOT_FOUND,
        'Not found: "x": must be one of the names in pod.spec.resourceClaims which is empty',
      ],
    ]);
  });

  test('a valid pod keeps its claims; its status names only its claims', async () => {
    const path = `/api/v1/namespaces/${ns}/pods`;
    const created = await raw(kc(), 'POST', path, {
      body: {
        metadata: { name: 'claimed' },
        spec: {
          resourceClaims: [
            { name: 'gpu', resourceClaimTemplateName: 'gpu-template' },
            { name: 'net', resourceClaimName: 'shared' },
          ],
          containers: [
            {
              name: 'c',
              image: 'i',
              resources: { claims: [{ name: 'gpu', request: 'one' }, { name: 'net' }] },
            },
          ],
        },
      },
    });
    expect(created.status, created.text).toBe(201);
    const pod = created.json();
    expect(pod.spec.resourceClaims).toEqual([
      { name: 'gpu', resourceClaimTemplateName: 'gpu-template' },
      { name: 'net', resourceClaimName: 'shared' },
    ]);
    expect(pod.spec.containers[0].resources).toEqual({
      claims: [{ name: 'gpu', request: 'one' }, { name: 'net' }],
    });

    const statuses = [
      { name: 'other' },
      { name: 'gpu', resourceClaimName: 'Bad' },
      { name: 'net', resourceClaimName: 'shared' },
    ];
    const bad = await raw(kc(), 'PUT', `${path}/claimed/status`, {
      body: { ...pod, status: { ...pod.status, resourceClaimStatuses: statuses } },
    });
    expectInvalid(bad, 'Pod "claimed"', [
      invalid(
        'status.resourceClaimStatuses[0].name',
        '"other"',
        'must match the name of an entry in `spec.resourceClaims`',
      ),
      invalid('status.resourceClaimStatuses[1].resourceClaimName', '"Bad"', SUBDOMAIN),
    ]);

    const good = await raw(kc(), 'PUT', `${path}/claimed/status`, {
      body: { ...pod, status: { ...pod.status, resourceClaimStatuses: statuses.slice(2) } },
    });
    expect(good.status, good.text).toBe(200);
    expect(good.json().status.resourceClaimStatuses).toEqual(statuses.slice(2));
  });

  test('the pod update rule keeps the claims (after the spec checks)', async () => {
    const path = `/api/v1/namespaces/${ns}/pods/claimed`;
    const pod = (await raw(kc(), 'GET', path)).json();
    const changed = await raw(kc(), 'PUT', path, {
      body: { ...pod, spec: { ...pod.spec, resourceClaims: pod.spec.resourceClaims.slice(0, 1) } },
    });
    expect(changed.status, changed.text).toBe(422);
    const causes = changed.json().details.causes;
    expect(causes.map((c: { field: string }) => c.field)).toEqual([
      'spec.containers[0].resources.claims[1]',
      'spec',
    ]);
    expect(causes[0].message).toBe(
      'Not found: "net": must be one of the names in pod.spec.resourceClaims: gpu',
    );
    expect(causes[1].message).toMatch(/^Forbidden: pod updates may not change fields other than/);
  });
});

// A duplicate status entry is refused too (its own cause).
describe('resource claim statuses', () => {
  test('each claim once', async () => {
    const path = `/api/v1/namespaces/${ns}/pods`;
    const created = await raw(kc(), 'POST', path, {
      body: {
        metadata: { name: 'twice' },
        spec: {
          resourceClaims: [{ name: 'gpu', resourceClaimName: 'g' }],
          containers: [{ name: 'c', image: 'i' }],
        },
      },
    });
    expect(created.status, created.text).toBe(201);
    const pod = created.json();
    const res = await raw(kc(), 'PUT', `${path}/twice/status`, {
      body: {
        ...pod,
        status: { ...pod.status, resourceClaimStatuses: [{ name: 'gpu' }, { name: 'gpu' }] },
      },
    });
    expectInvalid(res, 'Pod "twice"', [
      duplicateValue('status.resourceClaimStatuses[1].name', 'gpu'),
    ]);
  });
});
