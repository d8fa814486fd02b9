/**
 * Docs compile: every TypeScript snippet (a ```ts or ```typescript block) in README.md,
 * docs/ and the packages' and examples' READMEs is type-checked against the packages'
 * sources, each snippet as a module of its own. A snippet that uses names it does not
 * define (a `client`, a `pod`) declares them, visibly, with `declare const` lines, so a
 * reader sees their types too.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { beforeAll, expect, test } from 'vitest';
import { repo } from './outside.js';

interface Snippet {
  /** `docs/controller.md:42` (the line of the opening fence). */
  readonly where: string;
  readonly code: string;
  /** The Markdown file and the line of the opening fence. */
  readonly doc: string;
  readonly line: number;
  /** The module file it is checked as. */
  readonly file: string;
}

/** The Markdown files whose snippets are checked. */
function markdownFiles(): string[] {
  const files = ['README.md'];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(repo, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== 'api') walk(path);
      else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  walk('docs');
  for (const parent of ['packages', 'examples']) {
    for (const pkg of readdirSync(join(repo, parent))) {
      try {
        readFileSync(join(repo, parent, pkg, 'README.md'));
        files.push(`${parent}/${pkg}/README.md`);
      } catch {
        // a workspace without a README has no snippet
      }
    }
  }
  return files;
}

const out = join(repo, 'test-release/.snippets');

function extract(): Snippet[] {
  const snippets: Snippet[] = [];
  for (const doc of markdownFiles()) {
    const text = readFileSync(join(repo, doc), 'utf8');
    for (const m of text.matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```$/gm)) {
      const line = text.slice(0, m.index).split('\n').length;
      const file = join(out, `${doc.replace(/[^a-zA-Z0-9]+/g, '_')}_${line}.mts`);
      snippets.push({ where: `${doc}:${line}`, doc, line, code: m[1] ?? '', file });
    }
  }
  return snippets;
}

const snippets = extract();
let program: ts.Program;

beforeAll(() => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // `export {}` makes each snippet a module of its own (top-level await, no shared names).
  for (const s of snippets) writeFileSync(s.file, `${s.code}\nexport {};\n`);
  program = ts.createProgram(
    snippets.map((s) => s.file),
    {
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts'],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      // Against the sources: no build needed, and a renamed export breaks the snippet at once.
      paths: {
        '@kube-ts/*': [join(repo, 'packages/*/src/index.ts')],
        // @kube-ts/k8s's subpaths, one per group/version (`@kube-ts/k8s/core/v1`).
        '@kube-ts/k8s/*': [join(repo, 'packages/k8s/src/*.ts')],
      },
    },
  );
}, 300_000);

test('the docs have snippets to check', () => {
  expect(snippets.length).toBeGreaterThan(10);
});

test('no snippet awaits Client.fromDefault(), which returns a Client, not a promise', () => {
  const awaited = snippets.filter((s) => /await\s+Client\.fromDefault\(/.test(s.code));
  expect(awaited.map((s) => s.where)).toEqual([]);
});

test.each(snippets.map((s) => [s.where, s] as const))('%s compiles', (_, snippet) => {
  const source = program.getSourceFile(snippet.file);
  const problems = [
    ...program.getSyntacticDiagnostics(source),
    ...program.getSemanticDiagnostics(source),
  ].map((d) => {
    const at =
      d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    return `${snippet.doc}:${snippet.line + at}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  expect(problems).toEqual([]);
});
