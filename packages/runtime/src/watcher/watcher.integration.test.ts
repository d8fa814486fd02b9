/**
 * The watcher and store over real HTTP: Api (client) against MemoryApiServer, with faults.
 * Convergence is awaited (polling until the store matches a fresh LIST, with a generous
 * deadline that only bounds a failing test), never timed.
 */
import { Api, Client } from '@kube-ts/client';
import { type KubeObject, resources, type WatchParams } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { MemoryApiServer } from '@kube-ts/testing';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { reflector } from '../store/reflector.js';
import { createStore, type Store } from '../store/store.js';
import { exponentialBackoff } from './backoff.js';
import type { WatcherEvent } from './events.js';
import type { WatchSource } from './source.js';
import { type WatcherConfig, watcher } from './watcher.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(bookmarkIntervalMs: number) {
  const server = await MemoryApiServer.start({ bookmarkIntervalMs });
  const client = Client.fromKubeConfig(server.kubeConfig, { retry: { maxRetries: 0 } });
  cleanups.push(() => server.stop());
  cleanups.push(() => client.close());
  const api = Api.namespaced(client, resources.configMaps, 'default');
  /** The api, recording the params of each watch it opens. */
  const watches: WatchParams[] = [];
  const spied: WatchSource<ConfigMap> = {
    list: (p) => api.list(p),
    watch: (p) => {
      watches.push(p);
      return api.watch(p);
    },
  };
  return { server, client, api, spied, watches };
}

function run(source: WatchSource<ConfigMap>, config: WatcherConfig) {
  const { reader, writer } = createStore<ConfigMap>();
  const events: WatcherEvent<ConfigMap>[] = [];
  let finished = false;
  const sub = reflector(
    writer,
    watcher(source, {
      backoff: () => exponentialBackoff({ initialMs: 20, maxMs: 200 }),
      ...config,
    }),
  ).subscribe({
    next: (e) => events.push(e),
    error: () => {
      finished = true;
    },
    complete: () => {
      finished = true;
    },
  });
  cleanups.push(() => sub.unsubscribe());
  return { reader, events, finished: () => finished };
}

