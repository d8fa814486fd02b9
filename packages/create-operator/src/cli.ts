#!/usr/bin/env node
import { runCommand } from './command.js';

try {
  process.exitCode = await runCommand(process.argv.slice(2));
} catch (error) {
  process.stderr.write(
    `create-operator: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
}
