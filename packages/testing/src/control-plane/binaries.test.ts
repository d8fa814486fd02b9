import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveBinaries, resolveKubectl } from './binaries.js';
import { ControlPlaneError } from './errors.js';
import { fakeExecutable, tempDir } from './fixtures.test-helper.js';
import { BUILD_BINARIES_COMMAND, KUBERNETES_VERSION, KWOK_VERSION } from './version.js';

let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ path: root, cleanup } = await tempDir());
});
afterEach(() => cleanup());

const names = ['etcd', 'kube-apiserver', 'kube-controller-manager'] as const;
async function fillDir(dir: string, only: readonly string[] = names): Promise<void> {
  for (const name of only) await fakeExecutable(join(dir, name));
}

describe('resolveBinaries', () => {
  it('uses the binaries of the pinned version in the cache', async () => {
    const cacheRoot = join(root, 'cache');
    await fillDir(join(cacheRoot, KUBERNETES_VERSION));
    await fillDir(join(cacheRoot, 'v99.0.0'));
    const found = await resolveBinaries({ env: {}, cacheRoot, controllerManager: true });
    expect(found).toEqual({
      etcd: join(cacheRoot, KUBERNETES_VERSION, 'etcd'),
      kubeApiServer: join(cacheRoot, KUBERNETES_VERSION, 'kube-apiserver'),
      kubeControllerManager: join(cacheRoot, KUBERNETES_VERSION, 'kube-controller-manager'),
    });
  });

  it('falls back to the newest other version directory of the cache, comparing numerically', async () => {
    const cacheRoot = join(root, 'cache');
    await fillDir(join(cacheRoot, 'v1.9.0'));
    await fillDir(join(cacheRoot, 'v1.10.2'));
    await fillDir(join(cacheRoot, 'not-a-version'));
    const found = await resolveBinaries({ env: {}, cacheRoot });
    expect(found).toEqual({
      etcd: join(cacheRoot, 'v1.10.2', 'etcd'),
      kubeApiServer: join(cacheRoot, 'v1.10.2', 'kube-apiserver'),
    });
  });

  it('prefers KUBEBUILDER_ASSETS over the cache, and takes what it lacks from the cache', async () => {
    const assets = join(root, 'assets');
    const cacheRoot = join(root, 'cache');
    await fillDir(assets, ['etcd', 'kube-apiserver']);
    await fillDir(join(cacheRoot, KUBERNETES_VERSION));
    const found = await resolveBinaries({
      env: { KUBEBUILDER_ASSETS: assets },
      cacheRoot,
      controllerManager: true,
    });
    expect(found).toEqual({
      etcd: join(assets, 'etcd'),
      kubeApiServer: join(assets, 'kube-apiserver'),
      kubeControllerManager: join(cacheRoot, KUBERNETES_VERSION, 'kube-controller-manager'),
    });
  });

  it('prefers the per-binary TEST_ASSET_* variables over KUBEBUILDER_ASSETS', async () => {
    const assets = join(root, 'assets');
    await fillDir(assets);
    const etcd = await fakeExecutable(join(root, 'elsewhere', 'my-etcd'));
    const apiServer = await fakeExecutable(join(root, 'elsewhere', 'my-apiserver'));
    const kcm = await fakeExecutable(join(root, 'elsewhere', 'my-kcm'));
    const env = {
      KUBEBUILDER_ASSETS: assets,
      TEST_ASSET_ETCD: etcd,
      TEST_ASSET_KUBE_APISERVER: apiServer,
      TEST_ASSET_KUBE_CONTROLLER_MANAGER: kcm,
    };
    const found = await resolveBinaries({
      env,
      cacheRoot: join(root, 'cache'),
      controllerManager: true,
    });
    expect(found).toEqual({ etcd, kubeApiServer: apiServer, kubeControllerManager: kcm });
  });

  it('rejects a TEST_ASSET_* variable that names no executable instead of looking elsewhere', async () => {
    const assets = join(root, 'assets');
    await fillDir(assets);
    const env = { KUBEBUILDER_ASSETS: assets, TEST_ASSET_KUBE_APISERVER: join(root, 'missing') };
    const error = await resolveBinaries({ env, cacheRoot: join(root, 'cache') }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ControlPlaneError);
    expect((error as Error).message).toContain(
      `TEST_ASSET_KUBE_APISERVER is set to ${join(root, 'missing')}`,
    );
  });

  it('skips files that are not executable', async () => {
    const assets = join(root, 'assets');
    await fillDir(assets);
    const { chmod } = await import('node:fs/promises');
    await chmod(join(assets, 'etcd'), 0o644);
    const error = await resolveBinaries({
      env: { KUBEBUILDER_ASSETS: assets },
      cacheRoot: join(root, 'cache'),
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^etcd not found/);
  });

  it('explains where it looked and how to build the binaries when none is found', async () => {
    const cacheRoot = join(root, 'cache');
    const error = await resolveBinaries({ env: {}, cacheRoot }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlPlaneError);
    const message = (error as Error).message;
    expect(message).toContain('not found');
    expect(message).toContain('$TEST_ASSET_');
    expect(message).toContain('$KUBEBUILDER_ASSETS (unset)');
    expect(message).toContain(join(cacheRoot, KUBERNETES_VERSION));
    expect(message).toContain(BUILD_BINARIES_COMMAND);
    expect(message).toContain('set KUBEBUILDER_ASSETS');
  });
});

describe('KUBERNETES_VERSION', () => {
  it('is the k8s.io/kubernetes version of test-e2e/controlplane/go.mod', async () => {
    const goMod = fileURLToPath(
      new URL('../../../../test-e2e/controlplane/go.mod', import.meta.url),
    );
    const text = await readFile(goMod, 'utf8');
    expect(text).toMatch(
      new RegExp(`^\\s*k8s\\.io/kubernetes ${KUBERNETES_VERSION.replaceAll('.', '\\.')}\\b`, 'm'),
    );
  });

  it('matches the script named by BUILD_BINARIES_COMMAND', async () => {
    const script = BUILD_BINARIES_COMMAND.replace(/^bash /, '');
    const path = fileURLToPath(new URL(`../../../../${script}`, import.meta.url));
    expect(await readFile(path, 'utf8')).toContain('go build');
  });
});

describe('KWOK_VERSION', () => {
  it('is the kwok version the build script installs', async () => {
    const path = fileURLToPath(
      new URL('../../../../test-e2e/controlplane/build-binaries.sh', import.meta.url),
    );
    expect(await readFile(path, 'utf8')).toContain(`kwok_version=${KWOK_VERSION}\n`);
  });
});

describe('resolveBinaries with nodes', () => {
  it('finds kube-scheduler in the Kubernetes cache and kwok in its own', async () => {
    const cacheRoot = join(root, 'cache');
    const kwokCacheRoot = join(root, 'kwok-cache');
    await fillDir(join(cacheRoot, KUBERNETES_VERSION), [
      'etcd',
      'kube-apiserver',
      'kube-controller-manager',
      'kube-scheduler',
    ]);
    await fillDir(join(kwokCacheRoot, KWOK_VERSION), ['kwok']);
    const found = await resolveBinaries({
      env: {},
      cacheRoot,
      kwokCacheRoot,
      controllerManager: true,
      nodes: true,
    });
    expect(found.kubeScheduler).toBe(join(cacheRoot, KUBERNETES_VERSION, 'kube-scheduler'));
    expect(found.kwok).toBe(join(kwokCacheRoot, KWOK_VERSION, 'kwok'));
    const explicit = await fakeExecutable(join(root, 'my-kwok'));
    const env = { TEST_ASSET_KWOK: explicit };
    expect((await resolveBinaries({ env, cacheRoot, kwokCacheRoot, nodes: true })).kwok).toBe(
      explicit,
    );
  });

  it('names the kwok cache and the build command when kwok is missing', async () => {
    const cacheRoot = join(root, 'cache');
    await fillDir(join(cacheRoot, KUBERNETES_VERSION), [
      'etcd',
      'kube-apiserver',
      'kube-scheduler',
    ]);
    const kwokCacheRoot = join(root, 'no-kwok');
    const failure = resolveBinaries({ env: {}, cacheRoot, kwokCacheRoot, nodes: true });
    await expect(failure).rejects.toThrow(/kwok not found.*TEST_ASSET_KWOK/);
    await expect(failure).rejects.toThrow(join(kwokCacheRoot, KWOK_VERSION));
    await expect(failure).rejects.toThrow(BUILD_BINARIES_COMMAND);
  });
});

describe('resolveKubectl', () => {
  it('finds kubectl in TEST_ASSET_KUBECTL, then KUBEBUILDER_ASSETS, then the cache', async () => {
    const cacheRoot = join(root, 'cache');
    const assets = join(root, 'assets');
    const explicit = join(root, 'my-kubectl');
    await fillDir(join(cacheRoot, KUBERNETES_VERSION), ['kubectl']);
    expect(await resolveKubectl({ env: {}, cacheRoot })).toBe(
      join(cacheRoot, KUBERNETES_VERSION, 'kubectl'),
    );
    await fillDir(assets, ['kubectl']);
    expect(await resolveKubectl({ env: { KUBEBUILDER_ASSETS: assets }, cacheRoot })).toBe(
      join(assets, 'kubectl'),
    );
    await fakeExecutable(explicit);
    const env = { KUBEBUILDER_ASSETS: assets, TEST_ASSET_KUBECTL: explicit };
    expect(await resolveKubectl({ env, cacheRoot })).toBe(explicit);
  });

  it('says where it looked and how to build kubectl when there is none', async () => {
    const cacheRoot = join(root, 'empty-cache');
    const failure = resolveKubectl({ env: {}, cacheRoot });
    await expect(failure).rejects.toThrow(ControlPlaneError);
    await expect(failure).rejects.toThrow(/kubectl not found.*TEST_ASSET_KUBECTL/);
    await expect(failure).rejects.toThrow(BUILD_BINARIES_COMMAND);
  });
});
