/**
 * Differential: what kube-apiserver shows of API Priority and Fairness. A priority level
 * of one share that lends and borrows nothing (3 seats, see flowcontrol-limits) with
 * `Reject`: three ConfigMap creates of its user held by an admission webhook until the
 * test releases them, and two more refused. `/metrics` then shows the level's nominal,
 * lower, upper and current limits (3 each) and, for its FlowSchema, 3 requests executing
 * on 3 seats, 3 more dispatched and 2 rejected for `concurrency-limit`;
 * `/debug/api_priority_and_fairness/dump_priority_levels` the same in its row, laid out
 * exactly as kube-apiserver lays it out. Another such level's requests (two served, three
 * held, one refused) in `apiserver_flowcontrol_request_wait_duration_seconds` (one each,
 * by whether it started) and `…_request_execution_seconds` (one each that started, a
 * watch as `watch`), with kube-apiserver's help and buckets. A Queue level of four queues
 * with three creates held and one waiting: `dump_queues` shows its queues (the flow's one
 * busy, the others never used) and `dump_requests` (with `includeRequestDetails`, who
 * asked what) each
 * request by queue and place, laid out as Go's tabwriter lays them out. A Queue level
 * whose `queues` is lowered from six to three keeps them all until requests leave them:
 * each request that leaves its queue empty takes it away while there are too many. All are
 * non-resource URLs RBAC refuses to a user without a rule for them. Only the test's own
 * level is compared: the built-in levels serve the real cluster's controllers too, and
 * kube-apiserver writes the levels in no fixed order.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createTinyLevel,
  type HoldingWebhook,
  holdingWebhook,
  webhookLoaded,
} from './apf-fixtures.js';
import { metricSample, metricSeries, scrapeMetrics } from './prometheus-text.js';
import { type RawResponse, raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;
const USER = 'e2e-apf-debug';
const DUMPS = '/debug/api_priority_and_fairness/';
const DUMP = `${DUMPS}dump_priority_levels`;
const FLOWCONTROL = '/apis/flowcontrol.apiserver.k8s.io/v1';
const admin = () => e2e.backend.kubeConfig;
const MUTATING = { request_kind: 'mutating' };
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

async function metrics(): Promise<string> {
  return scrapeMetrics(admin());
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

/** A dump's text at `path` (with `query`). */
async function dumpText(path: string, query: Record<string, string> = {}): Promise<string> {
  const res = await raw(admin(), 'GET', `${DUMPS}${path}`, { accept: '*/*', query });
  expect(res.status, res.text).toBe(200);
  expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
  return res.text;
}

/** A dump line's cells, each with the column it starts at (a comma and spaces end each but the last). */
function cellsOf(line: string): { start: number; text: string }[] {
  const cells: { start: number; text: string }[] = [];
  let start = 0;
  for (const m of line.matchAll(/, +/g)) {
    cells.push({ start, text: line.slice(start, m.index + 1) });
    start = m.index + m[0].length;
  }
  cells.push({ start, text: line.slice(start) });
  return cells;
}

/**
 * Checks a dump's layout as Go's tabwriter makes it: every line has the header's cells,
 * each column starts where the header's does and is as wide as its widest cell (comma
 * included) plus one, at least 8. Returns the lines' cells without their commas.
 */
function tabLayout(text: string, headers: readonly string[]): string[][] {
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.slice(0, -1).split('\n').map(cellsOf);
  expect(lines[0]!.map((c) => c.text.replace(/,$/, ''))).toEqual(headers);
  const starts = lines[0]!.map((c) => c.start);
  for (const line of lines) expect(line.map((c) => c.start)).toEqual(starts);
  for (let col = 0; col < headers.length - 1; col++) {
    const widest = Math.max(...lines.map((l) => l[col]!.text.length));
    expect(starts[col + 1]! - starts[col]!).toBe(Math.max(8, widest + 1));
  }
  return lines.map((l) => l.map((c) => c.text.replace(/,$/, '')));
}

