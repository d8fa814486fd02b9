import { parseArgs } from 'node:util';
import { InvalidNameError } from './names.js';
import { DirectoryNotEmptyError, scaffold } from './scaffold.js';

const usage = `Usage: npm create @kube-ts/operator <directory> [-- --group example.com --kind Widget]

Creates a kube-ts operator project in <directory> (its name is the project's name).
  --group  API group of the custom resource (default: example.com)
  --kind   kind of the custom resource, UpperCamelCase (default: Widget)`;

/** Where the command writes its messages (the console by default; tests pass their own). */
export interface CommandOutput {
  log(text: string): void;
  error(text: string): void;
}

/**
 * Runs `create-operator` with the given arguments and returns the exit code: 0 on
 * success, 1 when the name or directory is refused (nothing written), 2 on a usage error.
 */
export async function runCommand(argv: string[], out: CommandOutput = console): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    out.error(`${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  if (parsed.values.help) {
    out.log(usage);
    return 0;
  }
  const directory = parsed.positionals[0];
  if (!directory || parsed.positionals.length > 1) {
    out.error(usage);
    return 2;
  }
  try {
    const files = await scaffold({
      directory,
      ...(parsed.values.group ? { group: parsed.values.group } : {}),
      ...(parsed.values.kind ? { kind: parsed.values.kind } : {}),
    });
    out.log(`Created ${directory} with ${files.length} files. Next:\n`);
    out.log(
      `  cd ${directory}\n  npm install\n  npm test\n  npm run build && npm run start:memory`,
    );
    return 0;
  } catch (err) {
    if (err instanceof InvalidNameError || err instanceof DirectoryNotEmptyError) {
      out.error(err.message);
      return 1;
    }
    throw err;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      group: { type: 'string' },
      kind: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
