import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Client } from './client.js';
import { KubeConfigError } from './errors.js';
import { loadKubeConfig, loadKubeConfigEngine } from './kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'kube-ts-kc-'));
const good = join(dir, 'good.yaml');
writeFileSync(
  good,
  `apiVersion: v1
kind: Config
clusters:
- name: a
  cluster: { server: 'https://127.0.0.1:6443' }
- name: b
  cluster: { server: 'https://127.0.0.2:6443' }
users:
- name: u
  user: { token: secret-token-xyz }
contexts:
- name: ctx-a
  context: { cluster: a, user: u, namespace: team }
- name: ctx-b
  context: { cluster: b, user: u }
current-context: ctx-a
`,
);

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('loading a kubeconfig', () => {
  it('loads a file and its current context', () => {
    const client = Client.fromDefault({ path: good });
    expect(client.baseUrl).toBe('https://127.0.0.1:6443');
    expect(client.defaultNamespace).toBe('team');
    client.close();
  });

  it('switches to another context', () => {
    const client = Client.fromDefault({ path: good, context: 'ctx-b' });
    expect(client.baseUrl).toBe('https://127.0.0.2:6443');
    expect(client.defaultNamespace).toBe('default');
    client.close();
  });

  it('names a missing file and says what to do', () => {
    const missing = join(dir, 'nope.yaml');
    const err = (() => {
      try {
        Client.fromDefault({ path: missing });
      } catch (e) {
        return e;
      }
    })() as KubeConfigError;
    expect(err).toBeInstanceOf(KubeConfigError);
    expect(err.path).toBe(missing);
    expect(err.message).toContain(`kubeconfig ${missing} does not exist`);
    expect(err.message).toMatch(/KUBECONFIG/);
  });

  it.each([
    ['not YAML', 'clusters: [unclosed'],
    ['empty', ''],
    ['a cluster without server', 'clusters:\n- name: a\n  cluster: {}\n'],
  ])('names a file that does not parse (%s)', (_n, text) => {
    const bad = join(dir, `bad-${_n.replace(/\W/g, '')}.yaml`);
    writeFileSync(bad, text);
    expect(() => loadKubeConfig({ path: bad })).toThrow(KubeConfigError);
    expect(() => loadKubeConfig({ path: bad })).toThrow(
      `kubeconfig ${bad} is not a valid kubeconfig`,
    );
  });

  it('rejects an unknown context, listing the known ones', () => {
    expect(() => loadKubeConfig({ path: good, context: 'zzz' })).toThrow(
      /no context 'zzz' \(it has: ctx-a, ctx-b\)/,
    );
  });

  it('rejects a file with no current context', () => {
    const f = join(dir, 'nocontext.yaml');
    writeFileSync(f, 'clusters:\n- name: a\n  cluster: { server: "https://x" }\n');
    expect(() => loadKubeConfig({ path: f })).toThrow(/no usable current context/);
  });

  it('uses KUBECONFIG, skipping missing files, and fails when none exists', () => {
    vi.stubEnv('KUBECONFIG', [join(dir, 'missing.yaml'), good].join(':'));
    expect(loadKubeConfig().getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
    vi.stubEnv('KUBECONFIG', join(dir, 'missing.yaml'));
    expect(() => loadKubeConfig()).toThrow(
      /KUBECONFIG names .*missing.yaml, but none of these files exists/,
    );
  });

  it('merges several KUBECONFIG files as kubectl does: the first definition of a name wins', () => {
    const first = join(dir, 'merge-1.yaml');
    const second = join(dir, 'merge-2.yaml');
    const third = join(dir, 'merge-3.yaml');
    // No current-context in the first file: the second's is used, not the third's.
    writeFileSync(
      first,
      `clusters:
- name: shared
  cluster: { server: 'https://first.example:6443', tls-server-name: first-name }
users:
- name: shared-user
  user: { token: first-token }
contexts:
- name: one
  context: { cluster: shared, user: shared-user, namespace: from-first }
`,
    );
    writeFileSync(
      second,
      `clusters:
- name: shared
  cluster: { server: 'https://second.example:6443' }
- name: only-second
  cluster: { server: 'https://only-second.example:6443', disable-compression: true }
users:
- name: shared-user
  user: { token: second-token }
contexts:
- name: one
  context: { cluster: only-second, user: shared-user }
- name: two
  context: { cluster: only-second, user: shared-user, namespace: from-second }
current-context: one
`,
    );
    writeFileSync(third, 'current-context: two\n');
    vi.stubEnv('KUBECONFIG', [first, join(dir, 'missing.yaml'), second, third].join(':'));
    const kc = loadKubeConfigEngine();
    expect(kc.getCurrentContext()).toBe('one');
    // Context 'one' is the first file's (whole entry: cluster and namespace from there).
    expect(kc.getContextObject('one')).toMatchObject({
      cluster: 'shared',
      namespace: 'from-first',
    });
    expect(kc.getCurrentCluster()).toMatchObject({
      server: 'https://first.example:6443',
      tlsServerName: 'first-name',
    });
    expect(kc.getCurrentUser()?.token).toBe('first-token');
    expect(kc.getContextObject('two')?.namespace).toBe('from-second');
    expect(kc.clusters.map((c) => c.name)).toEqual(['shared', 'only-second']);
    expect([...kc.compressionDisabled]).toEqual(['only-second']);
    // The public loadKubeConfig gives client-node's KubeConfig with the same entries.
    const real = loadKubeConfig();
    expect(real.getCurrentCluster()?.server).toBe('https://first.example:6443');
    expect(real.getContextObject('two')?.namespace).toBe('from-second');
    const client = Client.fromDefault({ context: 'two' });
    expect(client.baseUrl).toBe('https://only-second.example:6443');
    expect(client.defaultNamespace).toBe('from-second');
    client.close();
  });

  it('never puts the token in error messages', () => {
    expect(() => loadKubeConfig({ path: good, context: 'zzz' })).not.toThrow(/secret-token-xyz/);
  });

  it('rejects a server that is not a URL', () => {
    const f = join(dir, 'badurl.yaml');
    writeFileSync(
      f,
      "clusters:\n- name: a\n  cluster: { server: 'not a url' }\ncontexts:\n- name: c\n  context: { cluster: a, user: '' }\ncurrent-context: c\n",
    );
    expect(() => Client.fromDefault({ path: f })).toThrow(/server 'not a url', which is not a URL/);
  });
});

describe('contexts naming what the kubeconfig lacks', () => {
  it('a context naming a missing cluster says which cluster, and what the file has', () => {
    const path = join(dir, 'missing-cluster.yaml');
    writeFileSync(
      path,
      `apiVersion: v1
kind: Config
clusters: [{ name: a, cluster: { server: 'https://127.0.0.1:6443' } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: broken, context: { cluster: nowhere, user: u } }]
current-context: broken
`,
    );
    expect(() => loadKubeConfig({ path })).toThrow(
      /context 'broken' names cluster 'nowhere', which it does not define \(it has: a\)/,
    );
  });

  it('a context naming a missing user fails instead of sending requests without credentials', () => {
    const path = join(dir, 'missing-user.yaml');
    writeFileSync(
      path,
      `apiVersion: v1
kind: Config
clusters: [{ name: a, cluster: { server: 'https://127.0.0.1:6443' } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: a, user: nobody } }]
current-context: x
`,
    );
    expect(() => loadKubeConfig({ path })).toThrow(/names user 'nobody', which it does not define/);
  });
});
