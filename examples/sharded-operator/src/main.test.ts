import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Whether process `pid` still exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let dir = '';
let orphan: number | undefined;
afterEach(async () => {
  if (orphan !== undefined && alive(orphan)) process.kill(orphan, 'SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

test('a replica started with an IPC channel exits when its parent dies', async () => {
  dir = await mkdtemp(join(tmpdir(), 'sharded-main-'));
  const kubeconfig = join(dir, 'kubeconfig');
  // An API server that is not there: the replica keeps retrying its Leases until it exits.
  await writeFile(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: 'http://127.0.0.1:9' } }],
      users: [{ name: 'u', user: {} }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );
  // A parent that starts the replica as the e2e Fleet does, prints its pid, and is then killed.
  const parent = spawn(
    process.execPath,
    [
      '-e',
      `const c = require('node:child_process').spawn(process.execPath, [${JSON.stringify(MAIN)}],
        { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
       console.log(c.pid);`,
    ],
    {
      env: { ...process.env, KUBECONFIG: kubeconfig, POD_NAME: 'r0', PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [line] = (await once(parent.stdout, 'data')) as [Buffer];
  orphan = Number(line.toString().trim());
  expect(alive(orphan)).toBe(true);
  parent.kill('SIGKILL');
  await once(parent, 'exit');
  await expect.poll(() => alive(orphan ?? 0), { timeout: 30_000, interval: 200 }).toBe(false);
});
