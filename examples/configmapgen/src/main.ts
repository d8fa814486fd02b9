#!/usr/bin/env node
/**
 * The ConfigMapGenerator operator.
 *
 *   npm start                         embedded MemoryApiServer + demo steps; Ctrl-C stops
 *   npm start -- --demo-exit          same, but exits after the demo (or KUBE_TS_DEMO_EXIT=1)
 *   npm start -- --kubeconfig <file>  run against a cluster (also when KUBECONFIG is set)
 */
import { parseArgs } from 'node:util';
import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { describeError } from '@kube-ts/runtime';
import { installCrds } from '@kube-ts/schema';
import { lastValueFrom } from 'rxjs';
import { runDemoSteps, startDemoCluster } from './demo.js';
import { createLogger } from './log.js';
import { operator } from './operator.js';
import { ConfigMapGenerator } from './resource.js';

const USAGE = `usage: configmapgen [--kubeconfig <file>] [--demo-exit]

Without --kubeconfig (and without KUBECONFIG) it starts an embedded MemoryApiServer and
walks through a demo; with one it runs against that cluster (installing the CRD if missing).
Ctrl-C shuts down gracefully. LOG_LEVEL=debug shows every reconcile; LOG_FORMAT=json prints
pino JSON.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: 'string' },
      'demo-exit': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const logger = createLogger();
  const kubeconfig = values.kubeconfig ?? (process.env.KUBECONFIG || undefined);

  if (kubeconfig !== undefined) {
    const client = Client.fromDefault({ path: kubeconfig });
    const crds = Api.cluster(client, resources.customResourceDefinitions);
    if ((await crds.getOpt(ConfigMapGenerator.crdName)) === undefined) {
      await installCrds(client, [ConfigMapGenerator], { fieldManager: 'configmapgen' });
      logger.info({ crd: ConfigMapGenerator.crdName }, 'CRD installed');
    }
    logger.info({ kubeconfig }, 'running against the cluster; Ctrl-C to stop');
    await lastValueFrom(operator({ client, logger, onProcessSignals: true }), {
      defaultValue: undefined,
    });
    client.close();
    return 0;
  }

  const exitAfterDemo = values['demo-exit'] || process.env.KUBE_TS_DEMO_EXIT === '1';
  const cluster = await startDemoCluster(logger);
  const stop = new AbortController();
  const done = lastValueFrom(
    operator({ client: cluster.client, logger, signal: stop.signal, onProcessSignals: true }),
    { defaultValue: undefined },
  );
  try {
    await runDemoSteps(cluster.client, logger);
  } catch (error) {
    logger.error({ error: describeError(error) }, 'demo failed');
    stop.abort();
    await done;
    await cluster.stop();
    return 1;
  }
  if (exitAfterDemo) {
    logger.info('demo finished; shutting down (--demo-exit)');
    stop.abort();
  } else {
    logger.info('demo finished; the operator keeps running — press Ctrl-C to stop');
  }
  await done;
  await cluster.stop();
  logger.info('bye');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`configmapgen: ${describeError(error)}\n`);
    // Open connections must not keep a failed operator alive.
    process.exit(1);
  },
);
