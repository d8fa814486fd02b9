import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temporary directory for one test, removed by `cleanup()`. Test helper only. */
export async function tempDir(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'kube-ts-cp-test-'));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** Writes an executable `sh` script at `path` (parents created). Test helper only. */
export async function fakeExecutable(path: string, body = 'exit 0'): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}
