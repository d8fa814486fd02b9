import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { type ProjectNames, resolveNames } from './names.js';
import { type KubeTsSource, projectFiles } from './templates.js';

/** What to generate. */
export interface ScaffoldOptions {
  /** Directory to create the project in; its last segment is the project name. */
  readonly directory: string;
  /** API group of the custom resource (default `example.com`). */
  readonly group?: string;
  /** Kind of the custom resource (default `Widget`). */
  readonly kind?: string;
  /** Version range of the `@kube-ts/*` dependencies (default: `^` this package's version). */
  readonly kubeTsVersion?: string;
  /**
   * Take `@kube-ts/*` from these tarballs (paths by package name, e.g. from
   * `npm run release:pack` in a checkout) instead of the registry: they are copied into
   * the project's `kube-ts-packages/` and its `package.json` points at them.
   */
  readonly tarballs?: Readonly<Record<string, string>>;
}

/** Folder of a generated project that holds the `@kube-ts/*` tarballs it depends on. */
const TARBALL_FOLDER = 'kube-ts-packages';

/** Thrown when the target directory exists and is not empty: nothing is overwritten. */
export class DirectoryNotEmptyError extends Error {
  override readonly name = 'DirectoryNotEmptyError';
}

/**
 * Checks, without writing anything, that a project can be generated in `options.directory`:
 * the names derived from it are valid and the directory is absent or empty. Returns the names.
 */
export async function checkTarget(
  options: Pick<ScaffoldOptions, 'directory' | 'group' | 'kind'>,
): Promise<ProjectNames> {
  const root = resolve(options.directory);
  const names = resolveNames({
    project: basename(root),
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
  return names;
}

/**
 * Writes a new operator project into `options.directory` and returns the paths written
 * (relative to it). The directory may exist only if it is empty: existing files are never
 * overwritten. Names are checked before anything is written.
 */
export async function scaffold(options: ScaffoldOptions): Promise<string[]> {
  const root = resolve(options.directory);
  const names = await checkTarget(options);
  const written: string[] = [];
  let source: KubeTsSource;
  if (options.tarballs) {
    const local: Record<string, string> = {};
    await mkdir(join(root, TARBALL_FOLDER), { recursive: true });
    for (const [name, tarball] of Object.entries(options.tarballs)) {
      const path = `${TARBALL_FOLDER}/${basename(tarball)}`;
      await copyFile(tarball, join(root, path));
      local[name] = path;
      written.push(path);
    }
    source = { tarballs: local };
  } else {
    source = { range: options.kubeTsVersion ?? `^${await ownVersion()}` };
  }
  for (const file of projectFiles(names, source)) {
    const target = join(root, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content, { flag: 'wx' });
    written.push(file.path);
  }
  return written;
}

async function ownVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
