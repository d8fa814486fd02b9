/**
 * The RBAC that `create-operator` generates is proven, not guessed: a project is generated,
 * its manifests (CRD, Namespace, ServiceAccount, the ClusterRole and Role derived from what
 * the controller declares, bindings, Deployment) are applied to an API server that
 * authorizes with RBAC — `kubectl apply --dry-run=server` first, then for real — and the
 * generated operator runs in this process authenticated as its ServiceAccount (a
 * TokenRequest token). It must elect itself leader, reconcile its sample and record an
 * Event with no request refused. Runs on every backend (MemoryApiServer authorizes with
 * RBAC too).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Api, Client } from '@kube-ts/client';
import { ApiError, resources } from '@kube-ts/core';
import { scaffold } from '@kube-ts/create-operator';
import { awaitCondition } from '@kube-ts/runtime';
import { resolveKubectl } from '@kube-ts/testing';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

const exec = promisify(execFile);
// Generated inside test-e2e (git-ignored), so that its imports of @kube-ts/* resolve to
// this workspace, as an installed project's resolve to the published packages.
const generated = fileURLToPath(new URL('../.generated/', import.meta.url));

let e2e: E2eContext;
let work: string;
let project: string;
let shardedProject: string;
let kubectl: string;
let kubeconfig: string;

beforeAll(async () => {
  e2e = await startE2e();
  work = await mkdtemp(join(tmpdir(), 'kube-ts-rbac-'));
  kubeconfig = join(work, 'admin.kubeconfig');
  await writeFile(kubeconfig, e2e.backend.kubeConfig.exportConfig(), { mode: 0o600 });
  kubectl = await resolveKubectl();
  // The operator's name is its namespace and the name of its cluster-wide RBAC objects:
  // unique per run, so that runs against an existing cluster do not collide.
  project = join(generated, `rbac-operator-${uniqueSuffix()}`);
  await scaffold({ directory: project, group: 'rbac.kube-ts.dev', kind: 'Probe' });
  // The same project sharded, as a user turns it on: ACCESS.shardingRing set in operator.ts.
  shardedProject = join(generated, `rbac-sharded-${uniqueSuffix()}`);
  await scaffold({ directory: shardedProject, group: 'rbac-sharded.kube-ts.dev', kind: 'Probe' });
  const operatorFile = join(shardedProject, 'src', 'operator.ts');
  const source = await readFile(operatorFile, 'utf8');
  const sharded = source.replace(
    'shardingRing: undefined as string | undefined',
    'shardingRing: OPERATOR_NAME as string | undefined',
  );
  expect(sharded).not.toBe(source);
  await writeFile(operatorFile, sharded);
}, 120_000);

afterAll(async () => {
  for (const dir of kubectl && work ? ['deploy', 'sharded/deploy'] : []) {
    await exec(kubectl, [
      '--kubeconfig',
      kubeconfig,
      'delete',
      '--ignore-not-found',
      '--wait=false',
      '-f',
      join(work, dir),
    ]).catch(() => undefined);
  }
  await e2e?.stop();
  if (work) await rm(work, { recursive: true, force: true });
  if (project) await rm(project, { recursive: true, force: true });
  if (shardedProject) await rm(shardedProject, { recursive: true, force: true });
});

/** Runs kubectl as the admin; resolves with its output. */
async function kubectlAdmin(...args: string[]): Promise<string> {
  const { stdout } = await exec(kubectl, ['--kubeconfig', kubeconfig, ...args]);
  return stdout;
}

/** A client that authenticates with a bearer token instead of the admin's certificate. */
function clientWithToken(token: string): Client {
  const admin = e2e.backend.kubeConfig;
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error('the backend kubeconfig has no current cluster');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: 'operator', token }],
    contexts: [{ name: 'operator', cluster: cluster.name, user: 'operator' }],
    currentContext: 'operator',
  });
  return Client.fromKubeConfig(kc);
}

/**
 * Applies the manifests of the project in `dir` (rendered into `work/<out>`) and runs its
 * operator as its ServiceAccount: it must reconcile the sample and record an Event with
 * no request refused; sharded, the sample must also carry the replica's shard label.
 */
