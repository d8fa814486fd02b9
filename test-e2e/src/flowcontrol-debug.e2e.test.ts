/**
 * Differential: what kube-apiserver shows of API Priority and Fairness. A priority level
 * of one share that lends and borrows nothing (3 seats, see flowcontrol-limits) with
 * `Reject`: three ConfigMap creates of its user held by an admission webhook until the
 * test releases them, and two more refused. `/metrics` then shows the level's nominal,
 * lower, upper and current limits (3 each) and, for its FlowSchema, 3 requests executing
 * on 3 seats, 3 more dispatched and 2 rejected for `concurrency-limit`;
 * `/debug/api_priority_and_fairness/dump_priority_levels` the same in its row, laid out
 * exactly as kube-apiserver lays it out. Both are non-resource URLs RBAC refuses to a user
 * without a rule for them. Only the test's own level is compared: the built-in levels
 * serve the real cluster's controllers too.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createTinyLevel,
  type HoldingWebhook,
  holdingWebhook,
  webhookLoaded,
} from './apf-fixtures.js';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;
const USER = 'e2e-apf-debug';
const DUMP = '/debug/api_priority_and_fairness/dump_priority_levels';
const admin = () => e2e.backend.kubeConfig;
/** Names of the objects the webhook was asked about. */
let reviewed: string[];
let webhook: HoldingWebhook;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-apf-debug');
  webhook = await holdingWebhook(e2e, ns);
  reviewed = webhook.reviewed;
});

afterAll(async () => {
  await e2e?.stop();
});

