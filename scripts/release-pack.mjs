#!/usr/bin/env node
// `npm run release:pack [-- --out <dir>] [-- --json]`: builds every public workspace
// package (every workspace not marked `private`, found with `npm query`, so new packages
// are picked up without editing this file) and packs each with `npm pack` into one folder
// (default `release/`). It refuses a tarball that would ship tests, test helpers or build
// caches. With --json it prints `[{ name, version, filename, files }]` on stdout (filename
// relative to the output folder); progress goes to stderr.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(root, 'release') },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    'usage: npm run release:pack -- [--out <dir>] [--json]\n\n' +
      'Builds and packs every public @kube-ts package into <dir> (default: release/).\n',
  );
  process.exit(0);
}

/** Paths a published tarball must not contain (tests, their helpers and fixtures, caches). */
const FORBIDDEN = [
  /\.test\./,
  /\.test-helper\./,
  /(^|\/)test-client\./,
  /(^|\/)fixtures\//,
  /\.tsbuildinfo$/,
];

const npm = (args, opts = {}) =>
  execFileSync('npm', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
const log = (text) => process.stderr.write(`${text}\n`);

const workspaces = JSON.parse(npm(['query', '.workspace'])).filter((w) => w.private !== true);
if (workspaces.length === 0) {
  log('release:pack: npm query found no public workspace; run it from a kube-ts checkout');
  process.exit(1);
}
log(`release:pack: building ${workspaces.map((w) => w.name).join(', ')}`);
execFileSync('npx', ['tsc', '-b', ...workspaces.map((w) => w.location)], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});

const out = resolve(values.out);
mkdirSync(out, { recursive: true });
for (const old of readdirSync(out)) if (old.endsWith('.tgz')) rmSync(join(out, old));
const packed = JSON.parse(
  npm([
    'pack',
    '--json',
    '--pack-destination',
    out,
    ...workspaces.flatMap((w) => ['--workspace', w.name]),
  ]),
);

const result = packed.map((p) => ({
  name: p.name,
  version: p.version,
  filename: p.filename,
  files: p.files.map((f) => f.path),
}));
const leaks = result.flatMap((p) =>
  p.files.filter((f) => FORBIDDEN.some((re) => re.test(f))).map((f) => `${p.name}: ${f}`),
);
if (leaks.length > 0) {
  log(
    `release:pack: these files must not be published; exclude them in the package's "files":\n  ${leaks.join('\n  ')}`,
  );
  process.exit(1);
}
for (const p of result) log(`  ${join(out, p.filename)} (${p.files.length} files)`);
if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
