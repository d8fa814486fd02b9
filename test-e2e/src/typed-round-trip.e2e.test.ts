/**
 * Differential: a built-in object is stored and served as kube-apiserver's typed round trip
 * writes it (decoded into its Go struct, written back by encoding/json): the members its
 * Go structs always write appear even when the client left them out (`null` for a time
 * that is not a pointer, `{}` for a struct, `""`/`0`/`false` for plain values), `null` and
 * the empty values of `omitempty` fields are dropped, struct fields come in Go's order and
 * map keys sorted; a Pod's status keeps the QoS class the server set. Key order is
 * compared with `JSON.stringify` and `Object.keys`, which keep it. Same requests, same
 * assertions on every backend.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-round-trip');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;

async function ok(method: string, path: string, body?: unknown) {
  const res = await raw(kc(), method, path, body === undefined ? {} : { body });
  expect(res.status, res.text).toBeLessThan(300);
  return res.json();
}

test('a Pod status written without the members Go always writes reads back with them, in Go order', async () => {
  const pods = `/api/v1/namespaces/${ns}/pods`;
  const created = await ok('POST', pods, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'status-members' },
    spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
  });
  expect(created.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  await ok('PUT', `${pods}/status-members/status`, {
    ...created,
    status: {
      phase: 'Running',
      conditions: [{ status: 'True', type: 'Ready' }],
      containerStatuses: [
        {
          image: 'nginx:1.27',
          imageID: '',
          name: 'c',
          ready: true,
          restartCount: 0,
          state: { running: {} },
        },
      ],
    },
  });
  const read = await ok('GET', `${pods}/status-members`);
  // Go writes a condition's times (not pointers) as null, a running container's startedAt
  // too, `lastState` (a struct) as {}, and keeps the QoS class the status write left out.
  expect(JSON.stringify(read.status)).toBe(
    JSON.stringify({
      phase: 'Running',
      conditions: [
        { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: null },
      ],
      containerStatuses: [
        {
          name: 'c',
          state: { running: { startedAt: null } },
          lastState: {},
          ready: true,
          restartCount: 0,
          image: 'nginx:1.27',
          imageID: '',
        },
      ],
      qosClass: 'BestEffort',
    }),
  );
});

test('a Deployment status condition without times is stored with them null', async () => {
  const deployments = `/apis/apps/v1/namespaces/${ns}/deployments`;
  const created = await ok('POST', deployments, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'conditions' },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'conditions' } },
      template: {
        metadata: { labels: { app: 'conditions' } },
        spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
      },
    },
  });
  // The answer to the write is what was stored (the deployment controller may write later,
  // so the write is unconditional: no resourceVersion).
  const written = await ok('PUT', `${deployments}/conditions/status`, {
    ...created,
    metadata: { name: 'conditions' },
    status: { conditions: [{ message: 'by hand', status: 'True', type: 'Available' }] },
  });
  expect(JSON.stringify(written.status.conditions)).toBe(
    JSON.stringify([
      {
        type: 'Available',
        status: 'True',
        lastUpdateTime: null,
        lastTransitionTime: null,
        message: 'by hand',
      },
    ]),
  );
});

test('null and the empty values of omitempty fields are dropped; fields in Go order, map keys sorted', async () => {
  const created = await ok('POST', `/api/v1/namespaces/${ns}/pods`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'empties', labels: { zeta: '1', alpha: '2' }, finalizers: [] },
    spec: {
      hostNetwork: false,
      nodeName: '',
      priorityClassName: null,
      nodeSelector: {},
      containers: [
        { workingDir: '', ports: [], stdin: false, image: 'nginx:1.27', name: 'c', args: null },
      ],
    },
  });
  expect(created.metadata.finalizers).toBeUndefined();
  expect(Object.keys(created.metadata.labels)).toEqual(['alpha', 'zeta']);
  expect(Object.keys(created.spec)).toEqual([
    'containers',
    'restartPolicy',
    'terminationGracePeriodSeconds',
    'dnsPolicy',
    'securityContext',
    'schedulerName',
    'tolerations',
    'priority',
    'enableServiceLinks',
    'preemptionPolicy',
  ]);
  expect(Object.keys(created.spec.containers[0])).toEqual([
    'name',
    'image',
    'resources',
    'terminationMessagePath',
    'terminationMessagePolicy',
    'imagePullPolicy',
  ]);
  const cm = await ok('POST', `/api/v1/namespaces/${ns}/configmaps`, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'sorted', annotations: { b: '1', a: '2' } },
    data: { z: '1', m: '2', a: '3' },
  });
  expect(Object.keys(cm.data)).toEqual(['a', 'm', 'z']);
  expect(Object.keys(cm.metadata.annotations)).toEqual(['a', 'b']);
  const svc = await ok('POST', `/api/v1/namespaces/${ns}/services`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'order' },
    spec: { selector: { app: 'x' }, ports: [{ port: 80 }] },
  });
  expect(Object.keys(svc.spec)).toEqual([
    'ports',
    'selector',
    'clusterIP',
    'clusterIPs',
    'type',
    'sessionAffinity',
    'ipFamilies',
    'ipFamilyPolicy',
    'internalTrafficPolicy',
  ]);
  expect(svc.status).toEqual({ loadBalancer: {} });
});

test('an events.k8s.io/v1 Event is written in its own struct order with its zero values', async () => {
  const made = await ok('POST', `/apis/events.k8s.io/v1/namespaces/${ns}/events`, {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'ordered' },
    type: 'Normal',
    regarding: { kind: 'Pod', name: 'p', namespace: ns },
    reason: 'Made',
    action: 'Make',
    reportingInstance: 'i-1',
    reportingController: 'example.com/maker',
    eventTime: '2026-01-01T00:00:00.000000Z',
  });
  expect(Object.keys(made)).toEqual([
    'kind',
    'apiVersion',
    'metadata',
    'eventTime',
    'reportingController',
    'reportingInstance',
    'action',
    'reason',
    'regarding',
    'type',
    'deprecatedSource',
    'deprecatedFirstTimestamp',
    'deprecatedLastTimestamp',
  ]);
  expect(made.deprecatedSource).toEqual({});
  expect(made.deprecatedFirstTimestamp).toBeNull();
});