async function runsWithItsRbac(dir: string, out: string, sharded: boolean): Promise<void> {
  const name = dir.split('/').pop() ?? '';
  const source = (file: string) => import(join(dir, 'src', file));
  const { renderManifests } = await source('manifests.ts');
  const { createManager } = await source('operator.ts');
  const { Probe, sampleProbe } = await source('resource.ts');

  const files = renderManifests() as Record<string, string>;
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(work, out, path)), { recursive: true });
    await writeFile(join(work, out, path), content);
  }
  const deploy = join(work, out, 'deploy');
  await kubectlAdmin('apply', '--dry-run=server', '-f', join(deploy, '1-crd.yaml'));
  await kubectlAdmin('apply', '-f', join(deploy, '1-crd.yaml'));
  await kubectlAdmin(
    'wait',
    '--for=condition=Established',
    '--timeout=60s',
    `crd/${Probe.crdName}`,
  );
  // The namespace must exist before namespaced objects can be dry-run against it.
  // (From a manifest: `kubectl create namespace` sends protobuf, which MemoryApiServer may not read.)
  const namespaceFile = join(work, out, 'namespace.yaml');
  await writeFile(namespaceFile, `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`);
  await kubectlAdmin('apply', '-f', namespaceFile);
  await kubectlAdmin('apply', '--dry-run=server', '-f', deploy);
  await kubectlAdmin('apply', '-f', deploy);
  // The Deployment cannot start here (no image, no kubelet): scale it to zero and run the
  // operator in this process instead, with the ServiceAccount's identity.
  await kubectlAdmin('-n', name, 'scale', `deployment/${name}`, '--replicas=0');

  const tokenRequest = await Api.namespaced(e2e.client, resources.serviceAccounts, name).token(
    name,
    { expirationSeconds: 3600 },
  );
  const client = clientWithToken(tokenRequest.status?.token ?? '');
  try {
    // The token is the ServiceAccount's, not the admin's: what the role leaves out is refused.
    const secrets = Api.namespaced(client, resources.secrets, 'default');
    const refused = await secrets.list().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(ApiError.is(refused) && refused.isForbidden()).toBe(true);

    const logged: { level: number; msg: string; [key: string]: unknown }[] = [];
    const logger = pino(
      { level: 'debug' },
      {
        write(line: string) {
          logged.push(JSON.parse(line));
        },
      },
    );
    const manager = createManager({
      client,
      logger,
      namespace: name,
      leaderElection: true,
      port: 0,
      handleSignals: false,
      identity: 'rbac-test',
    });
    const running = manager.start();
    try {
      // Sharded, in the operator's namespace: apart from the first test's sample and its ConfigMap.
      const sampleNamespace = sharded ? name : 'default';
      const samples = Api.namespaced(e2e.client, Probe, sampleNamespace);
      await samples.create(sampleProbe(sampleNamespace));
      e2e.onStop(() => samples.delete('sample').catch(() => undefined));
      const reconciled = await awaitCondition(
        samples,
        'sample',
        (p) =>
          (p as { status?: { observedGeneration?: number } } | undefined)?.status
            ?.observedGeneration === 1,
        { timeoutMs: 45_000 },
      );
      expect(reconciled).toBeDefined();
      const cm = await Api.namespaced(e2e.client, resources.configMaps, sampleNamespace).get(
        'sample-config',
      );
      expect(cm.data?.message).toBe(sampleProbe().spec.message);
      const lease = await Api.namespaced(e2e.client, resources.leases, name).get(`${name}-leader`);
      expect(lease.spec?.holderIdentity).toBe('rbac-test');
      if (sharded) {
        // The sharder (this replica leads) labelled the sample with this replica's shard.
        const labelled = await samples.get('sample');
        expect(labelled.metadata?.labels?.[`shard.sharding.kube-ts.dev/${name}`]).toBe('rbac-test');
        const shardLease = await Api.namespaced(e2e.client, resources.leases, name).get(
          `${name}-rbac-test`,
        );
        expect(shardLease.spec?.holderIdentity).toBe('rbac-test');
      }
      await expect
        .poll(
          async () => {
            const events = await Api.namespaced(
              e2e.client,
              resources.eventsV1,
              sampleNamespace,
            ).list();
            return events.items.some(
              (ev) => ev.regarding?.name === 'sample' && ev.reason === 'Synced',
            );
          },
          { timeout: 30_000 },
        )
        .toBe(true);
    } finally {
      await manager.stop();
      await running;
    }
    const problems = logged.filter(
      (entry) => entry.level >= 40 || /forbidden|\b403\b/i.test(JSON.stringify(entry)), // \b: a port such as 40369 is no 403
    );
    expect(problems).toEqual([]);
  } finally {
    client.close();
  }
}

test('the generated manifests apply, and the operator reconciles as its ServiceAccount with no 403', async () => {
  await runsWithItsRbac(project, '.', false);
}, 180_000);

test('sharded (ACCESS.shardingRing set): the generated RBAC lets the replica hold its shard Lease and the sharder label the objects', async () => {
  await runsWithItsRbac(shardedProject, 'sharded', true);
}, 180_000);
