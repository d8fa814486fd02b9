/**
 * The examples against the backend of the run (MemoryApiServer, a real kube-apiserver or
 * an existing cluster): the same scenarios their own tests run in memory.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import {
  App,
  AppReconciler,
  appController,
  appRecorder,
  appScenario,
} from '@kube-ts/example-app-operator';
import { SyncReconciler, syncer, syncScenario } from '@kube-ts/example-configmap-syncer';
import { failoverScenario } from '@kube-ts/example-ha-operator';
import { ReaperReconciler, reaper, reaperScenario } from '@kube-ts/example-ttl-reaper';
import {
  installWebhooks,
  Widget,
  widgetManager,
  widgetScenario,
  widgetWebhook,
} from '@kube-ts/example-widget-webhook';
import { installCrds } from '@kube-ts/schema';
import { pino } from 'pino';
import { lastValueFrom } from 'rxjs';
import { afterAll, beforeAll, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, ignoreNotFound, startE2e } from './support.js';

let e2e: E2eContext;

beforeAll(async () => {
  // Nodes where Pods run (the app-operator's Deployment becomes available).
  e2e = await startE2e({ nodes: 1 });
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

test('app-operator: an App is rendered, reported, rolled out, restored, and deleted with its objects', async () => {
  const namespace = await e2e.namespace('app');
  await installCrds(e2e.client, [App], { fieldManager: 'e2e' });
  const logger = pino({ level: 'silent' });
  const stop = new AbortController();
  const done = lastValueFrom(
    appController(e2e.client, logger)
      .gracefulShutdownOn(stop.signal)
      .run(new AppReconciler(), { client: e2e.client, recorder: appRecorder(e2e.client) }),
    { defaultValue: undefined },
  );
  try {
    await appScenario(e2e.client, namespace);
  } finally {
    stop.abort();
    await done;
  }
}, 240_000);

test('ha-operator: the leader reconciles; killed, the standby takes over; stopped, it hands the Lease back', async () => {
  const namespace = await e2e.namespace('ha');
  const dir = await mkdtemp(join(tmpdir(), 'ha-operator-e2e-'));
  try {
    const kubeconfigPath = join(dir, 'kubeconfig');
    await e2e.backend.writeKubeconfig(kubeconfigPath);
    await failoverScenario({ client: e2e.client, kubeconfigPath, namespace });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 180_000);

test('ttl-reaper: expired Pods are deleted from a metadata-only watch, the others stay until due', async () => {
  const namespace = await e2e.namespace('ttl');
  const stop = new AbortController();
  const done = lastValueFrom(
    reaper(e2e.client, namespace)
      .withConfig({ logger: pino({ level: 'silent' }) })
      .gracefulShutdownOn(stop.signal)
      .run(new ReaperReconciler(), e2e.client),
    { defaultValue: undefined },
  );
  try {
    await reaperScenario(e2e.client, namespace);
  } finally {
    stop.abort();
    await done;
  }
}, 180_000);

test('widget-webhook: Widgets defaulted, validated and converted by its webhooks (called by the API server on 127.0.0.1), reconciled by its controller', async () => {
  const namespace = await e2e.namespace('widget');
  const logger = pino({ level: 'silent' });
  // The CRD first (conversion None) so the controller finds it; the webhook form follows.
  await installCrds(e2e.client, [Widget]);
  e2e.onStop(() =>
    Api.cluster(e2e.client, resources.customResourceDefinitions)
      .delete(Widget.crdName)
      .catch(ignoreNotFound),
  );
  const webhook = widgetWebhook({ host: '127.0.0.1', port: 0, logger });
  const manager = widgetManager(e2e.client, webhook, { port: 0, handleSignals: false, logger });
  const running = manager.start();
  try {
    await webhook.whenListening();
    const uninstall = await installWebhooks(e2e.client, webhook);
    try {
      await widgetScenario(e2e.client, namespace, async (ns, name, patch) => {
        const res = await raw(
          e2e.backend.kubeConfig,
          'PATCH',
          `/apis/examples.kube-ts.dev/v1/namespaces/${ns}/widgets/${name}`,
          { body: patch, contentType: 'application/merge-patch+json' },
        );
        if (res.status !== 200) throw new Error(`PATCH answered ${res.status}: ${res.text}`);
        return res.warnings;
      });
    } finally {
      await uninstall();
    }
  } finally {
    await manager.stop();
    await running;
  }
}, 240_000);
