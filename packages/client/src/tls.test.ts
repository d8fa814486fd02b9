import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './client.js';
import { TransportError } from './errors.js';

const dir = mkdtempSync(join(tmpdir(), 'kube-ts-tls-'));
const file = (n: string) => join(dir, n);
const b64 = (n: string) => readFileSync(file(n)).toString('base64');

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

let server: Server;
let url: string;
let connections = 0;

beforeAll(async () => {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '1',
    '-subj',
    '/CN=test-ca',
  );
  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '1',
    '-extfile',
    'server.ext',
  );
  openssl('req', ...ec, '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=alice/O=devs');
  openssl(
    'x509',
    '-req',
    '-in',
    'client.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'client.crt',
    '-days',
    '1',
  );
  server = createServer(
    {
      key: readFileSync(file('server.key')),
      cert: readFileSync(file('server.crt')),
      ca: readFileSync(file('ca.crt')),
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ user: peer?.subject?.CN ?? null }));
    },
  );
  server.on('secureConnection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

function kubeConfig(cluster: Record<string, unknown>, user: Record<string, unknown>): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: url, skipTLSVerify: false, ...cluster }],
    users: [{ name: 'u', ...user }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

describe('TLS', () => {
  it('verifies the server with the kubeconfig CA and authenticates with the client certificate', async () => {
    const client = Client.fromKubeConfig(
      kubeConfig(
        { caData: b64('ca.crt') },
        { certData: b64('client.crt'), keyData: b64('client.key') },
      ),
    );
    try {
      const before = connections;
      expect(await client.request({ method: 'GET', path: '/whoami' })).toEqual({ user: 'alice' });
      expect(await client.request({ method: 'GET', path: '/whoami' })).toEqual({ user: 'alice' });
      expect(connections - before).toBe(1);
    } finally {
      client.close();
    }
  });

  it('rejects a server its CA does not vouch for (verification is on)', async () => {
    const client = Client.fromKubeConfig(kubeConfig({}, { token: 'tok' }), {
      retry: { maxRetries: 0 },
    });
    try {
      const err = (await client
        .request({ method: 'GET', path: '/x' })
        .catch((e: unknown) => e)) as TransportError;
      expect(err).toBeInstanceOf(TransportError);
      expect(err.message).toMatch(/self[- ]signed|unable to (verify|get local issuer)/i);
      expect(err.message).toMatch(
        /cluster 'c' of the kubeconfig verifies it with Node's default CAs/,
      );
    } finally {
      client.close();
    }
  });

  it('a wrong CA names the cluster and where its CA comes from', async () => {
    const other = mkdtempSync(join(tmpdir(), 'kube-ts-ca-'));
    const caFile = join(other, 'wrong-ca.crt');
    writeFileSync(caFile, readFileSync(join(dir, 'client.crt')));
    const client = Client.fromKubeConfig(kubeConfig({ caFile }, { token: 'tok' }), {
      retry: { maxRetries: 0 },
    });
    try {
      const err = (await client
        .request({ method: 'GET', path: '/x' })
        .catch((e: unknown) => e)) as TransportError;
      expect(err.message).toContain(
        `cluster 'c' of the kubeconfig verifies it with certificate-authority ${caFile}`,
      );
    } finally {
      client.close();
    }
  });

  it('skips verification only when the kubeconfig says insecure-skip-tls-verify', async () => {
    const client = Client.fromKubeConfig(kubeConfig({ skipTLSVerify: true }, { token: 'tok' }));
    try {
      expect(await client.request({ method: 'GET', path: '/x' })).toEqual({ user: null });
    } finally {
      client.close();
    }
  });
});
