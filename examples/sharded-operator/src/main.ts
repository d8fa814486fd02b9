#!/usr/bin/env node
/**
 * One replica of the sharded operator. Start several against one API server: each
 * reconciles only the ConfigMaps (labelled `sharded-demo.kube-ts.dev/member=true`) of its
 * shard; the leader also runs the sharder. Every reconcile's start and end, and every
 * second the names in the replica's cache, are appended to the log file SHARD_LOG.
 *
 * Environment: KUBECONFIG (required), POD_NAME (the shard name, a DNS-1123 label),
 * POD_NAMESPACE (default `default`), SHARD_LOG (default `./sharded-demo.log`), PORT
 * (default 8080), LEASE_DURATION_MS / RENEW_DEADLINE_MS / RETRY_PERIOD_MS (15 s / 10 s / 2 s),
 * DEAD_LEASE_TTL_MS (60 s).
 *
 * Started with an IPC channel (as the e2e test's Fleet does), the replica stops when its
 * parent goes away, so that a test runner that died leaves no replica behind.
 */
import { hostname } from 'node:os';
import { Client } from '@kube-ts/client';
import { describeError } from '@kube-ts/runtime';
import { pino } from 'pino';
import { monotonicMicros, record, shardedReplica } from './replica.js';

const identity = process.env.POD_NAME ?? hostname().toLowerCase();
const log = process.env.SHARD_LOG ?? './sharded-demo.log';
const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' }).child({ replica: identity });
const number = (name: string): number | undefined =>
  process.env[name] ? Number(process.env[name]) : undefined;

async function main(): Promise<void> {
  const client = Client.fromDefault();
  const { manager, controller } = shardedReplica({
    client,
    logger,
    identity,
    namespace: process.env.POD_NAMESPACE ?? 'default',
    log,
    port: number('PORT'),
    leaseDurationMs: number('LEASE_DURATION_MS'),
    renewDeadlineMs: number('RENEW_DEADLINE_MS'),
    retryPeriodMs: number('RETRY_PERIOD_MS'),
    deadLeaseTtlMs: number('DEAD_LEASE_TTL_MS'),
  });
  if (process.channel !== undefined) {
    process.channel.unref(); // the channel alone keeps nothing running
    process.once('disconnect', () => {
      logger.warn('parent process gone; stopping');
      // The parent may have taken the API server with it: do not wait long for a clean stop.
      setTimeout(() => process.exit(1), 5_000).unref();
      void manager.stop();
    });
  }
  const snapshots = setInterval(() => {
    if (!controller.store.isReady) return;
    const objects = controller.store.list().map((cm) => cm.metadata?.name ?? '');
    record(log, { replica: identity, phase: 'cache', objects, t: monotonicMicros() });
  }, 1_000);
  try {
    // Resolves after SIGTERM; rejects when the shard Lease or leadership is lost.
    await manager.start();
  } finally {
    clearInterval(snapshots);
    client.close();
  }
}

main().catch((error: unknown) => {
  logger.error({ error: describeError(error) }, 'replica stopped');
  process.exitCode = 1;
});
