/**
 * `create-operator --from-checkout` as a user runs it from a clone: the project is
 * generated in a folder outside the repository, takes @kube-ts/* from tarballs of the
 * checkout, installs from the registry, and its own `npm test`, `npm run build`,
 * `npm run manifests` and `npm start` work there without a warning or an error logged.
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { NPM_INSTALL, outsideTempDir, repo, run } from './outside.js';

let dir: string;
let project: string;

beforeAll(async () => {
  dir = await outsideTempDir('kube-ts-scaffold-');
  project = join(dir, 'gadget-operator');
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Log lines at pino's warn level or above, and the warnings other tools print. */
function warningsIn(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /"level":\s*[456]0\b|\bWARN\b|\bERROR\b|socket hang up/.test(line));
}

test('the generated project installs, tests, builds and renders its manifests outside the repository', async () => {
  await run('npx', ['tsc', '-b', 'packages/create-operator'], { cwd: repo });
  const cli = join(repo, 'packages/create-operator/dist/cli.js');
  const created = await run(
    'node',
    [cli, '--from-checkout', project, '--kind', 'Gadget', '--group', 'gadgets.example.com'],
    { cwd: dir },
  );
  console.log(`create-operator --from-checkout took ${created.ms} ms`);
  expect(created.stdout).toContain('npm install');

  const pkg = JSON.parse(await readFile(join(project, 'package.json'), 'utf8'));
  expect(pkg.dependencies['@kube-ts/runtime']).toMatch(
    /^file:kube-ts-packages\/kube-ts-runtime-.*\.tgz$/,
  );

  const install = await run('npm', NPM_INSTALL, { cwd: project });
  console.log(`npm install of the generated project took ${install.ms} ms`);

  const tested = await run('npm', ['test'], { cwd: project });
  expect(tested.stdout).toMatch(/1 passed/);
  expect(warningsIn(tested.stdout + tested.stderr)).toEqual([]);

  await run('npm', ['run', 'build'], { cwd: project });
  await run('npm', ['run', 'manifests'], { cwd: project });
  const rbac = parseAllDocuments(await readFile(join(project, 'deploy/2-rbac.yaml'), 'utf8')).map(
    (d) => d.toJS(),
  );
  const role = rbac.find((o) => o.kind === 'ClusterRole');
  expect(role.rules).toContainEqual(
    expect.objectContaining({ apiGroups: ['gadgets.example.com'], resources: ['gadgets'] }),
  );
  expect(await readFile(join(project, 'deploy/1-crd.yaml'), 'utf8')).toContain(
    'name: gadgets.gadgets.example.com',
  );
  expect(await readFile(join(project, 'deploy/3-deployment.yaml'), 'utf8')).toContain(
    'path: /readyz',
  );
});

test('npm start runs against MemoryApiServer, reconciles its sample and stops on Ctrl-C', async () => {
  // Its own process group, which gets SIGINT as a terminal's Ctrl-C sends it (npm does
  // not pass a SIGTERM sent to npm alone on to the script).
  const child = spawn('npm', ['start'], {
    cwd: project,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const group = child.pid ?? 0;
  let output = '';
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const reconciled = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"msg":"status updated"')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void closed.then(() => reject(new Error(`npm start exited early:\n${output}`)));
  });
  const bound = setTimeout(() => process.kill(-group, 'SIGKILL'), 120_000);
  try {
    await reconciled;
    process.kill(-group, 'SIGINT');
    await closed;
  } finally {
    clearTimeout(bound);
  }
  // Nothing of the group is left running.
  expect(() => process.kill(-group, 0)).toThrow(/ESRCH/);
  expect(output).toMatch(/"kubeconfig":"[^"]+\.kubeconfig"/);
  expect(output).toMatch(/try: kubectl --kubeconfig \S+ get gadgets,configmaps -n default/);
  expect(output).toContain('created a sample Gadget');
  // The manager shut down gracefully: the controller stopped, then the manager.
  expect(output).toMatch(/"msg":"controller stopped"[\s\S]*"component":"manager","msg":"stopped"/);
  expect(warningsIn(output)).toEqual([]);
});
