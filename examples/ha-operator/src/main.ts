#!/usr/bin/env node
/**
 * One replica of the leader-elected operator. Start several: one leads and stamps the
 * ConfigMaps, the others stand by and take over when it stops or dies.
 *
 * Environment: KUBECONFIG (without it: an embedded MemoryApiServer, and the command that
 * starts a second replica against it is printed), POD_NAME (the identity; default
 * `<hostname>_<pid>`), POD_NAMESPACE (the Lease's namespace, default `default`),
 * WATCH_NAMESPACE (default: every namespace), PORT (probes and metrics, default 8080),
 * LEASE_DURATION_MS / RENEW_DEADLINE_MS / RETRY_PERIOD_MS (default 15 s / 10 s / 2 s).
 */
import { rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, Client } from '@kube-ts/client';
import { configMaps } from '@kube-ts/k8s/core/v1';
import { describeError } from '@kube-ts/runtime';
import { MemoryApiServer } from '@kube-ts/testing';
import { pino } from 'pino';
import { replica } from './replica.js';
import { STAMP } from './stamper.js';

const identity = process.env.POD_NAME ?? `${hostname()}_${process.pid}`;
const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' }).child({ replica: identity });
const number = (name: string): number | undefined =>
  process.env[name] ? Number(process.env[name]) : undefined;

async function run(client: Client): Promise<void> {
  const manager = replica({
    client,
    logger,
    identity,
    namespace: process.env.POD_NAMESPACE ?? 'default',
    watchNamespace: process.env.WATCH_NAMESPACE,
    port: number('PORT'),
    leaseDurationMs: number('LEASE_DURATION_MS'),
    renewDeadlineMs: number('RENEW_DEADLINE_MS'),
    retryPeriodMs: number('RETRY_PERIOD_MS'),
  });
  // Resolves after SIGTERM/SIGINT; rejects when leadership is lost (main exits 1 then).
  await manager.start();
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
  const kubeconfig = join(tmpdir(), `ha-operator-${process.pid}.kubeconfig`);
  await server.writeKubeconfig(kubeconfig);
  const client = Client.fromKubeConfig(server.kubeConfig);
  try {
    logger.info({ kubeconfig }, 'embedded MemoryApiServer started');
    logger.info(
      `start a second replica: KUBECONFIG=${kubeconfig} POD_NAME=replica-b PORT=0 npm start -w @kube-ts/example-ha-operator`,
    );
    await Api.namespaced(client, configMaps, 'default').create({
      metadata: { name: 'sample', labels: { [STAMP]: 'true' } },
    });
    await run(client);
  } finally {
    client.close();
    await server.stop();
    await rm(kubeconfig, { force: true });
  }
}

main().catch((error: unknown) => {
  logger.error({ error: describeError(error) }, 'replica stopped');
  process.exitCode = 1;
});
