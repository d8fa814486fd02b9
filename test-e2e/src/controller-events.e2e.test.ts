/**
 * Differential, on a control plane without Nodes (kube-controller-manager, no scheduler):
 * the core/v1 Events the workload controllers record. A Deployment scaled up then down
 * records `ScalingReplicaSet` on itself and, on its ReplicaSet, each Pod created and
 * deleted; a rollout whose Pods never become available steps by `maxSurge` and
 * `maxUnavailable` and stops, and scaled then shares the change among its ReplicaSets in
 * proportion; a Deployment created paused gets no ReplicaSet (`Progressing` `Unknown`
 * `DeploymentPaused`) until resumed, and paused again with a new template only scales the
 * one it has; a rollout with `progressDeadlineSeconds: 2` times out
 * (`ProgressDeadlineExceeded`, no Event), which a pause keeps; a Deployment rolled back
 * makes its old ReplicaSet new again at the next revision with the Deployment's
 * annotations, and old ReplicaSets beyond `revisionHistoryLimit` go, lowest revision first
 * (a Recreate one's only once paused, its rollout never completing); a progress deadline
 * set later gives `FoundNewReplicaSet`; a ReplicationController, a
 * Job (whose Pods a client marks Succeeded, each held by the job-tracking finalizer until
 * counted), a Job
 * suspended then resumed, Jobs failing past `backoffLimit` (a Pod a client marks Failed)
 * and `activeDeadlineSeconds` (`Failed` condition and Warning), a Job whose
 * `podFailurePolicy` ignores a disrupted Pod and fails on an exit code, a Job replacing
 * failed Pods after its back-off (10 s, then 20 s, from when each finished), an Indexed Job
 * whose `successPolicy` completes it early, a Job whose lowered `parallelism` deletes the
 * Pods least far along and an Indexed Job deleting a repeated index and, its `completions`
 * lowered, the index past them, Jobs whose counted Pods a client deletes (the count stays),
 * an Indexed Job with `backoffLimitPerIndex` failing an index and then itself, and a
 * StatefulSet with a claim template record theirs; a DaemonSet, with no Node to run on,
 * records none; a ReplicaSet of 12 Pods shows the correlator combining the tenth message
 * of a reason and those after into one counted Event. Each Event is compared whole: type, reason, message (generated Pod names
 * checked against the Pods), involved object, source, reporting fields, count and name.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-ctrl-events');
}, 180_000);

afterAll(() => e2e?.stop());

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
type Json = any;

const apps = () => `/apis/apps/v1/namespaces/${ns}`;
const core = () => `/api/v1/namespaces/${ns}`;
const batch = () => `/apis/batch/v1/namespaces/${ns}`;

function send(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  path: string,
  body?: unknown,
  contentType?: string,
) {
  return e2e.client.request<Json>({
    method,
    path,
    ...(body === undefined ? {} : { body }),
    ...(contentType === undefined ? {} : { contentType }),
  });
}

/** Lists `path` with query parameters (selectors). */
const listOf = (path: string, query: Record<string, string>) =>
  e2e.client.request<Json>({ method: 'GET', path, query });

const scale = (path: string, replicas: number) =>
  send('PATCH', path, { spec: { replicas } }, 'application/merge-patch+json');

function template(app: string): Json {
  return {
    metadata: { labels: { app } },
    spec: { containers: [{ name: 'app', image: 'registry.invalid/app:1' }] },
  };
}

/** An Event as compared: what a recorder chose, with the generated names it names. */
interface Said {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly component: string;
  readonly count: number;
}

/** The Events about `kind`/`name` as listed, oldest first (their names grow with the time). */
async function eventsOf(kind: string, name: string): Promise<Json[]> {
  const selector = `involvedObject.kind=${kind},involvedObject.name=${name}`;
  return (await listOf(`${core()}/events`, { fieldSelector: selector })).items;
}

/**
 * The Events about `kind`/`name`, oldest first (their names grow with the time), each
 * checked for the fields every recorded Event has: the object's reference, the name
 * `<object>.<hex nanoseconds>`, the times, `eventTime` unset, no reporting instance.
 */
async function eventsAbout(kind: string, name: string): Promise<Said[]> {
  return (await eventsOf(kind, name)).map((e: Json): Said => {
    expect(Object.keys(e.involvedObject).sort()).toEqual([
      'apiVersion',
      'kind',
      'name',
      'namespace',
      'resourceVersion',
      'uid',
    ]);
    expect(e.involvedObject.namespace).toBe(ns);
    expect(e.metadata.name).toMatch(new RegExp(`^${name}\\.[0-9a-f]{16,}$`));
    expect(e.firstTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(e.lastTimestamp).toBe(e.firstTimestamp);
    expect(e.eventTime).toBeNull();
    expect(e.reportingInstance).toBe('');
    expect(e.reportingComponent).toBe(e.source.component);
    expect(Object.keys(e.source)).toEqual(['component']);
    return {
      type: e.type,
      reason: e.reason,
      message: e.message,
      component: e.source.component,
      count: e.count,
    };
  });
}

/** A Normal Event from `component` counted once. */
const normal = (component: string, reason: string, message: string): Said => ({
  type: 'Normal',
  reason,
  message,
  component,
  count: 1,
});

/** The names of the Pods labelled `app=<app>`, sorted. */
async function podNames(app: string): Promise<string[]> {
  const list = await listOf(`${core()}/pods`, { labelSelector: `app=${app}` });
  return list.items.map((p: Json) => p.metadata.name as string).sort();
}

/** The Pod names the `Created pod: ` / `Deleted pod: ` Events of `said` name, sorted. */
function podsIn(said: Said[], verb: 'Created' | 'Deleted'): string[] {
  const prefix = `${verb} pod: `;
  return said
    .filter((s) => s.message.startsWith(prefix))
    .map((s) => s.message.slice(prefix.length))
    .sort();
}

test('a Deployment scaled up then down: ScalingReplicaSet on it, each Pod on its ReplicaSet', async () => {
  await send('POST', `${apps()}/deployments`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template('web') },
  });
  await expect.poll(async () => (await podNames('web')).length, EVENTUALLY).toBe(3);
  const sets = await listOf(`${apps()}/replicasets`, { labelSelector: 'app=web' });
  expect(sets.items).toHaveLength(1);
  const rs = sets.items[0].metadata.name as string;
  const created = await podNames('web');
  const controller = 'replicaset-controller';
  const createdEvents = created.map(() =>
    normal(controller, 'SuccessfulCreate', 'Created pod: <pod>'),
  );
  const masked = (said: Said[]) =>
    said.map((s) => ({ ...s, message: s.message.replace(/pod: .*$/, 'pod: <pod>') }));
  await expect
    .poll(async () => masked(await eventsAbout('ReplicaSet', rs)), EVENTUALLY)
    .toEqual(createdEvents);
  expect(podsIn(await eventsAbout('ReplicaSet', rs), 'Created')).toEqual(created);

  await scale(`${apps()}/deployments/web`, 1);
  await expect.poll(async () => (await podNames('web')).length, EVENTUALLY).toBe(1);
  const kept = await podNames('web');
  await expect
    .poll(async () => masked(await eventsAbout('ReplicaSet', rs)), EVENTUALLY)
    .toEqual([
      ...createdEvents,
      normal(controller, 'SuccessfulDelete', 'Deleted pod: <pod>'),
      normal(controller, 'SuccessfulDelete', 'Deleted pod: <pod>'),
    ]);
  expect(podsIn(await eventsAbout('ReplicaSet', rs), 'Deleted')).toEqual(
    created.filter((p) => !kept.includes(p)),
  );
  // The scaling writes the Deployment's new size and surge on the ReplicaSet too.
  const scaledSet = await send('GET', `${apps()}/replicasets/${rs}`);
  expect(scaledSet.metadata.annotations).toMatchObject({
    'deployment.kubernetes.io/desired-replicas': '1',
    'deployment.kubernetes.io/max-replicas': '2',
  });
  expect(await eventsAbout('Deployment', 'web')).toEqual([
    normal('deployment-controller', 'ScalingReplicaSet', `Scaled up replica set ${rs} from 0 to 3`),
    normal(
      'deployment-controller',
      'ScalingReplicaSet',
      `Scaled down replica set ${rs} from 3 to 1`,
    ),
  ]);
});

