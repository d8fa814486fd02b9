import { Client } from '@kube-ts/client';
import { installCrds } from '@kube-ts/schema';
import { MemoryApiServer } from '@kube-ts/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { widgetManager } from './operator.js';
import { Widget } from './resource.js';
import { installWebhooks, type PatchWithWarnings, widgetScenario } from './scenario.js';
import { widgetWebhook } from './webhook.js';

const logger = pino({ level: 'silent' });
let server: MemoryApiServer;
let client: Client;
let running: Promise<void>;
let manager: ReturnType<typeof widgetManager>;

beforeAll(async () => {
  server = await MemoryApiServer.start();
  client = Client.fromKubeConfig(server.kubeConfig);
  // The CRD first (conversion None) so the controller finds it; the webhook form follows.
  await installCrds(client, [Widget]);
  const webhook = widgetWebhook({ host: '127.0.0.1', port: 0, logger });
  manager = widgetManager(client, webhook, { port: 0, handleSignals: false, logger });
  running = manager.start();
  await webhook.whenListening();
  await installWebhooks(client, webhook);
});

afterAll(async () => {
  await manager.stop();
  await running;
  client.close();
  await server.stop();
});

/** A merge patch over plain HTTP with the server's token, reading the `Warning` headers. */
const patchWithWarnings: PatchWithWarnings = async (namespace, name, patch) => {
  const token = server.kubeConfig.getCurrentUser()?.token;
  const res = await fetch(
    `${server.url}/apis/examples.kube-ts.dev/v1/namespaces/${namespace}/widgets/${name}`,
    {
      method: 'PATCH',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/merge-patch+json',
      },
      body: JSON.stringify(patch),
    },
  );
  if (res.status !== 200) throw new Error(`PATCH answered ${res.status}: ${await res.text()}`);
  // `299 - "text"` → text
  return (res.headers.get('warning') ?? '')
    .split(/,\s*(?=299)/)
    .filter(Boolean)
    .map((w) => JSON.parse(w.replace(/^299 - /, '')) as string);
};

describe('Widget operator with webhooks (MemoryApiServer)', () => {
  it('defaults, validates, converts and reconciles Widgets; warns on a tier change', async () => {
    await widgetScenario(client, 'default', patchWithWarnings);
  }, 120_000);
});
