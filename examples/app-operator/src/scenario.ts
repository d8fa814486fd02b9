/**
 * The App operator's behaviour, checked from the outside while it runs: by its test
 * against MemoryApiServer and by test-e2e against a real kube-apiserver (whose
 * kube-controller-manager runs the Deployment controller and the garbage collector), both
 * on a cluster with nodes where Pods run (MemoryApiServer's `nodes`; kube-scheduler and
 * kwok on the real one).
 */
import { Api, type Client, Patch } from '@kube-ts/client';
import { deployments } from '@kube-ts/k8s/apps/v1';
import { services } from '@kube-ts/k8s/core/v1';
import { events as eventsV1 } from '@kube-ts/k8s/events/v1';
import { awaitCondition, conditions } from '@kube-ts/runtime';
import { expect } from 'vitest';
import { MANAGED_BY } from './render.js';
import { App } from './resource.js';

/** A bounded poll: long enough for a real API server on a busy machine. */
const eventually = <T>(read: () => Promise<T>) =>
  expect.poll(read, { timeout: 60_000, interval: 100 });

/** The App's `Ready` condition has this status and reason. */
const readyIs =
  (status: 'True' | 'False', reason: string) =>
  (app: App | undefined): boolean =>
    app?.status?.conditions?.some(
      (c) => c.type === 'Ready' && c.status === status && c.reason === reason,
    ) === true;

/** Rendered, reported, rolled out, restored, and deleted with the App. */
export async function appScenario(client: Client, namespace: string): Promise<void> {
  const apps = Api.namespaced(client, App, namespace);
  const deploymentsApi = Api.namespaced(client, deployments, namespace);
  const servicesApi = Api.namespaced(client, services, namespace);
  const created = await apps.create(
    App.create('web', { image: 'nginx:1.27', replicas: 1, port: 8080 }, { namespace }),
  );

  // The Deployment and Service are rendered and owned by the App.
  await eventually(
    async () => (await deploymentsApi.getOpt('web'))?.spec?.template?.spec?.containers?.[0]?.image,
  ).toBe('nginx:1.27');
  await eventually(async () => servicesApi.getOpt('web')).toBeDefined();
  const svc = await servicesApi.get('web');
  expect(svc.metadata?.labels?.[MANAGED_BY]).toBe('app-operator');
  expect(svc.metadata?.ownerReferences?.[0]?.uid).toBe(created.metadata.uid);
  expect(svc.spec?.ports?.[0]).toMatchObject({ port: 80, targetPort: 'http' });

  // Its Pod runs: the Deployment becomes available, and the App says so.
  const ready = await awaitCondition(apps, 'web', readyIs('True', 'MinimumReplicasAvailable'), {
    timeoutMs: 60_000,
  });
  expect(ready?.status?.observedGeneration).toBe(ready?.metadata.generation);
  // The rollout was recorded as an Event about the App.
  await eventually(async () =>
    (await Api.namespaced(client, eventsV1, namespace).list()).items.some(
      (e) => e.regarding?.uid === created.metadata.uid && e.reason === 'Applied',
    ),
  ).toBe(true);

  // Scaled to two, both replicas become available, and the App reports them.
  await apps.patch('web', Patch.merge({ spec: { replicas: 2 } }));
  await awaitCondition(
    apps,
    'web',
    (app) =>
      app?.status?.availableReplicas === 2 &&
      app.status.observedGeneration === app.metadata.generation &&
      readyIs('True', 'MinimumReplicasAvailable')(app),
    { timeoutMs: 60_000 },
  );

  // A new image rolls out to the Deployment.
  await apps.patch('web', Patch.merge({ spec: { image: 'nginx:1.28' } }));
  await eventually(
    async () => (await deploymentsApi.get('web')).spec?.template?.spec?.containers?.[0]?.image,
  ).toBe('nginx:1.28');

  // A Service deleted by hand comes back.
  const oldUid = svc.metadata?.uid ?? '';
  await servicesApi.delete('web');
  await eventually(async () => (await servicesApi.getOpt('web'))?.metadata?.uid ?? oldUid).not.toBe(
    oldUid,
  );

  // Deleting the App deletes what it owns (garbage collection by owner reference; on a
  // real cluster the collector learns of a CRD created moments ago only at its next
  // discovery resync, every 30 s).
  const deployment = await deploymentsApi.get('web');
  const current = await servicesApi.get('web');
  await apps.delete('web');
  await awaitCondition(
    deploymentsApi,
    'web',
    conditions.isDeleted(deployment.metadata?.uid ?? ''),
    {
      timeoutMs: 120_000,
    },
  );
  await awaitCondition(servicesApi, 'web', conditions.isDeleted(current.metadata?.uid ?? ''), {
    timeoutMs: 120_000,
  });
}
