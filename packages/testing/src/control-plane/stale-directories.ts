import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Name prefix of every ControlPlane temporary directory. */
export const CONTROL_PLANE_DIR_PREFIX = 'kube-ts-control-plane-';

const OWNER_FILE = 'owner.pid';

/** Records in `dir` that this Node process owns it. */
export async function markOwned(dir: string): Promise<void> {
  await writeFile(join(dir, OWNER_FILE), String(process.pid));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes ControlPlane directories in `parent` whose owning process has died without
 * cleaning up (killed by SIGKILL, so no exit handler ran; its control-plane processes were
 * already killed by their supervisors). Directories without an owner file, or whose owner
 * still runs, are left alone. Best effort: never throws. Returns the removed paths.
 */
export async function removeStaleDirectories(parent: string): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(CONTROL_PLANE_DIR_PREFIX)) continue;
    const dir = join(parent, name);
    try {
      const pid = Number.parseInt(await readFile(join(dir, OWNER_FILE), 'utf8'), 10);
      if (!Number.isInteger(pid) || pid <= 0 || isRunning(pid)) continue;
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
      removed.push(dir);
    } catch {
      // No owner file (still being set up, or not ours) or not removable: leave it.
    }
  }
  return removed;
}
