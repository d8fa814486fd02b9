import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { generateCertificates } from './certificates.js';
import { checkPair, type TlsMaterial, tlsSource } from './tls-source.js';

describe('checkPair', () => {
  it('accepts a matching pair and refuses a mismatched, empty or missing half', async () => {
    const a = await generateCertificates();
    const b = await generateCertificates();
    expect(() => checkPair({ cert: a.cert, key: a.key, caCert: a.caCert })).not.toThrow();
    expect(() => checkPair({ cert: b.cert, key: a.key, caCert: undefined })).toThrow();
    // An empty half is what a reader sees mid-rotation (file truncated, not yet written);
    // a TLS context built from it has no key and fails every handshake.
    expect(() => checkPair({ cert: a.cert, key: '', caCert: undefined })).toThrow();
    expect(() => checkPair({ cert: '', key: a.key, caCert: undefined })).toThrow();
  });
});

/** How long a check of the files (every 10 ms) may take to come on a loaded machine. */
const WAIT = { timeout: 30_000, interval: 10 } as const;

describe('tlsSource with files', () => {
  it('never hands out a pair whose key file is empty while it is being rewritten', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kube-ts-tls-source-'));
    const ac = new AbortController();
    try {
      const first = await generateCertificates();
      const second = await generateCertificates();
      const certFile = join(dir, 'tls.crt');
      const keyFile = join(dir, 'tls.key');
      await writeFile(certFile, first.cert);
      await writeFile(keyFile, first.key);
      const source = tlsSource({ certFile, keyFile, reloadIntervalMs: 10 }, {});
      await source.load();
      const changes: TlsMaterial[] = [];
      const errors: Error[] = [];
      source.watch(
        ac.signal,
        (m) => changes.push(m),
        (e) => errors.push(e),
      );
      await writeFile(certFile, second.cert);
      await writeFile(keyFile, '');
      // Checked (and refused) at least once, however slow the machine.
      await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), WAIT);
      expect(changes).toEqual([]);
      for (const e of errors) expect(e.message).not.toContain('PRIVATE KEY');
      await writeFile(keyFile, second.key);
      await vi.waitFor(() => expect(changes.length).toBeGreaterThan(0), WAIT);
      expect(changes.map((m) => m.cert)).toEqual([second.cert]);
    } finally {
      ac.abort();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
