/**
 * Differential: the StatefulSet controller on a control plane without nodes, where its
 * Pods stay Pending: `OrderedReady` creates the first Pod only, `Parallel` all of them;
 * each Pod with its identity (name, hostname, subdomain, the pod-name, pod-index and
 * revision labels), its claims from `volumeClaimTemplates` made first, the
 * ControllerRevision of its template, and the status that counts them; the claims' owners
 * as `persistentVolumeClaimRetentionPolicy` asks, and a scale-down that deletes the
 * surplus Pods and, with `whenScaled: Delete`, their claims.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RawResponse, raw } from './raw-http.js';
import { statefulSet } from './stateful-set-fixtures.js';
import { type E2eContext, EVENTUALLY, EVENTUALLY_COLLECTED, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-sts');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const apps = () => `/apis/apps/v1/namespaces/${ns}`;
const core = () => `/api/v1/namespaces/${ns}`;

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
type Json = any;

async function get(path: string): Promise<RawResponse> {
  return raw(kc(), 'GET', path);
}

async function items(path: string): Promise<Json[]> {
  const res = await get(path);
  expect(res.status, res.text).toBe(200);
  return res.json().items;
}

/** One claim template, `data`, labelled `tier: db`. */
const CLAIMS = [
  {
    metadata: { name: 'data', labels: { tier: 'db' } },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  },
];

async function create(name: string, spec: Record<string, unknown>): Promise<void> {
  const body = statefulSet(name, { volumeClaimTemplates: CLAIMS, ...spec });
  const res = await raw(kc(), 'POST', `${apps()}/statefulsets`, { body });
  expect(res.status, res.text).toBe(201);
}

/** The set's Pods' names, sorted. */
async function podNames(app: string): Promise<string[]> {
  return (await items(`${core()}/pods?labelSelector=app=${app}`))
    .map((p) => p.metadata.name)
    .sort();
}

async function claimNames(app: string): Promise<string[]> {
  return (await items(`${core()}/persistentvolumeclaims?labelSelector=app=${app}`))
    .map((c) => c.metadata.name)
    .sort();
}

describe('StatefulSets whose Pods do not run', () => {
  test('OrderedReady creates the first Pod with its identity, claim and revision, and waits', async () => {
    await create('ordered', { replicas: 3 });
    await expect
      .poll(async () => (await get(`${apps()}/statefulsets/ordered`)).json().status, EVENTUALLY)
      .toMatchObject({ observedGeneration: 1, replicas: 1 });
    const set = (await get(`${apps()}/statefulsets/ordered`)).json();
    const revision = set.status.updateRevision;
    expect(set.status).toEqual({
      observedGeneration: 1,
      replicas: 1,
      currentReplicas: 1,
      updatedReplicas: 1,
      currentRevision: revision,
      updateRevision: revision,
      collisionCount: 0,
      availableReplicas: 0,
    });
    expect(await podNames('ordered')).toEqual(['ordered-0']);
    const pod = (await get(`${core()}/pods/ordered-0`)).json();
    expect(pod.metadata.generateName).toBe('ordered-');
    expect(pod.metadata.labels).toEqual({
      app: 'ordered',
      'apps.kubernetes.io/pod-index': '0',
      'controller-revision-hash': revision,
      'statefulset.kubernetes.io/pod-name': 'ordered-0',
    });
    expect(pod.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        name: 'ordered',
        uid: set.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(pod.spec.hostname).toBe('ordered-0');
    expect(pod.spec.subdomain).toBe('ordered');
    expect(pod.spec.volumes[0]).toEqual({
      name: 'data',
      persistentVolumeClaim: { claimName: 'data-ordered-0' },
    });
    expect(pod.status.phase).toBe('Pending');

    const claim = (await get(`${core()}/persistentvolumeclaims/data-ordered-0`)).json();
    expect(claim.metadata.labels).toEqual({ app: 'ordered', tier: 'db' });
    expect(claim.metadata.ownerReferences).toBeUndefined();
    expect(claim.spec.resources).toEqual({ requests: { storage: '1Gi' } });

    const revisions = await items(`${apps()}/controllerrevisions`);
    expect(revisions).toHaveLength(1);
    const [cr] = revisions;
    expect(cr.metadata.name).toBe(revision);
    expect(cr.revision).toBe(1);
    const hash = cr.metadata.labels['controller.kubernetes.io/hash'];
    expect(revision).toBe(`ordered-${hash}`);
    expect(cr.metadata.labels).toEqual({ app: 'ordered', 'controller.kubernetes.io/hash': hash });
    expect(cr.metadata.ownerReferences).toEqual(pod.metadata.ownerReferences);
    expect(cr.data.spec.template.$patch).toBe('replace');
    expect(cr.data.spec.template.metadata).toEqual({ labels: { app: 'ordered' } });
    expect(cr.data.spec.template.spec).toEqual(set.spec.template.spec);
    // The hash of the template as kube-apiserver stores it: the same on every cluster.
    expect(revision).toBe('ordered-558f57957d');
  });

  test('Parallel creates every Pod and its claims; a scale-down deletes the surplus and, with whenScaled Delete, their claims', async () => {
    await create('par', {
      replicas: 3,
      podManagementPolicy: 'Parallel',
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' },
    });
    await expect.poll(() => podNames('par'), EVENTUALLY).toEqual(['par-0', 'par-1', 'par-2']);
    await expect
      .poll(() => claimNames('par'), EVENTUALLY)
      .toEqual(['data-par-0', 'data-par-1', 'data-par-2']);
    const set = (await get(`${apps()}/statefulsets/par`)).json();
    const setRef = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      name: 'par',
      uid: set.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    };
    await expect
      .poll(
        async () =>
          (await items(`${core()}/persistentvolumeclaims?labelSelector=app=par`)).map(
            (c) => c.metadata.ownerReferences,
          ),
        EVENTUALLY,
      )
      .toEqual([[setRef], [setRef], [setRef]]);
    await expect
      .poll(async () => (await get(`${apps()}/statefulsets/par`)).json().status, EVENTUALLY)
      .toMatchObject({ replicas: 3, availableReplicas: 0, collisionCount: 0 });

    const res = await raw(kc(), 'PATCH', `${apps()}/statefulsets/par`, {
      body: { spec: { replicas: 1 } },
      contentType: 'application/merge-patch+json',
    });
    expect(res.status, res.text).toBe(200);
    await expect.poll(() => podNames('par'), EVENTUALLY).toEqual(['par-0']);
    await expect.poll(() => claimNames('par'), EVENTUALLY_COLLECTED).toEqual(['data-par-0']);
    await expect
      .poll(async () => (await get(`${apps()}/statefulsets/par`)).json().status, EVENTUALLY)
      .toMatchObject({ observedGeneration: 2, replicas: 1 });
  });
});
