/**
 * What a package's entry loads at import time, read from the sources: for tests that keep
 * heavy modules (client-node's models, ws, prom-client) off the import path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

/** The repository's `packages` directory. */
export const packagesDir = resolve(new URL('../..', import.meta.url).pathname);

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
export function staticImports(entry: string): Map<string, string> {
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

/** The entry source file (`src/index.ts`) of the kube-ts package `name`. */
export function entryOf(name: string): string {
  return join(packagesDir, name, 'src', 'index.ts');
}
