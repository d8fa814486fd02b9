/**
 * The published packages as a user gets them: `npm run release:pack` packs every public
 * workspace; the tarballs must hold what a package needs (and no tests), install into a
 * fresh project outside the repository, type-check there with tsc and run a small
 * operator against MemoryApiServer.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { mkdir, realpath, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  NPM_INSTALL,
  outsideTempDir,
  type PackedPackage,
  packCheckout,
  repo,
  run,
} from './outside.js';

/** The Node.js range of the repository; every package declares the same. */
const nodeRange: string = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).engines.node;

let dir: string;
let tarballs: string;
let packed: PackedPackage[];

beforeAll(async () => {
  dir = await outsideTempDir('kube-ts-packed-');
  tarballs = join(dir, 'tarballs');
  const started = performance.now();
  packed = await packCheckout(tarballs);
  console.log(`release:pack took ${Math.round(performance.now() - started)} ms`);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Unpacks a tarball into its own folder and returns a reader of its files. */
function unpack(tarball: string): (path: string) => string {
  const into = `${tarball}.d`;
  mkdirSync(into, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', into]);
  return (path) => readFileSync(join(into, 'package', path), 'utf8');
}

/**
 * Package names a JavaScript or declaration file imports (static, dynamic and `import()`
 * types), found with TypeScript's own pre-processor, so text inside strings (the
 * create-operator templates) is not mistaken for an import.
 */
function importedPackages(source: string): string[] {
  const names = new Set<string>();
  for (const { fileName: spec } of ts.preProcessFile(source, true, true).importedFiles) {
    if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec)) continue;
    const parts = spec.split('/');
    names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec));
  }
  return [...names];
}

