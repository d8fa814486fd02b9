import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from './fixtures.test-helper.js';
import {
  CONTROL_PLANE_DIR_PREFIX,
  markOwned,
  removeStaleDirectories,
} from './stale-directories.js';

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ path: root, cleanup } = await tempDir());
});
afterEach(() => cleanup());

/** The pid of a process that has already ended. */
function deadPid(): number {
  const child = spawnSync('/bin/sh', ['-c', 'echo $$']);
  return Number(child.stdout.toString().trim());
}

describe('removeStaleDirectories', () => {
  it('removes only control-plane directories whose owner process has died', async () => {
    const dead = join(root, `${CONTROL_PLANE_DIR_PREFIX}dead`);
    const alive = join(root, `${CONTROL_PLANE_DIR_PREFIX}alive`);
    const unowned = join(root, `${CONTROL_PLANE_DIR_PREFIX}unowned`);
    const other = join(root, 'something-else');
    for (const dir of [dead, alive, unowned, other])
      await mkdir(join(dir, 'etcd'), { recursive: true });
    await writeFile(join(dead, 'owner.pid'), String(deadPid()));
    await markOwned(alive);
    await writeFile(join(other, 'owner.pid'), String(deadPid()));

    expect(await removeStaleDirectories(root)).toEqual([dead]);
    expect([dead, alive, unowned, other].map(existsSync)).toEqual([false, true, true, true]);
  });

  it('does nothing when the parent directory does not exist', async () => {
    expect(await removeStaleDirectories(join(root, 'missing'))).toEqual([]);
  });
});
