import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CredentialSource } from './credentials.js';
import { KubeConfigEngine } from './kubeconfig-engine.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

const doc = `clusters:
- name: c
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority-data: ${Buffer.from('the-ca').toString('base64')}
    tls-server-name: api.internal
    proxy-url: socks5://127.0.0.1:1080
users:
- name: u
  user: { token: tok, as: someone }
- name: basic
  user: { username: ann, password: pw }
contexts:
- name: x
  context: { cluster: c, user: u, namespace: ns }
- name: b
  context: { cluster: c, user: basic }
current-context: x
`;

async function httpsOptions(kc: Pick<KubeConfig, 'applyToHTTPSOptions'>): Promise<RequestOptions> {
  const opts: RequestOptions = { headers: {} };
  await kc.applyToHTTPSOptions(opts);
  return opts;
}

describe('KubeConfigEngine', () => {
  it('reads entries and credentials as client-node’s KubeConfig does', async () => {
    const engine = new KubeConfigEngine();
    engine.loadFromString(doc);
    const real = new KubeConfig();
    real.loadFromString(doc);
    for (const context of ['x', 'b']) {
      engine.setCurrentContext(context);
      real.setCurrentContext(context);
      expect(engine.getCurrentCluster()).toEqual(real.getCurrentCluster());
      expect(engine.getCurrentUser()).toEqual(real.getCurrentUser());
      const mine = await httpsOptions(engine);
      const theirs = await httpsOptions(real);
      for (const key of ['ca', 'servername', 'headers', 'auth', 'rejectUnauthorized'] as const) {
        expect(mine[key], `${context}: ${key}`).toEqual(theirs[key]);
      }
    }
  });

  it('in cluster: the mounted CA, namespace and token, the token read again when it rotates', async () => {
    const prefix = mkdtempSync(join(tmpdir(), 'kube-ts-engine-sa-'));
    const saDir = join(prefix, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(saDir, { recursive: true });
    writeFileSync(join(saDir, 'token'), 'token-one');
    writeFileSync(join(saDir, 'namespace'), 'operators');
    writeFileSync(join(saDir, 'ca.crt'), 'pem');
    vi.stubEnv('KUBERNETES_SERVICE_HOST', 'fd00::1');
    vi.stubEnv('KUBERNETES_SERVICE_PORT', '443');
    const engine = new KubeConfigEngine();
    engine.loadFromCluster(prefix);
    expect(engine.getCurrentCluster()?.server).toBe('https://[fd00::1]:443');
    expect(engine.getContextObject(engine.getCurrentContext())?.namespace).toBe('operators');
    const source = new CredentialSource(engine, 0);
    expect((await source.get()).headers.Authorization).toBe('Bearer token-one');
    expect(String((await source.get()).tls.ca)).toBe('pem');
    writeFileSync(join(saDir, 'token'), 'token-two-rotated');
    expect((await source.get()).headers.Authorization).toBe('Bearer token-two-rotated');
  });

  it('refuses duplicate names as client-node does', () => {
    const engine = new KubeConfigEngine();
    engine.loadFromString(doc);
    expect(() =>
      engine.addCluster({ name: 'c', server: 'https://x', skipTLSVerify: false }),
    ).toThrow('Duplicate cluster: c');
  });
});
