import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { scaffold } from './scaffold.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../..', import.meta.url));
// Inside the repository (and git-ignored), so the generated project resolves @kube-ts/*
// to this workspace's packages, as an installed project resolves them from the registry.
const dir = `${repo}.scaffold-check/op-${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a generated project typechecks and its own test passes against the real packages', async () => {
  await run('npx', ['tsc', '-b', 'packages/runtime', 'packages/schema', 'packages/testing'], {
    cwd: repo,
  });
  await scaffold({ directory: dir, kind: 'Gadget', group: 'gadgets.example.com' });

  await expect(run('npx', ['tsc', '-p', '.', '--noEmit'], { cwd: dir })).resolves.toBeDefined();
  await run('npx', ['vitest', 'run', '--reporter=json', '--outputFile=report.json'], { cwd: dir });
  const report = JSON.parse(await readFile(`${dir}/report.json`, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
  };
  expect(report).toMatchObject({ numPassedTests: 1, numFailedTests: 0 });
}, 240_000);