describe('every public workspace is packed', () => {
  test('the pack list is discovered, not hard-coded', () => {
    const workspaces = JSON.parse(
      execFileSync('npm', ['query', '.workspace'], { cwd: repo, encoding: 'utf8' }),
    ) as { name: string; private?: boolean }[];
    const expected = workspaces.filter((w) => w.private !== true).map((w) => w.name);
    expect(packed.map((p) => p.name).sort()).toEqual(expected.sort());
    expect(expected).toContain('@kube-ts/runtime');
  });

  test('each tarball has its metadata, README, declarations, and no tests', () => {
    for (const p of packed) {
      const tarball = join(tarballs, p.filename);
      const listed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map((f) => f.replace(/^package\//, ''));
      expect(listed.sort(), p.name).toEqual([...p.files].sort());
      expect(
        listed.filter((f) =>
          /\.test\.|\.test-helper\.|test-client\.|fixtures\/|tsbuildinfo/.test(f),
        ),
        `${p.name} ships tests or build caches`,
      ).toEqual([]);
      expect(listed, p.name).toContain('README.md');
      expect(listed, p.name).toContain('LICENSE');

      const fromTarball = unpack(tarball);
      const pkg = JSON.parse(fromTarball('package.json'));
      expect(pkg, p.name).toMatchObject({
        license: 'Apache-2.0',
        type: 'module',
        engines: { node: nodeRange },
        repository: { type: 'git', url: expect.any(String), directory: expect.any(String) },
        exports: { '.': { types: expect.any(String), import: expect.any(String) } },
        publishConfig: { access: 'public' },
      });
      expect(pkg.files.length, p.name).toBeGreaterThan(0);
      for (const entry of Object.values(pkg.exports) as (
        | string
        | { types: string; import: string }
      )[]) {
        // A subpath pattern of data files (`./spec/*` of @kube-ts/k8s): its folder is packed.
        if (typeof entry === 'string') {
          const dir = entry.replace(/^\.\//, '').replace(/\*$/, '');
          expect(
            listed.some((f: string) => f.startsWith(dir)),
            `${p.name} ${entry}`,
          ).toBe(true);
          continue;
        }
        expect(listed, p.name).toContain(entry.types.replace(/^\.\//, ''));
        expect(listed, p.name).toContain(entry.import.replace(/^\.\//, ''));
      }
      for (const bin of Object.values(pkg.bin ?? {}) as string[]) {
        expect(listed, p.name).toContain(bin.replace(/^\.\//, ''));
      }

      // Everything the shipped code or its declarations import is a declared dependency.
      const declared = new Set([
        ...Object.keys(pkg.dependencies ?? {}),
        ...Object.keys(pkg.peerDependencies ?? {}),
      ]);
      const shipped = listed.filter((f) => /^dist\/.*\.(js|d\.ts)$/.test(f));
      const imported = new Set(shipped.flatMap((f) => importedPackages(fromTarball(f))));
      imported.delete(pkg.name);
      expect(
        [...imported].filter((name) => !declared.has(name)),
        p.name,
      ).toEqual([]);
    }
  });
});

const PROGRAM = `import { Api, Client, Patch } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { Action, Controller, Reconciler, awaitCondition } from '@kube-ts/runtime';
import { defineResource, installCrds, type ResourceOf } from '@kube-ts/schema';
import { MemoryApiServer } from '@kube-ts/testing';
import { Type } from '@sinclair/typebox';
import { lastValueFrom } from 'rxjs';

const Greeting = defineResource({
  group: 'packed.example.com',
  version: 'v1',
  kind: 'Greeting',
  plural: 'greetings',
  scope: 'Namespaced',
  spec: Type.Object({ text: Type.String() }),
});
type Greeting = ResourceOf<typeof Greeting>;

interface Ctx {
  readonly client: Client;
}

class Greeter extends Reconciler<Greeting, Ctx> {
  override async reconcile(greeting: Greeting, ctx: Ctx): Promise<Action> {
    // @ts-expect-error spec.text is a string: the packed declarations carry real types
    const wrong: number = greeting.spec.text;
    void wrong;
    const namespace = greeting.metadata.namespace ?? 'default';
    await Api.namespaced(ctx.client, resources.configMaps, namespace).patch(
      \`\${greeting.metadata.name}-greeting\`,
      Patch.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: \`\${greeting.metadata.name}-greeting\`, namespace },
        data: { text: greeting.spec.text },
      }),
      { fieldManager: 'packed-check', force: true },
    );
    return Action.awaitChange();
  }
}

const server = await MemoryApiServer.start();
const client = Client.fromKubeConfig(server.kubeConfig);
await installCrds(client, [Greeting]);
await Api.namespaced(client, Greeting, 'default').create(
  Greeting.create('hello', { text: 'from the tarballs' }, { namespace: 'default' }),
);
const stop = new AbortController();
const done = lastValueFrom(
  new Controller(Api.all(client, Greeting)).gracefulShutdownOn(stop.signal).run(new Greeter(), { client }),
  { defaultValue: undefined },
);
const cm = await awaitCondition(
  Api.namespaced(client, resources.configMaps, 'default'),
  'hello-greeting',
  (c) => c?.data?.text !== undefined,
  { timeoutMs: 30_000 },
);
stop.abort();
await done;
client.close();
await server.stop();
console.log(\`reconciled: \${cm?.data?.text}\`);
`;

test('the tarballs install outside the repository, type-check with tsc and run', async () => {
  const project = join(dir, 'consumer');
  await mkdir(join(project, 'src'), { recursive: true });
  const file = (name: string) =>
    `file:${join(tarballs, packed.find((p) => p.name === name)?.filename ?? name)}`;
  // Every tarball is also an override, so @kube-ts/* dependencies between the packages
  // resolve to the tarballs too, never to the registry.
  const local = Object.fromEntries(packed.map((p) => [p.name, file(p.name)]));
  const rootPkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify(
      {
        name: 'packed-consumer',
        private: true,
        type: 'module',
        dependencies: {
          ...local,
          '@sinclair/typebox': '^0.34.0',
          rxjs: '^7.8.0',
        },
        devDependencies: {
          '@types/node': rootPkg.devDependencies['@types/node'],
          typescript: rootPkg.devDependencies.typescript,
        },
        overrides: local,
      },
      null,
      2,
    ),
  );
  await writeFile(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        outDir: 'dist',
        rootDir: 'src',
        types: ['node'],
      },
      include: ['src'],
    }),
  );
  await writeFile(join(project, 'src/main.ts'), PROGRAM);

  const install = await run('npm', NPM_INSTALL, { cwd: project });
  console.log(`npm install of the tarballs took ${install.ms} ms`);
  // Nothing resolves into the checkout: every @kube-ts package is an installed copy.
  for (const p of packed) {
    const installed = await realpath(join(project, 'node_modules', p.name));
    expect(installed).toBe(join(project, 'node_modules', p.name));
  }

  // One tsc run that also checks declaration files (most projects skip them, as
  // \`tsc --init\` does): ours must have no error. @kubernetes/client-node's declarations
  // need @types/ws, which it does not declare, so errors in other packages' files are not
  // ours to judge; tsc still emits dist/.
  const tsc = await run('npx', ['tsc', '-p', '.', '--skipLibCheck', 'false'], {
    cwd: project,
  }).then(
    () => '',
    (err: Error) => err.message,
  );
  const ours = tsc
    .split('\n')
    .filter((line) => /^(node_modules\/@kube-ts\/|src\/).*error TS/.test(line));
  expect(ours).toEqual([]);
  const { stdout } = await run('node', ['dist/main.js'], { cwd: project, timeoutMs: 60_000 });
  expect(stdout).toContain('reconciled: from the tarballs');
});
