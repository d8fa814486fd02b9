import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryApiServer } from '../server.js';
import { httpClient, until } from '../test-client.test-helper.js';

let server: MemoryApiServer;
let call: ReturnType<typeof httpClient>;
const NS = '/api/v1/namespaces/default';
const APPS = '/apis/apps/v1/namespaces/default';
const BATCH = '/apis/batch/v1/namespaces/default';

beforeAll(async () => {
  server = await MemoryApiServer.start({ bookmarkIntervalMs: 0, nodes: 2 });
  call = httpClient(server);
});
afterAll(() => server.stop());

const container = { name: 'app', image: 'nginx:1.27' };

describe('MemoryApiServer with nodes', () => {
  it("lists a Service's running Pods in its Endpoints and EndpointSlice, and drops a deleted one", async () => {
    const labels = { app: 'listed' };
    await call('POST', `${NS}/pods`, {
      metadata: { name: 'listed-0', labels },
      spec: { containers: [container] },
    });
    await call('POST', `${NS}/services`, {
      metadata: { name: 'listed' },
      spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
    });
    const { body: pod } = await until(
      () => call('GET', `${NS}/pods/listed-0`),
      (r) => typeof r.body.status?.podIP === 'string',
    );
    const { body: ep } = await until(
      () => call('GET', `${NS}/endpoints/listed`),
      (r) => r.body.subsets?.[0]?.addresses?.length === 1,
    );
    expect(ep.subsets[0].addresses[0]).toMatchObject({
      ip: pod.status.podIP,
      nodeName: pod.spec.nodeName,
      targetRef: { kind: 'Pod', name: 'listed-0' },
    });
    expect(ep.subsets[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    const slices = '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices';
    const { body: list } = await call(
      'GET',
      `${slices}?labelSelector=kubernetes.io/service-name=listed`,
    );
    expect(list.items).toHaveLength(1);
    expect(list.items[0].metadata.ownerReferences[0]).toMatchObject({
      kind: 'Service',
      name: 'listed',
    });
    expect(list.items[0].endpoints).toEqual([
      expect.objectContaining({
        addresses: [pod.status.podIP],
        conditions: { ready: true, serving: true, terminating: false },
      }),
    ]);
    await call('DELETE', `${NS}/pods/listed-0`);
    await until(
      () => call('GET', `${NS}/endpoints/listed`),
      (r) => r.body.subsets === undefined,
    );
    await call('DELETE', `${NS}/services/listed`);
    await until(
      () => call('GET', `${NS}/endpoints/listed`),
      (r) => r.status === 404,
    );
  });

  it('registers Ready Nodes with a kubelet status', async () => {
    expect(server.nodeNames).toEqual(['node-0', 'node-1']);
    const { body } = await call('GET', '/api/v1/nodes/node-1');
    expect(body.metadata.labels['kubernetes.io/hostname']).toBe('node-1');
    expect(body.spec.podCIDR).toBe('10.244.1.0/24');
    const ready = body.status.conditions.find((c: { type: string }) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    expect(body.status.addresses).toContainEqual({ type: 'InternalIP', address: '172.18.0.3' });
    expect(body.status.allocatable.pods).toBe('110');
  });

  it('schedules a Pod and runs it: Running, Ready, IPs, container statuses', async () => {
    await call('POST', `${NS}/pods`, {
      metadata: { name: 'web' },
      spec: { containers: [container] },
    });
    const { body: pod } = await until(
      () => call('GET', `${NS}/pods/web`),
      (r) => r.body.status?.phase === 'Running',
    );
    expect(server.nodeNames).toContain(pod.spec.nodeName);
    const types = pod.status.conditions.map(
      (c: { type: string; status: string }) => `${c.type}=${c.status}`,
    );
    expect(types).toEqual(
      expect.arrayContaining([
        'PodScheduled=True',
        'Initialized=True',
        'Ready=True',
        'ContainersReady=True',
      ]),
    );
    expect(pod.status.podIP).toMatch(/^10\.244\.[01]\.\d+$/);
    expect(pod.status.hostIP).toMatch(/^172\.18\.0\.[23]$/);
    expect(pod.status.startTime).toEqual(expect.any(String));
    expect(pod.status.containerStatuses).toEqual([
      expect.objectContaining({
        name: 'app',
        image: 'docker.io/library/nginx:1.27',
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: pod.status.startTime } },
        containerID: expect.stringMatching(/^containerd:\/\/[0-9a-f]{64}$/),
      }),
    ]);
    const scheduledBy = pod.metadata.managedFields.map((f: { manager: string }) => f.manager);
    expect(scheduledBy).toContain('kubelet');
  });

  it('leaves a Pod no Node fits Pending, Unschedulable, with the scheduler message', async () => {
    await call('POST', `${NS}/pods`, {
      metadata: { name: 'nowhere' },
      spec: { containers: [container], nodeSelector: { disk: 'ssd' } },
    });
    const { body } = await until(
      () => call('GET', `${NS}/pods/nowhere`),
      (r) =>
        (r.body.status?.conditions ?? []).some((c: { type: string }) => c.type === 'PodScheduled'),
    );
    expect(body.status.phase).toBe('Pending');
    expect(body.spec.nodeName).toBeUndefined();
    expect(body.status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message: expect.stringContaining(
          "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.",
        ),
      }),
    );
    const why = body.status.conditions.find((c: { type: string }) => c.type === 'PodScheduled');
    const { body: events } = await until(
      () => call('GET', '/apis/events.k8s.io/v1/namespaces/default/events'),
      (r) =>
        r.body.items.some((e: { regarding: { name: string } }) => e.regarding.name === 'nowhere'),
    );
    expect(
      events.items.filter((e: { regarding: { name: string } }) => e.regarding.name === 'nowhere'),
    ).toEqual([
      expect.objectContaining({
        reportingController: 'default-scheduler',
        action: 'Scheduling',
        reason: 'FailedScheduling',
        type: 'Warning',
        note: why.message,
        regarding: expect.objectContaining({ kind: 'Pod', uid: body.metadata.uid }),
      }),
    ]);
  });

  it('keeps a Pod with an unmet readiness gate Running but not Ready', async () => {
    await call('POST', `${NS}/pods`, {
      metadata: { name: 'gated' },
      spec: { containers: [container], readinessGates: [{ conditionType: 'example.com/ready' }] },
    });
    const { body } = await until(
      () => call('GET', `${NS}/pods/gated`),
      (r) => r.body.status?.phase === 'Running',
    );
    expect(body.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady' }),
    );
  });

  it('makes a Deployment Available through a ReplicaSet whose Pods run, and rolls it out again', async () => {
    const labels = { app: 'shop' };
    const deployment = {
      metadata: { name: 'shop' },
      spec: {
        replicas: 3,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [container] } },
      },
    };
    expect((await call('POST', `${APPS}/deployments`, deployment)).status).toBe(201);
    const complete = (r: {
      body: {
        metadata: { generation: number };
        status?: Record<string, unknown> & { conditions?: { type: string; reason: string }[] };
      };
    }) =>
      r.body.status?.observedGeneration === r.body.metadata.generation &&
      (r.body.status?.conditions ?? []).some(
        (c) => c.type === 'Progressing' && c.reason === 'NewReplicaSetAvailable',
      );
    const { body: done } = await until(() => call('GET', `${APPS}/deployments/shop`), complete);
    expect(done.status).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(done.status.unavailableReplicas).toBeUndefined();
    expect(
      done.status.conditions.map((c: { type: string; status: string; reason: string }) => [
        c.type,
        c.status,
        c.reason,
      ]),
    ).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    expect(done.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
    const { body: sets } = await call('GET', `${APPS}/replicasets`);
    expect(sets.items).toHaveLength(1);
    const [rs] = sets.items;
    const hash = rs.metadata.labels['pod-template-hash'];
    expect(rs.metadata.name).toBe(`shop-${hash}`);
    expect(rs.metadata.ownerReferences[0]).toMatchObject({
      kind: 'Deployment',
      name: 'shop',
      controller: true,
    });
    expect(rs.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3 });
    const { body: pods } = await call('GET', `${NS}/pods?labelSelector=app%3Dshop`);
    expect(pods.items).toHaveLength(3);
    for (const pod of pods.items) {
      expect(pod.metadata.name).toMatch(new RegExp(`^shop-${hash}-[a-z0-9]{5}$`));
      expect(pod.status.phase).toBe('Running');
    }

    const changed = { ...container, image: 'nginx:1.28' };
    await call(
      'PATCH',
      `${APPS}/deployments/shop`,
      { spec: { template: { spec: { containers: [changed] } } } },
      'application/strategic-merge-patch+json',
    );
    const { body: rolled } = await until(() => call('GET', `${APPS}/deployments/shop`), complete);
    expect(rolled.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
    const after = await until(
      () => call('GET', `${NS}/pods?labelSelector=app%3Dshop`),
      (r) =>
        r.body.items.length === 3 &&
        r.body.items.every(
          (p: { spec: { containers: { image: string }[] } }) =>
            p.spec.containers[0]?.image === 'nginx:1.28',
        ),
    );
    expect(after.body.items).toHaveLength(3);
    const { body: all } = await call('GET', `${APPS}/replicasets`);
    expect(all.items.map((s: { spec: { replicas: number } }) => s.spec.replicas).sort()).toEqual([
      0, 3,
    ]);
    // The new ReplicaSet grows one Pod at a time (maxSurge 25% of 3 rounds up to 1), the old
    // one shrinks as its Pods may go (maxUnavailable rounds down to 0).
    const next = all.items.find(
      (s: { metadata: { name: string } }) => s.metadata.name !== rs.metadata.name,
    );
    const { body: events } = await call(
      'GET',
      `${NS}/events?fieldSelector=involvedObject.name%3Dshop,reason%3DScalingReplicaSet`,
    );
    const steps = events.items
      .map((e: { message: string }) =>
        /^Scaled (up|down) replica set (\S+) from (\d+) to (\d+)$/.exec(e.message),
      )
      .map((m: string[]) => [
        m[2] === next.metadata.name ? 'new' : 'old',
        Number(m[3]),
        Number(m[4]),
      ]);
    expect(steps.filter(([which]: [string]) => which === 'new')).toEqual([
      ['new', 0, 1],
      ['new', 1, 2],
      ['new', 2, 3],
    ]);
    expect(steps.filter(([which]: [string]) => which === 'old').at(-1)).toEqual(['old', 1, 0]);
  });

  it('runs a Job to completion', async () => {
    const job = {
      metadata: { name: 'once' },
      spec: {
        completions: 3,
        parallelism: 2,
        template: { spec: { restartPolicy: 'Never', containers: [container] } },
      },
    };
    expect((await call('POST', `${BATCH}/jobs`, job)).status).toBe(201);
    const { body } = await until(
      () => call('GET', `${BATCH}/jobs/once`),
      (r) => (r.body.status?.conditions ?? []).some((c: { type: string }) => c.type === 'Complete'),
    );
    expect(body.status).toMatchObject({
      succeeded: 3,
      ready: 0,
      terminating: 0,
      uncountedTerminatedPods: {},
    });
    expect(body.status.active).toBeUndefined();
    expect(body.status.completionTime).toEqual(expect.any(String));
    expect(
      body.status.conditions.map((c: { type: string; reason: string }) => [c.type, c.reason]),
    ).toEqual([
      ['SuccessCriteriaMet', 'CompletionsReached'],
      ['Complete', 'CompletionsReached'],
    ]);
    const { body: pods } = await call('GET', `${NS}/pods?labelSelector=job-name%3Donce`);
    expect(pods.items.map((p: { status: { phase: string } }) => p.status.phase)).toEqual([
      'Succeeded',
      'Succeeded',
      'Succeeded',
    ]);
  });

  it("holds a Job's Pods with the job-tracking finalizer until they are counted or the Job goes", async () => {
    const job = {
      metadata: { name: 'held' },
      spec: {
        // Pods no Node takes: they stay Pending.
        template: {
          spec: {
            restartPolicy: 'Never',
            nodeSelector: { nowhere: 'true' },
            containers: [container],
          },
        },
      },
    };
    expect((await call('POST', `${BATCH}/jobs`, job)).status).toBe(201);
    const list = () => call('GET', `${NS}/pods?labelSelector=job-name%3Dheld`);
    const { body: pods } = await until(list, (r) => r.body.items.length === 1);
    expect(pods.items[0].metadata.finalizers).toEqual(['batch.kubernetes.io/job-tracking']);
    // A Pod deleted is counted as failed and let go (its replacement waits out the
    // 10 s back-off since it finished).
    await call('DELETE', `${NS}/pods/${pods.items[0].metadata.name}`);
    await until(list, (r) => r.body.items.length === 0);
    const { body: counted } = await until(
      () => call('GET', `${BATCH}/jobs/held`),
      (r) => r.body.status?.failed === 1,
    );
    expect(counted.status.uncountedTerminatedPods).toEqual({});
    // The Job deleted, the garbage collector deletes its Pod and the controller lets it go.
    await call('DELETE', `${BATCH}/jobs/held?propagationPolicy=Foreground`);
    await until(list, (r) => r.body.items.length === 0);
    await until(
      () => call('GET', `${BATCH}/jobs/held`),
      (r) => r.status === 404,
    );
  });

  it('gives an Indexed Job one Pod per index', async () => {
    const job = {
      metadata: { name: 'indexed' },
      spec: {
        completions: 2,
        parallelism: 2,
        completionMode: 'Indexed',
        template: { spec: { restartPolicy: 'Never', containers: [container] } },
      },
    };
    await call('POST', `${BATCH}/jobs`, job);
    const { body } = await until(
      () => call('GET', `${BATCH}/jobs/indexed`),
      (r) => (r.body.status?.conditions ?? []).some((c: { type: string }) => c.type === 'Complete'),
    );
    expect(body.status.completedIndexes).toBe('0,1');
    const { body: pods } = await call('GET', `${NS}/pods?labelSelector=job-name%3Dindexed`);
    const names = pods.items.map((p: { metadata: { name: string } }) => p.metadata.name).sort();
    expect(names[0]).toMatch(/^indexed-0-/);
    expect(names[1]).toMatch(/^indexed-1-/);
  });
});

