import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from './backend.js';

const ENTRY = fileURLToPath(new URL('./memory-server.js', import.meta.url));

/**
 * Starts a MemoryApiServer in its own process and writes its kubeconfig to a temporary
 * file. Rejects when the server process fails to start within 120 s (a loaded machine).
 */
export async function startMemoryBackend(): Promise<Backend> {
  const child = fork(ENTRY, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const kubeconfig = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('MemoryApiServer did not start within 120 s')),
      120_000,
    );
    child.once('message', (msg) => {
      clearTimeout(timer);
      resolve((msg as { kubeconfig: string }).kubeconfig);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`MemoryApiServer process exited with ${code} while starting`));
    });
  });
  const dir = mkdtempSync(join(tmpdir(), 'kube-ts-bench-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfig, { mode: 0o600 });
  return {
    name: 'memory',
    kubeconfigPath,
    watchesOf: (group, plural) =>
      new Promise((resolve) => {
        child.once('message', (msg) => resolve((msg as { watches: number }).watches));
        child.send({ watchesOf: { group, plural } });
      }),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.disconnect();
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
