import type { ProjectNames } from '../names.js';

/** `src/operator.test.ts`: the operator against an in-memory API server. */
export function testSource({ kind }: ProjectNames): string {
  return `import { Api, Client, Patch } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { installCrds } from '@kube-ts/schema';
import { MemoryApiServer } from '@kube-ts/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createManager } from './operator.js';
import { configMapNameOf } from './reconciler.js';
import { ${kind}, sample${kind} } from './resource.js';

/** Everything the operator logs, to check that it logs no warning or error. */
const logged: { level: number; msg: string }[] = [];
const logger = pino(
  { level: 'debug' },
  {
    write(line: string) {
      logged.push(JSON.parse(line));
    },
  },
);

let server: MemoryApiServer;
let client: Client;

beforeAll(async () => {
  server = await MemoryApiServer.start();
  client = Client.fromKubeConfig(server.kubeConfig);
  await installCrds(client, [${kind}]);
});

afterAll(async () => {
  client.close();
  await server.stop();
});

test('a ${kind} gets its ConfigMap and status, once per change, with no warning logged', async () => {
  const manager = createManager({ client, logger, namespace: 'default', port: 0, handleSignals: false });
  const running = manager.start();
  const api = Api.namespaced(client, ${kind}, 'default');
  const configMaps = Api.namespaced(client, resources.configMaps, 'default');
  const created = await api.create(sample${kind}());
  const messageOf = async () => (await configMaps.getOpt(configMapNameOf(created)))?.data?.message;
  const observed = async () => (await api.get('sample')).status?.observedGeneration;

  await expect.poll(messageOf).toBe(created.spec.message);
  await expect.poll(observed).toBe(1);

  await api.patch('sample', Patch.merge({ spec: { message: 'changed' } }));
  await expect.poll(messageOf).toBe('changed');
  await expect.poll(observed).toBe(2);

  // Stop the operator before the client: reconciles in progress finish first.
  await manager.stop();
  await running;
  expect(logged.filter((entry) => entry.level >= 40)).toEqual([]);
  // The status was written once per generation, never again when nothing changed.
  expect(logged.filter((entry) => entry.msg === 'status updated')).toHaveLength(2);
});
`;
}
