import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const pkgDir = new URL('..', import.meta.url).pathname;
const run = promisify(execFile);

/** Every generated module under `dir/src`, as `core/v1.ts`, sorted. */
async function generatedFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, 'src'), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const file of await readdir(join(dir, 'src', entry.name))) {
      out.push(`${entry.name}/${file}`);
    }
  }
  return out.sort();
}

describe('the committed output', () => {
  let tmp: string;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'kube-ts-k8s-generate-'));
    await mkdir(join(tmp, 'src'));
    await copyFile(join(pkgDir, 'package.json'), join(tmp, 'package.json'));
    await run(process.execPath, [join(pkgDir, 'scripts/generate.mjs'), '--out', tmp]);
  }, 120_000);

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('has exactly the modules the generator writes from the committed spec', async () => {
    const committed = await generatedFiles(pkgDir);
    expect(committed.length).toBeGreaterThan(10);
    expect(committed).toEqual(await generatedFiles(tmp));
  });

  it('is byte for byte what the generator writes from the committed spec', async () => {
    for (const file of await generatedFiles(tmp)) {
      const want = await readFile(join(tmp, 'src', file), 'utf8');
      const have = await readFile(join(pkgDir, 'src', file), 'utf8');
      // One assertion per file names the stale module; `npm run generate -w @kube-ts/k8s` fixes it.
      expect(have === want, `src/${file} differs from the generator's output`).toBe(true);
    }
  });

  it('exports exactly the generated modules', async () => {
    const committed = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8'));
    const generated = JSON.parse(await readFile(join(tmp, 'package.json'), 'utf8'));
    expect(committed.exports).toEqual(generated.exports);
    expect(committed.exports['./core/v1']).toEqual({
      types: './dist/core/v1.d.ts',
      import: './dist/core/v1.js',
    });
  });
});