test('a rollout steps by maxSurge and maxUnavailable while no Pod becomes available', async () => {
  const rollouts = [
    // 25% of 4 each way: the new set grows by one, the old one sheds its unavailable Pods
    // as far as 3 available ones less the new set's unavailable ones allow.
    {
      name: 'surge',
      strategy: {},
      steps: [
        ['new', 0, 1],
        ['old', 4, 3],
        ['new', 1, 2],
      ],
    },
    // No surge: the old set goes down to 2 first, the new one (made empty) comes up to 2.
    {
      name: 'unavail',
      strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 2 } },
      steps: [
        ['old', 4, 2],
        ['new', 0, 2],
      ],
    },
  ] as const;
  const setOf = async (app: string, image: string) => {
    const sets = await listOf(`${apps()}/replicasets`, { labelSelector: `app=${app}` });
    return sets.items.find((rs: Json) => rs.spec.template.spec.containers[0].image === image);
  };
  for (const { name, strategy } of rollouts) {
    await send('POST', `${apps()}/deployments`, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name },
      spec: {
        replicas: 4,
        strategy,
        selector: { matchLabels: { app: name } },
        template: template(name),
      },
    });
  }
  for (const { name } of rollouts) {
    await expect
      .poll(async () => (await setOf(name, 'registry.invalid/app:1'))?.status?.replicas, EVENTUALLY)
      .toBe(4);
    const next = template(name);
    next.spec.containers[0].image = 'registry.invalid/app:2';
    await send(
      'PATCH',
      `${apps()}/deployments/${name}`,
      { spec: { template: next } },
      'application/merge-patch+json',
    );
  }
  for (const { name, steps } of rollouts) {
    const oldSet = (await setOf(name, 'registry.invalid/app:1')).metadata.name;
    await expect.poll(async () => setOf(name, 'registry.invalid/app:2'), EVENTUALLY).toBeDefined();
    const newSet = (await setOf(name, 'registry.invalid/app:2')).metadata.name;
    const said = (set: string, from: number, to: number) =>
      normal(
        'deployment-controller',
        'ScalingReplicaSet',
        `Scaled ${from < to ? 'up' : 'down'} replica set ${set} from ${from} to ${to}`,
      );
    await expect
      .poll(async () => eventsAbout('Deployment', name), EVENTUALLY)
      .toEqual([
        said(oldSet, 0, 4),
        ...steps.map(([which, from, to]) => said(which === 'old' ? oldSet : newSet, from, to)),
      ]);
    const sizes = await Promise.all(
      ['registry.invalid/app:1', 'registry.invalid/app:2'].map(
        async (image) => (await setOf(name, image)).spec.replicas,
      ),
    );
    expect(sizes).toEqual(name === 'surge' ? [3, 2] : [2, 2]);
  }
  // Scaled mid-rollout to 8 (surge 2): both ReplicaSets grow in proportion to the 5 they
  // were sized for, the larger first, up to 10, and the rollout waits again.
  const oldSet = (await setOf('surge', 'registry.invalid/app:1')).metadata.name;
  const newSet = (await setOf('surge', 'registry.invalid/app:2')).metadata.name;
  await scale(`${apps()}/deployments/surge`, 8);
  await expect
    .poll(async () => (await eventsAbout('Deployment', 'surge')).slice(4), EVENTUALLY)
    .toEqual([
      normal(
        'deployment-controller',
        'ScalingReplicaSet',
        `Scaled up replica set ${oldSet} from 3 to 6`,
      ),
      normal(
        'deployment-controller',
        'ScalingReplicaSet',
        `Scaled up replica set ${newSet} from 2 to 4`,
      ),
    ]);
  for (const [image, size] of [
    ['registry.invalid/app:1', 6],
    ['registry.invalid/app:2', 4],
  ] as const) {
    const rs = await setOf('surge', image);
    expect(rs.spec.replicas).toBe(size);
    expect(rs.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/desired-replicas': '8',
      'deployment.kubernetes.io/max-replicas': '10',
    });
  }
});

/** The Deployment controller's Event for growing ReplicaSet `rs`. */
const scaledUp = (rs: string, from: number, to: number) =>
  normal(
    'deployment-controller',
    'ScalingReplicaSet',
    `Scaled up replica set ${rs} from ${from} to ${to}`,
  );

/** The Deployment's `Progressing` condition: status, reason and message. */
async function progressingOf(name: string): Promise<string[] | undefined> {
  const d = await send('GET', `${apps()}/deployments/${name}`);
  const c = d.status?.conditions?.find((x: Json) => x.type === 'Progressing');
  return c === undefined ? undefined : [c.status, c.reason, c.message];
}

test('a paused Deployment rolls out no template, only scales; resumed, it rolls out', async () => {
  await send('POST', `${apps()}/deployments`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'paused' },
    spec: {
      replicas: 2,
      paused: true,
      selector: { matchLabels: { app: 'paused' } },
      template: template('paused'),
    },
  });
  // Created paused: the Progressing condition says so, then Available is added after it
  // (the last write of the sync, so no ReplicaSet was made before it).
  await expect
    .poll(async () => {
      const d = await send('GET', `${apps()}/deployments/paused`);
      return d.status?.conditions?.map((c: Json) => [c.type, c.status, c.reason, c.message]);
    }, EVENTUALLY)
    .toEqual([
      ['Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused'],
      [
        'Available',
        'False',
        'MinimumReplicasUnavailable',
        'Deployment does not have minimum availability.',
      ],
    ]);
  const born = await send('GET', `${apps()}/deployments/paused`);
  expect(born.status.observedGeneration).toBe(1);
  expect(born.metadata.annotations).toBeUndefined();
  expect((await listOf(`${apps()}/replicasets`, { labelSelector: 'app=paused' })).items).toEqual(
    [],
  );
  const setsOf = async () =>
    (await listOf(`${apps()}/replicasets`, { labelSelector: 'app=paused' })).items;
  // Resumed: the ReplicaSet comes, and the rollout progresses.
  await send(
    'PATCH',
    `${apps()}/deployments/paused`,
    { spec: { paused: false } },
    'application/merge-patch+json',
  );
  await expect.poll(async () => (await setsOf()).length, EVENTUALLY).toBe(1);
  const rs = (await setsOf())[0].metadata.name;
  await expect
    .poll(() => progressingOf('paused'), EVENTUALLY)
    .toEqual(['True', 'ReplicaSetUpdated', `ReplicaSet "${rs}" is progressing.`]);
  // Paused with a new template and scaled: no new ReplicaSet, the one there takes the size.
  const next = template('paused');
  next.spec.containers[0].image = 'registry.invalid/app:2';
  await send(
    'PATCH',
    `${apps()}/deployments/paused`,
    { spec: { paused: true, replicas: 4, template: next } },
    'application/merge-patch+json',
  );
  await expect
    .poll(async () => {
      const d = await send('GET', `${apps()}/deployments/paused`);
      const { observedGeneration, replicas, updatedReplicas, unavailableReplicas } = d.status;
      return { observedGeneration, replicas, updatedReplicas, unavailableReplicas };
    }, EVENTUALLY)
    .toEqual({
      observedGeneration: 3,
      replicas: 4,
      updatedReplicas: undefined,
      unavailableReplicas: 4,
    });
  expect(await progressingOf('paused')).toEqual([
    'Unknown',
    'DeploymentPaused',
    'Deployment is paused',
  ]);
  const sets = await setsOf();
  expect(sets.map((s: Json) => [s.metadata.name, s.spec.replicas])).toEqual([[rs, 4]]);
  expect(sets[0].metadata.annotations).toMatchObject({
    'deployment.kubernetes.io/desired-replicas': '4',
    'deployment.kubernetes.io/max-replicas': '5',
    'deployment.kubernetes.io/revision': '1',
  });
  const said = (from: number, to: number) => scaledUp(rs, from, to);
  expect(await eventsAbout('Deployment', 'paused')).toEqual([said(0, 2), said(2, 4)]);
});

