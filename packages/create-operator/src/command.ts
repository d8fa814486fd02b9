import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CheckoutNotFoundError, ownCheckout, PackFailedError, packCheckout } from './checkout.js';
import { InvalidNameError } from './names.js';
import { checkTarget, DirectoryNotEmptyError, scaffold } from './scaffold.js';

const usage = `Usage: npm create @kube-ts/operator <directory> [-- --group example.com --kind Widget]
       node packages/create-operator/dist/cli.js --from-checkout <directory>   (in a kube-ts checkout)

Creates a kube-ts operator project in <directory> (its name is the project's name).
  --group          API group of the custom resource (default: example.com)
  --kind           kind of the custom resource, UpperCamelCase (default: Widget)
  --from-checkout  take @kube-ts/* from a kube-ts checkout instead of the registry: packs
                   its packages (npm run release:pack) into <directory>/kube-ts-packages
  --checkout       the checkout for --from-checkout (default: the one this command runs from)`;

/** Where the command writes its messages (the console by default; tests pass their own). */
export interface CommandOutput {
  log(text: string): void;
  error(text: string): void;
}

/** A usage error: the reason, then the usage. */
function usageError(out: CommandOutput, reason: string): number {
  out.error(`create-operator: ${reason}\n\n${usage}`);
  return 2;
}

/**
 * Runs `create-operator` with the given arguments and returns the exit code: 0 on
 * success, 1 when the name or directory is refused or the checkout cannot be packed
 * (nothing written), 2 on a usage error (always with its reason).
 */
export async function runCommand(argv: string[], out: CommandOutput = console): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    return usageError(out, (err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out.log(usage);
    return 0;
  }
  const directory = positionals[0];
  if (directory === undefined)
    return usageError(out, 'missing <directory>: where to create the project');
  if (positionals.length > 1) {
    return usageError(
      out,
      `one <directory> expected, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  if (values.checkout !== undefined && !values['from-checkout']) {
    return usageError(out, '--checkout is only used with --from-checkout');
  }
  const choice = {
    directory,
    ...(values.group ? { group: values.group } : {}),
    ...(values.kind ? { kind: values.kind } : {}),
  };
  let packDir: string | undefined;
  try {
    await checkTarget(choice);
    let tarballs: Record<string, string> | undefined;
    if (values['from-checkout']) {
      packDir = await mkdtemp(join(tmpdir(), 'kube-ts-pack-'));
      tarballs = await packCheckout(values.checkout ?? ownCheckout(), packDir, (t) => out.log(t));
    }
    const files = await scaffold({ ...choice, ...(tarballs ? { tarballs } : {}) });
    out.log(`Created ${directory} with ${files.length} files. Next:\n`);
    out.log(`  cd ${directory}\n  npm install\n  npm test\n  npm start`);
    return 0;
  } catch (err) {
    if (
      err instanceof InvalidNameError ||
      err instanceof DirectoryNotEmptyError ||
      err instanceof CheckoutNotFoundError ||
      err instanceof PackFailedError
    ) {
      out.error(`create-operator: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    if (packDir) await rm(packDir, { recursive: true, force: true });
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      group: { type: 'string' },
      kind: { type: 'string' },
      'from-checkout': { type: 'boolean' },
      checkout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
