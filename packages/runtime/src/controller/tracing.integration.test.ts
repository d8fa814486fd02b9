import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { useMemoryApiServer } from '@kube-ts/test-support';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { Action } from './action.js';
import { Controller } from './controller.js';
import { Reconciler } from './reconciler.js';

const exporter = new InMemorySpanExporter();
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
  );
});

afterAll(() => {
  trace.disable();
  context.disable();
});

const env = useMemoryApiServer({ bookmarkIntervalMs: 200 }, (server) =>
  Client.fromKubeConfig(server.kubeConfig),
);

class Reader extends Reconciler<ConfigMap, { configMaps: Api<ConfigMap> }> {
  async reconcile(cm: ConfigMap, ctx: { configMaps: Api<ConfigMap> }): Promise<Action> {
    await ctx.configMaps.getOpt('settings');
    if (cm.metadata?.name === 'bad') throw new Error('cannot reconcile bad');
    return cm.metadata?.name === 'later' ? Action.requeue(60_000) : Action.awaitChange();
  }
}

it('one span per reconcile with the object and the outcome; client spans are its children', async () => {
  const namespaces = Api.cluster(env.client, resources.namespaces);
  await namespaces.create({ metadata: { name: 'traced' } });
  const configMaps = Api.namespaced(env.client, resources.configMaps, 'traced');
  for (const name of ['good', 'bad', 'later']) await configMaps.create({ metadata: { name } });
  exporter.reset();
  const controller = new Controller(configMaps).withConfig({
    logger: pino({ level: 'silent' }),
    errorBackoff: { initialMs: 60_000, maxMs: 60_000 },
  });
  const subscription = controller.run(new Reader(), { configMaps }).subscribe();
  try {
    const reconcileSpans = () =>
      exporter.getFinishedSpans().filter((s) => s.name === 'reconcile ConfigMap');
    const names = () => new Set(reconcileSpans().map((s) => s.attributes['k8s.object.name']));
    // (kube-root-ca.crt, which every namespace has, is reconciled too.)
    await vi.waitFor(
      () => expect([...names()]).toEqual(expect.arrayContaining(['good', 'bad', 'later'])),
      {
        timeout: 15_000,
      },
    );
    const byName = new Map(reconcileSpans().map((s) => [s.attributes['k8s.object.name'], s]));
    expect(byName.get('good')!.attributes).toMatchObject({
      'kube_ts.controller': 'ConfigMap',
      'kube_ts.object.key': 'traced/good',
      'k8s.namespace.name': 'traced',
      'k8s.object.kind': 'ConfigMap',
      'kube_ts.reconcile.reason': 'objectUpdated',
      'kube_ts.reconcile.result': 'success',
    });
    expect(byName.get('good')!.status.code).toBe(0); // UNSET
    expect(byName.get('later')!.attributes).toMatchObject({
      'kube_ts.reconcile.result': 'requeue_after',
      'kube_ts.reconcile.requeue_after_ms': 60_000,
    });
    const bad = byName.get('bad')!;
    expect(bad.attributes['kube_ts.reconcile.result']).toBe('error');
    expect(bad.status).toMatchObject({ code: 2, message: 'cannot reconcile bad' });
    expect(bad.events.map((e) => e.name)).toEqual(['exception']);
    // Each reconcile's GET of the settings ConfigMap is a client span under it.
    for (const span of reconcileSpans()) {
      const children = exporter
        .getFinishedSpans()
        .filter((s) => s.parentSpanContext?.spanId === span.spanContext().spanId);
      expect(children.map((c) => [c.name, c.attributes['k8s.object.name']])).toEqual([
        ['GET configmaps', 'settings'],
      ]);
      expect(children[0]!.spanContext().traceId).toBe(span.spanContext().traceId);
    }
  } finally {
    subscription.unsubscribe();
  }
});
