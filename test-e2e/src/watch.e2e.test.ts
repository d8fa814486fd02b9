/**
 * Watches against the backend: changes after a list's resourceVersion, the streaming
 * initial list ended by a bookmark, and 410 Gone for a resourceVersion the server no
 * longer has.
 */
import { Api, Patch, type WatchEvent } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { UNCACHED_RESOURCE } from './real-control-plane.js';
import { apiErrorOf, type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
let configMaps: Api<ConfigMap>;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-watch');
  configMaps = Api.namespaced(e2e.client, resources.configMaps, ns);
});

afterAll(async () => {
  await e2e?.stop();
});

function configMap(name: string, set: string, data: Record<string, string> = {}): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { set } }, data };
}

/**
 * Reads events from a watch until `done` says stop; periodic BOOKMARKs are skipped unless
 * `keepBookmarks`. The watch is closed when this returns (the test's timeout bounds it).
 */
async function readUntil(
  iterator: AsyncIterator<WatchEvent<ConfigMap>>,
  done: (events: WatchEvent<ConfigMap>[]) => boolean,
  keepBookmarks = false,
): Promise<WatchEvent<ConfigMap>[]> {
  const events: WatchEvent<ConfigMap>[] = [];
  while (!done(events)) {
    const next = await iterator.next();
    if (next.done) throw new Error(`the watch ended after ${events.length} events`);
    if (next.value.type === 'BOOKMARK' && !keepBookmarks) continue;
    events.push(next.value);
  }
  return events;
}

function summary(event: WatchEvent<ConfigMap>): string {
  if (event.type === 'ERROR') return `ERROR ${event.object.code}`;
  return `${event.type} ${event.object.metadata?.name ?? ''}`;
}

/** The resourceVersion of an event's object as a number (0 when it has none). */
function versionOf(event: WatchEvent<ConfigMap> | undefined): bigint {
  if (event === undefined || event.type === 'ERROR') return 0n;
  return BigInt(event.object.metadata?.resourceVersion ?? '0');
}

const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

test('a watch from a list resourceVersion sends exactly the later changes, in order', async () => {
  await configMaps.create(configMap('before', 'ordered'));
  const list = await configMaps.list({ labelSelector: 'set=ordered' });
  const abort = new AbortController();
  const iterator = configMaps
    .watch({
      labelSelector: 'set=ordered',
      resourceVersion: list.metadata?.resourceVersion,
      signal: abort.signal,
    })
    [Symbol.asyncIterator]();
  try {
    const first = iterator.next(); // opens the connection before the changes are made
    await configMaps.create(configMap('after', 'ordered'));
    await configMaps.patch('before', Patch.merge({ data: { changed: 'yes' } }));
    await configMaps.delete('after');
    const head = await first;
    const events = [head.value as WatchEvent<ConfigMap>];
    if (events[0]?.type === 'BOOKMARK') events.pop();
    events.push(...(await readUntil(iterator, (e) => e.length + events.length >= 3)));
    expect(events.map(summary)).toEqual(['ADDED after', 'MODIFIED before', 'DELETED after']);
    const versions = events.map(versionOf);
    expect(versions[0]).toBeGreaterThan(BigInt(list.metadata?.resourceVersion ?? '0'));
    expect([...versions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(versions);
  } finally {
    abort.abort();
  }
});

test('streaming list: current objects as ADDED, then the initial-events-end BOOKMARK, then changes', async () => {
  await configMaps.create(configMap('s1', 'streamed'));
  await configMaps.create(configMap('s2', 'streamed'));
  const abort = new AbortController();
  const iterator = configMaps
    .watch({
      labelSelector: 'set=streamed',
      sendInitialEvents: true,
      resourceVersionMatch: 'NotOlderThan',
      allowWatchBookmarks: true,
      signal: abort.signal,
    })
    [Symbol.asyncIterator]();
  try {
    const initial = await readUntil(
      iterator,
      (e) =>
        e.some(
          (x) =>
            x.type === 'BOOKMARK' &&
            x.object.metadata?.annotations?.[INITIAL_EVENTS_END] === 'true',
        ),
      true,
    );
    const bookmark = initial.at(-1);
    expect(initial.slice(0, -1).map(summary).sort()).toEqual(['ADDED s1', 'ADDED s2']);
    expect(bookmark?.type).toBe('BOOKMARK');
    expect(versionOf(bookmark)).toBeGreaterThan(0n);

    await configMaps.create(configMap('s3', 'streamed'));
    const [added] = await readUntil(iterator, (e) => e.length >= 1);
    expect(added && summary(added)).toBe('ADDED s3');
    expect(versionOf(added)).toBeGreaterThan(versionOf(bookmark));
  } finally {
    abort.abort();
  }
});

test('a watch from a compacted resourceVersion gets an ERROR event with 410 Expired', async () => {
  // MemoryApiServer forgets its history when told to (faults.compact()). The real backend
  // compacts etcd every REAL_COMPACTION_INTERVAL and has no watch cache for Secrets (see
  // backend.ts), so a watch of Secrets from revision 1 gets 410 once it is compacted: poll
  // for it. An existing cluster compacted revision 1 long ago.
  expect(resources.secrets.plural).toBe(UNCACHED_RESOURCE);
  const secrets = Api.namespaced(e2e.client, resources.secrets, ns);
  await secrets.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'old' }, data: {} });
  e2e.backend.compact?.();
  const firstEvent = async () => {
    const abort = new AbortController();
    try {
      for await (const event of secrets.watch({ resourceVersion: '1', signal: abort.signal })) {
        if (event.type !== 'BOOKMARK') return event;
      }
      return undefined;
    } finally {
      abort.abort();
    }
  };
  await expect
    .poll(async () => (await firstEvent())?.type, { ...EVENTUALLY, interval: 1_000 })
    .toBe('ERROR');
  const event = await firstEvent();
  if (event?.type !== 'ERROR') throw new Error(`expected an ERROR event, got ${event?.type}`);
  expect(event.object.code).toBe(410);
  expect(event.object.reason).toBe('Expired');
  expect(event.object.message).toMatch(/too old/);
});

