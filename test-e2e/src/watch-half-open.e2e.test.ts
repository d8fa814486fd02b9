/**
 * A watch whose connection freezes (open, passing nothing: a stuck intermediary, a frozen
 * API server, a half-open TCP connection) is noticed and replaced with the watcher's
 * DEFAULT settings, so that changes keep arriving.
 */
import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { createStore, reflector, watcher } from '@kube-ts/runtime';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { faultProxy } from './fault-proxy.js';
import { type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-half-open');
});

afterAll(async () => {
  await e2e?.stop();
});

/** The guarantee of docs/watcher.md: a frozen watch is replaced within 60 s by default. */
const REPLACED_WITHIN_MS = 60_000;

test(
  'a watch on a frozen connection is replaced within 60 s with default settings; no change is lost',
  async () => {
    const proxy = await faultProxy(e2e.backend.kubeConfig);
    const client = Client.fromKubeConfig(proxy.kubeConfig);
    const direct = Api.namespaced(e2e.client, resources.configMaps, ns);
    const { reader, writer } = createStore<ConfigMap>();
    const sub = reflector(
      writer,
      watcher(Api.namespaced(client, resources.configMaps, ns)),
    ).subscribe();
    try {
      await reader.waitUntilReady();
      await direct.create({ metadata: { name: 'before' } });
      await vi.waitFor(
        () => expect(reader.get({ namespace: ns, name: 'before' })).toBeDefined(),
        EVENTUALLY,
      );
      expect(proxy.freeze()).toBeGreaterThan(0);
      await direct.create({ metadata: { name: 'after-freeze' } });
      await vi.waitFor(
        () => expect(reader.get({ namespace: ns, name: 'after-freeze' })).toBeDefined(),
        { timeout: REPLACED_WITHIN_MS, interval: 250 },
      );
    } finally {
      sub.unsubscribe();
      client.close();
      await proxy.close();
    }
  },
  REPLACED_WITHIN_MS + 30_000,
);
