/**
 * The embedded demo: a MemoryApiServer, the CRD, three sample generators; once they are
 * reconciled, one is changed and one is deleted, so the log shows the operator reacting.
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, Client, Patch } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { awaitCondition, conditions } from '@kube-ts/runtime';
import { installCrds } from '@kube-ts/schema';
import { MemoryApiServer } from '@kube-ts/testing';
import type { Logger } from 'pino';
import { configMapNameOf } from './reconciler.js';
import { ConfigMapGenerator } from './resource.js';

/** The demo's embedded API server and a client for it. */
export interface DemoCluster {
  readonly server: MemoryApiServer;
  readonly client: Client;
  /** A kubeconfig file for kubectl (removed by `stop`). */
  readonly kubeconfigPath: string;
  /** Stops the client and the server. */
  stop(): Promise<void>;
}

/** Starts a MemoryApiServer and installs the ConfigMapGenerator CRD. */
export async function startDemoCluster(logger: Logger): Promise<DemoCluster> {
  const server = await MemoryApiServer.start();
  const client = Client.fromKubeConfig(server.kubeConfig);
  const kubeconfigPath = join(tmpdir(), `configmapgen-${process.pid}.kubeconfig`);
  await server.writeKubeconfig(kubeconfigPath);
  logger.info({ url: server.url }, 'embedded MemoryApiServer started');
  logger.info(`try: kubectl --kubeconfig ${kubeconfigPath} get configmapgenerators,configmaps`);
  try {
    await installCrds(client, [ConfigMapGenerator], { fieldManager: 'configmapgen' });
  } catch (error) {
    client.close();
    await server.stop();
    await rm(kubeconfigPath, { force: true });
    throw error;
  }
  logger.info({ crd: ConfigMapGenerator.crdName }, 'CRD installed');
  return {
    server,
    client,
    kubeconfigPath,
    async stop() {
      client.close();
      await server.stop();
      await rm(kubeconfigPath, { force: true });
    },
  };
}

const SAMPLES: Record<string, Record<string, string>> = {
  greeting: { hello: 'world' },
  settings: { mode: 'demo', replicas: '3' },
  temporary: { ttl: '1h' },
};

/** Resolves once the generator's status reflects its current generation. */
async function reconciled(api: Api<ConfigMapGenerator>, name: string, generation: number) {
  await awaitCondition(api, name, (g) => (g?.status?.observedGeneration ?? -1) >= generation, {
    timeoutMs: 30_000,
  });
}

/**
 * Creates the samples, waits until the operator has reconciled them, changes `greeting`,
 * deletes `temporary`, and waits for both reactions. The operator must be running.
 */
export async function runDemoSteps(client: Client, logger: Logger): Promise<void> {
  const log = logger.child({ component: 'demo' });
  const generators = Api.namespaced(client, ConfigMapGenerator, 'default');
  const configMaps = Api.namespaced(client, resources.configMaps, 'default');

  for (const [name, content] of Object.entries(SAMPLES)) {
    await generators.create(ConfigMapGenerator.create(name, { content }, { namespace: 'default' }));
    log.info({ generator: `default/${name}` }, 'created sample ConfigMapGenerator');
  }
  for (const name of Object.keys(SAMPLES)) await reconciled(generators, name, 1);
  log.info('all samples reconciled: each has its ConfigMap and a Ready status');

  log.info({ generator: 'default/greeting' }, 'changing spec.content of greeting');
  const changed = await generators.patch(
    'greeting',
    Patch.merge({ spec: { content: { hello: 'kube-ts', added: 'yes' } } }),
  );
  await reconciled(generators, 'greeting', changed.metadata.generation ?? 2);
  const cm = await configMaps.get(configMapNameOf(changed));
  log.info(
    { configMap: `default/${cm.metadata?.name}`, data: cm.data },
    'the operator updated the ConfigMap',
  );

  log.info({ generator: 'default/temporary' }, 'deleting temporary');
  const temporary = await generators.get('temporary');
  await generators.delete('temporary');
  await awaitCondition(
    generators,
    'temporary',
    conditions.isDeleted(temporary.metadata.uid ?? ''),
    {
      timeoutMs: 30_000,
    },
  );
  const leftover = await configMaps.getOpt(configMapNameOf(temporary));
  log.info(
    { configMapLeft: leftover !== undefined },
    'the operator ran its finalizer: temporary and its ConfigMap are gone',
  );
}
