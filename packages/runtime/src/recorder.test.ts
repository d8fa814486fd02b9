import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import type { Event as EventsV1Event } from '@kube-ts/k8s/events/v1';
import { useMemoryApiServer } from '@kube-ts/test-support';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Recorder } from './recorder.js';

let events: Api<EventsV1Event>;
let configMaps: Api<ConfigMap>;

const env = useMemoryApiServer(undefined, (server) => Client.fromKubeConfig(server.kubeConfig));

beforeAll(async () => {
  events = Api.namespaced(env.client, resources.eventsV1, 'default');
  configMaps = Api.namespaced(env.client, resources.configMaps, 'default');
});
afterEach(() => {
  vi.useRealTimers();
});

let n = 0;
async function subject(): Promise<ConfigMap> {
  const cm = await configMaps.create({ metadata: { name: `subject-${n++}` } });
  return { ...cm, apiVersion: 'v1', kind: 'ConfigMap' };
}

async function eventsAbout(obj: ConfigMap): Promise<EventsV1Event[]> {
  const list = await events.list();
  return list.items.filter((e) => e.regarding?.uid === obj.metadata?.uid);
}

const created = {
  type: 'Normal',
  reason: 'Created',
  action: 'Reconcile',
  note: 'made it',
} as const;

describe('Recorder', () => {
  it("passes the signal to its requests: an aborted publish rejects with the signal's reason", async () => {
    const recorder = new Recorder(env.client, { controller: 'example.com/test' });
    const obj = await subject();
    const ac = new AbortController();
    ac.abort(new Error('reconcile cancelled'));
    await expect(recorder.publish(created, obj, { signal: ac.signal })).rejects.toThrow(
      'reconcile cancelled',
    );
    expect(await eventsAbout(obj)).toEqual([]);
  });

  it('creates an events.k8s.io/v1 Event about the object', async () => {
    const obj = await subject();
    const recorder = new Recorder(env.client, {
      controller: 'example.com/test',
      instance: 'pod-1',
    });
    await recorder.publish(created, obj);
    const [event, ...rest] = await eventsAbout(obj);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      type: 'Normal',
      reason: 'Created',
      action: 'Reconcile',
      note: 'made it',
      reportingController: 'example.com/test',
      reportingInstance: 'pod-1',
      regarding: { kind: 'ConfigMap', name: obj.metadata?.name, namespace: 'default' },
    });
    expect(String(event?.eventTime)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(event?.series).toBeUndefined();
  });

  it('aggregates repeats within the window into a series instead of new Events', async () => {
    const obj = await subject();
    const recorder = new Recorder(env.client, { controller: 'example.com/test' });
    await recorder.publish(created, obj);
    await recorder.publish(created, obj);
    await recorder.publish(created, obj);
    const list = await eventsAbout(obj);
    expect(list).toHaveLength(1);
    expect(list[0]?.series?.count).toBe(3);
    expect(String(list[0]?.series?.lastObservedTime)).toMatch(/\.\d{6}Z$/);
  });

  it('keeps different reasons, notes or objects apart', async () => {
    const a = await subject();
    const b = await subject();
    const recorder = new Recorder(env.client, { controller: 'example.com/test' });
    await recorder.publish(created, a);
    await recorder.publish({ ...created, note: 'other note' }, a);
    await recorder.publish({ ...created, reason: 'Updated' }, a);
    await recorder.publish(created, b);
    expect(await eventsAbout(a)).toHaveLength(3);
    expect(await eventsAbout(b)).toHaveLength(1);
  });

  it('starts a new Event once the window has passed (virtual clock)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const obj = await subject();
    const recorder = new Recorder(
      env.client,
      { controller: 'example.com/test' },
      { seriesWindowMs: 60_000 },
    );
    await recorder.publish(created, obj);
    vi.setSystemTime(Date.now() + 60_001);
    await recorder.publish(created, obj);
    const list = await eventsAbout(obj);
    expect(list).toHaveLength(2);
    expect(list.every((e) => e.series === undefined)).toBe(true);
  });

  it('creates a new Event when the series Event was deleted meanwhile', async () => {
    const obj = await subject();
    const recorder = new Recorder(env.client, { controller: 'example.com/test' });
    await recorder.publish(created, obj);
    const [first] = await eventsAbout(obj);
    await events.delete(first!.metadata!.name!);
    await recorder.publish(created, obj);
    const list = await eventsAbout(obj);
    expect(list).toHaveLength(1);
    expect(list[0]?.metadata?.name).not.toBe(first?.metadata?.name);
  });

  it('forgets the least recently used series beyond maxSeries', async () => {
    const a = await subject();
    const b = await subject();
    const recorder = new Recorder(env.client, { controller: 'example.com/test' }, { maxSeries: 1 });
    await recorder.publish(created, a);
    await recorder.publish(created, b); // evicts a's series
    await recorder.publish(created, a);
    expect(await eventsAbout(a)).toHaveLength(2);
  });

  it('puts events about cluster-scoped objects in the default namespace', async () => {
    const ns = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'kube-public', uid: 'ns-uid-1' },
    };
    const recorder = new Recorder(env.client, { controller: 'example.com/test' });
    await recorder.publish(created, ns);
    const list = (await events.list()).items.filter((e) => e.regarding?.uid === 'ns-uid-1');
    expect(list).toHaveLength(1);
  });

  it('requires a controller name', () => {
    expect(() => new Recorder(env.client, { controller: '' })).toThrow(
      /reporter.controller is required/,
    );
  });
});
