import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Client } from './client.js';
import { CredentialSource, sameTls } from './credentials.js';
import { type Fixture, json, kubeConfigFor, startFixture } from './fixture.test-helper.js';

let fixture: Fixture | undefined;
let client: Client | undefined;

afterEach(async () => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  client?.close();
  client = undefined;
  await fixture?.close();
  fixture = undefined;
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
