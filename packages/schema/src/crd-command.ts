import type { CustomResourceDefinition } from '@kube-ts/k8s/apiextensions/v1';
import { collectCrds } from './crd-collection.js';
import { crdsToYaml } from './crd-yaml.js';
import { loadModule } from './load-module.js';

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