const QUEUE_HEADERS = [
  'PriorityLevelName',
  'Index',
  'PendingRequests',
  'ExecutingRequests',
  'SeatsInUse',
  'NextDispatchR',
  'InitialSeatsSum',
  'MaxSeatsSum',
  'TotalWorkSum',
];
const REQUEST_HEADERS = [
  'PriorityLevelName',
  'FlowSchemaName',
  'QueueIndex',
  'RequestIndexInQueue',
  'FlowDistingsher',
  'ArriveTime',
  'InitialSeats',
  'FinalSeats',
  'AdditionalLatency',
  'StartTime',
];
const DETAIL_HEADERS = [
  'UserName',
  'Verb',
  'APIPath',
  'Namespace',
  'Name',
  'APIVersion',
  'Resource',
  'SubResource',
];
/** Go's RFC 3339 with nanoseconds (trailing zeros dropped). */
const RFC3339_NANO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

/** A Queue level whose user has three ConfigMap creates held and a fourth waiting. */
interface HeldQueue {
  readonly level: string;
  readonly perFlow: Record<string, string>;
  /** A create of the level's user. */
  create(name: string): Promise<RawResponse>;
  /** Releases the held creates, then the waiting one, and checks all four were made. */
  finish(): Promise<void>;
}

/**
 * Creates a Queue level `NS-suffix` for the user `USER-suffix` with `queuing`, holds three
 * creates of its user (its three seats) and resolves once a fourth waits in a queue.
 */
