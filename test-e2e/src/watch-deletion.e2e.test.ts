/**
 * Differential: what watches and deletes answer in the cases operators meet: an object
 * leaving a label selector, a malformed resourceVersion, and deleting a Pod.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RawResponse, raw, rawWatch } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-watchdel');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const configMaps = () => `/api/v1/namespaces/${ns}/configmaps`;

describe('watch', () => {
  test('an object leaving the selector arrives as DELETED with its last matching state and the new resourceVersion', async () => {
    const list = (
      await raw(kc(), 'GET', configMaps(), { query: { labelSelector: 'app=in' } })
    ).json();
    let modifiedRv = '';
    const events = await rawWatch(
      kc(),
      configMaps(),
      { labelSelector: 'app=in', resourceVersion: list.metadata.resourceVersion },
      (evs) => evs.some((e) => e.type === 'DELETED'),
      async () => {
        const created = await raw(kc(), 'POST', configMaps(), {
          body: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'leaver', labels: { app: 'in' } },
            data: { v: '1' },
          },
        });
        expect(created.status).toBe(201);
        const moved = await raw(kc(), 'PATCH', `${configMaps()}/leaver`, {
          contentType: 'application/merge-patch+json',
          body: { metadata: { labels: { app: 'out' } }, data: { v: '2' } },
        });
        expect(moved.status).toBe(200);
        modifiedRv = moved.json().metadata.resourceVersion;
      },
    );
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
    const deleted = events[1]!.object;
    expect(deleted.metadata.labels).toEqual({ app: 'in' });
    expect(deleted.data).toEqual({ v: '1' });
    expect(deleted.metadata.resourceVersion).toBe(modifiedRv);
    expect(deleted.metadata.resourceVersion).not.toBe(events[0]!.object.metadata.resourceVersion);
  });

  test('a malformed resourceVersion on a watch is a 500 Status without reason', async () => {
    for (const rv of ['abc', '-1']) {
      const res = await raw(kc(), 'GET', configMaps(), {
        query: { watch: '1', resourceVersion: rv },
      });
      expect(res.status).toBe(500);
      expect(res.json()).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `resourceVersion: Invalid value: "${rv}": strconv.ParseUint: parsing "${rv}": invalid syntax`,
        code: 500,
      });
    }
  });

  test('a malformed resourceVersion on a list is 400 BadRequest', async () => {
    const queries: Record<string, string>[] = [
      { resourceVersion: 'abc' },
      { resourceVersion: 'abc', resourceVersionMatch: 'NotOlderThan' },
    ];
    for (const query of queries) {
      const res = await raw(kc(), 'GET', configMaps(), { query });
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({
        reason: 'BadRequest',
        code: 400,
        message:
          'invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax',
      });
    }
  });
});

describe('deleting a Pod', () => {
  const pods = (name = '') => `/api/v1/namespaces/${ns}/pods${name ? `/${name}` : ''}`;
  const pod = (name: string, nodeName?: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'app', image: 'nginx:1.27' }] },
  });

  test('a pod on no node is removed at once, and the answer is the Pod marked deleted', async () => {
    const created = await raw(kc(), 'POST', pods(), { body: pod('unscheduled') });
    expect(created.status).toBe(201);
    let answer: RawResponse | undefined;
    // gracePeriodSeconds does not keep a pod that no node runs.
    const events = await rawWatch(
      kc(),
      pods(),
      { resourceVersion: created.json().metadata.resourceVersion },
      (evs) => evs.some((e) => e.type === 'DELETED'),
      async () => {
        answer = await raw(kc(), 'DELETE', pods('unscheduled'), {
          query: { gracePeriodSeconds: '10' },
        });
      },
    );
    expect(answer?.status).toBe(200);
    const deleted = answer?.json();
    expect(deleted).toMatchObject({
      kind: 'Pod',
      metadata: { name: 'unscheduled', generation: 2, deletionGracePeriodSeconds: 0 },
    });
    expect(deleted.metadata.deletionTimestamp).toBeDefined();
    // It is written marked first (MODIFIED), then removed; the answer is the removal's state.
    expect(events.map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
    expect(events[0]!.object.metadata.deletionGracePeriodSeconds).toBe(0);
    expect(events[1]!.object.metadata.resourceVersion).toBe(deleted.metadata.resourceVersion);
    expect((await raw(kc(), 'GET', pods('unscheduled'))).status).toBe(404);
  });

  test('other kinds ignore gracePeriodSeconds: a finalizer holds them with a period of 0', async () => {
    const configMaps = `/api/v1/namespaces/${ns}/configmaps`;
    const body = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'graceless', finalizers: ['example.com/hold'] },
    };
    expect((await raw(kc(), 'POST', configMaps, { body })).status).toBe(201);
    const res = await raw(kc(), 'DELETE', `${configMaps}/graceless`, {
      query: { gracePeriodSeconds: '30' },
    });
    expect(res.status).toBe(200);
    expect(res.json().metadata.deletionGracePeriodSeconds).toBe(0);
    await raw(kc(), 'PATCH', `${configMaps}/graceless`, {
      body: { metadata: { finalizers: null } },
      contentType: 'application/merge-patch+json',
    });
  });

  test('a pod on a node is kept with deletionTimestamp and its grace period', async () => {
    expect((await raw(kc(), 'POST', pods(), { body: pod('bound', 'node-a') })).status).toBe(201);
    const before = Date.now();
    const res = await raw(kc(), 'DELETE', pods('bound'));
    expect(res.status).toBe(200);
    const deleted = res.json();
    expect(deleted.kind).toBe('Pod');
    expect(deleted.metadata.deletionGracePeriodSeconds).toBe(30);
    const at = Date.parse(deleted.metadata.deletionTimestamp);
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 29_000);
    expect(at).toBeLessThanOrEqual(Date.now() + 31_000);
    const stored = (await raw(kc(), 'GET', pods('bound'))).json();
    expect(stored.metadata.deletionTimestamp).toBe(deleted.metadata.deletionTimestamp);

    const shorter = await raw(kc(), 'DELETE', pods('bound'), {
      query: { gracePeriodSeconds: '5' },
    });
    expect(shorter.status).toBe(200);
    expect(shorter.json().metadata.deletionGracePeriodSeconds).toBe(5);
    expect(Date.parse(shorter.json().metadata.deletionTimestamp)).toBe(at - 25_000);

    const forced = await raw(kc(), 'DELETE', pods('bound'), { query: { gracePeriodSeconds: '0' } });
    expect(forced.status).toBe(200);
    expect(forced.json().kind).toBe('Pod');
    // A forced delete ends the period now.
    expect(forced.json().metadata.deletionGracePeriodSeconds).toBe(0);
    expect(Date.parse(forced.json().metadata.deletionTimestamp)).toBeLessThanOrEqual(Date.now());
    expect((await raw(kc(), 'GET', pods('bound'))).status).toBe(404);
  });

  test('gracePeriodSeconds on the first delete sets the period', async () => {
    expect((await raw(kc(), 'POST', pods(), { body: pod('quick', 'node-a') })).status).toBe(201);
    const res = await raw(kc(), 'DELETE', pods('quick'), { query: { gracePeriodSeconds: '7' } });
    expect(res.status).toBe(200);
    expect(res.json().metadata.deletionGracePeriodSeconds).toBe(7);
    await raw(kc(), 'DELETE', pods('quick'), { query: { gracePeriodSeconds: '0' } });
  });
});
