import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runManifestsCli } from './manifests-command.js';

const fixture = fileURLToPath(new URL('./fixtures/webhook-module.test-helper.ts', import.meta.url));

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runManifestsCli(args, {
    cwd: process.cwd(),
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readFile: async (path) => {
      if (path === 'ca.pem') return 'PEM';
      throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    },
  });
  return { code, stdout, stderr };
}

describe('kube-ts-webhook manifests', () => {
  it('prints the configurations of the exported server for a Service, with caBundle and annotations', async () => {
    const r = await run([
      'manifests',
      fixture,
      '--service',
      'ops/cm-webhook:8443',
      '--ca-file',
      'ca.pem',
      '--annotation',
      'a.example.com/b=c',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'cm-webhook', annotations: { 'a.example.com/b': 'c' } },
      webhooks: [
        {
          clientConfig: {
            service: {
              namespace: 'ops',
              name: 'cm-webhook',
              port: 8443,
              path: '/validate/validate.configmaps.example.com',
            },
            caBundle: Buffer.from('PEM').toString('base64'),
          },
        },
      ],
    });
  });

  it('says what to do on usage errors and unreadable inputs', async () => {
    expect(await run(['manifests', fixture])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('give exactly one of --service or --url'),
    });
    expect(await run(['bogus'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command "bogus"'),
    });
    expect(
      await run(['manifests', fixture, '--url', 'https://127.0.0.1:9443', '--ca-file', 'x.pem']),
    ).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('cannot read --ca-file x.pem: ENOENT'),
    });
    expect(await run(['manifests', './nope.js', '--url', 'https://127.0.0.1:9443'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('cannot load module "./nope.js"'),
    });
    expect(await run(['manifests', fixture, '--url', 'http://127.0.0.1:9443'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('must use https'),
    });
    const help = await run(['--help']);
    expect([help.code, help.stdout]).toEqual([
      0,
      expect.stringContaining('Usage: kube-ts-webhook manifests'),
    ]);
  });
});