test('a rollout with no progress for progressDeadlineSeconds times out; a pause keeps that', async () => {
  await send('POST', `${apps()}/deployments`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'stuck' },
    spec: {
      replicas: 1,
      progressDeadlineSeconds: 2,
      selector: { matchLabels: { app: 'stuck' } },
      template: template('stuck'),
    },
  });
  const setOf = async () =>
    (await listOf(`${apps()}/replicasets`, { labelSelector: 'app=stuck' })).items[0];
  await expect.poll(setOf, EVENTUALLY).toBeDefined();
  const rs = (await setOf()).metadata.name;
  // No Pod becomes available without Nodes: the controller looks again once the
  // condition's lastUpdateTime is 2 s old, and says so in the condition alone.
  await expect
    .poll(() => progressingOf('stuck'), EVENTUALLY)
    .toEqual([
      'False',
      'ProgressDeadlineExceeded',
      `ReplicaSet "${rs}" has timed out progressing.`,
    ]);
  const d = await send('GET', `${apps()}/deployments/stuck`);
  const timedOut = d.status.conditions.find((c: Json) => c.type === 'Progressing');
  expect(timedOut.lastTransitionTime).toBe(timedOut.lastUpdateTime);
  const said = (from: number, to: number) => scaledUp(rs, from, to);
  expect(await eventsAbout('Deployment', 'stuck')).toEqual([said(0, 1)]);
  // Paused and scaled: once the ReplicaSet has the new size, the timeout still stands.
  await send(
    'PATCH',
    `${apps()}/deployments/stuck`,
    { spec: { paused: true, replicas: 2 } },
    'application/merge-patch+json',
  );
  await expect
    .poll(
      async () => (await send('GET', `${apps()}/deployments/stuck`)).status.replicas,
      EVENTUALLY,
    )
    .toBe(2);
  expect(await progressingOf('stuck')).toEqual([
    'False',
    'ProgressDeadlineExceeded',
    `ReplicaSet "${rs}" has timed out progressing.`,
  ]);
  expect(await eventsAbout('Deployment', 'stuck')).toEqual([said(0, 1), said(1, 2)]);
});

/**
 * Creates Deployment `app` selecting and labelling its Pods `app=<app>`, with `spec` and
 * the `annotations` given.
 */
function createDeployment(app: string, spec: Json, annotations?: Record<string, string>) {
  return send('POST', `${apps()}/deployments`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app, ...(annotations === undefined ? {} : { annotations }) },
    spec: { ...spec, selector: { matchLabels: { app } }, template: template(app) },
  });
}

/** The ReplicaSets labelled `app=<app>`, by the image of their template. */
async function setsByImage(app: string): Promise<Map<string, Json>> {
  const list = await listOf(`${apps()}/replicasets`, { labelSelector: `app=${app}` });
  return new Map(list.items.map((rs: Json) => [rs.spec.template.spec.containers[0].image, rs]));
}

/** Writes the template of `app` with image `registry.invalid/app:<n>`, and `more` of `spec`. */
function rollTo(app: string, n: number, annotations?: Record<string, string>, more?: Json) {
  const next = template(app);
  next.spec.containers[0].image = `registry.invalid/app:${n}`;
  return send(
    'PATCH',
    `${apps()}/deployments/${app}`,
    {
      ...(annotations === undefined ? {} : { metadata: { annotations } }),
      spec: { ...more, template: next },
    },
    'application/merge-patch+json',
  );
}

