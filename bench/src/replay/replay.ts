import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./replay-server.js', import.meta.url));

/** A running replay server (see `replay-server.ts`). */
export interface ReplayServer {
  /** Path of a kubeconfig file for it. */
  readonly kubeconfigPath: string;
  /** Has the server write its prepared events to every watch open now. */
  release(): void;
  /** Stops the server and removes its kubeconfig. */
  stop(): Promise<void>;
}

/**
 * Starts a replay server in its own process, serving `objects` ConfigMaps in `namespace`
 * and `updates` MODIFIED events per watch. Rejects when it does not start within 60 s.
 */
export async function startReplayServer(
  namespace: string,
  objects: number,
  updates: number,
): Promise<ReplayServer> {
  const child: ChildProcess = fork(ENTRY, [namespace, String(objects), String(updates)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const kubeconfig = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the replay server did not start')), 60_000);
    child.once('message', (msg) => {
      clearTimeout(timer);
      resolve((msg as { kubeconfig: string }).kubeconfig);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the replay server exited with ${code} while starting`));
    });
  });
  const dir = mkdtempSync(join(tmpdir(), 'kube-ts-replay-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfig, { mode: 0o600 });
  return {
    kubeconfigPath,
    release: () => {
      if (child.connected) child.send({ release: true });
    },
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
