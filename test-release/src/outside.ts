/**
 * What the release checks share: running commands as a user would, a temporary folder
 * outside the repository, and packing the checkout with `npm run release:pack`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const repo = fileURLToPath(new URL('../..', import.meta.url));

/** The output of a finished command. */
export interface Ran {
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Why a command failed: its exit status and everything it printed. */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
}

/**
 * Runs a command to completion (killing it after `timeoutMs`) and resolves with its
 * output; rejects with everything it printed when it exits non-zero.
 */
export function run(
  cmd: string,
  args: readonly string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Ran> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 300_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = Math.round(performance.now() - started);
      if (code === 0) resolve({ stdout, stderr, ms });
      else
        reject(
          new CommandFailedError(
            `${cmd} ${args.join(' ')} (in ${opts.cwd}) exited ${code ?? signal}\n` +
              `--- stdout\n${stdout}\n--- stderr\n${stderr}`,
          ),
        );
    });
  });
}

/** A new empty folder under the OS temporary folder; throws if that is inside the repository. */
export async function outsideTempDir(prefix: string): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  if (!relative(await realpath(repo), dir).startsWith('..')) {
    throw new Error(`${dir} is inside the repository; set TMPDIR to a folder outside it`);
  }
  return dir;
}

/** One packed package, as `npm run release:pack -- --json` reports it. */
export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  /** The tarball's file name inside the output folder. */
  readonly filename: string;
  /** The paths inside the tarball (relative to `package/`). */
  readonly files: readonly string[];
}

/** Packs every public package of the checkout into `out` with the repository's own script. */
export async function packCheckout(out: string): Promise<PackedPackage[]> {
  const { stdout } = await run(
    'npm',
    ['run', '--silent', 'release:pack', '--', '--out', out, '--json'],
    {
      cwd: repo,
    },
  );
  return JSON.parse(stdout) as PackedPackage[];
}

/** Flags of every `npm install` here: no audit or funding noise, the local cache first. */
export const NPM_INSTALL = ['install', '--no-audit', '--no-fund', '--prefer-offline'];
