import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { kubeConfigClass } from './kubeconfig-class.js';

const packagesDir = resolve(new URL('../..', import.meta.url).pathname);

/** The source file a module specifier of a kube-ts source file names, or undefined. */
function sourceOf(from: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) return resolve(dirname(from), specifier.replace(/\.js$/, '.ts'));
  const m = /^@kube-ts\/([^/]+)(?:\/(.+))?$/.exec(specifier);
  if (!m) return undefined;
  return join(packagesDir, m[1]!, 'src', `${m[2] ?? 'index'}.ts`);
}

/**
 * Every module specifier that the JavaScript emitted for `entry` and the kube-ts modules it
 * reaches loads at import time: `import type` is erased (verbatimModuleSyntax), anything
 * else (`import { x }`, `import { type x }`, `export … from`) is kept.
 */
function staticImports(entry: string): Map<string, string> {
  const found = new Map<string, string>();
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
    for (const node of source.statements) {
      let specifier: string | undefined;
      if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
        specifier = (node.moduleSpecifier as ts.StringLiteral).text;
      } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier) {
        specifier = (node.moduleSpecifier as ts.StringLiteral).text;
      }
      if (specifier === undefined) continue;
      found.set(specifier, file);
      const next = sourceOf(file, specifier);
      if (next !== undefined && existsSync(next)) queue.push(next);
    }
  }
  return found;
}

describe('kubeConfigClass', () => {
  it('is client-node’s KubeConfig, the class users construct themselves', () => {
    expect(kubeConfigClass()).toBe(KubeConfig);
    expect(new (kubeConfigClass())()).toBeInstanceOf(KubeConfig);
  });

  it('keeps client-node off the import path of @kube-ts/client and @kube-ts/runtime', () => {
    for (const entry of ['client', 'runtime']) {
      const imports = staticImports(join(packagesDir, entry, 'src', 'index.ts'));
      expect(imports.has('@kube-ts/core'), entry).toBe(true);
      const clientNode = [...imports]
        .map(([s]) => s)
        .filter((s) => s.startsWith('@kubernetes/client-node'));
      // Only the entry parsers (config_types.js imports nothing but node:fs).
      expect(clientNode, `${entry} loads client-node at import time`).toEqual([
        '@kubernetes/client-node/dist/config_types.js',
      ]);
    }
  });

  it('Client.fromDefault reaches only client-node modules that never load its generated models', () => {
    const engine = readFileSync(new URL('./kubeconfig-engine.ts', import.meta.url), 'utf8');
    // Every client-node module it loads (type-only imports are erased).
    const used = [
      ...engine.matchAll(
        /^(?!import type).*['"](@kubernetes\/client-node\/dist\/[\w/]+\.js)['"]/gm,
      ),
    ].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(5);
    const distDir = dirname(
      createRequire(import.meta.url).resolve('@kubernetes/client-node/dist/config_types.js'),
    );
    // Follow each module's relative imports through client-node's dist folder.
    const seen = new Set<string>();
    const queue = used.map((s) => join(distDir, s.replace('@kubernetes/client-node/dist/', '')));
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/^import .*from ['"](\.[^'"]+)['"]/gm)) {
        queue.push(resolve(dirname(file), m[1]!));
      }
    }
    const loaded = [...seen].map((f) => f.slice(distDir.length + 1)).sort();
    expect(
      loaded.filter((f) => f.startsWith('gen/') || f === 'config.js' || f === 'index.js'),
    ).toEqual([]);
  });
});