test('a rollback makes its old ReplicaSet new at the next revision; revisionHistoryLimit keeps the highest', async () => {
  const image = (n: number) => `registry.invalid/app:${n}`;
  const cause = 'example.com/change-cause';
  await createDeployment(
    'history',
    { replicas: 0, revisionHistoryLimit: 1 },
    { [cause]: 'one', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
  );
  const counts = { 'deployment.kubernetes.io/desired-replicas': '0' };
  const made = (note: string, revision: string, history?: string) => ({
    [cause]: note,
    ...counts,
    'deployment.kubernetes.io/max-replicas': '0',
    'deployment.kubernetes.io/revision': revision,
    ...(history === undefined ? {} : { 'deployment.kubernetes.io/revision-history': history }),
  });
  const annotationsOf = async (n: number) =>
    (await setsByImage('history')).get(image(n))?.metadata.annotations;
  // The Deployment's annotations are copied but the skipped ones (last-applied).
  await expect.poll(() => annotationsOf(1), EVENTUALLY).toEqual(made('one', '1'));
  await rollTo('history', 2, { [cause]: 'two' });
  await expect.poll(() => annotationsOf(2), EVENTUALLY).toEqual(made('two', '2'));
  const first = (await setsByImage('history')).get(image(1)).metadata.name;
  const second = (await setsByImage('history')).get(image(2)).metadata.name;
  // The second rollout complete first: kube-controller-manager keeps a Progressing
  // condition of the same reason as it is, so which ReplicaSet it names below depends on it.
  await expect
    .poll(() => progressingOf('history'), EVENTUALLY)
    .toEqual([
      'True',
      'NewReplicaSetAvailable',
      `ReplicaSet "${second}" has successfully progressed.`,
    ]);
  // Rolled back (the template of revision 1 written again, as `kubectl rollout undo`
  // does): no new ReplicaSet; the first is the new one, at revision 3 with its history,
  // and has the Deployment's annotations now. The Deployment takes its revision; with no
  // Pods to wait for, its Progressing condition still names the second.
  await rollTo('history', 1, { [cause]: 'three' });
  await expect.poll(() => annotationsOf(1), EVENTUALLY).toEqual(made('three', '3', '1'));
  await expect
    .poll(
      async () =>
        (await send('GET', `${apps()}/deployments/history`)).metadata.annotations[
          'deployment.kubernetes.io/revision'
        ],
      EVENTUALLY,
    )
    .toBe('3');
  expect(await annotationsOf(2)).toEqual(made('two', '2'));
  expect(await progressingOf('history')).toEqual([
    'True',
    'NewReplicaSetAvailable',
    `ReplicaSet "${second}" has successfully progressed.`,
  ]);
  // A third template (revision 4): of the two old ones, beyond the limit of 1, the lower
  // revision goes, though it was made later.
  await rollTo('history', 3);
  await expect
    .poll(async () => [...(await setsByImage('history')).keys()].sort(), EVENTUALLY)
    .toEqual([image(1), image(3)]);
  expect((await setsByImage('history')).get(image(1)).metadata.name).toBe(first);
  expect(await annotationsOf(3)).toEqual(made('three', '4'));
  // Paused, an annotation of the Deployment still reaches the new ReplicaSet alone.
  await send(
    'PATCH',
    `${apps()}/deployments/history`,
    { metadata: { annotations: { 'example.com/note': 'paused' } }, spec: { paused: true } },
    'application/merge-patch+json',
  );
  await expect
    .poll(async () => (await annotationsOf(3))?.['example.com/note'], EVENTUALLY)
    .toBe('paused');
  expect(await annotationsOf(1)).toEqual(made('three', '3', '1'));
  expect(await eventsAbout('Deployment', 'history')).toEqual([]);
});

test('old ReplicaSets beyond revisionHistoryLimit stay while a rollout is incomplete, and go once it is paused', async () => {
  await createDeployment('recreate', {
    replicas: 1,
    revisionHistoryLimit: 0,
    strategy: { type: 'Recreate' },
  });
  await expect.poll(async () => (await setsByImage('recreate')).size, EVENTUALLY).toBe(1);
  await rollTo('recreate', 2);
  // The old one is scaled to 0 and the new one made with 1, whose Pod never becomes
  // available without Nodes: the rollout never completes, so the old one is kept.
  await expect
    .poll(async () => {
      const sets = await setsByImage('recreate');
      return ['registry.invalid/app:1', 'registry.invalid/app:2'].map((image) => {
        const rs = sets.get(image);
        const seen = rs?.status?.observedGeneration === rs?.metadata.generation;
        return [rs?.spec.replicas, rs?.status?.replicas ?? 0, seen];
      });
    }, EVENTUALLY)
    .toEqual([
      [0, 0, true],
      [1, 1, true],
    ]);
  await expect
    .poll(async () => (await send('GET', `${apps()}/deployments/recreate`)).status, EVENTUALLY)
    .toMatchObject({ observedGeneration: 2, replicas: 1, updatedReplicas: 1 });
  const sets = await setsByImage('recreate');
  expect(sets.size).toBe(2);
  // The new one was made only once the old Pod was gone, at its full size.
  const [first, second] = ['registry.invalid/app:1', 'registry.invalid/app:2'].map(
    (image) => sets.get(image).metadata,
  );
  expect(second.generation).toBe(1);
  expect(await eventsAbout('Deployment', 'recreate')).toEqual([
    scaledUp(first.name, 0, 1),
    normal(
      'deployment-controller',
      'ScalingReplicaSet',
      `Scaled down replica set ${first.name} from 1 to 0`,
    ),
    scaledUp(second.name, 0, 1),
  ]);
  // Paused, the controller cleans up whatever the rollout's state.
  await send(
    'PATCH',
    `${apps()}/deployments/recreate`,
    { spec: { paused: true } },
    'application/merge-patch+json',
  );
  await expect
    .poll(async () => [...(await setsByImage('recreate')).keys()], EVENTUALLY)
    .toEqual(['registry.invalid/app:2']);
});

test('a progress deadline set on a Deployment that had none: Progressing FoundNewReplicaSet', async () => {
  await createDeployment('found', { replicas: 1, progressDeadlineSeconds: 2147483647 });
  const statusOf = async () => (await send('GET', `${apps()}/deployments/found`)).status;
  await expect.poll(async () => (await statusOf()).replicas, EVENTUALLY).toBe(1);
  // No deadline: no Progressing condition at all.
  expect((await statusOf()).conditions.map((c: Json) => c.type)).toEqual(['Available']);
  const rs = (await setsByImage('found')).get('registry.invalid/app:1').metadata.name;
  await send(
    'PATCH',
    `${apps()}/deployments/found`,
    { spec: { progressDeadlineSeconds: 600 } },
    'application/merge-patch+json',
  );
  await expect.poll(async () => (await statusOf()).observedGeneration, EVENTUALLY).toBe(2);
  expect(await progressingOf('found')).toEqual([
    'True',
    'FoundNewReplicaSet',
    `Found new replica set "${rs}"`,
  ]);
  expect((await statusOf()).conditions.map((c: Json) => c.type)).toEqual([
    'Available',
    'Progressing',
  ]);
});

test('a ReplicationController records each Pod it creates', async () => {
  await send('POST', `${core()}/replicationcontrollers`, {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'legacy' },
    spec: { replicas: 2, selector: { app: 'legacy' }, template: template('legacy') },
  });
  await expect.poll(async () => (await podNames('legacy')).length, EVENTUALLY).toBe(2);
  const created = await podNames('legacy');
  await expect
    .poll(async () => eventsAbout('ReplicationController', 'legacy'), EVENTUALLY)
    .toHaveLength(2);
  const said = await eventsAbout('ReplicationController', 'legacy');
  expect(podsIn(said, 'Created')).toEqual(created);
  expect(said.map((s) => ({ ...s, message: '' }))).toEqual([
    normal('replication-controller', 'SuccessfulCreate', ''),
    normal('replication-controller', 'SuccessfulCreate', ''),
  ]);
});

test('the tenth different message of a reason, and each after, go to one combined Event', async () => {
  await send('POST', `${apps()}/replicasets`, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'many' },
    spec: { replicas: 12, selector: { matchLabels: { app: 'many' } }, template: template('many') },
  });
  await expect.poll(async () => (await podNames('many')).length, EVENTUALLY).toBe(12);
  const created = await podNames('many');
  const combined = '(combined from similar events): Created pod: ';
  await expect
    .poll(async () => (await eventsOf('ReplicaSet', 'many')).map((e: Json) => e.count), EVENTUALLY)
    .toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 3]);
  const events = await eventsOf('ReplicaSet', 'many');
  const last = events[9];
  expect(last).toMatchObject({
    type: 'Normal',
    reason: 'SuccessfulCreate',
    source: { component: 'replicaset-controller' },
    reportingComponent: '',
    reportingInstance: '',
  });
  expect(last.message.startsWith(combined)).toBe(true);
  expect(created).toContain(last.message.slice(combined.length));
  const single = podsIn(
    events.slice(0, 9).map((e: Json) => ({ ...e, component: '' })),
    'Created',
  );
  expect(single.every((p) => created.includes(p))).toBe(true);
  expect(new Set(single).size).toBe(9);
});

