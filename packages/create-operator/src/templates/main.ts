import type { ProjectNames } from '../names.js';

/** `src/main.ts`: the command that runs the operator. */
export function mainSource({ project, kind, plural }: ProjectNames): string {
  return `#!/usr/bin/env node
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Api, Client } from '@kube-ts/client';
import { describeError } from '@kube-ts/runtime';
import { installCrds } from '@kube-ts/schema';
import { pino } from 'pino';
import { createManager } from './operator.js';
import { ${kind}, sample${kind} } from './resource.js';

const USAGE = \`usage: node dist/main.js [--memory]

Runs the ${project} operator until SIGTERM or Ctrl-C.
  --memory  against an embedded in-memory API server, with the CRD installed and a
            sample ${kind} created (what \\\`npm start\\\` does)
Without --memory it uses the cluster of KUBECONFIG, or the pod's service account in a
cluster (the CRD must be installed: kubectl apply -f deploy/).
Environment: POD_NAMESPACE (Lease namespace, default 'default'), LEADER_ELECT (default
true), PROBE_HOST and PROBE_PORT (default 127.0.0.1:8080), LOG_LEVEL (default info).\`;

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { memory: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.memory) return runInMemory();

  const client = Client.fromDefault();
  const manager = createManager({
    client,
    logger,
    namespace: process.env.POD_NAMESPACE ?? 'default',
    leaderElection: process.env.LEADER_ELECT !== 'false',
    host: process.env.PROBE_HOST ?? '127.0.0.1',
    port: Number(process.env.PROBE_PORT ?? 8080),
    ...(process.env.POD_NAME ? { identity: process.env.POD_NAME } : {}),
  });
  try {
    await manager.start();
  } finally {
    // Only now: the manager has let every reconcile in progress finish.
    client.close();
  }
}

/** \`--memory\`: an embedded MemoryApiServer with the CRD and a sample, for trying things out. */
async function runInMemory(): Promise<void> {
  // A dev dependency: the production image (npm ci --omit=dev) does not carry it.
  const { MemoryApiServer } = await import('@kube-ts/testing');
  const server = await MemoryApiServer.start();
  const kubeconfig = join(tmpdir(), \`${project}-\${process.pid}.kubeconfig\`);
  await server.writeKubeconfig(kubeconfig);
  const client = Client.fromKubeConfig(server.kubeConfig);
  try {
    logger.info({ url: server.url, kubeconfig }, 'embedded MemoryApiServer started');
    logger.info(\`try: kubectl --kubeconfig \${kubeconfig} get ${plural},configmaps -n default\`);
    await installCrds(client, [${kind}]);
    await Api.namespaced(client, ${kind}, 'default').create(sample${kind}());
    logger.info({ ${kind.toLowerCase()}: 'default/sample' }, 'created a sample ${kind}; Ctrl-C stops');
    const manager = createManager({ client, logger, namespace: 'default', leaderElection: false, port: 0 });
    await manager.start();
  } finally {
    client.close();
    await server.stop();
    await rm(kubeconfig, { force: true });
  }
}

main().catch((error: unknown) => {
  logger.error({ error: describeError(error) }, '${project} failed');
  process.exitCode = 1;
});
`;
}
