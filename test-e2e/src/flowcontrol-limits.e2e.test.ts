/**
 * Differential: API Priority and Fairness limits. A priority level with one
 * nominal concurrency share (and nothing lent or borrowed) gets ceil(600 × 1 / sum of all
 * levels' shares) = 3 seats on a server with kube-apiserver's default limits. Requests of
 * its flow held by a slow admission webhook take those seats; with `Reject` the rest are
 * refused at once with kube-apiserver's 429 (plain text, `Retry-After: 1`, the APF headers);
 * with `Queue` one waits in its single queue of length 1 and is served after a seat frees.
 * A level that may borrow gets, on an idle server, its share of the seats the others lend;
 * one that lends all its seats keeps none and serves one request at a time.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { configMapWebhook, createTinyLevel, webhookLoaded } from './apf-fixtures.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;
const admin = () => e2e.backend.kubeConfig;
const SLOW_MS = 4000;
/**
 * How long the fair queuing test's requests are held: its order depends on when requests
 * arrive relative to each other, so its steps are seconds apart, more than a loaded
 * machine's delays.
 */
const FAIR_SLOW_MS = 8000;
/** Names of the objects the webhook was asked about. */
let reviewed: string[];

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-apf-limits');
  reviewed = await configMapWebhook(
    e2e,
    ns,
    (name, allow) => {
      if (name.startsWith('slow-fair-')) setTimeout(allow, FAIR_SLOW_MS);
      else if (name.startsWith('slow-')) setTimeout(allow, SLOW_MS);
      else allow();
    },
    15,
  );
});

afterAll(async () => {
  await e2e?.stop();
});

/**
 * Creates a priority level of one share (that lends and borrows nothing unless `limited`
 * says otherwise) and a FlowSchema sending the requests of `user` (or of each user of a
 * list, one flow each) to it.
 */
async function tinyLevel(
  name: string,
  user: string | readonly string[],
  limitResponse: object,
  limited: object = { lendablePercent: 0, borrowingLimitPercent: 0 },
): Promise<string> {
  await webhookLoaded(e2e, ns, reviewed);
  return createTinyLevel(e2e, ns, {
    name,
    users: typeof user === 'string' ? [user] : user,
    limitResponse,
    limited,
    rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'list'] }],
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `count` creates by `user` at once, each held by the webhook; their responses. */
function flood(user: string, prefix: string, count: number) {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      raw(admin(), 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
        body: { metadata: { name: `slow-${prefix}-${i}` } },
        headers: { 'Impersonate-User': user },
      }),
    ),
  );
}

describe('API Priority and Fairness limits', () => {
  // First, while the server has only its own levels: the division depends on them all.
  test('borrowing: a level that may borrow also gets the seats idle levels lend', async () => {
    // No borrowingLimitPercent: it may borrow up to the whole server's limit. Nominal 3 of
    // the 604 nominal seats; the idle levels keep their nominal less what they lend (261
    // seats together), and the 604 are divided in that proportion: round(3 × 604 / 261) = 7.
    await tinyLevel(`${ns}-borrow`, 'e2e-apf-borrow', { type: 'Reject' }, {});
    const answers = await flood('e2e-apf-borrow', 'b', 9);
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(7).fill(201), 429, 429]);
  });

  test('lending: a level that lends all its seats serves one request at a time when idle', async () => {
    // Its lower bound is 0 and its demand was 0: it keeps no seat, and a request is still
    // served when nothing of its level runs.
    await tinyLevel(
      `${ns}-lend`,
      'e2e-apf-lend',
      { type: 'Reject' },
      {
        lendablePercent: 100,
        borrowingLimitPercent: 0,
      },
    );
    const answers = await flood('e2e-apf-lend', 'l', 3);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 429, 429]);
  });

  test('Reject: beyond the level’s seats, requests are refused at once with 429', async () => {
    const uid = await tinyLevel(`${ns}-reject`, 'e2e-apf-reject', { type: 'Reject' });
    const answers = await flood('e2e-apf-reject', 'r', 6);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 429, 429, 429]);
    for (const refused of answers.filter((a) => a.status === 429)) {
      expect(refused.text).toBe('Too many requests, please try again later.\n');
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(refused.headers['x-kubernetes-pf-prioritylevel-uid']).toBe(uid);
    }
  });

  test('Queue: one request waits in the queue and is served; the rest are refused', async () => {
    await tinyLevel(`${ns}-queue`, 'e2e-apf-queue', {
      type: 'Queue',
      queuing: { queues: 1, handSize: 1, queueLengthLimit: 1 },
    });
    const answers = await flood('e2e-apf-queue', 'q', 6);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 201, 429, 429]);
  });

  test('fair queuing: a flow that waited less is served before a busy flow’s next requests', async () => {
    // Three seats; alice takes them (one more every 2 s), then queues two more requests;
    // bob queues one a second after hers. When her first request ends (8 s after it
    // began), her queue's next turn is where her waiting requests arrived in virtual time
    // plus the 8 s that first request took: later than bob's queue, which became active a
    // second after.
    // A fixed name: the flow's queue is dealt from a hash of the FlowSchema's name and the
    // user, so a random name gave alice and bob the same queue (FIFO) one run in 64. With
    // this one they get queues 29 and 6 on both servers.
    await tinyLevel('e2e-apf-fair', ['e2e-apf-alice', 'e2e-apf-bob'], {
      type: 'Queue',
      queuing: { queues: 64, handSize: 1, queueLengthLimit: 5 },
    });
    const answers: Promise<unknown>[] = [];
    for (const i of [0, 1, 2]) {
      answers.push(flood('e2e-apf-alice', `fair-a${i}`, 1));
      await sleep(2000);
    }
    // Sent together: they may arrive in either order.
    answers.push(flood('e2e-apf-alice', 'fair-a3', 1));
    answers.push(flood('e2e-apf-alice', 'fair-a4', 1));
    await sleep(1000);
    answers.push(flood('e2e-apf-bob', 'fair-b', 1));
    await Promise.all(answers);
    const served = reviewed.filter((n) => /^slow-fair-(a3|a4|b)-/.test(n));
    // First come, first served would give alice's two before bob's.
    expect(served[0]).toBe('slow-fair-b-0');
    expect(served.slice(1).sort()).toEqual(['slow-fair-a3-0', 'slow-fair-a4-0']);
  });
});
