#!/usr/bin/env node
/**
 * The `kube-ts` command: `kube-ts crd <module>` prints the CRDs a module exports.
 * See {@link runCli}.
 */
import { runCli } from './crd-command.js';

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = code;
