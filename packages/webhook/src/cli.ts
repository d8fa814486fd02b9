#!/usr/bin/env node
/**
 * The `kube-ts-webhook` command: `kube-ts-webhook manifests <module> --service NS/NAME`
 * prints the webhook configurations and CRDs of the WebhookServers a module exports.
 * See {@link runManifestsCli}.
 */
import { readFile } from 'node:fs/promises';
import { runManifestsCli } from './manifests-command.js';

const code = await runManifestsCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
});
process.exitCode = code;
