import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { resolveNames } from './names.js';
import { projectFiles } from './templates.js';

/** What to generate. */
export interface ScaffoldOptions {
  /** Directory to create the project in; its last segment is the project name. */
  readonly directory: string;
  /** API group of the custom resource (default `example.com`). */
  readonly group?: string;
  /** Kind of the custom resource (default `Widget`). */
  readonly kind?: string;
  /** Version range of the `@kube-ts/*` dependencies (default: this package's version). */
  readonly kubeTsVersion?: string;
}

/** Thrown when the target directory exists and is not empty: nothing is overwritten. */
export class DirectoryNotEmptyError extends Error {
  override readonly name = 'DirectoryNotEmptyError';
}

/**
 * Writes a new operator project into `options.directory` and returns the paths written
 * (relative to it). The directory may exist only if it is empty: existing files are never
 * overwritten. Names are checked before anything is written.
 */
export async function scaffold(options: ScaffoldOptions): Promise<string[]> {
  const root = resolve(options.directory);
  const names = resolveNames({
    project: root.split(/[\\/]/).pop() ?? '',
    ...(options.group ? { group: options.group } : {}),
    ...(options.kind ? { kind: options.kind } : {}),
  });
  const existing = await readdir(root).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  if (existing.length > 0) {
    throw new DirectoryNotEmptyError(
      `${root} already exists and is not empty; choose a new directory name or empty it first`,
    );
  }
  const files = projectFiles(names, options.kubeTsVersion ?? `^${await ownVersion()}`);
  for (const file of files) {
    const target = join(root, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content, { flag: 'wx' });
  }
  return files.map((f) => f.path);
}

async function ownVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
