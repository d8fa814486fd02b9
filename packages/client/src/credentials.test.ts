import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Client } from './client.js';
import { CredentialSource, sameTls } from './credentials.js';
import {
  closeAfterEach,
  type Fixture,
  json,
  kubeConfigFor,
  startFixture,
  TEST_TOKEN,
} from './fixture.test-helper.js';

let fixture: Fixture | undefined;
let client: Client | undefined;

// Registered first, so (hooks after a test run in reverse) it runs after the timers are real again.
closeAfterEach(() => [client, fixture]);
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('credentials', () => {
  it('re-reads the in-cluster service-account token at least every minute', async () => {
    fixture = await startFixture((_req, res) => json(res, 200, {}));
    const prefix = mkdtempSync(join(tmpdir(), 'kube-ts-sa-'));
    const saDir = join(prefix, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(saDir, { recursive: true });
    writeFileSync(join(saDir, 'token'), 'token-one');
    writeFileSync(join(saDir, 'namespace'), 'operators');
    writeFileSync(join(saDir, 'ca.crt'), '');
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '127.0.0.1');
    vi.stubEnv('KUBERNETES_SERVICE_PORT', '443');
    vi.useFakeTimers({ toFake: ['Date'] });
    const kc = new KubeConfig();
    kc.loadFromCluster(prefix);
    const inCluster = kc.clusters[0]!;
    kc.clusters = [{ ...inCluster, server: fixture.url }];
    client = Client.fromKubeConfig(kc);
    expect(client.defaultNamespace).toBe('operators');

    await client.request({ method: 'GET', path: '/a' });
    writeFileSync(join(saDir, 'token'), 'token-two');
    vi.setSystemTime(Date.now() + 61_000);
    await client.request({ method: 'GET', path: '/b' });
    expect(fixture.seen.map((s) => s.headers.authorization)).toEqual([
      'Bearer token-one',
      'Bearer token-two',
    ]);
  });

  it('sends basic auth from username/password', async () => {
    fixture = await startFixture((_req, res) => json(res, 200, {}));
    client = Client.fromKubeConfig(kubeConfigFor(fixture.url, { username: 'al', password: 'pw' }));
    await client.request({ method: 'GET', path: '/a' });
    expect(fixture.seen[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('al:pw').toString('base64')}`,
    );
  });

  it('caches one lookup for ttlMs and shares concurrent lookups', async () => {
    let now = 0;
    const kc = kubeConfigFor('https://127.0.0.1:1');
    const spy = vi.spyOn(kc, 'applyToHTTPSOptions');
    const source = new CredentialSource(kc, 1000, () => now);
    const [a, b] = await Promise.all([source.get(), source.get()]);
    expect(a).toBe(b);
    expect(spy).toHaveBeenCalledTimes(1);
    now = 999;
    await source.get();
    expect(spy).toHaveBeenCalledTimes(1);
    now = 1000;
    await source.get();
    expect(spy).toHaveBeenCalledTimes(2);
    source.invalidate();
    await source.get();
    expect(spy).toHaveBeenCalledTimes(3);
  });

  it('takes TLS material from the kubeconfig, verification on by default', async () => {
    const kc = kubeConfigFor('https://127.0.0.1:1', { token: 't' });
    const creds = await new CredentialSource(kc).get();
    expect(creds.tls.rejectUnauthorized).toBe(true);
    expect(creds.headers.Authorization).toBe('Bearer t');
    const insecure = new KubeConfig();
    insecure.loadFromOptions({
      clusters: [{ name: 'c', server: 'https://127.0.0.1:1', skipTLSVerify: true }],
      users: [{ name: 'u' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    expect((await new CredentialSource(insecure).get()).tls.rejectUnauthorized).toBe(false);
  });

  it('sameTls compares buffers by content', () => {
    const a = { ca: Buffer.from('x'), rejectUnauthorized: true };
    expect(sameTls(a, { ca: Buffer.from('x'), rejectUnauthorized: true })).toBe(true);
    expect(sameTls(a, { ca: 'x', rejectUnauthorized: true })).toBe(true);
    expect(sameTls(a, { ca: Buffer.from('y'), rejectUnauthorized: true })).toBe(false);
    expect(sameTls(a, { rejectUnauthorized: true })).toBe(false);
    expect(sameTls(a, { ca: Buffer.from('x'), rejectUnauthorized: false })).toBe(false);
  });
});

describe('credential errors never quote credential material', () => {
  const plugin = (body: string): string => {
    const d = mkdtempSync(join(tmpdir(), 'kube-ts-exec-'));
    const path = join(d, 'plugin.sh');
    writeFileSync(path, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return path;
  };
  const execUser = (command: string) => ({
    exec: { command, apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never' },
  });
  const failureOf = async (user: Record<string, unknown>) => {
    fixture = await startFixture((_req, res) => json(res, 200, {}));
    client = Client.fromKubeConfig(kubeConfigFor(fixture.url, user), { retry: { maxRetries: 0 } });
    return (await client.request({ method: 'GET', path: '/x' }).catch((e: unknown) => e)) as Error;
  };
  const everything = (err: Error) => inspect(err, { depth: 10 });

  it('a plugin that prints a raw token: no part of it in the error or its causes', async () => {
    const err = await failureOf(execUser(plugin('echo RAWTOKENabcdef0123456789')));
    expect(err.message).toMatch(/exec plugin '.*plugin.sh' printed something that is not JSON/);
    expect(everything(err)).not.toMatch(/RAWTOKEN|abcdef0123/);
  });

  it('a plugin that fails without stderr, and one that prints JSON without status', async () => {
    const silent = await failureOf(execUser(plugin('exit 3')));
    expect(silent.message).toMatch(/failed \(exit code not 0\) and wrote nothing to stderr/);
    await fixture?.close();
    fixture = undefined;
    const statusless = await failureOf(execUser(plugin('echo \'{"kind":"ExecCredential"}\'')));
    expect(statusless.message).toMatch(/printed JSON without a 'status'/);
    expect(statusless.message).not.toMatch(/Cannot read properties/);
  });

  it('a 401 names the kind and source of the credential, never its value', async () => {
    fixture = await startFixture((_req, res) =>
      json(res, 401, {
        kind: 'Status',
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      }),
    );
    client = Client.fromKubeConfig(kubeConfigFor(fixture.url), { retry: { maxRetries: 0 } });
    const err = (await client
      .request({ method: 'GET', path: '/x' })
      .catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(
      /Unauthorized: the server did not accept the bearer token written in the kubeconfig \(user 'u' of context 'ctx'\)/,
    );
    expect(everything(err)).not.toContain(TEST_TOKEN);
  });
});

describe('token-file', () => {
  const kubeconfigWith = (tokenFile: string, server = 'https://127.0.0.1:1') => {
    const d = mkdtempSync(join(tmpdir(), 'kube-ts-tf-'));
    const path = join(d, 'config');
    writeFileSync(
      path,
      `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: '${server}' } }]
users: [{ name: u, user: { token-file: ${tokenFile} } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`,
    );
    return path;
  };

  it('a token-file that does not exist fails at load, naming the path', () => {
    const path = kubeconfigWith('/nonexistent/kube-ts/token');
    expect(() => Client.fromDefault({ path })).toThrow(
      /user 'u' reads its token from token-file \/nonexistent\/kube-ts\/token, which does not exist/,
    );
  });

  it('is read again when it changes (a rotated projected token), relative to the kubeconfig', async () => {
    fixture = await startFixture((_req, res) => json(res, 200, {}));
    const path = kubeconfigWith('token', fixture.url);
    const tokenPath = join(path, '..', 'token');
    writeFileSync(tokenPath, 'first-token\n');
    client = Client.fromDefault({ path });
    await client.request({ method: 'GET', path: '/a' });
    writeFileSync(tokenPath, 'second-token-rotated\n');
    await new Promise((r) => setTimeout(r, 1_100)); // past the 1 s credential cache
    await client.request({ method: 'GET', path: '/b' });
    expect(fixture.seen.map((s) => s.headers.authorization)).toEqual([
      'Bearer first-token',
      'Bearer second-token-rotated',
    ]);
  });
});