async function until(cond: () => boolean | Promise<boolean>, what: string, deadlineMs = 30_000) {
  const end = Date.now() + deadlineMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** namespace/name → resourceVersion, sorted by key. */
function snapshot(objs: readonly KubeObject[]): [string, string | undefined][] {
  return objs
    .map((o): [string, string | undefined] => [
      `${o.metadata?.namespace}/${o.metadata?.name}`,
      o.metadata?.resourceVersion,
    ])
    .sort((a, b) => a[0].localeCompare(b[0]));
}

/** Whether the store holds exactly what a fresh LIST returns (false when the LIST fails). */
async function matchesServer(api: Api<ConfigMap>, reader: Store<ConfigMap>): Promise<boolean> {
  const fresh = await api.listAll().catch(() => undefined);
  if (fresh === undefined) return false;
  return JSON.stringify(snapshot(reader.list())) === JSON.stringify(snapshot(fresh.items));
}

const cm = (name: string, v: string): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data: { v },
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** ConfigMaps every namespace holds from the start (kube-root-ca.crt, as on a real cluster). */
const PRESET = 1;

describe('watcher over HTTP (MemoryApiServer)', () => {
  it('paginated list → one Restarted, then Applied/Deleted; bookmarks advance the rv of the next watch', async () => {
    const { server, client, api, spied, watches } = await setup(50);
    for (let i = 0; i < 5; i++) await api.create(cm(`c${i}`, '0'));
    const { reader, events } = run(spied, { pageSize: 2, timeoutSeconds: 30 });
    await reader.waitUntilReady();
    expect(events.filter((e) => e.type === 'Restarted')).toHaveLength(1);
    expect(reader.size).toBe(5 + PRESET);
    expect(reader.get({ namespace: 'default', name: 'c3' })).toMatchObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
    });
    await api.replace('c1', cm('c1', '1'));
    await api.delete('c2');
    await until(
      () =>
        reader.size === 4 + PRESET &&
        reader.get({ namespace: 'default', name: 'c1' })?.data?.v === '1',
      'changes applied',
    );
    expect(events.map((e) => e.type)).toEqual(['Restarted', 'Applied', 'Deleted']);
    expect(
      reader.get({ namespace: 'default', name: 'c1' })?.metadata?.managedFields,
    ).toBeUndefined();
    // A change to another resource moves the server's resourceVersion; a bookmark brings it here.
    const secrets = Api.namespaced(client, resources.secrets, 'default');
    const other = await secrets.create({ metadata: { name: 's' }, stringData: { a: 'b' } });
    const otherRv = Number(other.metadata?.resourceVersion);
    await sleep(300); // several bookmark intervals
    const opened = watches.length;
    server.faults.dropWatches();
    await until(() => watches.length > opened, 're-watch after the drop');
    expect(Number(watches.at(-1)?.resourceVersion)).toBeGreaterThanOrEqual(otherRv);
    expect(watches.at(-1)).toMatchObject({ allowWatchBookmarks: true, timeoutSeconds: 30 });
    expect(events.filter((e) => e.type === 'Error')).toEqual([]);
  });

  it('410 after compaction → relist emitted as one Restarted; the store matches the server', async () => {
    const { server, api, spied } = await setup(0);
    await api.create(cm('a', '0'));
    // A frozen connection keeps the watcher at its old resourceVersion until it gives up on
    // the silence (1 s + 0.5 s) and re-watches from there, after the compaction.
    const { reader, events } = run(spied, {
      pageSize: 1,
      timeoutSeconds: 1,
      silenceMarginSeconds: 0.5,
    });
    await reader.waitUntilReady();
    await until(() => server.openWatches === 1, 'the watch is open');
    server.faults.silenceWatches(true);
    await api.create(cm('b', '0'));
    await api.delete('a');
    server.faults.compact();
    await until(() => events.filter((e) => e.type === 'Restarted').length === 2, 'relist');
    const restarted = events.filter((e) => e.type === 'Restarted');
    const relisted = restarted[1]?.type === 'Restarted' ? restarted[1].objects : [];
    expect(relisted.map((o) => o.metadata?.name)).toEqual(['b', 'kube-root-ca.crt']);
    expect(events.some((e) => e.type === 'Error' && e.error.recovery === 'relist')).toBe(true);
    expect(await matchesServer(api, reader)).toBe(true);
    server.faults.silenceWatches(false);
  });

  it('HTTP 500 and 429 on list and watch are errors as values, then it recovers', async () => {
    const { server, api } = await setup(0);
    await api.create(cm('a', '0'));
    server.faults.failNext(2, { method: 'GET' }, 500);
    // An Api<K> is a WatchSource<K> as it is.
    const { reader, events, finished } = run(api, { timeoutSeconds: 30 });
    await reader.waitUntilReady();
    expect(events.filter((e) => e.type === 'Error')).toHaveLength(2);
    server.faults.failNext(3, { method: 'GET' }, 429, { retryAfterSeconds: 1 });
    server.faults.dropWatches();
    await api.create(cm('b', '0'));
    await until(() => reader.size === 2 + PRESET, 'recovered after 429s');
    expect(events.filter((e) => e.type === 'Error').length).toBeGreaterThanOrEqual(5);
    expect(finished()).toBe(false);
  });

  it('streaming initial list (sendInitialEvents) → one Restarted, then live changes', async () => {
    const { api, spied, watches } = await setup(0);
    for (let i = 0; i < 3; i++) await api.create(cm(`c${i}`, '0'));
    const { reader, events } = run(spied, { initialList: 'stream', timeoutSeconds: 30 });
    await reader.waitUntilReady();
    expect(watches[0]).toMatchObject({
      sendInitialEvents: true,
      resourceVersionMatch: 'NotOlderThan',
    });
    expect(events).toHaveLength(1);
    expect(reader.size).toBe(3 + PRESET);
    await api.delete('c0');
    await until(() => reader.size === 2 + PRESET, 'live delete');
  });

  it('a silent connection (held open, nothing sent) is detected, dropped and re-watched', async () => {
    const { server, api, watches } = await setup(0);
    // The watcher believes the server ends watches after 1 s; the server is told 600 s, so a
    // silenced connection stays open and silent, like a black-holed TCP connection.
    const blackHoled: WatchSource<ConfigMap> = {
      list: (p) => api.list(p),
      watch: (p) => {
        watches.push(p);
        return api.watch({ ...p, timeoutSeconds: 600 });
      },
    };
    const { reader, events } = run(blackHoled, { timeoutSeconds: 1, silenceMarginSeconds: 0.5 });
    await reader.waitUntilReady();
    server.faults.silenceWatches(true);
    await api.create(cm('during-silence', '0'));
    const opened = watches.length;
    await until(() => watches.length > opened, 'a re-watch after the silence timeout');
    server.faults.silenceWatches(false);
    expect(
      events.some((e) => e.type === 'Error' && /sent nothing for 1500 ms/.test(e.error.message)),
    ).toBe(true);
    await until(() => matchesServer(api, reader), 'the change made during the silence arrives');
    expect(reader.get({ namespace: 'default', name: 'during-silence' })).toBeDefined();
  });

  it('after random changes interleaved with faults, the store equals a fresh LIST', async () => {
    type Op =
      | { kind: 'create' | 'update' | 'delete'; name: string }
      | { kind: 'drop' | 'compact' | 'fail500' | 'fail429' | 'silence' };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({
          kind: fc.constantFrom('create', 'update', 'delete'),
          name: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constantFrom('drop', 'compact', 'fail500', 'fail429', 'silence'),
        }),
      },
    ) as fc.Arbitrary<Op>;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 10, maxLength: 30 }), async (ops) => {
        const { server, api, spied, watches } = await setup(0);
        const { reader, finished } = run(spied, {
          pageSize: 2,
          timeoutSeconds: 1,
          silenceMarginSeconds: 1,
        });
        await reader.waitUntilReady();
        let version = 0;
        for (const op of ops) {
          switch (op.kind) {
            case 'create':
              await api.create(cm(op.name, String(version++))).catch(() => {});
              break;
            case 'update':
              await api.replace(op.name, cm(op.name, String(version++))).catch(() => {});
              break;
            case 'delete':
              await api.delete(op.name).catch(() => {});
              break;
            case 'drop':
              server.faults.dropWatches();
              break;
            case 'compact':
              server.faults.compact();
              break;
            case 'fail500':
              server.faults.failNext(2, { method: 'GET' }, 500);
              break;
            case 'fail429':
              server.faults.failNext(2, { method: 'GET' }, 429, { retryAfterSeconds: 1 });
              break;
            case 'silence': {
              // Changes made while the connection is silent are replayed on the next watch
              // (the server ends each watch after timeoutSeconds). Nothing else changes until
              // a watch was opened after the silence, so no later event can skip past them.
              server.faults.silenceWatches(true);
              await api.create(cm(`silent${version}`, String(version++))).catch(() => {});
              await sleep(100);
              server.faults.silenceWatches(false);
              const opened = watches.length;
              await until(() => watches.length > opened, 'a watch opened after the silence');
              break;
            }
          }
          await sleep(5);
        }
        await until(() => matchesServer(api, reader), 'store equals a fresh LIST');
        expect(finished()).toBe(false);
        for (const c of cleanups.splice(0).reverse()) await c();
      }),
      { numRuns: 4, endOnFailure: true },
    );
  }, 120_000);
});
