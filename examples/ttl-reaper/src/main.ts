#!/usr/bin/env node
/**
 * The TTL reaper. Without KUBECONFIG it starts an embedded MemoryApiServer with two sample
 * Pods (one expires after 20 s); with it, it runs against that cluster. WATCH_NAMESPACE
 * limits it to one namespace. Ctrl-C stops it.
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, Client } from '@kube-ts/client';
import { pods } from '@kube-ts/k8s/core/v1';
import { describeError } from '@kube-ts/runtime';
import { MemoryApiServer } from '@kube-ts/testing';
import { pino } from 'pino';
import { lastValueFrom } from 'rxjs';
import { ReaperReconciler, reaper, TTL } from './reaper.js';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });

async function run(client: Client): Promise<void> {
  await lastValueFrom(
    reaper(client, process.env.WATCH_NAMESPACE ?? '')
      .withConfig({ logger })
      .shutdownOnSignal()
      .run(new ReaperReconciler(), client),
    { defaultValue: undefined },
  );
}

async function main(): Promise<void> {
  if (process.env.KUBECONFIG) {
    const client = Client.fromDefault();
    try {
      await run(client);
    } finally {
      client.close();
    }
    return;
  }
  const server = await MemoryApiServer.start();
  const kubeconfig = join(tmpdir(), `ttl-reaper-${process.pid}.kubeconfig`);
  await server.writeKubeconfig(kubeconfig);
  const client = Client.fromKubeConfig(server.kubeConfig);
  try {
    logger.info({ kubeconfig }, 'embedded MemoryApiServer started');
    logger.info(`try: kubectl --kubeconfig ${kubeconfig} get pods --watch`);
    const api = Api.namespaced(client, pods, 'default');
    for (const [name, ttl] of [
      ['short-lived', '20s'],
      ['long-lived', '1h'],
    ] as const) {
      await api.create({
        metadata: { name, annotations: { [TTL]: ttl } },
        spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10' }] },
      });
    }
    logger.info('created default/short-lived (20s) and default/long-lived (1h); Ctrl-C stops');
    await run(client);
  } finally {
    client.close();
    await server.stop();
    await rm(kubeconfig, { force: true });
  }
}

main().catch((error: unknown) => {
  logger.error({ error: describeError(error) }, 'ttl-reaper failed');
  process.exitCode = 1;
});