test(
  'a list at an exact compacted resourceVersion, or with a continue token from then, is 410 Expired',
  async () => {
    // Both read the past: after a compaction (memory: faults.compact(); real: within two
    // REAL_COMPACTION_INTERVALs, so poll) the server no longer has it.
    for (const name of ['page-a', 'page-b']) await configMaps.create(configMap(name, 'pages'));
    const first = await configMaps.list({ labelSelector: 'set=pages', limit: 1 });
    const token = first.metadata?.continue;
    const version = first.metadata?.resourceVersion;
    expect(token).toBeTruthy();
    await configMaps.create(configMap('page-c', 'pages')); // the listed version is now in the past
    e2e.backend.compact?.();
    const codeOf = (request: Promise<unknown>) =>
      request.then(
        () => 200,
        (error: { code?: number }) => error.code,
      );
    await expect
      .poll(
        () => codeOf(configMaps.list({ resourceVersion: version, resourceVersionMatch: 'Exact' })),
        {
          ...EVENTUALLY,
          interval: 1_000,
        },
      )
      .toBe(410);
    await expect
      .poll(
        () => codeOf(configMaps.list({ labelSelector: 'set=pages', limit: 1, continue: token })),
        {
          ...EVENTUALLY,
          interval: 1_000,
        },
      )
      .toBe(410);
    const expired = await apiErrorOf(
      configMaps.list({ resourceVersion: version, resourceVersionMatch: 'Exact' }),
    );
    expect(expired.reason).toBe('Expired');
    expect(expired.isGone()).toBe(true);
    // Two polls of up to EVENTUALLY each (real: ~20 s for the two compactions in CI): the
    // test's own budget covers both rather than the default 60 s.
  },
  2 * EVENTUALLY.timeout + 30_000,
);

test('a watch from the current resourceVersion is not expired', async () => {
  const list = await configMaps.list();
  const abort = new AbortController();
  try {
    const iterator = configMaps
      .watch({
        resourceVersion: list.metadata?.resourceVersion,
        labelSelector: 'set=fresh',
        signal: abort.signal,
      })
      [Symbol.asyncIterator]();
    const first = iterator.next();
    await configMaps.create(configMap('fresh', 'fresh'));
    let head = await first;
    while (!head.done && head.value.type === 'BOOKMARK') head = await iterator.next();
    expect(head.done).toBe(false);
    expect(summary(head.value as WatchEvent<ConfigMap>)).toBe('ADDED fresh');
  } finally {
    abort.abort();
  }
});