test('a ReplicaSet or Job whose Pod is refused retries: FailedCreate again (a ReplicaFailure condition)', async () => {
  // A namespace whose quota allows no Pod, once the quota controller has counted it.
  const where = await e2e.namespace('e2e-ctrl-refused');
  await send('POST', `/api/v1/namespaces/${where}/resourcequotas`, {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'none' },
    spec: { hard: { pods: '0' } },
  });
  await expect
    .poll(
      async () =>
        (await send('GET', `/api/v1/namespaces/${where}/resourcequotas/none`)).status?.used,
      EVENTUALLY,
    )
    .toEqual({ pods: '0' });
  await send('POST', `/apis/apps/v1/namespaces/${where}/replicasets`, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'refused' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'refused' } },
      template: template('refused'),
    },
  });
  const refusal =
    /^pods "refused-[a-z0-9]{5}" is forbidden: exceeded quota: none, requested: pods=1, used: pods=0, limited: pods=0$/;
  const failures = async () => {
    const list = await listOf(`/api/v1/namespaces/${where}/events`, {
      fieldSelector: 'involvedObject.name=refused,reason=FailedCreate',
    });
    return list.items;
  };
  // The controller retries with back-off: one refused Pod per try, each named anew.
  await expect.poll(async () => (await failures()).length, EVENTUALLY).toBeGreaterThanOrEqual(3);
  for (const e of (await failures()).slice(0, 3)) {
    expect(e).toMatchObject({
      type: 'Warning',
      count: 1,
      source: { component: 'replicaset-controller' },
    });
    expect(e.message.slice('Error creating: '.length)).toMatch(refusal);
  }
  const rs = await send('GET', `/apis/apps/v1/namespaces/${where}/replicasets/refused`);
  expect(rs.status.conditions).toHaveLength(1);
  const [failure] = rs.status.conditions;
  expect(Object.keys(failure).sort()).toEqual([
    'lastTransitionTime',
    'message',
    'reason',
    'status',
    'type',
  ]);
  expect(failure).toMatchObject({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate' });
  expect(failure.message).toMatch(refusal);
  expect(rs.status).toMatchObject({ replicas: 0, observedGeneration: 1 });

  // A Job's refused Pod is tried again too (its own back-off: 1 s, doubling); its status
  // is written all the same.
  await send('POST', `/apis/batch/v1/namespaces/${where}/jobs`, jobOf('refused-job', {}));
  const jobFailures = async () =>
    (
      await listOf(`/api/v1/namespaces/${where}/events`, {
        fieldSelector: 'involvedObject.name=refused-job,reason=FailedCreate',
      })
    ).items;
  await expect.poll(async () => (await jobFailures()).length, EVENTUALLY).toBeGreaterThanOrEqual(2);
  for (const e of (await jobFailures()).slice(0, 2)) {
    expect(e).toMatchObject({ type: 'Warning', count: 1, source: { component: 'job-controller' } });
    expect(e.message).toMatch(
      /^Error creating: pods "refused-job-[a-z0-9]{5}" is forbidden: exceeded quota: none, /,
    );
  }
  const job = await send('GET', `/apis/batch/v1/namespaces/${where}/jobs/refused-job`);
  expect(job.status).toMatchObject({ ready: 0, terminating: 0, uncountedTerminatedPods: {} });
  expect(job.status.startTime).toMatch(/Z$/);
  expect(job.status.active).toBeUndefined();
  expect(job.status.conditions).toBeUndefined();
});

test('a Job records each Pod it creates, then its completion', async () => {
  await send('POST', `${batch()}/jobs`, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'batch' },
    spec: {
      completions: 2,
      parallelism: 2,
      template: {
        ...template('batch'),
        spec: { ...template('batch').spec, restartPolicy: 'Never' },
      },
    },
  });
  await expect.poll(async () => (await podNames('batch')).length, EVENTUALLY).toBe(2);
  const created = await podNames('batch');
  await expect.poll(async () => eventsAbout('Job', 'batch'), EVENTUALLY).toHaveLength(2);
  const said = await eventsAbout('Job', 'batch');
  expect(podsIn(said, 'Created')).toEqual(created);
  expect(said.map((s) => s.reason)).toEqual(['SuccessfulCreate', 'SuccessfulCreate']);
  expect(said.every((s) => s.component === 'job-controller' && s.count === 1)).toBe(true);
  // No kubelet runs them: a client reports the Pods done.
  for (const name of created) {
    const pod = await send('GET', `${core()}/pods/${name}`);
    // The controller holds each Pod until it has counted it.
    expect(pod.metadata.finalizers).toEqual([TRACKING]);
    await send('PUT', `${core()}/pods/${name}/status`, {
      ...pod,
      status: { ...pod.status, phase: 'Succeeded' },
    });
  }
  await expect
    .poll(async () => (await eventsAbout('Job', 'batch')).slice(2), EVENTUALLY)
    .toEqual([normal('job-controller', 'Completed', 'Job completed')]);
  for (const name of created) {
    expect((await send('GET', `${core()}/pods/${name}`)).metadata.finalizers).toBeUndefined();
  }
});

/** The finalizer the Job controller puts on its Pods until it has counted them. */
const TRACKING = 'batch.kubernetes.io/job-tracking';

/** A Job of `app` whose Pods never restart, with `spec` added. */
function jobOf(app: string, spec: Json): Json {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: app },
    spec: {
      ...spec,
      template: { ...template(app), spec: { ...template(app).spec, restartPolicy: 'Never' } },
    },
  };
}

