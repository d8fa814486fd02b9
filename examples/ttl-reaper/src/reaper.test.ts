import { Client } from '@kube-ts/client';
import type { PartialObjectMetadata } from '@kube-ts/core';
import { Reconciler } from '@kube-ts/runtime';
import { MemoryApiServer } from '@kube-ts/testing';
import { pino } from 'pino';
import { lastValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseTtl, ReaperReconciler, reaper } from './reaper.js';
import { reaperScenario } from './scenario.js';

let server: MemoryApiServer;
let client: Client;

beforeAll(async () => {
  server = await MemoryApiServer.start();
  client = Client.fromKubeConfig(server.kubeConfig);
});

afterAll(async () => {
  client.close();
  await server.stop();
});

describe('parseTtl', () => {
  test('reads seconds, minutes and hours', () => {
    expect([parseTtl('90s'), parseTtl('15m'), parseTtl('2h')]).toEqual([
      90_000, 900_000, 7_200_000,
    ]);
  });
  test('refuses anything else', () => {
    for (const bad of [undefined, '', '10', '1d', '-5s', '1.5h', ' 5s'])
      expect(parseTtl(bad)).toBeUndefined();
  });
});

test('a Pod not yet due is requeued for exactly the time it has left', async () => {
  const created = '2026-11-29T10:00:00Z';
  const now = () => Date.parse(created) + 25_000;
  const pod: PartialObjectMetadata = {
    apiVersion: 'meta.k8s.io/v1',
    kind: 'PartialObjectMetadata',
    metadata: {
      name: 'p',
      namespace: 'ns',
      creationTimestamp: created,
      annotations: { 'ttl.kube-ts.dev/after': '1m' },
    },
  };
  const action = await new ReaperReconciler(now).reconcile(pod, client, {
    reason: { type: 'objectUpdated' },
    signal: new AbortController().signal,
    logger: pino({ level: 'silent' }),
  });
  expect(action.requeueAfterMs).toBe(35_000);
});

test('expired Pods are deleted from a metadata-only watch; the others stay until due', async () => {
  const seen: PartialObjectMetadata[] = [];
  // Records what the controller hands the reconciler: metadata, never a Pod spec.
  class Recording extends Reconciler<PartialObjectMetadata, Client> {
    readonly #inner = new ReaperReconciler();
    async reconcile(...args: Parameters<ReaperReconciler['reconcile']>) {
      seen.push(args[0]);
      return this.#inner.reconcile(...args);
    }
  }
  const stop = new AbortController();
  const done = lastValueFrom(
    reaper(client, 'default')
      .withConfig({ logger: pino({ level: 'silent' }) })
      .gracefulShutdownOn(stop.signal)
      .run(new Recording(), client),
    { defaultValue: undefined },
  );
  try {
    await reaperScenario(client, 'default');
  } finally {
    stop.abort();
    await done;
  }
  expect(seen.length).toBeGreaterThan(0);
  for (const obj of seen) {
    expect(obj.kind).toBe('PartialObjectMetadata');
    expect(obj).not.toHaveProperty('spec');
  }
}, 120_000);
