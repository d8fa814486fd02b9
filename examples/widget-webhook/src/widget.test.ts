import { Api, Client, Patch } from '@kube-ts/client';
import { ApiError } from '@kube-ts/core';
import { installCrds } from '@kube-ts/schema';
import { MemoryApiServer } from '@kube-ts/testing';
import type { WebhookServer } from '@kube-ts/webhook';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { widgetManager } from './operator.js';
import { DEFAULT_TIER, Widget } from './resource.js';
import { widgetWebhook } from './webhook.js';

const logger = pino({ level: 'silent' });
let server: MemoryApiServer;
let client: Client;
let webhook: WebhookServer;
let running: Promise<void>;
let manager: ReturnType<typeof widgetManager>;

beforeAll(async () => {
  server = await MemoryApiServer.start();
  client = Client.fromKubeConfig(server.kubeConfig);
  // The CRD first (conversion None) so the controller finds it; the webhook form follows.
  await installCrds(client, [Widget]);
  webhook = widgetWebhook({ host: '127.0.0.1', port: 0, logger });
  manager = widgetManager(client, webhook, { port: 0, handleSignals: false, logger });
  running = manager.start();
  await webhook.whenListening();
  // Local development form: the API server calls https://127.0.0.1:PORT with the generated CA.
  const m = webhook.manifests({ url: webhook.url });
  await installCrds(client, m.crds);
  await client.request({
    method: 'POST',
    path: '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations',
    body: m.validating,
  });
  await client.request({
    method: 'POST',
    path: '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
    body: m.mutating,
  });
});

afterAll(async () => {
  await manager.stop();
  await running;
  client.close();
  await server.stop();
});

describe('Widget operator with webhooks (MemoryApiServer)', () => {
  const widgets = () => Api.namespaced(client, Widget, 'default');
  const alphas = () => Api.namespaced(client, Widget.versions.v1alpha1, 'default');

  it('defaults the tier, then reconciles the status', async () => {
    const created = await widgets().create(Widget.create('w1', { replicas: 3 }));
    expect(created.spec.tier).toBe(DEFAULT_TIER);
    await vi.waitFor(
      async () => {
        expect((await widgets().get('w1')).status).toEqual({
          observedGeneration: 1,
          readyReplicas: 3,
        });
      },
      { timeout: 20_000, interval: 50 },
    );
  });

  it('denies too many replicas with the webhook message, on create and on update', async () => {
    const err = await widgets()
      .create(Widget.create('w2', { replicas: 11 }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(422);
    expect((err as ApiError).status.message).toBe(
      'admission webhook "validate.widgets.examples.kube-ts.dev" denied the request: spec.replicas: 11 is more than 10',
    );
    await widgets().create(Widget.create('w3', { replicas: 1 }));
    const update = await widgets()
      .patch('w3', Patch.merge({ spec: { replicas: 20 } }))
      .catch((e: unknown) => e);
    expect((update as ApiError).code).toBe(422);
  });

  it('serves the same object as v1alpha1 and converts writes back to v1', async () => {
    await widgets().create(Widget.create('w4', { replicas: 2, tier: 'gold' }));
    const alpha = await alphas().get('w4');
    expect(alpha.apiVersion).toBe('examples.kube-ts.dev/v1alpha1');
    expect(alpha.spec).toEqual({ size: '2', tier: 'gold' });
    await alphas().patch('w4', Patch.merge({ spec: { size: '4' } }));
    expect((await widgets().get('w4')).spec).toEqual({ replicas: 4, tier: 'gold' });
    await vi.waitFor(
      async () => {
        expect((await widgets().get('w4')).status?.readyReplicas).toBe(4);
      },
      { timeout: 20_000, interval: 50 },
    );
  });

  it("passes the webhook's warnings to the client as Warning headers", async () => {
    await widgets().create(Widget.create('w5', { replicas: 1 }));
    const token = server.kubeConfig.getCurrentUser()?.token;
    const res = await fetch(
      `${server.url}/apis/examples.kube-ts.dev/v1/namespaces/default/widgets/w5`,
      {
        method: 'PATCH',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/merge-patch+json',
        },
        body: JSON.stringify({ spec: { tier: 'gold' } }),
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('warning')).toBe(
      '299 - "changing the tier from standard to gold restarts every replica"',
    );
  });
});
