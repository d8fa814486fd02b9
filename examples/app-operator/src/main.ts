#!/usr/bin/env node
/**
 * The App operator. Without KUBECONFIG it starts an embedded MemoryApiServer with one
 * Node (its scheduler, kubelet and Deployment controller run the App's Pods), installs
 * the App CRD and creates a sample App; with it, it runs against that cluster (installing
 * the CRD if missing). Ctrl-C stops it.
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, Client } from '@kube-ts/client';
import { describeError } from '@kube-ts/runtime';
import { installCrds } from '@kube-ts/schema';
import { MemoryApiServer } from '@kube-ts/testing';
import { pino } from 'pino';
import { lastValueFrom } from 'rxjs';
import { appController, appRecorder } from './operator.js';
import { AppReconciler } from './reconciler.js';
import { FIELD_MANAGER } from './render.js';
import { App } from './resource.js';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });

async function run(client: Client, signal: AbortSignal): Promise<void> {
  await installCrds(client, [App], { fieldManager: FIELD_MANAGER });
  await lastValueFrom(
    appController(client, logger)
      .gracefulShutdownOn(signal)
      .run(new AppReconciler(), { client, recorder: appRecorder(client) }),
    { defaultValue: undefined },
  );
}

async function main(): Promise<void> {
  const stop = new AbortController();
  for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => stop.abort());
  if (process.env.KUBECONFIG) {
    const client = Client.fromDefault();
    try {
      await run(client, stop.signal);
    } finally {
      client.close();
    }
    return;
  }
  const server = await MemoryApiServer.start({ nodes: 1 });
  const kubeconfig = join(tmpdir(), `app-operator-${process.pid}.kubeconfig`);
  await server.writeKubeconfig(kubeconfig);
  const client = Client.fromKubeConfig(server.kubeConfig);
  try {
    logger.info({ kubeconfig }, 'embedded MemoryApiServer started');
    logger.info(
      `try: kubectl --kubeconfig ${kubeconfig} get apps.examples.kube-ts.dev,deployments,pods,services`,
    );
    const operator = run(client, stop.signal);
    await Api.namespaced(client, App, 'default').create(
      App.create('web', { image: 'nginx:1.27', replicas: 2, port: 8080 }, { namespace: 'default' }),
    );
    logger.info('created App default/web; Ctrl-C stops');
    await operator;
  } finally {
    client.close();
    await server.stop();
    await rm(kubeconfig, { force: true });
  }
}

main().catch((error: unknown) => {
  logger.error({ error: describeError(error) }, 'app-operator failed');
  process.exitCode = 1;
});
