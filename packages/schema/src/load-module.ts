import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Imports a module for a command line tool: a file path (relative to `cwd`) or a package
 * name resolved from `cwd`. Returns its exports.
 *
 * @throws Error when the file does not exist or the import fails.
 */
export async function loadModule(specifier: string, cwd: string): Promise<Record<string, unknown>> {
  const asPath = isAbsolute(specifier) ? specifier : resolve(cwd, specifier);
  if (specifier.startsWith('.') || isAbsolute(specifier) || existsSync(asPath)) {
    if (!existsSync(asPath)) throw new Error(`no such file: ${asPath}`);
    return (await import(pathToFileURL(asPath).href)) as Record<string, unknown>;
  }
  let resolved: string | undefined;
  try {
    resolved = createRequire(join(cwd, 'package.json')).resolve(specifier);
  } catch {
    resolved = undefined;
  }
  return (await import(resolved ? pathToFileURL(resolved).href : specifier)) as Record<
    string,
    unknown
  >;
}
