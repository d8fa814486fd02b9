/**
 * Differential: kubectl v1.36.3, on the kubeconfig file the API server's tooling writes
 * (MemoryApiServer's `writeKubeconfig` as is), runs a short script: version, api-versions
 * and api-resources (aggregated discovery), create -f, get with server-side printing and
 * -o yaml/jsonpath, label, patch, apply --server-side, scale, delete, a NotFound, and
 * explain (OpenAPI v3).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resolveKubectl } from '@kube-ts/testing';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parse } from 'yaml';
import { type E2eContext, startE2e } from './support.js';

const exec = promisify(execFile);

let e2e: E2eContext;
let ns: string;
let dir: string;
let kubectlPath: string;
let kubeconfig: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-kubectl');
  dir = await mkdtemp(join(tmpdir(), 'kube-ts-kubectl-'));
  kubeconfig = join(dir, 'kubeconfig');
  await e2e.backend.writeKubeconfig(kubeconfig);
  kubectlPath = await resolveKubectl();
});

afterAll(async () => {
  await e2e?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs kubectl in the test namespace; resolves with stdout, stderr and the exit code. */
async function kubectl(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  try {
    const r = await exec(kubectlPath, ['--kubeconfig', kubeconfig, '-n', ns, ...args], {
      env: { ...process.env, KUBECACHEDIR: join(dir, 'cache') },
    });
    return { out: r.stdout, err: r.stderr, code: 0 };
  } catch (e) {
    const x = e as { stdout: string; stderr: string; code: number };
    return { out: x.stdout, err: x.stderr, code: x.code };
  }
}

async function ok(...args: string[]): Promise<string> {
  const r = await kubectl(...args);
  expect(r.code, `kubectl ${args.join(' ')}: ${r.err}`).toBe(0);
  return r.out;
}

test('a script of kubectl commands gives the same answers', async () => {
  const version = JSON.parse(await ok('version', '-o', 'json'));
  expect(version.serverVersion.gitVersion).toBe('v1.36.3');

  const versions = (await ok('api-versions')).split('\n');
  expect(versions).toEqual(
    expect.arrayContaining(['v1', 'apps/v1', 'autoscaling/v2', 'networking.k8s.io/v1']),
  );
  const resources = await ok('api-resources', '--api-group=apps', '-o', 'name');
  expect(resources.split('\n').filter(Boolean).sort()).toEqual([
    'controllerrevisions.apps',
    'daemonsets.apps',
    'deployments.apps',
    'replicasets.apps',
    'statefulsets.apps',
  ]);

  const manifest = join(dir, 'cm.yaml');
  await writeFile(
    manifest,
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kc\n  labels:\n    script: kubectl\ndata:\n  a: "1"\n',
  );
  expect(await ok('create', '-f', manifest)).toBe('configmap/kc created\n');
  expect(await ok('get', 'configmap', 'kc', '-o', 'jsonpath={.data.a}')).toBe('1');
  const table = (await ok('get', 'configmaps', '-l', 'script=kubectl')).split('\n');
  expect(table[0]).toMatch(/^NAME\s+DATA\s+AGE$/);
  expect(table[1]).toMatch(/^kc\s+1\s+\d+s$/);

  expect(await ok('label', 'configmap', 'kc', 'extra=yes')).toBe('configmap/kc labeled\n');
  expect(await ok('patch', 'configmap', 'kc', '--type=merge', '-p', '{"data":{"b":"2"}}')).toBe(
    'configmap/kc patched\n',
  );
  const yaml = parse(await ok('get', 'configmap', 'kc', '-o', 'yaml'));
  expect(yaml.data).toEqual({ a: '1', b: '2' });
  expect(yaml.metadata.labels).toEqual({ script: 'kubectl', extra: 'yes' });

  const deployment = join(dir, 'deploy.yaml');
  await writeFile(
    deployment,
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      'spec:',
      '  replicas: 1',
      '  selector:',
      '    matchLabels: {app: web}',
      '  template:',
      '    metadata:',
      '      labels: {app: web}',
      '    spec:',
      '      containers:',
      '      - name: app',
      '        image: nginx',
      '',
    ].join('\n'),
  );
  expect(await ok('apply', '--server-side', '-f', deployment)).toBe(
    'deployment.apps/web serverside-applied\n',
  );
  expect(await ok('scale', 'deployment', 'web', '--replicas=3')).toBe(
    'deployment.apps/web scaled\n',
  );
  expect(await ok('get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}')).toBe('3');

  expect(await ok('delete', 'configmap', 'kc')).toBe(
    `configmap "kc" deleted from ${ns} namespace\n`,
  );
  const missing = await kubectl('get', 'configmap', 'kc');
  expect(missing.code).toBe(1);
  expect(missing.err).toBe('Error from server (NotFound): configmaps "kc" not found\n');
});
