/**
 * Differential, on a cluster where Pods run (`nodes: 2`): the DaemonSet controller runs
 * one Pod on each Node its template allows, pinned there by a required node affinity to
 * the Node's name, with the tolerations it adds and the revision and template-generation
 * labels; it reports the counts in `status`, keeps a ControllerRevision per template, and
 * rolls a new template out to every Node; a `nodeSelector` no Node matches schedules
 * nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e({ nodes: 2 });
  ns = await e2e.namespace('e2e-ds');
}, 180_000);

afterAll(async () => {
  await e2e?.stop();
});

const ROLLOUT = { timeout: 90_000, interval: 250 } as const;

const kc = () => e2e.backend.kubeConfig;
const sets = () => `/apis/apps/v1/namespaces/${ns}/daemonsets`;

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
type Json = any;

async function read(path: string): Promise<Json> {
  const res = await raw(kc(), 'GET', path);
  expect(res.status, res.text).toBe(200);
  return res.json();
}

async function create(name: string, podSpec: Record<string, unknown> = {}): Promise<void> {
  const labels = { app: name };
  const res = await raw(kc(), 'POST', sets(), {
    body: {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'agent', image: 'registry.invalid/agent:1' }], ...podSpec },
        },
      },
    },
  });
  expect(res.status, res.text).toBe(201);
}

/** The set's Pods that are not being deleted, by the Node they are for. */
async function podsByNode(app: string): Promise<Record<string, Json>> {
  const list = await read(`/api/v1/namespaces/${ns}/pods?labelSelector=app=${app}`);
  const out: Record<string, Json> = {};
  for (const pod of list.items) {
    if (pod.metadata.deletionTimestamp) continue;
    const term = pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
    out[term.nodeSelectorTerms[0].matchFields[0].values[0]] = pod;
  }
  return out;
}

const TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

describe('DaemonSets', () => {
  test('a Pod runs on every Node, pinned to it, and a new template rolls out to all', async () => {
    await create('agent');
    await expect
      .poll(async () => (await read(`${sets()}/agent`)).status, ROLLOUT)
      .toMatchObject({ numberReady: 2, numberAvailable: 2, updatedNumberScheduled: 2 });
    expect((await read(`${sets()}/agent`)).status).toEqual({
      currentNumberScheduled: 2,
      numberMisscheduled: 0,
      desiredNumberScheduled: 2,
      numberReady: 2,
      observedGeneration: 1,
      updatedNumberScheduled: 2,
      numberAvailable: 2,
    });
    const revisions = await read(
      `/apis/apps/v1/namespaces/${ns}/controllerrevisions?labelSelector=app=agent`,
    );
    expect(revisions.items).toHaveLength(1);
    const [revision] = revisions.items;
    const hash = revision.metadata.labels['controller-revision-hash'];
    expect(revision.metadata.name).toBe(`agent-${hash}`);
    expect(revision.metadata.labels).toEqual({ app: 'agent', 'controller-revision-hash': hash });
    expect(revision.revision).toBe(1);
    expect(revision.data.spec.template.$patch).toBe('replace');

    const pods = await podsByNode('agent');
    expect(Object.keys(pods).sort()).toEqual(['node-0', 'node-1']);
    for (const [node, pod] of Object.entries(pods)) {
      expect(pod.spec.nodeName).toBe(node);
      expect(pod.status.phase).toBe('Running');
      expect(pod.metadata.generateName).toBe('agent-');
      expect(pod.metadata.labels).toEqual({
        app: 'agent',
        'controller-revision-hash': hash,
        'pod-template-generation': '1',
      });
      expect(pod.metadata.ownerReferences[0]).toMatchObject({
        kind: 'DaemonSet',
        name: 'agent',
        controller: true,
      });
      expect(pod.spec.tolerations).toEqual(TOLERATIONS);
      expect(pod.spec.affinity).toEqual({
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] },
            ],
          },
        },
      });
    }

    const res = await raw(kc(), 'PATCH', `${sets()}/agent`, {
      body: { spec: { template: { metadata: { annotations: { version: '2' } } } } },
      contentType: 'application/merge-patch+json',
    });
    expect(res.status, res.text).toBe(200);
    await expect
      .poll(async () => {
        const now = await podsByNode('agent');
        return Object.values(now).map((p) => [
          p.metadata.labels['pod-template-generation'],
          p.metadata.annotations?.version,
          p.status.phase,
        ]);
      }, ROLLOUT)
      .toEqual([
        ['2', '2', 'Running'],
        ['2', '2', 'Running'],
      ]);
    await expect
      .poll(async () => (await read(`${sets()}/agent`)).status, ROLLOUT)
      .toMatchObject({ observedGeneration: 2, updatedNumberScheduled: 2, numberAvailable: 2 });
    const after = await read(
      `/apis/apps/v1/namespaces/${ns}/controllerrevisions?labelSelector=app=agent`,
    );
    expect(after.items.map((r: Json) => r.revision).sort()).toEqual([1, 2]);
  });

  test('a nodeSelector no Node matches schedules no Pod', async () => {
    await create('nowhere', { nodeSelector: { 'example.com/none': 'true' } });
    await expect
      .poll(async () => (await read(`${sets()}/nowhere`)).status, ROLLOUT)
      .toEqual({
        currentNumberScheduled: 0,
        numberMisscheduled: 0,
        desiredNumberScheduled: 0,
        numberReady: 0,
        observedGeneration: 1,
      });
    expect(await podsByNode('nowhere')).toEqual({});
  });
});
