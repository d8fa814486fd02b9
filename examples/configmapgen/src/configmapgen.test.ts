import { Api, Patch } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import type { Event as EventsV1Event } from '@kube-ts/k8s/events/v1';
import type { ReconcileResult } from '@kube-ts/runtime';
import pino from 'pino';
import { lastValueFrom, tap } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DemoCluster, runDemoSteps, startDemoCluster } from './demo.js';
import { formatLine } from './log.js';
import { operator } from './operator.js';
import { FINALIZER, MANAGED_BY } from './reconciler.js';
import { ConfigMapGenerator } from './resource.js';

const silent = pino({ level: 'silent' });
const patiently = { timeout: 30_000, interval: 50 };

let cluster: DemoCluster;
let stop: AbortController;
let done: Promise<unknown>;
const results: ReconcileResult[] = [];

beforeAll(async () => {
  cluster = await startDemoCluster(silent);
  stop = new AbortController();
  done = lastValueFrom(
    operator({ client: cluster.client, logger: silent, signal: stop.signal }).pipe(
      tap((r) => results.push(r)),
    ),
    { defaultValue: undefined },
  );
});
afterAll(async () => {
  stop.abort();
  await done;
  await cluster.stop();
});

async function eventsAbout(uid: string | undefined): Promise<EventsV1Event[]> {
  const events = Api.namespaced(cluster.client, resources.eventsV1, 'default');
  return (await events.list()).items.filter((e) => e.regarding?.uid === uid);
}

describe('ConfigMapGenerator operator (MemoryApiServer)', () => {
  it('generates an owned ConfigMap, writes status, records events, and cleans up on delete', async () => {
    const generators = Api.namespaced(cluster.client, ConfigMapGenerator, 'default');
    const configMaps = Api.namespaced(cluster.client, resources.configMaps, 'default');
    const created = await generators.create(
      ConfigMapGenerator.create(
        'app',
        { content: { a: '1' }, labels: { team: 'x' } },
        { namespace: 'default' },
      ),
    );
    const uid = created.metadata.uid;

    await vi.waitFor(async () => {
      const gen = await generators.get('app');
      expect(gen.metadata.finalizers).toEqual([FINALIZER]);
      expect(gen.status).toMatchObject({
        observedGeneration: 1,
        configMapName: 'app-generated',
        conditions: [{ type: 'Ready', status: 'True', reason: 'Generated' }],
      });
    }, patiently);
    const cm = await configMaps.get('app-generated');
    expect(cm.data).toEqual({ a: '1' });
    expect(cm.metadata?.labels).toMatchObject({ ...MANAGED_BY, team: 'x' });
    expect(cm.metadata?.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'ConfigMapGenerator', name: 'app', uid, controller: true }),
    ]);
    await vi.waitFor(async () => {
      expect((await eventsAbout(uid)).map((e) => e.reason)).toContain('ConfigMapCreated');
    }, patiently);

    // A change of the spec reaches the ConfigMap and the status.
    await generators.patch('app', Patch.merge({ spec: { content: { a: '2', b: '3' } } }));
    await vi.waitFor(async () => {
      expect((await configMaps.get('app-generated')).data).toEqual({ a: '2', b: '3' });
      expect((await generators.get('app')).status?.observedGeneration).toBe(2);
    }, patiently);
    await vi.waitFor(async () => {
      expect((await eventsAbout(uid)).map((e) => e.reason)).toContain('ConfigMapUpdated');
    }, patiently);

    // Someone edits the generated ConfigMap: the operator (which owns it) restores it.
    await configMaps.patch('app-generated', Patch.merge({ data: { a: 'tampered' } }));
    await vi.waitFor(async () => {
      expect((await configMaps.get('app-generated')).data).toEqual({ a: '2', b: '3' });
    }, patiently);

    // Deletion runs the finalizer's cleanup, then the object goes away.
    await generators.delete('app');
    await vi.waitFor(async () => {
      expect(await generators.getOpt('app')).toBeUndefined();
      expect(await configMaps.getOpt('app-generated')).toBeUndefined();
    }, patiently);
    expect((await eventsAbout(uid)).map((e) => e.reason)).toContain('CleanedUp');
    expect(results.some((r) => r.ok && r.ref.name === 'app')).toBe(true);
  });

  it('runs the demo steps (the embedded `npm start` scenario) to the end', async () => {
    await runDemoSteps(cluster.client, silent);
    const generators = Api.namespaced(cluster.client, ConfigMapGenerator, 'default');
    const names = (await generators.list()).items.map((g) => g.metadata.name).sort();
    expect(names).toEqual(['greeting', 'settings']);
    const configMaps = Api.namespaced(cluster.client, resources.configMaps, 'default');
    expect((await configMaps.get('greeting-generated')).data).toEqual({
      hello: 'kube-ts',
      added: 'yes',
    });
    expect(await configMaps.getOpt('temporary-generated')).toBeUndefined();
  });
});

describe('formatLine', () => {
  it('prints pino JSON as one readable line with the controller and the fields', () => {
    const line = JSON.stringify({
      level: 30,
      time: Date.UTC(2026, 0, 1, 12, 0, 1, 234),
      pid: 1,
      hostname: 'h',
      controller: 'ConfigMapGenerator',
      msg: 'reconciled',
      object: 'default/app',
      durationMs: 5,
    });
    expect(formatLine(line)).toBe(
      '12:00:01.234 INFO  [ConfigMapGenerator] reconciled  object=default/app durationMs=5\n',
    );
    expect(formatLine('not json\n')).toBe('not json\n');
  });
});
