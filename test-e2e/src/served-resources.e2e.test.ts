/**
 * Differential: every group/version kube-apiserver v1.36.3 serves is served, and the
 * resources operators meet beyond the core ones (networking, policy, autoscaling,
 * scheduling, storage, discovery, …) answer create, get, list, watch, patch and delete.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-served');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;

/** What kube-apiserver v1.36.3 (all default APIs, no feature gates) serves. */
const GROUP_VERSIONS = [
  'v1',
  'admissionregistration.k8s.io/v1',
  'apiextensions.k8s.io/v1',
  'apiregistration.k8s.io/v1',
  'apps/v1',
  'authentication.k8s.io/v1',
  'authorization.k8s.io/v1',
  'autoscaling/v1',
  'autoscaling/v2',
  'batch/v1',
  'certificates.k8s.io/v1',
  'coordination.k8s.io/v1',
  'discovery.k8s.io/v1',
  'events.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1',
  'networking.k8s.io/v1',
  'node.k8s.io/v1',
  'policy/v1',
  'rbac.authorization.k8s.io/v1',
  'resource.k8s.io/v1',
  'scheduling.k8s.io/v1',
  'storage.k8s.io/v1',
];

test('every group/version of kube-apiserver is listed, with the preferred version', async () => {
  const apis = (await raw(kc(), 'GET', '/apis')).json();
  const served = ['v1'];
  for (const g of apis.groups) {
    for (const v of g.versions) served.push(v.groupVersion);
  }
  // Custom resources of other test files are not part of the comparison.
  const builtIn = served.filter((gv) => !gv.includes('.e2e.kube-ts.dev/'));
  expect(builtIn.sort()).toEqual([...GROUP_VERSIONS].sort());
  const autoscaling = apis.groups.find((g: { name: string }) => g.name === 'autoscaling');
  expect(autoscaling.preferredVersion).toEqual({ groupVersion: 'autoscaling/v2', version: 'v2' });
  for (const gv of GROUP_VERSIONS) {
    const path = gv === 'v1' ? '/api/v1' : `/apis/${gv}`;
    const list = await raw(kc(), 'GET', path);
    expect(list.status, path).toBe(200);
    expect(list.json()).toMatchObject({ kind: 'APIResourceList', groupVersion: gv });
  }
});

/** A minimal valid object of each resource, as the real server's validation accepts it. */
const CASES: [path: string, namespaced: boolean, kind: string, body: Record<string, unknown>][] = [
  ['/api/v1/endpoints', true, 'Endpoints', {}],
  ['/api/v1/limitranges', true, 'LimitRange', { spec: { limits: [{ type: 'Container' }] } }],
  [
    '/apis/apps/v1/controllerrevisions',
    true,
    'ControllerRevision',
    { revision: 1, data: { a: 'b' } },
  ],
  [
    '/apis/autoscaling/v2/horizontalpodautoscalers',
    true,
    'HorizontalPodAutoscaler',
    {
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 3,
      },
    },
  ],
  [
    '/apis/networking.k8s.io/v1/networkpolicies',
    true,
    'NetworkPolicy',
    { spec: { podSelector: {} } },
  ],
  [
    '/apis/networking.k8s.io/v1/ingressclasses',
    false,
    'IngressClass',
    { spec: { controller: 'example.com/ingress' } },
  ],
  [
    '/apis/policy/v1/poddisruptionbudgets',
    true,
    'PodDisruptionBudget',
    { spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } },
  ],
  ['/apis/scheduling.k8s.io/v1/priorityclasses', false, 'PriorityClass', { value: 1000 }],
  [
    '/apis/storage.k8s.io/v1/storageclasses',
    false,
    'StorageClass',
    { provisioner: 'example.com/disk' },
  ],
  ['/apis/node.k8s.io/v1/runtimeclasses', false, 'RuntimeClass', { handler: 'runc' }],
  [
    '/apis/discovery.k8s.io/v1/endpointslices',
    true,
    'EndpointSlice',
    { addressType: 'IPv4', endpoints: [] },
  ],
];

describe.each(CASES)('%s', (path, namespaced, kind, body) => {
  test('create, get, list, watch, patch and delete', async () => {
    const collection = namespaced ? path.replace(/\/([a-z]+)$/, `/namespaces/${ns}/$1`) : path;
    const apiVersion = path.startsWith('/api/') ? 'v1' : path.split('/').slice(2, 4).join('/');
    const name = `served-${uniqueSuffix()}`;
    if (kind === 'Endpoints') {
      // kube-controller-manager's Endpoints controller deletes Endpoints whose Service does
      // not exist when it syncs their key (e.g. its check for leftovers at start-up); it
      // leaves alone the Endpoints of a Service without a selector.
      const service = await raw(kc(), 'POST', `/api/v1/namespaces/${ns}/services`, {
        body: {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name },
          spec: { ports: [{ port: 80 }] },
        },
      });
      expect(service.status, service.text).toBe(201);
    }
    const created = await raw(kc(), 'POST', collection, {
      body: { apiVersion, kind, metadata: { name, labels: { suite: 'served' } }, ...body },
    });
    expect(created.status, created.text).toBe(201);
    e2e.onStop(() => raw(kc(), 'DELETE', `${collection}/${name}`));
    expect(created.json()).toMatchObject({ apiVersion, kind, metadata: { name } });

    const got = await raw(kc(), 'GET', `${collection}/${name}`);
    expect(got.status).toBe(200);
    const list = await raw(kc(), 'GET', collection, {
      query: { labelSelector: 'suite=served', fieldSelector: `metadata.name=${name}` },
    });
    expect(list.json().kind).toBe(`${kind}List`);
    expect(list.json().items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual([
      name,
    ]);

    const rv = list.json().metadata.resourceVersion;
    const watching = raw(kc(), 'GET', collection, {
      query: {
        watch: 'true',
        resourceVersion: rv,
        fieldSelector: `metadata.name=${name}`,
        timeoutSeconds: '2',
      },
    });
    const patched = await raw(kc(), 'PATCH', `${collection}/${name}`, {
      contentType: 'application/merge-patch+json',
      body: { metadata: { labels: { patched: 'yes' } } },
    });
    expect(patched.status).toBe(200);
    expect(patched.json().metadata.labels).toEqual({ suite: 'served', patched: 'yes' });
    const events = (await watching).text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(events.map((e) => [e.type, e.object.metadata.labels?.patched])).toEqual([
      ['MODIFIED', 'yes'],
    ]);

    const deleted = await raw(kc(), 'DELETE', `${collection}/${name}`);
    expect(deleted.status).toBe(200);
    expect((await raw(kc(), 'GET', `${collection}/${name}`)).status).toBe(404);
  });
});
