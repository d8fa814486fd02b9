import { Manager } from '@kube-ts/runtime';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { allow } from './admission.js';
import { pemOf, send } from './fixtures/https-client.test-helper.js';
import { WebhookServer } from './webhook-server.js';

describe('WebhookServer in a Manager', () => {
  it('runs as a Runnable: ready once listening, stopped with the manager', async () => {
    const logger = pino({ level: 'silent' });
    const webhook = new WebhookServer({ port: 0, host: '127.0.0.1', logger }).validating(
      {
        name: 'validate.configmaps.example.com',
        resource: {
          group: '',
          version: 'v1',
          kind: 'ConfigMap',
          plural: 'configmaps',
          namespaced: true,
        },
      },
      () => allow(),
    );
    const manager = new Manager({ port: 0, handleSignals: false, logger }).add(webhook);
    const running = manager.start();
    await webhook.whenListening();
    const caPem = pemOf(webhook.caBundle);
    expect((await send(`${webhook.url}/healthz`, { caPem })).body).toBe('ok');
    const { port } = manager.address!;
    await vi.waitFor(
      async () => expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200),
      { timeout: 30_000, interval: 20 },
    );
    const url = webhook.url;
    await manager.stop();
    await running;
    await expect(send(`${url}/healthz`, { caPem })).rejects.toThrow(/ECONNREFUSED/);
  }, 60_000);
});
