import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@kube-ts/client';
import { MemoryApiServer } from '@kube-ts/testing';
import { afterAll, beforeAll, test } from 'vitest';
import { failoverScenario } from './scenario.js';

let server: MemoryApiServer;
let client: Client;
let dir: string;

beforeAll(async () => {
  server = await MemoryApiServer.start();
  client = Client.fromKubeConfig(server.kubeConfig);
  dir = await mkdtemp(join(tmpdir(), 'ha-operator-'));
  await server.writeKubeconfig(join(dir, 'kubeconfig'));
});

afterAll(async () => {
  client.close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

test('two replicas: the leader reconciles; killed, the standby takes over; stopped, it hands the Lease back', async () => {
  await failoverScenario({ client, kubeconfigPath: join(dir, 'kubeconfig'), namespace: 'default' });
}, 120_000);
