import { useMemoryApiServer } from '@kube-ts/test-support';
import { expect, it } from 'vitest';
import { httpClient } from './test-client.test-helper.js';

const env = useMemoryApiServer({ bookmarkIntervalMs: 0, compactionIntervalMs: 200 }, (server) =>
  httpClient(server),
);

it('compacts the history periodically to where it stood one interval earlier', async () => {
  const cms = '/api/v1/namespaces/default/configmaps';
  const made = await env.client('POST', cms, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'compacted' },
  });
  const rv = String(
    (made.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion,
  );
  const exact = () => env.client('GET', `${cms}?resourceVersion=${rv}&resourceVersionMatch=Exact`);
  expect((await exact()).status).toBe(200);
  await expect.poll(async () => (await exact()).status, { timeout: 5000, interval: 50 }).toBe(410);
});
