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
import { type E2eContext, EVENTUALLY, startE2e } from './support.js';

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

test('kubectl get cs prints the component statuses with a deprecation warning', async () => {
  const r = await kubectl('get', 'componentstatuses');
  expect(r.code, r.err).toBe(0);
  expect(r.err).toBe('Warning: v1 ComponentStatus is deprecated in v1.19+\n');
  const lines = r.out.split('\n').filter(Boolean);
  expect(lines[0]).toMatch(/^NAME\s+STATUS\s+MESSAGE\s+ERROR$/);
  expect(
    lines
      .slice(1)
      .map((l) => l.split(/\s+/)[0])
      .sort(),
  ).toEqual(['controller-manager', 'etcd-0', 'scheduler']);
  expect(lines).toContainEqual(expect.stringMatching(/^etcd-0\s+Healthy\s+ok\s*$/));
});

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

  // Generator subcommands send protobuf bodies.
  const genNs = `${ns}-gen`;
  expect(await ok('create', 'namespace', genNs)).toBe(`namespace/${genNs} created\n`);
  e2e.onStop(() => kubectl('delete', 'namespace', genNs, '--wait=false'));
  expect(await ok('create', 'configmap', 'gen', '--from-literal=k=v')).toBe(
    'configmap/gen created\n',
  );
  expect(await ok('get', 'configmap', 'gen', '-o', 'jsonpath={.data.k}')).toBe('v');
  expect(await ok('create', 'secret', 'generic', 'gen', '--from-literal=k=v')).toBe(
    'secret/gen created\n',
  );
  expect(await ok('get', 'secret', 'gen', '-o', 'jsonpath={.data.k}')).toBe('dg==');
  expect(await ok('create', 'deployment', 'gen', '--image=nginx', '--replicas=2')).toBe(
    'deployment.apps/gen created\n',
  );
  expect(await ok('get', 'deployment', 'gen', '-o', 'jsonpath={.spec.replicas}')).toBe('2');

  // explain reads the OpenAPI v3 documents of built-ins and of custom resources.
  expect((await ok('explain', 'deployments.spec.replicas')).trimEnd()).toBe(
    [
      'GROUP:      apps',
      'KIND:       Deployment',
      'VERSION:    v1',
      '',
      'FIELD: replicas <integer>',
      '',
      '',
      'DESCRIPTION:',
      '    Number of desired pods. This is a pointer to distinguish between explicit',
      '    zero and not specified. Defaults to 1.',
    ].join('\n'),
  );
  const configmaps = (await ok('explain', 'configmaps')).split('\n');
  expect(configmaps.slice(0, 5)).toEqual([
    'KIND:       ConfigMap',
    'VERSION:    v1',
    '',
    'DESCRIPTION:',
    '    ConfigMap holds configuration data for pods to consume.',
  ]);
  expect(configmaps.filter((l) => /^ {2}\S/.test(l))).toEqual([
    '  apiVersion\t<string>',
    '  binaryData\t<map[string]string>',
    '  data\t<map[string]string>',
    '  immutable\t<boolean>',
    '  kind\t<string>',
    '  metadata\t<ObjectMeta>',
  ]);
  const unknownField = await kubectl('explain', 'deployments.spec.replicaz');
  expect(unknownField.code).toBe(1);
  expect(unknownField.err).toBe('error: field "replicaz" does not exist\n');

  const group = `explain${ns.slice(-6)}.e2e.kube-ts.dev`;
  const crd = join(dir, 'crd.yaml');
  await writeFile(
    crd,
    [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      `metadata: {name: gizmos.${group}}`,
      'spec:',
      `  group: ${group}`,
      '  scope: Namespaced',
      '  names: {kind: Gizmo, plural: gizmos}',
      '  versions:',
      '  - name: v1',
      '    served: true',
      '    storage: true',
      '    schema:',
      '      openAPIV3Schema:',
      '        description: Gizmo for testing',
      '        type: object',
      '        properties:',
      '          spec:',
      '            description: Specification of the gizmo',
      '            type: object',
      '            properties:',
      '              size: {type: integer, description: How big it is.}',
      '',
    ].join('\n'),
  );
  await ok('create', '-f', crd);
  e2e.onStop(() => kubectl('delete', '-f', crd));
  await ok('wait', '--for=condition=Established', `crd/gizmos.${group}`, '--timeout=60s');
  // The real server publishes a new CRD's OpenAPI a moment after it is established.
  await expect
    .poll(async () => (await kubectl('explain', `gizmos.${group}.spec`)).out.trimEnd(), EVENTUALLY)
    .toBe(
      [
        `GROUP:      ${group}`,
        'KIND:       Gizmo',
        'VERSION:    v1',
        '',
        'FIELD: spec <Object>',
        '',
        '',
        'DESCRIPTION:',
        '    Specification of the gizmo',
        '    ',
        'FIELDS:',
        '  size\t<integer>',
        '    How big it is.',
      ].join('\n'),
    );
});