/** A Job's conditions without their times (checked to be set). */
async function jobConditions(name: string): Promise<Json[]> {
  const job = await send('GET', `${batch()}/jobs/${name}`);
  return (job.status?.conditions ?? []).map((c: Json) => {
    expect(c.lastProbeTime).toBe(c.lastTransitionTime);
    expect(c.lastTransitionTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    return { type: c.type, status: c.status, reason: c.reason, message: c.message };
  });
}

/** What each Event of `said` is, its Pod names masked. */
const kinds = (said: Said[]) =>
  said.map((s) => `${s.type} ${s.reason} ${s.message.replace(/pod: .*$/, 'pod: <pod>')}`);

test('an Indexed Job names each Pod, its host and its env by its index', async () => {
  await send(
    'POST',
    `${batch()}/jobs`,
    jobOf('indexed', { completions: 2, parallelism: 2, completionMode: 'Indexed' }),
  );
  await expect.poll(async () => (await podNames('indexed')).length, EVENTUALLY).toBe(2);
  const pods = (await listOf(`${core()}/pods`, { labelSelector: 'app=indexed' })).items.sort(
    (a: Json, b: Json) => a.metadata.name.localeCompare(b.metadata.name),
  );
  for (const [i, pod] of pods.entries()) {
    expect(pod.metadata.name).toMatch(new RegExp(`^indexed-${i}-[a-z0-9]{5}$`));
    expect(pod.metadata.labels['batch.kubernetes.io/job-completion-index']).toBe(String(i));
    expect(pod.spec.hostname).toBe(`indexed-${i}`);
    expect(pod.spec.containers[0].env).toEqual([
      {
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: {
          fieldRef: {
            apiVersion: 'v1',
            fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']",
          },
        },
      },
    ]);
  }
  await expect
    .poll(async () => podsIn(await eventsAbout('Job', 'indexed'), 'Created'), EVENTUALLY)
    .toEqual(pods.map((p: Json) => p.metadata.name));
});

test('a Job suspended then resumed: its Pods go and come back, Suspended and Resumed on it', async () => {
  await send('POST', `${batch()}/jobs`, jobOf('pause', { completions: 4, parallelism: 2 }));
  await expect.poll(async () => (await podNames('pause')).length, EVENTUALLY).toBe(2);
  const job = () => send('GET', `${batch()}/jobs/pause`);
  const suspend = (suspend: boolean) =>
    send('PATCH', `${batch()}/jobs/pause`, { spec: { suspend } }, 'application/merge-patch+json');
  const create = 'Normal SuccessfulCreate Created pod: <pod>';
  const remove = 'Normal SuccessfulDelete Deleted pod: <pod>';
  await expect.poll(async () => (await job()).status?.active, EVENTUALLY).toBe(2);
  const first = await podNames('pause');
  await suspend(true);
  await expect
    .poll(async () => kinds(await eventsAbout('Job', 'pause')), EVENTUALLY)
    .toEqual([create, create, remove, remove, 'Normal Suspended Job suspended']);
  expect(podsIn(await eventsAbout('Job', 'pause'), 'Deleted')).toEqual(first);
  await expect.poll(async () => (await job()).status?.terminating, EVENTUALLY).toBe(0);
  const suspended = (await job()).status;
  // Suspending clears the start time; the deleted Pods are not failures.
  expect(suspended.startTime).toBeUndefined();
  expect(suspended).toMatchObject({ ready: 0, uncountedTerminatedPods: {} });
  expect(suspended.active).toBeUndefined();
  expect(suspended.failed).toBeUndefined();
  expect(await jobConditions('pause')).toEqual([
    { type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' },
  ]);
  expect(await podNames('pause')).toEqual([]);

  await suspend(false);
  await expect
    .poll(async () => kinds(await eventsAbout('Job', 'pause')).slice(5), EVENTUALLY)
    .toEqual([create, create, 'Normal Resumed Job resumed']);
  expect(await jobConditions('pause')).toEqual([
    { type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed' },
  ]);
  await expect.poll(async () => (await job()).status?.active, EVENTUALLY).toBe(2);
  expect((await job()).status.startTime).toMatch(/Z$/);
});

test('a Job fails past its backoffLimit or its activeDeadlineSeconds: its Pods go, a Warning says why', async () => {
  await send('POST', `${batch()}/jobs`, jobOf('fragile', { backoffLimit: 0 }));
  await send('POST', `${batch()}/jobs`, jobOf('late', { activeDeadlineSeconds: 1 }));
  const create = 'Normal SuccessfulCreate Created pod: <pod>';
  // No kubelet runs it: a client reports the Pod failed.
  await expect.poll(async () => (await podNames('fragile')).length, EVENTUALLY).toBe(1);
  const [name] = await podNames('fragile');
  const pod = await send('GET', `${core()}/pods/${name}`);
  await send('PUT', `${core()}/pods/${name}/status`, {
    ...pod,
    status: { ...pod.status, phase: 'Failed' },
  });
  const cases = [
    ['fragile', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', []],
    ['late', 'DeadlineExceeded', 'Job was active longer than specified deadline', ['remove']],
  ] as const;
  for (const [job, reason, message, deleted] of cases) {
    await expect
      .poll(async () => kinds(await eventsAbout('Job', job)), EVENTUALLY)
      .toEqual([
        create,
        ...deleted.map(() => 'Normal SuccessfulDelete Deleted pod: <pod>'),
        `Warning ${reason} ${message}`,
      ]);
    expect(await jobConditions(job)).toEqual([
      { type: 'FailureTarget', status: 'True', reason, message },
      { type: 'Failed', status: 'True', reason, message },
    ]);
    const status = (await send('GET', `${batch()}/jobs/${job}`)).status;
    expect(status).toMatchObject({ failed: 1, ready: 0, terminating: 0 });
    expect(status.active).toBeUndefined();
    expect(status.completionTime).toBeUndefined();
    expect(status.startTime).toMatch(/Z$/);
  }
  // The failed Pod stays, counted (its finalizer gone); the one past the deadline was deleted.
  expect(await podNames('fragile')).toEqual([name]);
  expect((await send('GET', `${core()}/pods/${name}`)).metadata.finalizers).toBeUndefined();
  expect(await podNames('late')).toEqual([]);
});

/**
 * Marks Pod `name` Failed as a kubelet would: its container `app` ended with `exitCode` at
 * `at` (by default long ago: the Job controller's back-off before a replacement has
 * passed), `conditions` added.
 */
async function failPod(
  name: string,
  exitCode: number,
  conditions: Json[] = [],
  at = '2020-01-01T00:00:00Z',
): Promise<void> {
  const pod = await send('GET', `${core()}/pods/${name}`);
  await send('PUT', `${core()}/pods/${name}/status`, {
    ...pod,
    status: {
      ...pod.status,
      phase: 'Failed',
      conditions: [...(pod.status.conditions ?? []), ...conditions],
      containerStatuses: [
        {
          name: 'app',
          image: 'registry.invalid/app:1',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { terminated: { exitCode, reason: 'Error', startedAt: at, finishedAt: at } },
        },
      ],
    },
  });
}

test('a Job with a podFailurePolicy ignores a disrupted Pod and fails on an exit code the policy names', async () => {
  await send(
    'POST',
    `${batch()}/jobs`,
    jobOf('policy', {
      backoffLimit: 0,
      podFailurePolicy: {
        rules: [
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
          {
            action: 'FailJob',
            onExitCodes: { containerName: 'app', operator: 'In', values: [42] },
          },
        ],
      },
    }),
  );
  const create = 'Normal SuccessfulCreate Created pod: <pod>';
  await expect.poll(async () => (await podNames('policy')).length, EVENTUALLY).toBe(1);
  const [first] = await podNames('policy');
  // Ignored: not counted against backoffLimit 0, a Pod replaces it.
  await failPod(String(first), 137, [
    { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI' },
  ]);
  await expect.poll(async () => (await podNames('policy')).length, EVENTUALLY).toBe(2);
  const [second] = (await podNames('policy')).filter((n) => n !== first);
  const job = () => send('GET', `${batch()}/jobs/policy`);
  await expect.poll(async () => (await job()).status?.active, EVENTUALLY).toBe(1);
  expect((await job()).status.failed).toBeUndefined();
  expect(await jobConditions('policy')).toEqual([]);
  await failPod(String(second), 42);
  const message = `Container app for pod ${ns}/${second} failed with exit code 42 matching FailJob rule at index 1`;
  await expect
    .poll(async () => kinds(await eventsAbout('Job', 'policy')), EVENTUALLY)
    .toEqual([create, create, `Warning PodFailurePolicy ${message}`]);
  expect(await jobConditions('policy')).toEqual([
    { type: 'FailureTarget', status: 'True', reason: 'PodFailurePolicy', message },
    { type: 'Failed', status: 'True', reason: 'PodFailurePolicy', message },
  ]);
  const status = (await job()).status;
  expect(status).toMatchObject({
    failed: 1,
    ready: 0,
    terminating: 0,
    uncountedTerminatedPods: {},
  });
  expect(status.active).toBeUndefined();
});

test('a failed Pod is replaced once the back-off since it finished has passed: 10 s, then 20 s', async () => {
  await send('POST', `${batch()}/jobs`, jobOf('retry', { backoffLimit: 3 }));
  /** A whole second `ago` ms before now, as the API writes times. */
  const before = (ago: number) => new Date(Math.floor((Date.now() - ago) / 1000) * 1000);
  const created = async (name: string) =>
    Date.parse((await send('GET', `${core()}/pods/${name}`)).metadata.creationTimestamp);
  await expect.poll(async () => (await podNames('retry')).length, EVENTUALLY).toBe(1);
  let [current] = await podNames('retry');
  for (const [count, backoff] of [
    [1, 10_000],
    [2, 20_000],
  ] as const) {
    const names = await podNames('retry');
    // Finished long enough ago that the back-off has about 2 s to run.
    const at = before(backoff - 2000);
    await failPod(String(current), 1, [], at.toISOString().replace('.000Z', 'Z'));
    await expect.poll(async () => (await podNames('retry')).length, EVENTUALLY).toBe(count + 1);
    current = (await podNames('retry')).find((n) => !names.includes(n));
    expect(await created(String(current))).toBeGreaterThanOrEqual(at.getTime() + backoff);
  }
  await expect
    .poll(async () => (await send('GET', `${batch()}/jobs/retry`)).status?.failed, EVENTUALLY)
    .toBe(2);
});

test('an Indexed Job whose successPolicy is met completes early: its other Pods go', async () => {
  await send(
    'POST',
    `${batch()}/jobs`,
    jobOf('early', {
      completions: 3,
      parallelism: 3,
      completionMode: 'Indexed',
      successPolicy: { rules: [{ succeededIndexes: '1-2' }, { succeededCount: 1 }] },
    }),
  );
  await expect.poll(async () => (await podNames('early')).length, EVENTUALLY).toBe(3);
  const pods = (await listOf(`${core()}/pods`, { labelSelector: 'app=early' })).items;
  const index = (p: Json) => p.metadata.labels['batch.kubernetes.io/job-completion-index'];
  const done = pods.find((p: Json) => index(p) === '0');
  await send('PUT', `${core()}/pods/${done.metadata.name}/status`, {
    ...done,
    status: { ...done.status, phase: 'Succeeded' },
  });
  const create = 'Normal SuccessfulCreate Created pod: <pod>';
  const remove = 'Normal SuccessfulDelete Deleted pod: <pod>';
  await expect
    .poll(async () => kinds(await eventsAbout('Job', 'early')), EVENTUALLY)
    .toEqual([create, create, create, remove, remove, 'Normal Completed Job completed']);
  const others = pods.filter((p: Json) => p !== done).map((p: Json) => p.metadata.name);
  expect(podsIn(await eventsAbout('Job', 'early'), 'Deleted')).toEqual(others.sort());
  const message = 'Matched rules at index 1';
  expect(await jobConditions('early')).toEqual([
    { type: 'SuccessCriteriaMet', status: 'True', reason: 'SuccessPolicy', message },
    { type: 'Complete', status: 'True', reason: 'SuccessPolicy', message },
  ]);
  const status = (await send('GET', `${batch()}/jobs/early`)).status;
  expect(status).toMatchObject({ succeeded: 1, completedIndexes: '0', ready: 0, terminating: 0 });
  expect(status.completionTime).toMatch(/Z$/);
  expect(await podNames('early')).toEqual([done.metadata.name]);
  // The Pods it deleted are not failures.
  expect(status.active).toBeUndefined();
  expect(status.failed).toBeUndefined();
});

/** Marks Pod `name` Running as a kubelet would (and Ready if `ready`). */
async function runPod(name: string, ready: boolean): Promise<void> {
  const pod = await send('GET', `${core()}/pods/${name}`);
  const conditions = [{ type: 'Ready', status: ready ? 'True' : 'False' }];
  await send('PUT', `${core()}/pods/${name}/status`, {
    ...pod,
    status: { ...pod.status, phase: 'Running', conditions },
  });
}

test("a Job's lowered parallelism deletes its surplus Pods, those least far along first", async () => {
  await send('POST', `${batch()}/jobs`, jobOf('shrink', { completions: 5, parallelism: 3 }));
  await expect.poll(async () => (await podNames('shrink')).length, EVENTUALLY).toBe(3);
  const [pending, running, ready] = (await podNames('shrink')) as [string, string, string];
  const job = () => send('GET', `${batch()}/jobs/shrink`);
  // The Job's ready count shows that the controller has seen both Pods run.
  await runPod(running, false);
  await runPod(ready, true);
  await expect.poll(async () => (await job()).status?.ready, EVENTUALLY).toBe(1);
  await send(
    'PATCH',
    `${batch()}/jobs/shrink`,
    { spec: { parallelism: 1 } },
    'application/merge-patch+json',
  );
  const create = 'Normal SuccessfulCreate Created pod: <pod>';
  const remove = 'Normal SuccessfulDelete Deleted pod: <pod>';
  await expect
    .poll(async () => kinds(await eventsAbout('Job', 'shrink')), EVENTUALLY)
    .toEqual([create, create, create, remove, remove]);
  expect(podsIn(await eventsAbout('Job', 'shrink'), 'Deleted')).toEqual([pending, running].sort());
  await expect.poll(async () => podNames('shrink'), EVENTUALLY).toEqual([ready]);
  await expect.poll(async () => (await job()).status?.terminating, EVENTUALLY).toBe(0);
  // The Pods it deleted are not failures, and none replaces them.
  expect((await job()).status).toMatchObject({ active: 1, ready: 1, uncountedTerminatedPods: {} });
  expect((await job()).status.failed).toBeUndefined();
});

test('an Indexed Job deletes a second Pod of an index and, its completions lowered, those past them', async () => {
  await send(
    'POST',
    `${batch()}/jobs`,
    jobOf('repeat', { completions: 3, parallelism: 3, completionMode: 'Indexed' }),
  );
  await expect.poll(async () => (await podNames('repeat')).length, EVENTUALLY).toBe(3);
  const pods = (await listOf(`${core()}/pods`, { labelSelector: 'app=repeat' })).items;
  const index = (p: Json) => p.metadata.labels['batch.kubernetes.io/job-completion-index'];
  const [first] = pods.filter((p: Json) => index(p) === '0');
  const [last] = pods.filter((p: Json) => index(p) === '2');
  const job = () => send('GET', `${batch()}/jobs/repeat`);
  await runPod(first.metadata.name, true);
  await expect.poll(async () => (await job()).status?.ready, EVENTUALLY).toBe(1);
  // A client adds a second Pod of index 0 for the Job: the one not yet running goes.
  const { labels, annotations, ownerReferences } = first.metadata;
  await send('POST', `${core()}/pods`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'repeat-0-again', labels, annotations, ownerReferences },
    spec: jobOf('repeat', {}).spec.template.spec,
  });
  const create = 'Normal SuccessfulCreate Created pod: <pod>';
  const remove = 'Normal SuccessfulDelete Deleted pod: <pod>';
  await expect
    .poll(async () => eventsAbout('Job', 'repeat'), EVENTUALLY)
    .toEqual([
      ...Array(3).fill(expect.anything()),
      normal('job-controller', 'SuccessfulDelete', 'Deleted pod: repeat-0-again'),
    ]);
  await send(
    'PATCH',
    `${batch()}/jobs/repeat`,
    { spec: { completions: 2, parallelism: 2 } },
    'application/merge-patch+json',
  );
  await expect
    .poll(async () => kinds(await eventsAbout('Job', 'repeat')), EVENTUALLY)
    .toEqual([create, create, create, remove, remove]);
  expect(podsIn(await eventsAbout('Job', 'repeat'), 'Deleted')).toEqual(
    [last.metadata.name, 'repeat-0-again'].sort(),
  );
  const kept = pods.filter((p: Json) => p !== last).map((p: Json) => p.metadata.name);
  await expect.poll(async () => podNames('repeat'), EVENTUALLY).toEqual(kept.sort());
  expect((await job()).status).toMatchObject({ active: 2, ready: 1 });
  expect((await job()).status.failed).toBeUndefined();
});

test('a counted Pod that a client deletes stays counted: the Job completes with the Pods it made', async () => {
  for (const [name, mode] of [
    ['kept', 'NonIndexed'],
    ['kept-indexed', 'Indexed'],
  ] as const) {
    await send(
      'POST',
      `${batch()}/jobs`,
      jobOf(name, { completions: 2, parallelism: 1, completionMode: mode }),
    );
    const job = () => send('GET', `${batch()}/jobs/${name}`);
    const succeed = async (pod: string) => {
      const current = await send('GET', `${core()}/pods/${pod}`);
      await send('PUT', `${core()}/pods/${pod}/status`, {
        ...current,
        status: { ...current.status, phase: 'Succeeded' },
      });
    };
    await expect.poll(async () => (await podNames(name)).length, EVENTUALLY).toBe(1);
    const [first] = (await podNames(name)) as [string];
    await succeed(first);
    // Counted (its finalizer off), then deleted: the count stays and no Pod replaces it.
    await expect.poll(async () => (await podNames(name)).length, EVENTUALLY).toBe(2);
    await expect.poll(async () => (await job()).status?.succeeded, EVENTUALLY).toBe(1);
    await expect
      .poll(
        async () => (await send('GET', `${core()}/pods/${first}`)).metadata.finalizers,
        EVENTUALLY,
      )
      .toBeUndefined();
    await e2e.client.request({ method: 'DELETE', path: `${core()}/pods/${first}` });
    const [second] = (await podNames(name)).filter((n) => n !== first) as [string];
    await expect.poll(async () => podNames(name), EVENTUALLY).toEqual([second]);
    await succeed(second);
    await expect
      .poll(async () => kinds(await eventsAbout('Job', name)), EVENTUALLY)
      .toEqual([
        'Normal SuccessfulCreate Created pod: <pod>',
        'Normal SuccessfulCreate Created pod: <pod>',
        'Normal Completed Job completed',
      ]);
    const status = (await job()).status;
    expect(status.succeeded).toBe(2);
    // Two indexes in a row are written as two.
    expect(status.completedIndexes).toBe(mode === 'Indexed' ? '0,1' : undefined);
    expect(await podNames(name)).toEqual([second]);
  }
});

test('an Indexed Job with backoffLimitPerIndex fails an index past it, then the Job once every index is done', async () => {
  await send(
    'POST',
    `${batch()}/jobs`,
    jobOf('per-index', {
      completions: 2,
      parallelism: 2,
      completionMode: 'Indexed',
      backoffLimitPerIndex: 1,
    }),
  );
  const COUNT = 'batch.kubernetes.io/job-index-failure-count';
  const index = (p: Json) => p.metadata.labels['batch.kubernetes.io/job-completion-index'];
  const podsOf = async (i: string) =>
    (await listOf(`${core()}/pods`, { labelSelector: 'app=per-index' })).items
      .filter((p: Json) => index(p) === i)
      .sort(
        (a: Json, b: Json) =>
          Number(a.metadata.annotations[COUNT]) - Number(b.metadata.annotations[COUNT]),
      );
  const job = () => send('GET', `${batch()}/jobs/per-index`);
  await expect.poll(async () => (await podNames('per-index')).length, EVENTUALLY).toBe(2);
  const [zero] = await podsOf('0');
  expect(zero.metadata.annotations[COUNT]).toBe('0');
  // Its first failure (finished long ago, past the index's back-off): a Pod replaces it,
  // counting one failure.
  await failPod(zero.metadata.name, 1);
  await expect.poll(async () => (await podsOf('0')).length, EVENTUALLY).toBe(2);
  const [, again] = await podsOf('0');
  expect(again.metadata.annotations[COUNT]).toBe('1');
  await expect.poll(async () => (await job()).status?.failed, EVENTUALLY).toBe(1);
  expect((await job()).status.failedIndexes).toBe('');
  // Its second: the index has failed and is not tried again; the Job runs on.
  await failPod(again.metadata.name, 1);
  await expect.poll(async () => (await job()).status?.failedIndexes, EVENTUALLY).toBe('0');
  expect((await job()).status).toMatchObject({ failed: 2, active: 1 });
  const [one] = await podsOf('1');
  await send('PUT', `${core()}/pods/${one.metadata.name}/status`, {
    ...one,
    status: { ...one.status, phase: 'Succeeded' },
  });
  const reason = 'FailedIndexes';
  const message = 'Job has failed indexes';
  const create = 'Normal SuccessfulCreate Created pod: <pod>';
  await expect
    .poll(async () => kinds(await eventsAbout('Job', 'per-index')), EVENTUALLY)
    .toEqual([create, create, create, `Warning ${reason} ${message}`]);
  expect(await jobConditions('per-index')).toEqual([
    { type: 'FailureTarget', status: 'True', reason, message },
    { type: 'Failed', status: 'True', reason, message },
  ]);
  expect((await job()).status).toMatchObject({
    failed: 2,
    succeeded: 1,
    completedIndexes: '1',
    failedIndexes: '0',
    terminating: 0,
  });
});

test('a StatefulSet records each claim and Pod it creates and each Pod it deletes', async () => {
  await send('POST', `${apps()}/statefulsets`, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db' },
    spec: {
      replicas: 2,
      podManagementPolicy: 'Parallel',
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      template: template('db'),
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
    },
  });
  const controller = 'statefulset-controller';
  const created = (ordinal: number) => [
    normal(
      controller,
      'SuccessfulCreate',
      `Create Claim data-db-${ordinal} Pod db-${ordinal} in StatefulSet db success`,
    ),
    normal(controller, 'SuccessfulCreate', `Create Pod db-${ordinal} in StatefulSet db successful`),
  ];
  // Parallel: both Pods are created at once, in either order.
  const byMessage = (a: Said, b: Said) => a.message.localeCompare(b.message);
  await expect
    .poll(async () => (await eventsAbout('StatefulSet', 'db')).sort(byMessage), EVENTUALLY)
    .toEqual([...created(0), ...created(1)].sort(byMessage));
  const said = await eventsAbout('StatefulSet', 'db');
  for (const ordinal of [0, 1]) {
    const claim = said.findIndex((s) => s.message.startsWith(`Create Claim data-db-${ordinal} `));
    const pod = said.findIndex((s) => s.message.startsWith(`Create Pod db-${ordinal} `));
    expect(claim).toBeLessThan(pod);
  }
  await scale(`${apps()}/statefulsets/db`, 1);
  await expect
    .poll(async () => (await eventsAbout('StatefulSet', 'db')).slice(4), EVENTUALLY)
    .toEqual([
      normal(controller, 'SuccessfulDelete', 'Delete Pod db-1 in StatefulSet db successful'),
    ]);
});

test('a DaemonSet with no Node to run on records nothing', async () => {
  await send('POST', `${apps()}/daemonsets`, {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: template('agent') },
  });
  // The controller has synced it once its status is written.
  await expect
    .poll(
      async () => (await send('GET', `${apps()}/daemonsets/agent`)).status?.observedGeneration,
      EVENTUALLY,
    )
    .toBe(1);
  expect(await eventsAbout('DaemonSet', 'agent')).toEqual([]);
});

test('a ReplicaSet scaled down deletes the Pods least far along first, then the lowest pod-deletion-cost', async () => {
  await send('POST', `${apps()}/replicasets`, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'ranked' },
    spec: {
      replicas: 4,
      selector: { matchLabels: { app: 'ranked' } },
      template: template('ranked'),
    },
  });
  await expect.poll(async () => (await podNames('ranked')).length, EVENTUALLY).toBe(4);
  const [running, dear, cheap, plain] = (await podNames('ranked')) as [
    string,
    string,
    string,
    string,
  ];
  const cost = (name: string, value: string) =>
    send(
      'PATCH',
      `${core()}/pods/${name}`,
      { metadata: { annotations: { 'controller.kubernetes.io/pod-deletion-cost': value } } },
      'application/merge-patch+json',
    );
  await cost(running, '-100');
  await cost(dear, '100');
  await cost(cheap, '-5');
  // Written last: once the ReplicaSet counts it ready, the controller has seen the costs.
  await runPod(running, true);
  const rs = () => send('GET', `${apps()}/replicasets/ranked`);
  await expect.poll(async () => (await rs()).status?.readyReplicas, EVENTUALLY).toBe(1);
  await send(
    'PATCH',
    `${apps()}/replicasets/ranked`,
    { spec: { replicas: 2 } },
    'application/merge-patch+json',
  );
  // The Running Pod stays though its cost is the lowest; of the Pending ones, the lower
  // costs go (an absent annotation is 0).
  await expect.poll(async () => podNames('ranked'), EVENTUALLY).toEqual([running, dear].sort());
  expect(podsIn(await eventsAbout('ReplicaSet', 'ranked'), 'Deleted')).toEqual(
    [cheap, plain].sort(),
  );
});
