import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const srcDir = new URL('.', import.meta.url).pathname;

/** The JavaScript tsc emits for a module under this repository's settings. */
function emit(source: string): string {
  return ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
    },
  }).outputText;
}

async function modules(): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(srcDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const file of await readdir(join(srcDir, entry.name))) out.push(`${entry.name}/${file}`);
  }
  return out;
}

describe('each group/version module', () => {
  it('emits JavaScript that imports nothing, so loading one subpath loads no other', async () => {
    const files = await modules();
    expect(files).toContain('core/v1.ts');
    for (const file of files) {
      const js = emit(await readFile(join(srcDir, file), 'utf8'));
      expect(js, file).not.toMatch(/^\s*import\b|\bimport\(|\brequire\(|^\s*export\s.*\bfrom\b/m);
    }
  });

  it('emits the descriptors as frozen objects', async () => {
    const js = emit(await readFile(join(srcDir, 'core/v1.ts'), 'utf8'));
    expect(js).toMatch(/^export const pods = Object\.freeze\(\{\s+group: '',\s+version: 'v1',/m);
    expect(js).not.toMatch(/__object/);
  });
});
