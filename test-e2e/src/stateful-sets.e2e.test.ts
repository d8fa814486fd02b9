/**
 * Differential, on a cluster where Pods run (`nodes: 2`): the StatefulSet controller
 * brings an `OrderedReady` set up to its replicas and reports them ready and available; a
 * rolling update with a partition replaces only the Pods at or above it, from the highest
 * ordinal, under a second ControllerRevision, and the update revision becomes current once
 * the partition is 0 and every Pod runs it; a scale-down removes the highest ordinals.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RawResponse, raw } from './raw-http.js';
import { statefulSet } from './stateful-set-fixtures.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e({ nodes: 2 });
  ns = await e2e.namespace('e2e-sts-run');
}, 180_000);

afterAll(async () => {
  await e2e?.stop();
});

/** Long enough for three Pods started one after the other on the real backend. */
const ROLLOUT = { timeout: 90_000, interval: 250 } as const;

const kc = () => e2e.backend.kubeConfig;
const sets = () => `/apis/apps/v1/namespaces/${ns}/statefulsets`;
const pods = () => `/api/v1/namespaces/${ns}/pods`;

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
type Json = any;

async function read(path: string): Promise<Json> {
  const res: RawResponse = await raw(kc(), 'GET', path);
  expect(res.status, res.text).toBe(200);
  return res.json();
}

async function patch(name: string, body: Record<string, unknown>): Promise<void> {
  const res = await raw(kc(), 'PATCH', `${sets()}/${name}`, {
    body,
    contentType: 'application/merge-patch+json',
  });
  expect(res.status, res.text).toBe(200);
}

/** Each running Pod of the set: name → its revision label. */
async function revisionsByPod(app: string): Promise<Record<string, string>> {
  const list = await read(`${pods()}?labelSelector=app=${app}`);
  return Object.fromEntries(
    list.items
      .filter((p: Json) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp)
      .map((p: Json) => [p.metadata.name, p.metadata.labels['controller-revision-hash']]),
  );
}

describe('StatefulSets whose Pods run', () => {
  test('an OrderedReady set runs every replica, then rolls out a new template past its partition', async () => {
    const res = await raw(kc(), 'POST', sets(), { body: statefulSet('roll', { replicas: 3 }) });
    expect(res.status, res.text).toBe(201);
    await expect
      .poll(async () => (await read(`${sets()}/roll`)).status, ROLLOUT)
      .toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3 });
    const first = (await read(`${sets()}/roll`)).status;
    expect(first).toEqual({
      observedGeneration: 1,
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      currentRevision: first.updateRevision,
      updateRevision: first.updateRevision,
      collisionCount: 0,
      availableReplicas: 3,
    });
    expect(await revisionsByPod('roll')).toEqual({
      'roll-0': first.updateRevision,
      'roll-1': first.updateRevision,
      'roll-2': first.updateRevision,
    });

    // A new template with partition 1: roll-2 then roll-1 move to the new revision.
    await patch('roll', {
      spec: {
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } },
        template: { metadata: { annotations: { version: '2' } } },
      },
    });
    await expect
      .poll(async () => (await read(`${sets()}/roll`)).status, ROLLOUT)
      .toMatchObject({ observedGeneration: 2, updatedReplicas: 2, readyReplicas: 3 });
    const partial = (await read(`${sets()}/roll`)).status;
    expect(partial.updateRevision).not.toBe(first.updateRevision);
    expect(partial).toMatchObject({
      replicas: 3,
      currentReplicas: 1,
      currentRevision: first.updateRevision,
    });
    await expect
      .poll(() => revisionsByPod('roll'), ROLLOUT)
      .toEqual({
        'roll-0': first.updateRevision,
        'roll-1': partial.updateRevision,
        'roll-2': partial.updateRevision,
      });
    const updated = await read(`${pods()}/roll-2`);
    expect(updated.metadata.annotations).toEqual({ version: '2' });

    const revisions = await read(
      `/apis/apps/v1/namespaces/${ns}/controllerrevisions?labelSelector=app=roll`,
    );
    expect(revisions.items.map((r: Json) => [r.metadata.name, r.revision]).sort()).toEqual(
      [
        [first.updateRevision, 1],
        [partial.updateRevision, 2],
      ].sort(),
    );

    // Partition 0: roll-0 follows, and the update revision becomes the current one.
    await patch('roll', {
      spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } },
    });
    await expect
      .poll(async () => (await read(`${sets()}/roll`)).status, ROLLOUT)
      .toMatchObject({
        observedGeneration: 3,
        currentRevision: partial.updateRevision,
        currentReplicas: 3,
        updatedReplicas: 3,
        readyReplicas: 3,
      });
    expect(await revisionsByPod('roll')).toEqual({
      'roll-0': partial.updateRevision,
      'roll-1': partial.updateRevision,
      'roll-2': partial.updateRevision,
    });
  });

  test('a scale-down removes the highest ordinals', async () => {
    const res = await raw(kc(), 'POST', sets(), { body: statefulSet('shrink', { replicas: 3 }) });
    expect(res.status, res.text).toBe(201);
    await expect
      .poll(async () => (await read(`${sets()}/shrink`)).status, ROLLOUT)
      .toMatchObject({ readyReplicas: 3 });
    await patch('shrink', { spec: { replicas: 1 } });
    await expect
      .poll(async () => Object.keys(await revisionsByPod('shrink')), ROLLOUT)
      .toEqual(['shrink-0']);
    await expect
      .poll(async () => (await read(`${sets()}/shrink`)).status, ROLLOUT)
      .toMatchObject({
        observedGeneration: 2,
        replicas: 1,
        readyReplicas: 1,
        availableReplicas: 1,
      });
  });
});
