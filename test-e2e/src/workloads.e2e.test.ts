/**
 * A cluster where Pods run (`nodes: 2`, started once for this file): MemoryApiServer's
 * simulated scheduler, kubelets and workload controllers, and on the real backend
 * kube-scheduler + kwok with kube-controller-manager. A Deployment becomes Available and
 * completes its rollout, a Job completes, a Pod runs: the runtime's conditions, for real.
 */
import { Api } from '@kube-ts/client';
import { deployments, replicaSets } from '@kube-ts/k8s/apps/v1';
import { jobs } from '@kube-ts/k8s/batch/v1';
import { pods } from '@kube-ts/k8s/core/v1';
import { awaitCondition, conditions } from '@kube-ts/runtime';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e({ nodes: 2 });
  ns = await e2e.namespace('workloads');
}, 180_000);
afterAll(() => e2e?.stop());

const container = { name: 'app', image: 'registry.invalid/app:1' };

test('a Pod is scheduled to a Node and runs', async () => {
  const api = Api.namespaced(e2e.client, pods, ns);
  await api.create({ metadata: { name: 'solo' }, spec: { containers: [container] } });
  const pod = await awaitCondition(api, 'solo', conditions.isPodRunning(), { timeoutMs: 60_000 });
  expect(pod?.spec?.nodeName).toMatch(/^node-[01]$/);
  expect(pod?.status?.podIP).toMatch(/^10\.244\./);
  expect(pod?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  expect(pod?.status?.containerStatuses?.[0]).toMatchObject({ name: 'app', ready: true });
});

test('a Deployment becomes Available and completes its rollout', async () => {
  const api = Api.namespaced(e2e.client, deployments, ns);
  const labels = { app: 'web' };
  await api.create({
    metadata: { name: 'web' },
    spec: {
      replicas: 3,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [container] } },
    },
  });
  const done = await awaitCondition(api, 'web', conditions.isDeploymentCompleted(), {
    timeoutMs: 90_000,
  });
  expect(done?.status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
  expect(done?.status?.conditions?.find((c) => c.type === 'Available')).toMatchObject({
    status: 'True',
    reason: 'MinimumReplicasAvailable',
  });
  const running = await Api.namespaced(e2e.client, pods, ns).list({ labelSelector: 'app=web' });
  expect(running.items.map((p) => p.status?.phase)).toEqual(['Running', 'Running', 'Running']);
});

test('the Deployment controller records the revision through /status and counts terminating Pods', async () => {
  const api = Api.namespaced(e2e.client, deployments, ns);
  const labels = { app: 'rev' };
  await api.create({
    metadata: { name: 'rev' },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [container] } },
    },
  });
  const done = await awaitCondition(api, 'rev', conditions.isDeploymentCompleted(), {
    timeoutMs: 90_000,
  });
  // The revision annotation comes with the controller's UpdateStatus: no generation bump.
  expect(done?.metadata?.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
  expect(done?.metadata?.generation).toBe(1);
  expect(done?.status).toMatchObject({ observedGeneration: 1, terminatingReplicas: 0 });
  const entry = done?.metadata?.managedFields?.find(
    (e) => e.manager === 'kube-controller-manager' && e.subresource === 'status',
  );
  expect((entry?.fieldsV1 as Record<string, unknown> | undefined)?.['f:metadata']).toEqual({
    'f:annotations': { '.': {}, 'f:deployment.kubernetes.io/revision': {} },
  });
  const sets = await Api.namespaced(e2e.client, replicaSets, ns).list({ labelSelector: 'app=rev' });
  expect(sets.items.map((rs) => rs.status?.terminatingReplicas)).toEqual([0]);
});

test('a Job runs its Pods to completion', async () => {
  const api = Api.namespaced(e2e.client, jobs, ns);
  await api.create({
    metadata: { name: 'batch' },
    spec: {
      completions: 2,
      parallelism: 2,
      template: { spec: { restartPolicy: 'Never', containers: [container] } },
    },
  });
  const job = await awaitCondition(api, 'batch', conditions.isJobCompleted(), {
    timeoutMs: 90_000,
  });
  expect(job?.status?.succeeded).toBe(2);
  expect(job?.status?.conditions?.map((c) => [c.type, c.status])).toEqual(
    expect.arrayContaining([
      ['SuccessCriteriaMet', 'True'],
      ['Complete', 'True'],
    ]),
  );
});

test("a Service's Endpoints and EndpointSlice list the Pods that run behind it", async () => {
  const labels = { app: 'served' };
  const podApi = Api.namespaced(e2e.client, pods, ns);
  for (const name of ['served-0', 'served-1']) {
    await podApi.create({
      metadata: { name, labels },
      spec: { containers: [{ ...container, ports: [{ name: 'http', containerPort: 8080 }] }] },
    });
  }
  await e2e.client.request({
    method: 'POST',
    path: `/api/v1/namespaces/${ns}/services`,
    body: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'served' },
      spec: { selector: labels, ports: [{ name: 'web', port: 80, targetPort: 'http' }] },
    },
  });
  const ips = async () => {
    const list = await podApi.list({ labelSelector: 'app=served' });
    return list.items.map((p) => p.status?.podIP ?? '').sort();
  };
  await expect.poll(async () => (await ips()).filter(Boolean).length, EVENTUALLY).toBe(2);
  const podIps = await ips();
  type Endpoints = { subsets?: { addresses?: { ip: string }[]; ports?: object[] }[] };
  await expect
    .poll(async () => {
      const ep = await e2e.client
        .request<Endpoints>({ method: 'GET', path: `/api/v1/namespaces/${ns}/endpoints/served` })
        .catch(() => undefined);
      return ep?.subsets
        ?.flatMap((s) => s.addresses ?? [])
        .map((a) => a.ip)
        .sort();
    }, EVENTUALLY)
    .toEqual(podIps);
  const ep = await e2e.client.request<Endpoints>({
    method: 'GET',
    path: `/api/v1/namespaces/${ns}/endpoints/served`,
  });
  expect(ep.subsets?.[0]?.ports).toEqual([{ name: 'web', port: 8080, protocol: 'TCP' }]);
  type Slices = {
    items: {
      addressType: string;
      endpoints?: { addresses: string[]; conditions: object; targetRef?: { name: string } }[];
      ports?: object[];
    }[];
  };
  await expect
    .poll(async () => {
      const slices = await e2e.client.request<Slices>({
        method: 'GET',
        path: `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
        query: { labelSelector: 'kubernetes.io/service-name=served' },
      });
      return slices.items
        .flatMap((s) => s.endpoints ?? [])
        .map((e) => e.addresses[0])
        .sort();
    }, EVENTUALLY)
    .toEqual(podIps);
  const slices = await e2e.client.request<Slices>({
    method: 'GET',
    path: `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
    query: { labelSelector: 'kubernetes.io/service-name=served' },
  });
  expect(slices.items[0]?.addressType).toBe('IPv4');
  expect(slices.items[0]?.ports).toEqual([{ name: 'web', port: 8080, protocol: 'TCP' }]);
  expect(slices.items[0]?.endpoints?.[0]?.conditions).toEqual({
    ready: true,
    serving: true,
    terminating: false,
  });
});
