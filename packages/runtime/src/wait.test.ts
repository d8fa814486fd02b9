import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import type { CustomResourceDefinition, JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { useMemoryApiServer } from '@kube-ts/test-support';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WAIT } from './cache/memory-server.test-helper.js';
import { conditions } from './conditions.js';
import { AwaitConditionTimeoutError, awaitCondition } from './wait.js';
import { FakeSource } from './watcher/fake-source.test-helper.js';

let configMaps: Api<ConfigMap>;

const env = useMemoryApiServer(undefined, (server) => Client.fromKubeConfig(server.kubeConfig));

beforeAll(async () => {
  configMaps = Api.namespaced(env.client, resources.configMaps, 'default');
});
afterEach(() => {
  vi.useRealTimers();
});

describe('awaitCondition (MemoryApiServer)', () => {
  it('resolves at once when the condition already holds', async () => {
    const cm = await configMaps.create({ metadata: { name: 'already' }, data: { a: '1' } });
    const found = await awaitCondition(configMaps, 'already', (o) => o?.data?.a === '1');
    expect(found?.metadata?.uid).toBe(cm.metadata?.uid);
  });

  it('waits for a change', async () => {
    await configMaps.create({ metadata: { name: 'changes' }, data: { a: '1' } });
    const waiting = awaitCondition(configMaps, 'changes', (o) => o?.data?.a === '2');
    await configMaps.patch('changes', { type: 'merge', body: { data: { a: '2' } } });
    expect((await waiting)?.data?.a).toBe('2');
  });

  it('isDeleted(uid) resolves with undefined once the object is gone', async () => {
    const cm = await configMaps.create({ metadata: { name: 'doomed', finalizers: ['x.io/hold'] } });
    const waiting = awaitCondition(configMaps, 'doomed', conditions.isDeleted(cm.metadata!.uid!));
    await configMaps.delete('doomed');
    await configMaps.patch('doomed', { type: 'merge', body: { metadata: { finalizers: null } } });
    expect(await waiting).toBeUndefined();
  });

  it('isCrdEstablished resolves once a new CRD is served', async () => {
    const crds = Api.cluster(env.client, resources.customResourceDefinitions);
    const crd: CustomResourceDefinition = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                'x-kubernetes-preserve-unknown-fields': true,
              } as JSONSchemaProps,
            },
          },
        ],
      },
    };
    await crds.create(crd);
    const established = await awaitCondition(
      crds,
      'widgets.example.com',
      conditions.isCrdEstablished(),
      { timeoutMs: 10_000 },
    );
    expect(established?.status?.conditions?.some((c) => c.type === 'Established')).toBe(true);
  });
});

describe('awaitCondition (virtual time)', () => {
  it('rejects with AwaitConditionTimeoutError after timeoutMs and closes the watch', async () => {
    vi.useFakeTimers();
    const source = new FakeSource<ConfigMap>();
    source.answerList({ metadata: { resourceVersion: '1' }, items: [] });
    const waiting = awaitCondition(source, 'never', (o) => o !== undefined, { timeoutMs: 5000 });
    const outcome = waiting.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(4999);
    expect(source.watches).toHaveLength(1);
    expect(source.current.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(AwaitConditionTimeoutError);
    expect(String(error)).toMatch(/'never' did not reach the condition within 5000ms/);
    await vi.advanceTimersByTimeAsync(0);
    expect(source.current.closed).toBe(true);
  });

  it('rejects with the signal reason on abort and closes the watch', async () => {
    const source = new FakeSource<ConfigMap>();
    source.answerList({ metadata: { resourceVersion: '1' }, items: [] });
    const abort = new AbortController();
    const waiting = awaitCondition(source, 'never', (o) => o !== undefined, {
      signal: abort.signal,
    });
    await vi.waitFor(() => expect(source.watches).toHaveLength(1), WAIT);
    abort.abort(new Error('stop waiting'));
    await expect(waiting).rejects.toThrow('stop waiting');
    await vi.waitFor(() => expect(source.current.closed).toBe(true), WAIT);
  });
});

describe('conditions', () => {
  it('isDeleted: absent or replaced by another uid', () => {
    const c = conditions.isDeleted<ConfigMap>('u1');
    expect(c(undefined)).toBe(true);
    expect(c({ metadata: { uid: 'u2' } })).toBe(true);
    expect(c({ metadata: { uid: 'u1' } })).toBe(false);
  });

  it('isPodRunning, isJobCompleted', () => {
    expect(conditions.isPodRunning()({ status: { phase: 'Running' } })).toBe(true);
    expect(conditions.isPodRunning()({ status: { phase: 'Pending' } })).toBe(false);
    expect(conditions.isPodRunning()(undefined)).toBe(false);
    const done = { status: { conditions: [{ type: 'Complete', status: 'True' }] } };
    const failed = { status: { conditions: [{ type: 'Failed', status: 'True' }] } };
    expect(conditions.isJobCompleted()(done as never)).toBe(true);
    expect(conditions.isJobCompleted()(failed as never)).toBe(false);
  });

  it('isDeploymentCompleted needs the latest generation observed and NewReplicaSetAvailable', () => {
    const progressing = [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }];
    const c = conditions.isDeploymentCompleted();
    expect(
      c({
        metadata: { generation: 2 },
        status: { observedGeneration: 2, conditions: progressing },
      } as never),
    ).toBe(true);
    expect(
      c({
        metadata: { generation: 3 },
        status: { observedGeneration: 2, conditions: progressing },
      } as never),
    ).toBe(false);
    const updating = [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }];
    expect(
      c({
        metadata: { generation: 2 },
        status: { observedGeneration: 2, conditions: updating },
      } as never),
    ).toBe(false);
  });

  it('and / or combine conditions', () => {
    const yes = () => true;
    const no = () => false;
    expect(conditions.and<ConfigMap>(yes, no)(undefined)).toBe(false);
    expect(conditions.or<ConfigMap>(yes, no)(undefined)).toBe(true);
  });
});
