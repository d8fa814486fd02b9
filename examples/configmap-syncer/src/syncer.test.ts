import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { MemoryApiServer } from '@kube-ts/testing';
import { pino } from 'pino';
import { lastValueFrom } from 'rxjs';
import { afterAll, beforeAll, test } from 'vitest';
import { syncScenario } from './scenario.js';
import { SyncReconciler, syncer } from './syncer.js';

let server: MemoryApiServer;
let client: Client;

beforeAll(async () => {
  server = await MemoryApiServer.start();
  client = Client.fromKubeConfig(server.kubeConfig);
});

afterAll(async () => {
  client.close();
  await server.stop();
});

test('copies follow their source: created, restored, moved, and deleted with it', async () => {
  const namespaces = Api.cluster(client, resources.namespaces);
  for (const name of ['src', 'a', 'b']) {
    await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  const stop = new AbortController();
  const done = lastValueFrom(
    syncer(client, pino({ level: 'silent' }))
      .gracefulShutdownOn(stop.signal)
      .run(new SyncReconciler(), { client }),
    { defaultValue: undefined },
  );
  try {
    await syncScenario(client, { source: 'src', a: 'a', b: 'b' });
  } finally {
    stop.abort();
    await done;
  }
});
