import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
      'src/main.ts',
      'src/reconciler.test.ts',
      'deploy/rbac.yaml',
      'deploy/deployment.yaml',
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
  const rbac = await readFile(join(target, 'deploy/rbac.yaml'), 'utf8');
  expect(rbac).toContain("resources: ['gadgets', 'gadgets/status']");
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

test('usage errors exit 2 and print the usage', async () => {
  const { lines, out } = capture();
  expect(await runCommand([], out)).toBe(2);
  expect(await runCommand(['--nope', 'x'], out)).toBe(2);
  expect(lines.join('\n')).toMatch(/Usage: npm create @kube-ts\/operator/);
});
