#!/usr/bin/env node
/**
 * The ConfigMap syncer. Without KUBECONFIG it starts an embedded MemoryApiServer with the
 * namespaces `source`, `team-a` and `team-b` and a sample source ConfigMap; with it, it
 * runs against that cluster. Ctrl-C stops it.
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { MemoryApiServer } from '@kube-ts/testing';
import { pino } from 'pino';
import { lastValueFrom } from 'rxjs';
import { ENABLED, SyncReconciler, syncer, TARGETS } from './syncer.js';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });

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
  const kubeconfig = join(tmpdir(), `configmap-syncer-${process.pid}.kubeconfig`);
  await server.writeKubeconfig(kubeconfig);
  const client = Client.fromKubeConfig(server.kubeConfig);
  try {
    logger.info({ kubeconfig }, 'embedded MemoryApiServer started');
    logger.info(
      `try: kubectl --kubeconfig ${kubeconfig} get configmaps -A -l sync.kube-ts.dev/from`,
    );
    const namespaces = Api.cluster(client, resources.namespaces);
    for (const name of ['source', 'team-a', 'team-b']) {
      await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
    await Api.namespaced(client, resources.configMaps, 'source').create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'settings',
        labels: { [ENABLED]: 'true' },
        annotations: { [TARGETS]: 'team-a,team-b' },
      },
      data: { mode: 'shared' },
    });
    logger.info('created source/settings, to be copied to team-a and team-b; Ctrl-C stops');
    await run(client);
  } finally {
    client.close();
    await server.stop();
    await rm(kubeconfig, { force: true });
  }
}

async function run(client: Client): Promise<void> {
  await lastValueFrom(
    syncer(client, logger).shutdownOnSignal().run(new SyncReconciler(), { client }),
    {
      defaultValue: undefined,
    },
  );
}

main().catch((error: unknown) => {
  logger.error({ error: String(error) }, 'configmap-syncer failed');
  process.exitCode = 1;
});
