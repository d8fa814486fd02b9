import { useMemoryApiServer } from '@kube-ts/test-support';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it, vi } from 'vitest';
import { httpClient, openWatch, type WatchLine } from './test-client.test-helper.js';

/**
 * A randomized check of the fault injector itself: whatever mix of writes, silenced
 * connections, dropped watches and compactions happens, a client that follows the watch
 * protocol (re-watch from the last resourceVersion it saw, give up on a connection silent
 * for longer than the bookmark interval, relist on 410) ends up with exactly the server's
 * objects. An injector that loses events would make every test built on it unreliable.
 */

const BOOKMARK_MS = 20;
const SILENCE_LIMIT_MS = 150;

const env = useMemoryApiServer({ bookmarkIntervalMs: BOOKMARK_MS }, (server) => httpClient(server));

/** A seeded random source (pure-rand's xoroshiro128+), so a failing seed replays the same run. */
function prng(seed: number): () => number {
  const generator = xoroshiro128plus(seed);
  return () => uniformFloat64(generator);
}

const sleep = (ms: number) => new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms));

/** Follows one label's ConfigMaps through the watch protocol until stopped. */
function follow(label: string) {
  const path = '/api/v1/namespaces/default/configmaps';
  const objects = new Map<string, string>();
  let rv = '';
  let stopped = false;
  let watches = 0;
  const relist = async () => {
    const list = await env.client('GET', `${path}?labelSelector=run%3D${label}`);
    objects.clear();
    for (const item of list.body.items)
      objects.set(item.metadata.name, item.metadata.resourceVersion);
    rv = list.body.metadata.resourceVersion;
  };
  const apply = (e: WatchLine): boolean => {
    if (e.type === 'ERROR') return false;
    rv = e.object.metadata.resourceVersion;
    if (e.type === 'ADDED' || e.type === 'MODIFIED') objects.set(e.object.metadata.name, rv);
    if (e.type === 'DELETED') objects.delete(e.object.metadata.name);
    return true;
  };
  const done = (async () => {
    await relist();
    while (!stopped) {
      watches++;
      const w = await openWatch(
        env.server,
        `${path}?watch=true&allowWatchBookmarks=true&labelSelector=run%3D${label}&resourceVersion=${rv}`,
      );
      for (;;) {
        const e = await Promise.race([w.next(), sleep(SILENCE_LIMIT_MS)]);
        if (e === 'timeout' || e === undefined || stopped) break;
        if (!apply(e)) {
          await relist(); // 410 Gone
          break;
        }
      }
      w.close();
    }
  })();
  return {
    objects,
    get rv() {
      return rv;
    },
    get watches() {
      return watches;
    },
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

async function serverObjects(label: string): Promise<Map<string, string>> {
  const list = await env.client(
    'GET',
    `/api/v1/namespaces/default/configmaps?labelSelector=run%3D${label}`,
  );
  return new Map(
    list.body.items.map((i: { metadata: { name: string; resourceVersion: string } }) => [
      i.metadata.name,
      i.metadata.resourceVersion,
    ]),
  );
}

describe('fault injection loses nothing (randomized)', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: the follower ends with the server's objects`, async () => {
      const random = prng(seed);
      const label = `r${seed}`;
      const follower = follow(label);
      const faults: Record<string, number> = {};
      const count = (what: string) => {
        faults[what] = (faults[what] ?? 0) + 1;
      };
      const names = Array.from({ length: 8 }, (_, i) => `${label}-${i}`);
      for (let op = 0; op < 80; op++) {
        const r = random();
        const name = names[Math.floor(random() * names.length)]!;
        const cm = `/api/v1/namespaces/default/configmaps`;
        if (r < 0.5) {
          const body = { metadata: { name, labels: { run: label } }, data: { v: String(op) } };
          const put = await env.client('PUT', `${cm}/${name}`, body);
          if (put.status === 404) await env.client('POST', cm, body);
        } else if (r < 0.65) {
          await env.client('DELETE', `${cm}/${name}`);
        } else if (r < 0.75) {
          env.server.faults.silenceWatches(true);
          count('silence');
        } else if (r < 0.85) {
          env.server.faults.silenceWatches(false);
        } else if (r < 0.92) {
          env.server.faults.dropWatches();
          count('drop');
        } else if (r < 0.96) {
          env.server.faults.compact();
          count('compact');
        }
        await sleep(Math.floor(random() * 40));
      }
      env.server.faults.silenceWatches(false);
      const expected = await serverObjects(label);
      try {
        // However long catching up takes on a loaded machine (a silenced watch is given up
        // after SILENCE_LIMIT_MS, a 410 relists).
        await vi.waitFor(
          () =>
            expect(
              [...follower.objects].sort(),
              `seed ${seed}, faults ${JSON.stringify(faults)}`,
            ).toEqual([...expected].sort()),
          { timeout: 30_000, interval: 20 },
        );
      } finally {
        await follower.stop();
      }
    }, 60_000);
  }
});
