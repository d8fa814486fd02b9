/**
 * @kube-ts/k8s's generated types against what the backend really sends: times, MicroTimes,
 * IntOrStrings and Quantities are the JSON strings and numbers on the wire. The type-level
 * half (`expectTypeOf`, `@ts-expect-error`) is checked by `tsc -b` in `npm test`; the runtime
 * half proves the types describe the objects the backend returns.
 */
import { Api } from '@kube-ts/client';
import { type Deployment, deployments } from '@kube-ts/k8s/apps/v1';
import { type Pod, pods } from '@kube-ts/k8s/core/v1';
import { type Event, events } from '@kube-ts/k8s/events/v1';
import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from 'vitest';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-k8s-types');
});

afterAll(async () => {
  await e2e?.stop();
});

const pod = (name: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10' }] },
});

describe('@kube-ts/k8s wire types', () => {
  test('a descriptor types its Api: Api.namespaced(client, pods, ns).get() is a Promise<Pod>', async () => {
    const api = Api.namespaced(e2e.client, pods, ns);
    expectTypeOf(api).toEqualTypeOf<Api<Pod>>();
    expectTypeOf(api.get).returns.toEqualTypeOf<Promise<Pod>>();
    await api.create(pod('typed'));
    const got = await api.get('typed');
    expect(got.spec?.containers[0]?.name).toBe('main');
  });

  test('creationTimestamp is the string the server sends, not a Date', async () => {
    const api = Api.namespaced(e2e.client, pods, ns);
    const created = await api.create(pod('times'));
    const stamp = created.metadata?.creationTimestamp;
    expectTypeOf(stamp).toEqualTypeOf<string | undefined>();
    expect(typeof stamp).toBe('string');
    expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // @ts-expect-error a Time is a string on the wire; it has no getTime()
    expect(() => stamp?.getTime()).toThrow(TypeError);
  });

  test('an events.k8s.io Event takes its eventTime as a MicroTime string, never a Date', async () => {
    const api = Api.namespaced(e2e.client, events, ns);
    const eventTime = '2026-01-02T03:04:05.123456Z';
    const body: Event = {
      metadata: { name: 'typed-event' },
      eventTime,
      type: 'Normal',
      reason: 'Typed',
      action: 'Checked',
      reportingController: 'kube-ts.dev/e2e',
      reportingInstance: 'e2e',
      regarding: { kind: 'Pod', name: 'times', namespace: ns, apiVersion: 'v1' },
    };
    const created = await api.create(body);
    expect(created.eventTime).toBe(eventTime);
    const wrong: Event = {
      ...body,
      // @ts-expect-error a MicroTime is an RFC 3339 string; kube-apiserver rejects a Date's JSON form
      eventTime: new Date(),
    };
    expect(wrong.eventTime).toBeInstanceOf(Date);
  });

  test('IntOrString and Quantity fields are numbers or strings as on the wire', async () => {
    const api = Api.namespaced(e2e.client, deployments, ns);
    const d: Deployment = {
      metadata: { name: 'int-or-string' },
      spec: {
        selector: { matchLabels: { app: 'x' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } },
        template: {
          metadata: { labels: { app: 'x' } },
          spec: {
            containers: [
              {
                name: 'main',
                image: 'registry.k8s.io/pause:3.10',
                resources: { limits: { cpu: '100m', memory: '64Mi' } },
              },
            ],
          },
        },
      },
    };
    const created = await api.create(d);
    expect(created.spec?.strategy?.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: '25%' });
    expect(created.spec?.template.spec?.containers[0]?.resources?.limits).toEqual({
      cpu: '100m',
      memory: '64Mi',
    });
    expectTypeOf(created.spec?.strategy?.rollingUpdate?.maxSurge).toEqualTypeOf<
      number | string | undefined
    >();
  });
});
