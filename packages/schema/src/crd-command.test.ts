import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCli } from './crd-command.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

async function run(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    cwd: fixtures,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

describe('kube-ts crd', () => {
  it('prints one YAML document per exported resource', async () => {
    const r = await run('crd', './widget.test-helper.ts');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(docs.map((d) => d.metadata.name)).toEqual([
      'gadgets.example.com',
      'widgets.example.com',
    ]);
    expect(docs[1].spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.port).toEqual(
      {
        'x-kubernetes-int-or-string': true,
      },
    );
  });

  it('merges versions of one kind exported separately', async () => {
    const r = await run('crd', `${fixtures}versions.test-helper.ts`);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(docs).toHaveLength(1);
    expect(
      docs[0].spec.versions.map((v: { name: string; storage: boolean }) => [v.name, v.storage]),
    ).toEqual([
      ['v1', true],
      ['v2', false],
    ]);
  });

  it('says so when a module exports no definitions', async () => {
    const r = await run('crd', './empty.test-helper.ts');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /module "\.\/empty\.test-helper\.ts" exports no resource definitions; export the values returned by defineResource/,
    );
  });

  it('says so when a module cannot be loaded', async () => {
    const missing = await run('crd', './missing.js');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot load module "\.\/missing\.js": no such file/);
    const broken = await run('crd', './broken.test-helper.ts');
    expect(broken.stderr).toMatch(
      /cannot load module "\.\/broken\.test-helper\.ts": boom while loading/,
    );
    const pkg = await run('crd', 'no-such-package-kube-ts');
    expect(pkg.code).toBe(1);
    expect(pkg.stderr).toMatch(/cannot load module "no-such-package-kube-ts"/);
  });

  it('prints usage for a missing or unknown command', async () => {
    expect((await run()).code).toBe(2);
    expect((await run('crd')).stderr).toMatch(/missing <module>/);
    expect((await run('deploy')).stderr).toMatch(/unknown command "deploy"/);
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: kube-ts crd <module>/);
  });
});