async function heldQueue(suffix: string, queuing: object): Promise<HeldQueue> {
  const level = `${ns}-${suffix}`;
  const user = `${USER}-${suffix}`;
  await createTinyLevel(e2e, ns, {
    name: level,
    users: [user],
    limitResponse: { type: 'Queue', queuing },
    limited: { lendablePercent: 0, borrowingLimitPercent: 0 },
    rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'list'] }],
  });
  const perFlow = { priority_level: level, flow_schema: level };
  const create = (name: string) =>
    raw(admin(), 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
      body: { metadata: { name } },
      headers: { 'Impersonate-User': user },
    });
  const held = `held-${suffix}-`;
  const creates = [0, 1, 2].map((i) => create(`${held}${i}`));
  await expect.poll(() => reviewed.filter((n) => n.startsWith(held)).length, EVENTUALLY).toBe(3);
  const waiting = create(`${held}waiting`);
  await expect
    .poll(
      async () =>
        metricSample(await metrics(), 'apiserver_flowcontrol_current_inqueue_requests', perFlow),
      EVENTUALLY,
    )
    .toBe(1);
  const finish = async () => {
    webhook.release();
    expect((await Promise.all(creates)).map((c) => c.status)).toEqual([201, 201, 201]);
    // The waiting request starts once a seat frees; its review is held again, then allowed.
    await expect.poll(() => reviewed.includes(`${held}waiting`), EVENTUALLY).toBe(true);
    webhook.release();
    expect((await waiting).status).toBe(201);
  };
  return { level, perFlow, create, finish };
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
        async () =>
          metricSample(await metrics(), 'apiserver_flowcontrol_current_limit_seats', perLevel),
        EVENTUALLY,
      )
      .toBe(3);
    const before = await metrics();
    const dispatchedBefore = Number(rowOf(await dump(), level)[6]);
    expect(metricSample(before, 'apiserver_flowcontrol_dispatched_requests_total', perFlow)).toBe(
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
      // The most mutating requests executing in a second: the three held and a dry-run
      // create of the admin's (its own change raises the second's watermark).
      await expect
        .poll(async () => {
          const probe = await raw(admin(), 'POST', `/api/v1/namespaces/${ns}/secrets`, {
            body: { metadata: { name: 'inflight' } },
            query: { dryRun: 'All' },
          });
          expect(probe.status, probe.text).toBe(201);
          return metricSample(await metrics(), 'apiserver_current_inflight_requests', MUTATING);
        }, EVENTUALLY)
        .toBeGreaterThanOrEqual(4);
      during = await metrics();
      lines = await dump();
    } finally {
      webhook.release();
    }
    expect((await Promise.all(creates)).map((c) => c.status)).toEqual([201, 201, 201]);

    for (const limit of ['nominal', 'lower', 'upper', 'current']) {
      expect(metricSample(during, `apiserver_flowcontrol_${limit}_limit_seats`, perLevel)).toBe(3);
    }
    expect(metricSample(during, 'apiserver_flowcontrol_current_executing_requests', perFlow)).toBe(
      3,
    );
    expect(metricSample(during, 'apiserver_flowcontrol_current_executing_seats', perFlow)).toBe(3);
    expect(metricSample(during, 'apiserver_flowcontrol_dispatched_requests_total', perFlow)).toBe(
      dispatchedBefore + 3,
    );
    const rejected = { ...perFlow, reason: 'concurrency-limit' };
    expect(metricSample(before, 'apiserver_flowcontrol_rejected_requests_total', rejected)).toBe(
      undefined,
    );
    expect(metricSample(during, 'apiserver_flowcontrol_rejected_requests_total', rejected)).toBe(2);
    // kube-apiserver counts the requests it refused with its other requests, code 429.
    const refused = {
      verb: 'POST',
      dry_run: '',
      group: '',
      version: 'v1',
      resource: 'configmaps',
      subresource: '',
      scope: 'resource',
      component: 'apiserver',
      code: '429',
    };
    const count = (text: string) => metricSample(text, 'apiserver_request_total', refused) ?? 0;
    expect(count(during) - count(before)).toBe(2);
    expect(during).toContain(
      '# HELP apiserver_current_inflight_requests [STABLE] Maximal number of currently used ' +
        'inflight request limit of this apiserver per request kind in last second.\n',
    );
    expect(metricSample(during, 'apiserver_current_inqueue_requests', MUTATING)).toBe(0);
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

  test('the wait and execution histograms observe each request of a level', async () => {
    await webhookLoaded(e2e, ns, reviewed);
    const level = `${ns}-h`;
    const user = `${USER}-h`;
    await createTinyLevel(e2e, ns, {
      name: level,
      users: [user],
      limitResponse: { type: 'Reject' },
      limited: { lendablePercent: 0, borrowingLimitPercent: 0 },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'list', 'watch'] }],
    });
    await expect
      .poll(
        async () =>
          metricSample(await metrics(), 'apiserver_flowcontrol_current_limit_seats', {
            priority_level: level,
          }),
        EVENTUALLY,
      )
      .toBe(3);
    const WAIT = 'apiserver_flowcontrol_request_wait_duration_seconds';
    const EXEC = 'apiserver_flowcontrol_request_execution_seconds';
    /** The level's observations so far, by histogram and `execute` or `type`. */
    const counts = (text: string) => {
      const out = new Map<string, number>();
      for (const metric of [WAIT, EXEC]) {
        for (const s of metricSeries(text, `${metric}_count`)) {
          if (s.labels.priority_level !== level) continue;
          expect(s.labels.flow_schema).toBe(level);
          out.set(`${metric} ${s.labels.execute ?? s.labels.type}`, s.value);
        }
      }
      return out;
    };
    const before = counts(await metrics());
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const asUser = (method: string, query: Record<string, string> = {}, body?: object) =>
      raw(admin(), method, path, {
        query,
        headers: { 'Impersonate-User': user },
        ...(body ? { body } : {}),
      });
    expect((await asUser('GET')).status).toBe(200);
    expect((await asUser('GET', { watch: '1', timeoutSeconds: '1' })).status).toBe(200);
    const held = 'held-h-';
    const creates = [0, 1, 2].map((i) => asUser('POST', {}, { metadata: { name: `${held}${i}` } }));
    try {
      await expect
        .poll(() => reviewed.filter((n) => n.startsWith(held)).length, EVENTUALLY)
        .toBe(3);
      expect((await asUser('GET')).status).toBe(429);
    } finally {
      webhook.release();
    }
    expect((await Promise.all(creates)).map((c) => c.status)).toEqual([201, 201, 201]);
    // A wait per request (the refused one's `execute="false"`), an execution per request
    // that started (the watch's until it had started).
    await expect
      .poll(async () => {
        const after = counts(await metrics());
        return Object.fromEntries(
          [...after].map(([k, v]) => [k, v - (before.get(k) ?? 0)]).filter(([, v]) => v !== 0),
        );
      }, EVENTUALLY)
      .toEqual({
        [`${WAIT} true`]: 5,
        [`${WAIT} false`]: 1,
        [`${EXEC} regular`]: 4,
        [`${EXEC} watch`]: 1,
      });
    const text = await metrics();
    expect(text).toContain(
      `# HELP ${WAIT} [BETA] Length of time a request spent waiting in its queue\n` +
        `# TYPE ${WAIT} histogram\n`,
    );
    expect(text).toContain(
      `# HELP ${EXEC} [ALPHA] Duration of initial stage (for a WATCH) or any (for a ` +
        'non-WATCH) stage of request execution in the API Priority and Fairness subsystem\n' +
        `# TYPE ${EXEC} histogram\n`,
    );
    for (const metric of [WAIT, EXEC]) {
      const bounds = metricSeries(text, `${metric}_bucket`)
        .filter((s) => s.labels.priority_level === level && s.labels.execute !== 'false')
        .filter((s) => s.labels.type !== 'watch')
        .map((s) => s.labels.le);
      expect(bounds).toEqual(
        ['0', '0.005', '0.02', '0.05', '0.1', '0.2', '0.5', '1', '2', '5', '10', '15', '30'].concat(
          '+Inf',
        ),
      );
    }
  });

  test('a Queue level shows its waiting request and the one its full queue refused', async () => {
    const q = await heldQueue('q', { queues: 1, handSize: 1, queueLengthLimit: 1 });
    let during: string;
    let row: string[];
    try {
      expect((await q.create('over-q')).status).toBe(429);
      during = await metrics();
      row = rowOf(await dump(), q.level);
    } finally {
      await q.finish();
    }
    const rejected = { ...q.perFlow, reason: 'queue-full' };
    expect(metricSample(during, 'apiserver_flowcontrol_rejected_requests_total', rejected)).toBe(1);
    expect(metricSample(during, 'apiserver_flowcontrol_current_inqueue_requests', q.perFlow)).toBe(
      1,
    );
    // Name, active queues, idle, quiescing, waiting, executing; rejected.
    expect(row.slice(0, 6)).toEqual([q.level, '1', 'false', 'false', '1', '3']);
    expect(row[7]).toBe('1');
  });

  test('dump_queues and dump_requests show a Queue level’s executing and waiting requests', async () => {
    const q = await heldQueue('d', { queues: 4, handSize: 1, queueLengthLimit: 2 });
    const { level } = q;
    const user = `${USER}-d`;
    let queues: string;
    let requests: string;
    let detailed: string;
    try {
      queues = await dumpText('dump_queues');
      requests = await dumpText('dump_requests');
      detailed = await dumpText('dump_requests', { includeRequestDetails: '1' });
    } finally {
      await q.finish();
    }

    // A row per queue of each queuing level, the level's queues in order; the built-in
    // Queue levels are there with all their queues (kube-apiserver makes them at once).
    const queueRows = tabLayout(queues, QUEUE_HEADERS).slice(1);
    const ours = queueRows.filter((r) => r[0] === level);
    expect(ours.map((r) => r[1])).toEqual(['0', '1', '2', '3']);
    expect(queueRows.filter((r) => r[0] === 'global-default')).toHaveLength(128);
    expect(queueRows.filter((r) => r[0] === 'exempt' || r[0] === 'catch-all')).toEqual([]);
    // The flow's one queue (a hand of one): one waiting request of one seat and 3 ms of
    // estimated work, three executing on three seats; the others never used.
    const active = ours.filter((r) => r[2] !== '0');
    expect(active).toHaveLength(1);
    const queue = active[0]![1]!;
    expect(active[0]!.slice(2, 5)).toEqual(['1', '3', '3']);
    expect(active[0]![5]).toMatch(/^\d+\.\d{8}ss$/);
    expect(active[0]!.slice(6)).toEqual(['1', '1', '0.00300000ss']);
    for (const r of ours.filter((r) => r[1] !== queue)) {
      expect(r.slice(2)).toEqual(['0', '0', '0', '0.00000000ss', '0', '0', '0.00000000ss']);
    }

    // A row per request: the waiting one by its place in the queue, the executing ones
    // with -1, the flow told apart by user (the level has more than one queue).
    const requestRows = tabLayout(requests, REQUEST_HEADERS).slice(1);
    const mine = requestRows.filter((r) => r[0] === level);
    expect(mine.map((r) => r.slice(1, 5)).sort()).toEqual([
      [level, queue, '-1', user],
      [level, queue, '-1', user],
      [level, queue, '-1', user],
      [level, queue, '0', user],
    ]);
    for (const r of mine) {
      expect(r[5]).toMatch(RFC3339_NANO);
      expect(r.slice(6, 9)).toEqual(['1', '0', '0s']);
      if (r[3] === '0') expect(r[9]).toBe('0001-01-01T00:00:00Z');
      else expect(r[9]).toMatch(RFC3339_NANO);
    }
    // With the details, who asked what; the dump's own request executes in `exempt`
    // without a queue, started when it arrived.
    const detailRows = tabLayout(detailed, [...REQUEST_HEADERS, ...DETAIL_HEADERS]).slice(1);
    expect(
      detailRows
        .filter((r) => r[0] === level)
        .map((r) => r.slice(10))
        .sort(),
    ).toEqual(
      [0, 1, 2, 3].map(() => [
        user,
        'create',
        `/api/v1/namespaces/${ns}/configmaps`,
        ns,
        '',
        'v1',
        'configmaps',
        '',
      ]),
    );
    const self = detailRows.filter((r) => r[12] === `${DUMPS}dump_requests`);
    expect(self).toHaveLength(1);
    expect(self[0]!.slice(0, 5)).toEqual(['exempt', 'exempt', '-1', '-1', '']);
    expect(self[0]!.slice(6, 9)).toEqual(['1', '0', '0s']);
    expect(self[0]![9]).toBe(self[0]![5]);
    expect(self[0]!.slice(11)).toEqual(['get', `${DUMPS}dump_requests`, '', '', '', '', '']);
  });

  test('a level whose queues are lowered drops a queue each time a request leaves one empty', async () => {
    const level = `${ns}-r`;
    const user = `${USER}-r`;
    await createTinyLevel(e2e, ns, {
      name: level,
      users: [user],
      limitResponse: { type: 'Queue', queuing: { queues: 6, handSize: 1, queueLengthLimit: 5 } },
      limited: { lendablePercent: 0, borrowingLimitPercent: 0 },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }],
    });
    const indexes = async () =>
      tabLayout(await dumpText('dump_queues'), QUEUE_HEADERS)
        .slice(1)
        .filter((r) => r[0] === level)
        .map((r) => r[1]);
    const list = async () => {
      const res = await raw(admin(), 'GET', `/api/v1/namespaces/${ns}/configmaps`, {
        headers: { 'Impersonate-User': user },
      });
      expect(res.status, res.text).toBe(200);
    };
    expect(await indexes()).toEqual(['0', '1', '2', '3', '4', '5']);
    const lowered = await raw(
      admin(),
      'PATCH',
      `${FLOWCONTROL}/prioritylevelconfigurations/${level}`,
      {
        contentType: 'application/merge-patch+json',
        body: { spec: { limited: { limitResponse: { queuing: { queues: 3 } } } } },
      },
    );
    expect(lowered.status, lowered.text).toBe(200);
    // Nothing goes at once; once the server has the new number, each request that leaves
    // its queue empty takes that queue away, the others keeping their order.
    await expect
      .poll(async () => {
        await list();
        return (await indexes()).length;
      }, EVENTUALLY)
      .toBeLessThan(6);
    let count = (await indexes()).length;
    while (count > 3) {
      await list();
      count--;
      await expect.poll(async () => (await indexes()).length, EVENTUALLY).toBe(count);
    }
    await list();
    await list();
    expect(await indexes()).toEqual(['0', '1', '2']);
  });

  test('a user without a rule for them is refused these paths', async () => {
    for (const path of ['/metrics', DUMP, `${DUMPS}dump_queues`, `${DUMPS}dump_requests`]) {
      const res = await raw(admin(), 'GET', path, { headers: { 'Impersonate-User': USER } });
      expect(res.status).toBe(403);
      expect(res.json().message).toBe(`forbidden: User "${USER}" cannot get path "${path}"`);
    }
  });
});
