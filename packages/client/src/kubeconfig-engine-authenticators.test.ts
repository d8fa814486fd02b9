import { mkdtempSync, writeFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { KubeConfigEngine } from './kubeconfig-engine.js';

// Counts the imports of client-node's authenticator modules (each module's factory runs
// when it is first imported). This file must not import client-node's `config.js`, which
// imports them all statically.
const loaded = vi.hoisted(() => new Set<string>());
for (const name of ['azure_auth', 'gcp_auth', 'exec_auth', 'file_auth', 'oidc_auth']) {
  vi.doMock(`@kubernetes/client-node/dist/${name}.js`, async (importOriginal) => {
    loaded.add(name);
    return importOriginal();
  });
}

async function headersOf(engine: KubeConfigEngine, context: string): Promise<unknown> {
  engine.setCurrentContext(context);
  const opts: RequestOptions = { headers: {} };
  await engine.applyToHTTPSOptions(opts);
  return opts.headers;
}

describe('KubeConfigEngine authenticators', () => {
  it('loads client-node’s authenticators only for a user with exec or auth-provider', async () => {
    const tokenFile = join(mkdtempSync(join(tmpdir(), 'kube-ts-engine-auth-')), 'token');
    writeFileSync(tokenFile, 'from-file');
    const engine = new KubeConfigEngine();
    engine.loadFromDocument({
      clusters: [{ name: 'c', cluster: { server: 'https://10.0.0.1:6443' } }],
      users: [
        { name: 'token', user: { token: 'tok' } },
        { name: 'basic', user: { username: 'ann', password: 'pw' } },
        { name: 'provider', user: { 'auth-provider': { name: 'x', config: { tokenFile } } } },
      ],
      contexts: [
        { name: 'token', context: { cluster: 'c', user: 'token' } },
        { name: 'basic', context: { cluster: 'c', user: 'basic' } },
        { name: 'provider', context: { cluster: 'c', user: 'provider' } },
      ],
      'current-context': 'token',
    });
    expect(await headersOf(engine, 'token')).toEqual({ Authorization: 'Bearer tok' });
    expect(await headersOf(engine, 'basic')).toEqual({});
    expect([...loaded]).toEqual([]);
    // A token file given through an auth-provider is client-node's FileAuth.
    expect(await headersOf(engine, 'provider')).toEqual({ Authorization: 'Bearer from-file' });
    expect([...loaded].sort()).toEqual([
      'azure_auth',
      'exec_auth',
      'file_auth',
      'gcp_auth',
      'oidc_auth',
    ]);
  });
});
