import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TSchema } from '@sinclair/typebox';
import { stringify } from 'yaml';
import type { CustomResourceDefinition } from './crd-types.js';
import { isJsonObject } from './json-schema.js';
import { mergeCrds } from './merge-crds.js';
import type { ResourceDefinition } from './resource-types.js';

type AnyDefinition = ResourceDefinition<TSchema, TSchema | undefined>;

/** Where the command writes; injectable for tests. */
export interface CommandIO {
  /** Directory that relative module paths and package names resolve from. */
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const USAGE = `Usage: kube-ts crd <module> [<module>...]

Prints, as multi-document YAML, the CustomResourceDefinition of every resource that
the module exports (values made by defineResource, or CRDs made by mergeCrds).
Versions of one kind exported separately are merged (exactly one needs storage: true).
<module> is a file path (./dist/resources.js) or a package name.
`;

/** `true` for a value made by `defineResource`. */
export function isResourceDefinition(value: unknown): value is AnyDefinition {
  return (
    isJsonObject(value) &&
    typeof value.crd === 'function' &&
    typeof value.crdVersion === 'function' &&
    typeof value.group === 'string' &&
    typeof value.kind === 'string' &&
    isJsonObject(value.schema)
  );
}

function isCrd(value: unknown): value is CustomResourceDefinition {
  return (
    isJsonObject(value) &&
    value.kind === 'CustomResourceDefinition' &&
    value.apiVersion === 'apiextensions.k8s.io/v1' &&
    isJsonObject(value.metadata)
  );
}

/**
 * The CRDs of a module's exports: exported CRD objects as they are, and definitions
 * grouped by CRD name (several versions of one kind are merged with `mergeCrds`). A CRD
 * exported as an object wins over definitions of the same name. Sorted by CRD name, so
 * the output is stable.
 *
 * @throws ResourceDefinitionError when versions of one kind cannot be merged.
 */
export function collectCrds(exports: Record<string, unknown>): CustomResourceDefinition[] {
  const crds = new Map<string, CustomResourceDefinition>();
  const defs = new Map<string, AnyDefinition[]>();
  const values = new Set(Object.values(exports));
  for (const value of values) {
    if (isCrd(value)) {
      crds.set(String(value.metadata.name), value);
    } else if (isResourceDefinition(value)) {
      const list = defs.get(value.crdName) ?? [];
      list.push(value);
      defs.set(value.crdName, list);
    }
  }
  for (const [name, list] of defs) {
    if (!crds.has(name))
      crds.set(name, list.length === 1 && list[0] ? list[0].crd() : mergeCrds(list));
  }
  return [...crds.values()].sort((a, b) =>
    String(a.metadata.name).localeCompare(String(b.metadata.name)),
  );
}

/** Renders CRDs as multi-document YAML. */
export function crdsToYaml(crds: readonly CustomResourceDefinition[]): string {
  return crds.map((crd) => stringify(crd, { lineWidth: 0 })).join('---\n');
}

async function loadModule(specifier: string, cwd: string): Promise<Record<string, unknown>> {
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

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs `kube-ts <args>`; returns the exit code (0 on success, 1 on an error, 2 on a
 * usage error). Every error names the module and what to do.
 */
export async function runCli(args: readonly string[], io: CommandIO): Promise<number> {
  const [command, ...modules] = args;
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (command !== 'crd' || modules.length === 0) {
    io.stderr(
      `kube-ts: ${command === undefined ? 'missing command' : command === 'crd' ? 'missing <module>' : `unknown command "${command}"`}\n\n${USAGE}`,
    );
    return 2;
  }
  const all: CustomResourceDefinition[] = [];
  for (const specifier of modules) {
    let exports: Record<string, unknown>;
    try {
      exports = await loadModule(specifier, io.cwd);
    } catch (err) {
      io.stderr(
        `kube-ts crd: cannot load module "${specifier}": ${describeError(err)}\nCheck the path (relative to ${io.cwd}) or the package name, and build TypeScript sources first (point at the .js output).\n`,
      );
      return 1;
    }
    let crds: CustomResourceDefinition[];
    try {
      crds = collectCrds(exports);
    } catch (err) {
      io.stderr(`kube-ts crd: module "${specifier}": ${describeError(err)}\n`);
      return 1;
    }
    if (crds.length === 0) {
      io.stderr(
        `kube-ts crd: module "${specifier}" exports no resource definitions; export the values returned by defineResource (or mergeCrds).\n`,
      );
      return 1;
    }
    all.push(...crds);
  }
  io.stdout(crdsToYaml(all));
  return 0;
}
