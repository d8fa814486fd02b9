/**
 * Differential: core/v1 Events and events.k8s.io/v1 Events are two views of one store, as
 * on kube-apiserver: an Event recorded through one API is read, listed, watched and
 * deleted through the other, with the fields renamed.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { raw, rawWatch } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-events');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const core = (name = '') => `/api/v1/namespaces/${ns}/events${name ? `/${name}` : ''}`;
const events = (name = '') =>
  `/apis/events.k8s.io/v1/namespaces/${ns}/events${name ? `/${name}` : ''}`;

const regarding = () => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  name: 'subject',
  namespace: ns,
  uid: '6f1c9d8e-0000-4000-8000-000000000001',
});

function coreEvent(name: string) {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name },
    involvedObject: regarding(),
    reason: 'Synced',
    message: 'recorded through core/v1',
    source: { component: 'legacy-recorder' },
    firstTimestamp: '2026-01-02T03:04:05Z',
    lastTimestamp: '2026-01-02T03:04:06Z',
    count: 2,
    type: 'Normal',
  };
}

function newEvent(name: string) {
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name },
    eventTime: '2026-01-02T03:04:05.123456Z',
    reportingController: 'example.com/operator',
    reportingInstance: 'operator-0',
    action: 'Reconcile',
    reason: 'Synced',
    regarding: regarding(),
    note: 'recorded through events.k8s.io/v1',
    type: 'Warning',
  };
}

test('a core/v1 Event reads as an events.k8s.io/v1 Event', async () => {
  const created = await raw(kc(), 'POST', core(), { body: coreEvent('from-core') });
  expect(created.status).toBe(201);
  const res = await raw(kc(), 'GET', events('from-core'));
  expect(res.status).toBe(200);
  const ev = res.json();
  expect(ev).toMatchObject({
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: {
      name: 'from-core',
      uid: created.json().metadata.uid,
      resourceVersion: created.json().metadata.resourceVersion,
    },
    regarding: regarding(),
    reason: 'Synced',
    note: 'recorded through core/v1',
    deprecatedSource: { component: 'legacy-recorder' },
    deprecatedFirstTimestamp: '2026-01-02T03:04:05Z',
    deprecatedLastTimestamp: '2026-01-02T03:04:06Z',
    deprecatedCount: 2,
    type: 'Normal',
    eventTime: null,
  });
  for (const field of ['involvedObject', 'message', 'source', 'count', 'firstTimestamp']) {
    expect(ev[field]).toBeUndefined();
  }
});

test('an events.k8s.io/v1 Event is listed through core/v1', async () => {
  const created = await raw(kc(), 'POST', events(), { body: newEvent('from-events') });
  expect(created.status).toBe(201);
  expect(created.json().note).toBe('recorded through events.k8s.io/v1');
  const list = (await raw(kc(), 'GET', core())).json();
  const ev = list.items.find(
    (e: { metadata: { name: string } }) => e.metadata.name === 'from-events',
  );
  expect(ev).toMatchObject({
    metadata: { uid: created.json().metadata.uid },
    involvedObject: regarding(),
    reason: 'Synced',
    message: 'recorded through events.k8s.io/v1',
    reportingComponent: 'example.com/operator',
    reportingInstance: 'operator-0',
    action: 'Reconcile',
    eventTime: '2026-01-02T03:04:05.123456Z',
    type: 'Warning',
    source: {},
    firstTimestamp: null,
    lastTimestamp: null,
  });
  for (const field of ['regarding', 'note', 'reportingController']) {
    expect(ev[field]).toBeUndefined();
  }
});

test('watching one API sees Events written through the other', async () => {
  const fromCore = await rawWatch(
    kc(),
    events(),
    { fieldSelector: 'metadata.name=watched-core' },
    (evs) => evs.length > 0,
    async () => {
      expect((await raw(kc(), 'POST', core(), { body: coreEvent('watched-core') })).status).toBe(
        201,
      );
    },
  );
  expect(fromCore[0]).toMatchObject({
    type: 'ADDED',
    object: { apiVersion: 'events.k8s.io/v1', note: 'recorded through core/v1' },
  });

  const fromEvents = await rawWatch(
    kc(),
    core(),
    { fieldSelector: 'metadata.name=watched-new' },
    (evs) => evs.length > 0,
    async () => {
      const res = await raw(kc(), 'POST', events(), { body: newEvent('watched-new') });
      expect(res.status).toBe(201);
    },
  );
  expect(fromEvents[0]).toMatchObject({
    type: 'ADDED',
    object: { apiVersion: 'v1', message: 'recorded through events.k8s.io/v1' },
  });
});

test('an Event deleted through one API is gone from the other', async () => {
  await raw(kc(), 'POST', events(), { body: newEvent('short-lived') });
  expect((await raw(kc(), 'DELETE', core('short-lived'))).status).toBe(200);
  expect((await raw(kc(), 'GET', events('short-lived'))).status).toBe(404);
});

test('events.k8s.io/v1 selects by its own field names, translated to the stored ones', async () => {
  const made = await raw(kc(), 'POST', events(), { body: newEvent('selected') });
  expect(made.status).toBe(201);
  const names = async (query: Record<string, string>) => {
    const res = await raw(kc(), 'GET', events(), { query });
    expect(res.status, res.text).toBe(200);
    return res.json().items.map((e: { metadata: { name: string } }) => e.metadata.name);
  };
  expect(await names({ fieldSelector: 'regarding.name=subject,metadata.name=selected' })).toEqual([
    'selected',
  ]);
  expect(
    await names({ fieldSelector: 'reportingController=example.com/operator,type=Warning' }),
  ).toContain('selected');
  expect(await names({ fieldSelector: 'regarding.name=other' })).toEqual([]);
  // core/v1's names are not fields of events.k8s.io/v1.
  const refused = await raw(kc(), 'GET', events(), {
    query: { fieldSelector: 'involvedObject.name=subject' },
  });
  expect(refused.status).toBe(400);
  expect(refused.json()).toMatchObject({
    reason: 'BadRequest',
    message: 'field label not supported: involvedObject.name',
  });
});

test('an events.k8s.io/v1 write records managedFields in its own field names', async () => {
  const made = await raw(kc(), 'POST', events(), {
    body: newEvent('owned'),
    query: { fieldManager: 'recorder' },
  });
  expect(made.status).toBe(201);
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
  const entry = (obj: any) => obj.metadata.managedFields.find((m: any) => m.manager === 'recorder');
  const fields = Object.keys(entry(made.json()).fieldsV1).sort();
  expect(fields).toEqual(
    [
      'f:action',
      'f:eventTime',
      'f:note',
      'f:reason',
      'f:regarding',
      'f:reportingController',
      'f:reportingInstance',
      'f:type',
    ].sort(),
  );
  expect(entry(made.json()).apiVersion).toBe('events.k8s.io/v1');
  // Read through core/v1, the entry is the same: managedFields are not converted.
  const viaCore = (await raw(kc(), 'GET', core('owned'))).json();
  expect(entry(viaCore)).toEqual(entry(made.json()));
});
