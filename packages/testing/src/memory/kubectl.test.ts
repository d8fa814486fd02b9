import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { useMemoryApiServer } from '@kube-ts/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveKubectl } from '../control-plane/binaries.js';

const run = promisify(execFile);
// kubectl of the pinned Kubernetes version, from TEST_ASSET_KUBECTL, KUBEBUILDER_ASSETS or
// the cache that test-e2e/controlplane/build-binaries.sh fills (npm test runs it first).
let kubectlPath: string;

let dir: string;
let kubeconfig: string;

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run(kubectlPath, ['--kubeconfig', kubeconfig, ...args], {
    timeout: 30_000,
  });
  return stdout;
}

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 });

beforeAll(async () => {
  kubectlPath = await resolveKubectl();
  dir = await mkdtemp(join(tmpdir(), 'kube-ts-kubectl-'));
  kubeconfig = join(dir, 'kubeconfig');
  await env.server.writeKubeconfig(kubeconfig);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Each test runs kubectl several times, and each run starts a Go binary and reads discovery:
// on a loaded 2-core machine that has taken more than the default 20 s per test.
describe('kubectl against MemoryApiServer', { timeout: 60_000 }, () => {
  it('applies a ConfigMap (create, then update), gets and lists it', async () => {
    const file = join(dir, 'cm.yaml');
    await writeFile(
      file,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\ndata:\n  a: "1"\n',
    );
    expect(await kubectl('apply', '-f', file)).toContain('configmap/demo created');
    await writeFile(
      file,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\ndata:\n  a: "2"\n',
    );
    expect(await kubectl('apply', '-f', file)).toContain('configmap/demo configured');
    const got = JSON.parse(await kubectl('get', 'configmap', 'demo', '-o', 'json'));
    expect(got.data).toEqual({ a: '2' });
    expect(await kubectl('get', 'configmaps')).toMatch(/NAME\s+.*\ndemo\s/);
  });

  it('server-side applies a ConfigMap', async () => {
    const file = join(dir, 'ssa.yaml');
    await writeFile(
      file,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: "1"\n',
    );
    expect(await kubectl('apply', '--server-side', '-f', file)).toContain(
      'configmap/ssa serverside-applied',
    );
    const got = JSON.parse(
      await kubectl('get', 'configmap', 'ssa', '-o', 'json', '--show-managed-fields'),
    );
    expect(got.metadata.managedFields[0]).toMatchObject({ manager: 'kubectl', operation: 'Apply' });
  });

  it('applies a CRD, then a custom resource of it', async () => {
    const crd = join(dir, 'crd.yaml');
    await writeFile(
      crd,
      `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget, shortNames: [wg] }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: { type: integer }
`,
    );
    expect(await kubectl('apply', '-f', crd)).toContain(
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created',
    );
    await kubectl(
      'wait',
      '--for=condition=Established',
      'crd/widgets.example.com',
      '--timeout=10s',
    );
    const cr = join(dir, 'cr.yaml');
    await writeFile(
      cr,
      'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 3\n',
    );
    expect(await kubectl('apply', '-f', cr)).toContain('widget.example.com/w1 created');
    expect(await kubectl('get', 'wg')).toMatch(/w1/);
  });

  it('applies, re-applies (strategic merge), labels, scales and deletes a Deployment', async () => {
    const file = join(dir, 'deploy.yaml');
    const doc = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: main, image: ${image}, env: [{name: A, value: "1"}]}
`;
    await writeFile(file, doc('nginx:1'));
    expect(await kubectl('apply', '-f', file)).toContain('deployment.apps/web created');
    await writeFile(file, doc('nginx:2'));
    expect(await kubectl('apply', '-f', file)).toContain('deployment.apps/web configured');
    expect(await kubectl('label', 'deployment', 'web', 'tier=front')).toContain('labeled');
    expect(await kubectl('scale', 'deployment', 'web', '--replicas=3')).toContain('scaled');
    const got = JSON.parse(await kubectl('get', 'deployment', 'web', '-o', 'json'));
    expect(got.spec.template.spec.containers[0].image).toBe('nginx:2');
    expect(got.spec.replicas).toBe(3);
    expect(got.metadata.labels.tier).toBe('front');
    // Created (1), new image (2), scaled (3): the Deployment controller writes its revision
    // annotation through /status, which bumps no generation (a label change does not either).
    expect(got.metadata.generation).toBe(3);
    expect(await kubectl('delete', 'deployment', 'web')).toContain('deleted');
  });

  it('watches with kubectl get --watch until its request timeout', async () => {
    const out = await kubectl(
      'get',
      'configmaps',
      '--watch',
      '--request-timeout=2s',
      '-o',
      'name',
    ).catch((e: { stdout?: string }) => e.stdout ?? '');
    expect(out).toContain('configmap/demo');
  });
});
