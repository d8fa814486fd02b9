/**
 * Differential: every kind with a pod template checks the template's label keys and values
 * and annotation keys (`ValidatePodTemplateSpec`) at `<template>.labels` and
 * `<template>.annotations`, in kube-apiserver's words: Deployments, ReplicaSets,
 * StatefulSets (twice, as `ValidatePodTemplateSpecForStatefulSet` checks them again),
 * DaemonSets, Jobs and CronJobs, on create and on update. Each map has one bad entry, as
 * kube-apiserver ranges over Go maps (several would come in no fixed order).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Cause, INVALID, LABEL_VALUE, NAME_PART } from './invalid-causes.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-template-metadata');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const MERGE = 'application/merge-patch+json';
const SELECTOR = { matchLabels: { app: 'web' } };
const CONTAINERS = [{ name: 'c', image: 'nginx' }];

/** A pod template with `labels` beside the selected one and `annotations`. */
const template = (
  labels: Record<string, string>,
  annotations: Record<string, string>,
  restartPolicy = 'Always',
) => ({
  metadata: { labels: { app: 'web', ...labels }, annotations },
  spec: { restartPolicy, containers: CONTAINERS },
});

/** A kind with a pod template: its collection and a body around a template. */
interface TemplateKind {
  readonly kind: string;
  readonly path: string;
  /** Where the template is, as kube-apiserver's causes name it. */
  readonly at: string;
  body(name: string, tpl: ReturnType<typeof template>): Record<string, unknown>;
}

const apps = (kind: string, plural: string, spec: Record<string, unknown>): TemplateKind => ({
  kind,
  path: `apis/apps/v1/namespaces/NS/${plural}`,
  at: 'spec.template',
  body: (name, tpl) => ({
    apiVersion: 'apps/v1',
    kind,
    metadata: { name },
    spec: { ...spec, selector: SELECTOR, template: tpl },
  }),
});

const DEPLOYMENT = apps('Deployment', 'deployments', { replicas: 0 });
const REPLICA_SET = apps('ReplicaSet', 'replicasets', { replicas: 0 });
const STATEFUL_SET = apps('StatefulSet', 'statefulsets', { replicas: 0, serviceName: 'web' });
const DAEMON_SET = apps('DaemonSet', 'daemonsets', {});

const JOB: TemplateKind = {
  kind: 'Job',
  path: 'apis/batch/v1/namespaces/NS/jobs',
  at: 'spec.template',
  body: (name, tpl) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    // Labels of its own: a Job without any gets its template's (and their causes).
    metadata: { name, labels: { owner: 'e2e' } },
    spec: { suspend: true, template: tpl },
  }),
};

const CRON_JOB: TemplateKind = {
  kind: 'CronJob',
  path: 'apis/batch/v1/namespaces/NS/cronjobs',
  at: 'spec.jobTemplate.spec.template',
  body: (name, tpl) => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: { schedule: '0 0 * * *', suspend: true, jobTemplate: { spec: { template: tpl } } },
  }),
};

const collection = (k: TemplateKind) => `/${k.path.replace('NS', ns)}`;

/** The causes of a template with label `bad key: v`, label `ok: bad value!` and annotation `bad key`. */
const badCauses = (at: string): Cause[] => [
  [`${at}.labels`, INVALID, `Invalid value: "bad key": ${NAME_PART}`],
  [`${at}.labels`, INVALID, `Invalid value: "bad value!": ${LABEL_VALUE}`],
  [`${at}.annotations`, INVALID, `Invalid value: "bad key": ${NAME_PART}`],
];
const BAD_LABELS = { 'bad key': 'v', ok: 'bad value!' };
const BAD_ANNOTATIONS = { 'bad key': 'x', 'example.com/fine': 'y' };

const causesOf = (body: {
  details: { causes: { field: string; reason: string; message: string }[] };
}) => body.details.causes.map((c): Cause => [c.field, c.reason, c.message]);

/** The label causes of one map come in Go map order there: compared as a set within each run. */
function expectTemplateCauses(got: Cause[], want: Cause[]): void {
  const sorted = (cs: Cause[]) => [...cs].sort((a, b) => a.join('\n').localeCompare(b.join('\n')));
  expect(sorted(got)).toEqual(sorted(want));
  // The labels' causes come before the annotations' in each pass.
  const fields = got.map(([f]) => f);
  expect(fields.indexOf(want.find(([f]) => f.endsWith('.annotations'))![0])).toBeGreaterThan(
    fields.indexOf(want[0]![0]),
  );
}

describe('pod template labels and annotation keys', () => {
  const cases: [TemplateKind, string, string][] = [
    [DEPLOYMENT, 'Always', 'deploy'],
    [REPLICA_SET, 'Always', 'rs'],
    [DAEMON_SET, 'Always', 'ds'],
    [JOB, 'Never', 'job'],
    [CRON_JOB, 'Never', 'cron'],
  ];
  for (const [k, restart, name] of cases) {
    test(`a new ${k.kind}'s are checked`, async () => {
      const res = await raw(kc(), 'POST', collection(k), {
        body: k.body(name, template(BAD_LABELS, BAD_ANNOTATIONS, restart)),
      });
      expect(res.status, res.text).toBe(422);
      expectTemplateCauses(causesOf(res.json()), badCauses(k.at));
    });
  }

  test("a StatefulSet's come twice, as kube-apiserver checks them twice", async () => {
    const res = await raw(kc(), 'POST', collection(STATEFUL_SET), {
      body: STATEFUL_SET.body('sts', template(BAD_LABELS, BAD_ANNOTATIONS)),
    });
    expect(res.status, res.text).toBe(422);
    const got = causesOf(res.json());
    expect(got).toHaveLength(6);
    expectTemplateCauses(got.slice(0, 3), badCauses('spec.template'));
    expectTemplateCauses(got.slice(3), badCauses('spec.template'));
    // The message lists each once (Go's aggregate drops repeated messages).
    expect(res.json().message.match(/"bad key"/g)).toHaveLength(2);
  });

  test('an update that adds a bad key is refused', async () => {
    for (const [k, restart, name] of [
      [DEPLOYMENT, 'Always', 'deploy-up'],
      [CRON_JOB, 'Never', 'cron-up'],
    ] as const) {
      const created = await raw(kc(), 'POST', collection(k), {
        body: k.body(name, template({}, {}, restart)),
      });
      expect(created.status, created.text).toBe(201);
      // A merge patch has no resourceVersion: a controller's status write cannot make it a 409.
      const tpl = { metadata: { labels: { 'bad key': 'v' }, annotations: { 'bad key': 'x' } } };
      const patch =
        k === CRON_JOB
          ? { spec: { jobTemplate: { spec: { template: tpl } } } }
          : { spec: { template: tpl } };
      const res = await raw(kc(), 'PATCH', `${collection(k)}/${name}`, {
        body: patch,
        contentType: MERGE,
      });
      expect(res.status, res.text).toBe(422);
      expect(causesOf(res.json())).toEqual([
        [`${k.at}.labels`, INVALID, `Invalid value: "bad key": ${NAME_PART}`],
        [`${k.at}.annotations`, INVALID, `Invalid value: "bad key": ${NAME_PART}`],
      ]);
    }
  });

  test('valid keys are stored', async () => {
    const labels = { 'example.com/tier': 'front' };
    const annotations = { 'Example.com/Note': 'upper case is fine in annotation keys' };
    const res = await raw(kc(), 'POST', collection(DEPLOYMENT), {
      body: DEPLOYMENT.body('fine', template(labels, annotations)),
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json().spec.template.metadata.annotations).toEqual(annotations);
  });
});
