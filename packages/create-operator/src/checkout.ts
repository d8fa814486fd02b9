import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Thrown when `--from-checkout` finds no kube-ts checkout to pack; the message says what to pass. */
export class CheckoutNotFoundError extends Error {
  override readonly name = 'CheckoutNotFoundError';
}

/** Thrown when packing the checkout fails; the message carries what `release:pack` printed. */
export class PackFailedError extends Error {
  override readonly name = 'PackFailedError';
}

/** The checkout this command runs from (`packages/create-operator/dist/` inside it), if any. */
export function ownCheckout(): string {
  return fileURLToPath(new URL('../../..', import.meta.url));
}

/**
 * Packs every public package of the kube-ts checkout at `checkout` into `out` with its
 * `npm run release:pack` (which builds them first; its progress goes to `progress`) and
 * returns the tarballs' paths by package name.
 */
export async function packCheckout(
  checkout: string,
  out: string,
  progress: (text: string) => void,
): Promise<Record<string, string>> {
  const root = resolve(checkout);
  const pkg = await readFile(join(root, 'package.json'), 'utf8')
    .then((text) => JSON.parse(text) as { name?: string; scripts?: Record<string, string> })
    .catch(() => undefined);
  if (pkg?.name !== 'kube-ts' || !pkg.scripts?.['release:pack']) {
    throw new CheckoutNotFoundError(
      `${root} is not a kube-ts checkout with a release:pack script; ` +
        'pass the path of one with --checkout <path> (clone the repository and run npm install there first)',
    );
  }
  progress(`packing the kube-ts packages of ${root} (npm run release:pack) ...`);
  const stdout = await new Promise<string>((done, fail) => {
    const child = execFile(
      'npm',
      ['run', '--silent', 'release:pack', '--', '--out', out, '--json'],
      { cwd: root, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        if (error) {
          fail(
            new PackFailedError(
              `npm run release:pack failed in ${root}:\n${stderr || error.message}`,
            ),
          );
        } else {
          done(stdout);
        }
      },
    );
    child.stderr?.on('data', (chunk: Buffer) => progress(chunk.toString().trimEnd()));
  });
  const packed = JSON.parse(stdout) as { name: string; filename: string }[];
  return Object.fromEntries(packed.map((p) => [p.name, join(out, p.filename)]));
}
