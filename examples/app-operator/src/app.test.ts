import { Api, Client } from '@kube-ts/client';
import { namespaces } from '@kube-ts/k8s/core/v1';
import { installCrds } from '@kube-ts/schema';
import { MemoryApiServer } from '@kube-ts/testing';
import { pino } from 'pino';
import { lastValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { appController, appRecorder } from './operator.js';
import { AppReconciler, statusFrom } from './reconciler.js';
import { renderDeployment, renderService } from './render.js';
import { App } from './resource.js';
import { appScenario } from './scenario.js';

const silent = pino({ level: 'silent' });
let server: MemoryApiServer;
let client: Client;

beforeAll(async () => {
  // Nodes, a scheduler, kubelets and the Deployment controller: the App's Pods run.
  server = await MemoryApiServer.start({ nodes: 1 });
  client = Client.fromKubeConfig(server.kubeConfig);
  await installCrds(client, [App], { fieldManager: 'app-operator-test' });
});

afterAll(async () => {
  client.close();
  await server.stop();
});

const sample = (): App => ({
  ...App.create('web', { image: 'nginx:1.27', replicas: 2, port: 8080 }, { namespace: 'ns' }),
  metadata: { name: 'web', namespace: 'ns', uid: 'u-1', generation: 3 },
});

describe('render', () => {
  test('the Deployment runs the image with the App labels and is controlled by nothing but owned by the App', () => {
    const d = renderDeployment(sample());
    expect(d.spec?.replicas).toBe(2);
    expect(d.spec?.selector?.matchLabels).toEqual({ 'app.kubernetes.io/name': 'web' });
    expect(d.spec?.template?.spec?.containers?.[0]).toMatchObject({
      image: 'nginx:1.27',
      ports: [{ containerPort: 8080, name: 'http' }],
    });
    expect(d.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'App',
      name: 'web',
      uid: 'u-1',
    });
  });

  test('the Service sends port 80 to the named container port', () => {
    expect(renderService(sample()).spec?.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
    ]);
  });
});

describe('statusFrom', () => {
  test('waits while the Deployment controller has not seen the latest spec', () => {
    const status = statusFrom(sample(), {
      metadata: { generation: 2 },
      status: { observedGeneration: 1, conditions: [{ type: 'Available', status: 'True' }] },
    });
    expect(status.conditions?.[0]).toMatchObject({ status: 'False', reason: 'RolloutPending' });
  });

  test('mirrors the Available condition and keeps the transition time while it holds', () => {
    const deployment = {
      metadata: { generation: 2 },
      status: {
        observedGeneration: 2,
        availableReplicas: 2,
        conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }],
      },
    };
    const first = statusFrom(sample(), deployment);
    expect(first).toMatchObject({ observedGeneration: 3, availableReplicas: 2 });
    expect(first.conditions?.[0]).toMatchObject({
      status: 'True',
      reason: 'MinimumReplicasAvailable',
    });
    const app = {
      ...sample(),
      status: {
        ...first,
        conditions: [{ ...first.conditions![0]!, lastTransitionTime: '2020-01-01T00:00:00Z' }],
      },
    };
    expect(statusFrom(app, deployment).conditions?.[0]?.lastTransitionTime).toBe(
      '2020-01-01T00:00:00Z',
    );
  });
});

test('an App is rendered, reported, rolled out, restored, and deleted with its objects', async () => {
  await Api.cluster(client, namespaces).create({ metadata: { name: 'apps' } });
  const stop = new AbortController();
  const done = lastValueFrom(
    appController(client, silent)
      .gracefulShutdownOn(stop.signal)
      .run(new AppReconciler(), { client, recorder: appRecorder(client) }),
    { defaultValue: undefined },
  );
  try {
    await appScenario(client, 'apps');
  } finally {
    stop.abort();
    await done;
  }
}, 120_000);