/** The value of the sample of `metric` with exactly `labels` in the metrics text, if any. */
function sample(text: string, metric: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]}"`)
    .join(',');
  for (const line of text.split('\n')) {
    if (line.startsWith(`${metric}{${wanted}} `))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

async function metrics(): Promise<string> {
  const res = await raw(admin(), 'GET', '/metrics', { accept: 'text/plain' });
  expect(res.status, res.text).toBe(200);
  expect(res.headers['content-type']).toBe(
    'text/plain; version=0.0.4; charset=utf-8; escaping=underscores',
  );
  return res.text;
}

/** The dump's lines. */
async function dump(): Promise<string[]> {
  const res = await raw(admin(), 'GET', DUMP, { accept: '*/*' });
  expect(res.status, res.text).toBe(200);
  expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
  return res.text.split('\n');
}

/** The dump's row of `level`, split into its cells. */
function rowOf(lines: string[], level: string): string[] {
  const line = lines.find((l) => l.startsWith(`${level},`));
  expect(line, lines.join('\n')).toBeDefined();
  return line!.split(/,\s+/);
}

describe('API Priority and Fairness as kube-apiserver shows it', () => {
  test('/metrics and dump_priority_levels show a level’s limits and requests', async () => {
    await webhookLoaded(e2e, ns, reviewed);
    const level = `${ns}-m`;
    await createTinyLevel(e2e, ns, {
      name: level,
      users: [USER],
      limitResponse: { type: 'Reject' },
      limited: { lendablePercent: 0, borrowingLimitPercent: 0 },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'list'] }],
    });
    const perLevel = { priority_level: level };
    const perFlow = { priority_level: level, flow_schema: level };
    // kube-apiserver sets a new level's current limit at its next adjustment (every 10 s).
    await expect
      .poll(
        async () => sample(await metrics(), 'apiserver_flowcontrol_current_limit_seats', perLevel),
        EVENTUALLY,
      )
      .toBe(3);
    const before = await metrics();
    const dispatchedBefore = Number(rowOf(await dump(), level)[6]);
    expect(sample(before, 'apiserver_flowcontrol_dispatched_requests_total', perFlow)).toBe(
      dispatchedBefore,
    );
    const create = (name: string) =>
      raw(admin(), 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
        body: { metadata: { name } },
        headers: { 'Impersonate-User': USER },
      });
    const creates = [0, 1, 2].map((i) => create(`held-${i}`));
    let during: string;
    let lines: string[];
    try {
      await expect
        .poll(() => reviewed.filter((n) => n.startsWith('held-')).length, EVENTUALLY)
        .toBe(3);
      expect((await create('over-0')).status).toBe(429);
      expect((await create('over-1')).status).toBe(429);
      during = await metrics();
      lines = await dump();
    } finally {
      webhook.release();
    }
    expect((await Promise.all(creates)).map((c) => c.status)).toEqual([201, 201, 201]);

    for (const limit of ['nominal', 'lower', 'upper', 'current']) {
      expect(sample(during, `apiserver_flowcontrol_${limit}_limit_seats`, perLevel)).toBe(3);
    }
    expect(sample(during, 'apiserver_flowcontrol_current_executing_requests', perFlow)).toBe(3);
    expect(sample(during, 'apiserver_flowcontrol_current_executing_seats', perFlow)).toBe(3);
    expect(sample(during, 'apiserver_flowcontrol_dispatched_requests_total', perFlow)).toBe(
      dispatchedBefore + 3,
    );
    const rejected = { ...perFlow, reason: 'concurrency-limit' };
    expect(sample(before, 'apiserver_flowcontrol_rejected_requests_total', rejected)).toBe(
      undefined,
    );
    expect(sample(during, 'apiserver_flowcontrol_rejected_requests_total', rejected)).toBe(2);
    expect(during).toContain('# TYPE apiserver_flowcontrol_rejected_requests_total counter\n');
    expect(during).toContain('# TYPE apiserver_flowcontrol_nominal_limit_seats gauge\n');

    // The dump: comma-ended cells, each column as wide as its widest cell plus one (at
    // least 8), the last cell as it is; the level's name is the longest.
    const first = level.length + 2;
    expect(lines[0]).toBe(
      `${'PriorityLevelName,'.padEnd(first)}ActiveQueues, IsIdle, IsQuiescing, ` +
        'WaitingRequests, ExecutingRequests, DispatchedRequests, RejectedRequests, ' +
        'TimedoutRequests, CancelledRequests',
    );
    const row = lines.find((l) => l.startsWith(`${level},`));
    expect(row).toBe(
      `${level},`.padEnd(first) +
        '0,'.padEnd(14) +
        'false,'.padEnd(8) +
        'false,'.padEnd(13) +
        '0,'.padEnd(17) +
        '3,'.padEnd(19) +
        `${dispatchedBefore + 3},`.padEnd(20) +
        '2,'.padEnd(18) +
        '0,'.padEnd(18) +
        '0',
    );
    const names = lines.slice(1, -1).map((l) => l.split(',')[0]);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['catch-all', 'exempt', 'global-default']));
    // Idle again once the creates ended.
    expect(rowOf(await dump(), level).slice(2, 6)).toEqual(['true', 'false', '0', '0']);
  });

  test('a Queue level shows its waiting request and the one its full queue refused', async () => {
    const level = `${ns}-q`;
    const user = `${USER}-q`;
    await createTinyLevel(e2e, ns, {
      name: level,
      users: [user],
      limitResponse: { type: 'Queue', queuing: { queues: 1, handSize: 1, queueLengthLimit: 1 } },
      limited: { lendablePercent: 0, borrowingLimitPercent: 0 },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'list'] }],
    });
    const perFlow = { priority_level: level, flow_schema: level };
    const create = (name: string) =>
      raw(admin(), 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
        body: { metadata: { name } },
        headers: { 'Impersonate-User': user },
      });
    const creates = [0, 1, 2].map((i) => create(`held-q-${i}`));
    let waiting: ReturnType<typeof create> | undefined;
    let during: string;
    let row: string[];
    try {
      await expect
        .poll(() => reviewed.filter((n) => n.startsWith('held-q-')).length, EVENTUALLY)
        .toBe(3);
      waiting = create('held-q-waiting');
      await expect
        .poll(
          async () =>
            sample(await metrics(), 'apiserver_flowcontrol_current_inqueue_requests', perFlow),
          EVENTUALLY,
        )
        .toBe(1);
      expect((await create('over-q')).status).toBe(429);
      during = await metrics();
      row = rowOf(await dump(), level);
    } finally {
      webhook.release();
    }
    expect((await Promise.all(creates)).map((c) => c.status)).toEqual([201, 201, 201]);
    // The waiting request starts once a seat frees; its review is held again, then allowed.
    await expect.poll(() => reviewed.includes('held-q-waiting'), EVENTUALLY).toBe(true);
    webhook.release();
    expect((await waiting).status).toBe(201);
    const rejected = { ...perFlow, reason: 'queue-full' };
    expect(sample(during, 'apiserver_flowcontrol_rejected_requests_total', rejected)).toBe(1);
    expect(sample(during, 'apiserver_flowcontrol_current_inqueue_requests', perFlow)).toBe(1);
    // Name, active queues, idle, quiescing, waiting, executing; rejected.
    expect(row.slice(0, 6)).toEqual([level, '1', 'false', 'false', '1', '3']);
    expect(row[7]).toBe('1');
  });

  test('a user without a rule for them is refused both paths', async () => {
    for (const path of ['/metrics', DUMP]) {
      const res = await raw(admin(), 'GET', path, { headers: { 'Impersonate-User': USER } });
      expect(res.status).toBe(403);
      expect(res.json().message).toBe(`forbidden: User "${USER}" cannot get path "${path}"`);
    }
  });
});