describe('MemoryApiServer without nodes', () => {
  it('has no Nodes and leaves Pods unscheduled', async () => {
    const plain = await MemoryApiServer.start({ bookmarkIntervalMs: 0 });
    try {
      const client = httpClient(plain);
      expect(plain.nodeNames).toEqual([]);
      expect((await client('GET', '/api/v1/nodes')).body.items).toEqual([]);
      await client('POST', `${NS}/pods`, {
        metadata: { name: 'p' },
        spec: { containers: [container] },
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const { body } = await client('GET', `${NS}/pods/p`);
      expect(body.spec.nodeName).toBeUndefined();
      expect(body.status.phase).toBe('Pending');
    } finally {
      await plain.stop();
    }
  });

  it('writes Endpoints without subsets and a placeholder EndpointSlice for a selector Service', async () => {
    const plain = await MemoryApiServer.start({ bookmarkIntervalMs: 0 });
    try {
      const client = httpClient(plain);
      const { body: svc } = await client('POST', `${NS}/services`, {
        metadata: { name: 'lone' },
        spec: { selector: { app: 'lone' }, ports: [{ port: 80 }] },
      });
      const { body: ep } = await until(
        () => client('GET', `${NS}/endpoints/lone`),
        (r) => r.status === 200,
      );
      expect(ep.subsets).toBeUndefined();
      expect(ep.metadata.labels).toEqual({
        'endpoints.kubernetes.io/managed-by': 'endpoint-controller',
      });
      expect(ep.metadata.annotations).toEqual({
        'endpoints.kubernetes.io/last-change-trigger-time': svc.metadata.creationTimestamp,
      });
      const slices = '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices';
      const { body: list } = await client('GET', slices);
      expect(list.items).toHaveLength(1);
      expect(list.items[0]).toMatchObject({ addressType: 'IPv4', endpoints: null, ports: null });
      expect(list.items[0].metadata.labels['kubernetes.io/service-name']).toBe('lone');
    } finally {
      await plain.stop();
    }
  });

  it('refuses a node count that is not a whole number', async () => {
    await expect(MemoryApiServer.start({ nodes: -2 })).rejects.toThrow(
      /nodes must be a whole number/,
    );
  });
});

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
type Json = any;

/** The Events about `kind`/`name`, oldest first (their names grow with time). */
async function eventsOf(kind: string, name: string): Promise<Json[]> {
  const selector = `involvedObject.kind=${kind},involvedObject.name=${name}`;
  const { body } = await call('GET', `${NS}/events?fieldSelector=${selector}`);
  return body.items;
}

const said = (events: Json[]) => events.map((e) => `${e.reason}: ${e.message}`);
const labels = { app: 'ev' };
const template = { metadata: { labels }, spec: { containers: [{ name: 'a', image: 'nginx' }] } };

describe('MemoryApiServer controller Events', () => {
  it('a Deployment records its scaling, its ReplicaSet each Pod it creates and deletes', async () => {
    await call('POST', `${APPS}/deployments`, {
      metadata: { name: 'ev' },
      spec: { replicas: 2, selector: { matchLabels: labels }, template },
    });
    const [first] = await until(
      () => eventsOf('Deployment', 'ev'),
      (e) => e.length === 1,
    );
    const rs = String(String(first.message).split(' ')[4]);
    expect(first).toMatchObject({
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      message: `Scaled up replica set ${rs} from 0 to 2`,
      source: { component: 'deployment-controller' },
      reportingComponent: 'deployment-controller',
      reportingInstance: '',
      count: 1,
      involvedObject: { kind: 'Deployment', name: 'ev', apiVersion: 'apps/v1' },
    });
    await call(
      'PATCH',
      `${APPS}/deployments/ev`,
      { spec: { replicas: 1 } },
      'application/merge-patch+json',
    );
    const scaled = await until(
      () => eventsOf('Deployment', 'ev'),
      (e) => e.length === 2,
    );
    expect(scaled[1].message).toBe(`Scaled down replica set ${rs} from 2 to 1`);
    const { body: set } = await call('GET', `${APPS}/replicasets/${rs}`);
    expect(set.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/desired-replicas': '1',
      'deployment.kubernetes.io/max-replicas': '2',
    });
    const onSet = await until(
      () => eventsOf('ReplicaSet', rs),
      (e) => e.length === 3,
    );
    expect(said(onSet).map((m) => m.replace(/pod: .*/, 'pod: <pod>'))).toEqual([
      'SuccessfulCreate: Created pod: <pod>',
      'SuccessfulCreate: Created pod: <pod>',
      'SuccessfulDelete: Deleted pod: <pod>',
    ]);
    expect(onSet[0].source).toEqual({ component: 'replicaset-controller' });
  });

  it('combines the tenth different message of a reason and counts the ones after', async () => {
    await call('POST', `${APPS}/replicasets`, {
      metadata: { name: 'many' },
      spec: {
        replicas: 12,
        selector: { matchLabels: { app: 'many' } },
        template: {
          metadata: { labels: { app: 'many' } },
          spec: template.spec,
        },
      },
    });
    const events = await until(
      () => eventsOf('ReplicaSet', 'many'),
      (e) => e.some((x: Json) => x.count === 3),
    );
    expect(events).toHaveLength(10);
    const combined = events[9];
    expect(combined.message).toMatch(/^\(combined from similar events\): Created pod: many-/);
    expect(combined).toMatchObject({
      count: 3,
      reportingComponent: '',
      reason: 'SuccessfulCreate',
    });
    expect(events.slice(0, 9).every((e: Json) => e.count === 1)).toBe(true);
  });

  it('a StatefulSet records its claims and Pods, a Job its Pod and completion', async () => {
    await call('POST', `${APPS}/statefulsets`, {
      metadata: { name: 'ev-db' },
      spec: {
        replicas: 1,
        serviceName: 'ev-db',
        selector: { matchLabels: { app: 'ev-db' } },
        template: { metadata: { labels: { app: 'ev-db' } }, spec: template.spec },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        ],
      },
    });
    const set = await until(
      () => eventsOf('StatefulSet', 'ev-db'),
      (e) => e.length === 2,
    );
    expect(said(set)).toEqual([
      'SuccessfulCreate: Create Claim data-ev-db-0 Pod ev-db-0 in StatefulSet ev-db success',
      'SuccessfulCreate: Create Pod ev-db-0 in StatefulSet ev-db successful',
    ]);
    expect(set[0].source).toEqual({ component: 'statefulset-controller' });
    await call('POST', `${BATCH}/jobs`, {
      metadata: { name: 'ev-once' },
      spec: {
        template: { spec: { restartPolicy: 'Never', containers: template.spec.containers } },
      },
    });
    const job = await until(
      () => eventsOf('Job', 'ev-once'),
      (e) => e.length === 2,
    );
    expect(said(job).map((m) => m.replace(/pod: .*/, 'pod: <pod>'))).toEqual([
      'SuccessfulCreate: Created pod: <pod>',
      'Completed: Job completed',
    ]);
    expect(job[1].source).toEqual({ component: 'job-controller' });
  });
});
