/**
 * The examples against the backend of the run (MemoryApiServer, a real kube-apiserver or
 * an existing cluster): the same scenarios their own tests run in memory.
 */
import { SyncReconciler, syncer, syncScenario } from '@kube-ts/example-configmap-syncer';
import { pino } from 'pino';
import { lastValueFrom } from 'rxjs';
import { afterAll, beforeAll, test } from 'vitest';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;

beforeAll(async () => {
  e2e = await startE2e();
});

afterAll(async () => {
  await e2e?.stop();
});

test('configmap-syncer: copies follow their source across namespaces', async () => {
  const ns = {
    source: await e2e.namespace('sync-src'),
    a: await e2e.namespace('sync-a'),
    b: await e2e.namespace('sync-b'),
  };
  const stop = new AbortController();
  // The syncer watches the whole cluster; only this test's namespaces hold sources.
  const done = lastValueFrom(
    syncer(e2e.client, pino({ level: 'silent' }))
      .gracefulShutdownOn(stop.signal)
      .run(new SyncReconciler(), { client: e2e.client }),
    { defaultValue: undefined },
  );
  try {
    await syncScenario(e2e.client, ns);
  } finally {
    stop.abort();
    await done;
  }
}, 180_000);
