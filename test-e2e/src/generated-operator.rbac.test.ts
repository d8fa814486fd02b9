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
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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
}, 120_000);

afterAll(async () => {
  if (kubectl && project) {
    await exec(kubectl, [
      '--kubeconfig',
      kubeconfig,
      'delete',
      '--ignore-not-found',
      '--wait=false',
      '-f',
      join(work, 'deploy'),
    ]).catch(() => undefined);
  }
  await e2e?.stop();
  if (work) await rm(work, { recursive: true, force: true });
  if (project) await rm(project, { recursive: true, force: true });
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

test('the generated manifests apply, and the operator reconciles as its ServiceAccount with no 403', async () => {
  const name = project.split('/').pop() ?? '';
  const source = (file: string) => import(join(project, 'src', file));
  const { renderManifests } = await source('manifests.ts');
  const { createManager } = await source('operator.ts');
  const { Probe, sampleProbe } = await source('resource.ts');

  const files = renderManifests() as Record<string, string>;
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(work, path)), { recursive: true });
    await writeFile(join(work, path), content);
  }
  const deploy = join(work, 'deploy');
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
  const namespaceFile = join(work, 'namespace.yaml');
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
      const samples = Api.namespaced(e2e.client, Probe, 'default');
      await samples.create(sampleProbe());
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
      const cm = await Api.namespaced(e2e.client, resources.configMaps, 'default').get(
        'sample-config',
      );
      expect(cm.data?.message).toBe(sampleProbe().spec.message);
      const lease = await Api.namespaced(e2e.client, resources.leases, name).get(`${name}-leader`);
      expect(lease.spec?.holderIdentity).toBe('rbac-test');
      await expect
        .poll(
          async () => {
            const events = await Api.namespaced(e2e.client, resources.eventsV1, 'default').list();
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
      (entry) => entry.level >= 40 || /forbidden|403/i.test(JSON.stringify(entry)),
    );
    expect(problems).toEqual([]);
  } finally {
    client.close();
  }
}, 180_000);
