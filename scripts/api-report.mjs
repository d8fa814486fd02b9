#!/usr/bin/env node
// The public API report of every package (`npm run api:update` / `npm run api:check`).
//
// For each package under packages/ and each entry of its `exports` map that has `types`,
// API Extractor reads the emitted `.d.ts` (run `npx tsc -b` first) and writes a report of
// every exported name and signature to `packages/<pkg>/api/<entry>.api.md` (`index` for
// ".", the subpath's name otherwise, e.g. `validation.api.md` for "./validation").
// The reports are committed, so a change to a public surface shows up in review.
//
//   node scripts/api-report.mjs --update   rewrite the committed reports
//   node scripts/api-report.mjs --check    fail when a report differs from the surface
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  CompilerState,
  Extractor,
  ExtractorConfig,
  ExtractorLogLevel,
} from '@microsoft/api-extractor';

const mode = process.argv[2];
if (mode !== '--update' && mode !== '--check') {
  console.error('usage: node scripts/api-report.mjs --update | --check');
  process.exit(2);
}
const root = new URL('..', import.meta.url).pathname;
const packagesDir = join(root, 'packages');
const scratch = mkdtempSync(join(tmpdir(), 'kube-ts-api-'));
const problems = [];

/** Each `exports` entry with a `types` file: `[reportName, typesPath]`. */
function entryPoints(manifest) {
  const exportsMap = manifest.exports ?? {};
  const entries = typeof exportsMap === 'string' ? { '.': exportsMap } : exportsMap;
  const out = [];
  for (const [subpath, target] of Object.entries(entries)) {
    // @kube-ts/k8s's group/version subpaths are generated from the committed OpenAPI spec
    // and committed themselves (a test regenerates and compares them): their reports would
    // repeat the spec. Its root entry (KubeObject, ApiResource) is reported.
    if (manifest.name === '@kube-ts/k8s' && subpath !== '.') continue;
    const types = typeof target === 'object' && target !== null ? target.types : undefined;
    if (typeof types !== 'string') continue;
    const name = subpath === '.' ? 'index' : subpath.replace(/^\.\//, '').replaceAll('/', '-');
    out.push([name, types]);
  }
  return out;
}

/** The API Extractor configuration of one entry point; its report goes to a scratch folder. */
function prepare(pkgDir, manifest, name, mainEntryPointFilePath) {
  const reportFolder = join(scratch, manifest.name.replace(/\W+/g, '-'));
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: pkgDir,
      mainEntryPointFilePath,
      compiler: { overrideTsconfig: { compilerOptions: { types: ['node'], skipLibCheck: true } } },
      apiReport: {
        enabled: true,
        reportFileName: name,
        reportFolder,
        reportTempFolder: join(reportFolder, 'temp'),
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      newlineKind: 'lf',
      messages: {
        compilerMessageReporting: { default: { logLevel: 'warning' } },
        extractorMessageReporting: {
          default: { logLevel: 'warning' },
          // Internal types a public signature mentions are listed in the report instead.
          'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: true },
          // We do not use release tags (@public/@beta): the package's exports are its API.
          'ae-missing-release-tag': { logLevel: 'none' },
          // Documentation coverage and links are TypeDoc's check (`npm run docs`), not this one.
          'ae-undocumented': { logLevel: 'none' },
          'ae-unresolved-link': { logLevel: 'none' },
        },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
    configObjectFullPath: join(pkgDir, 'api-extractor.json'),
    packageJsonFullPath: join(pkgDir, 'package.json'),
  });
  return { config, produced: join(reportFolder, `${name}.api.md`) };
}

// Every entry point of every public package, so that one TypeScript program serves all.
const jobs = [];
for (const dirent of readdirSync(packagesDir, { withFileTypes: true })) {
  if (!dirent.isDirectory()) continue;
  const pkgDir = join(packagesDir, dirent.name);
  const manifestPath = join(pkgDir, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.private) continue;
  const entries = [];
  for (const [name, types] of entryPoints(manifest)) {
    const typesPath = join(pkgDir, types);
    if (!existsSync(typesPath)) {
      problems.push(
        `${manifest.name}: ${relative(root, typesPath)} is missing; run \`npx tsc -b\` first`,
      );
      continue;
    }
    entries.push({ name, ...prepare(pkgDir, manifest, name, typesPath) });
  }
  jobs.push({ pkgDir, manifest, entries });
}
const all = jobs.flatMap((job) => job.entries);
const compilerState =
  all.length > 0
    ? CompilerState.create(all[0].config, {
        additionalEntryPoints: all.map((e) => e.config.mainEntryPointFilePath),
      })
    : undefined;

function extract(manifest, entry) {
  const result = Extractor.invoke(entry.config, {
    localBuild: true,
    compilerState,
    messageCallback(message) {
      // Progress notes, and the notice that API Extractor bundles its own TypeScript.
      if (message.logLevel === ExtractorLogLevel.Verbose) message.handled = true;
      if (message.logLevel === ExtractorLogLevel.Info) message.handled = true;
      if (message.messageId?.startsWith('console-')) message.handled = true;
    },
  });
  if (result.errorCount > 0) {
    problems.push(
      `${manifest.name} (${entry.name}): API Extractor reported ${result.errorCount} error(s)`,
    );
  }
}

const stale = [];
for (const { pkgDir, manifest, entries } of jobs) {
  const apiDir = join(pkgDir, 'api');
  const wanted = new Set();
  for (const entry of entries) {
    extract(manifest, entry);
    const file = `${entry.name}.api.md`;
    wanted.add(file);
    const committedPath = join(apiDir, file);
    const fresh = existsSync(entry.produced) ? readFileSync(entry.produced, 'utf8') : '';
    const committed = existsSync(committedPath) ? readFileSync(committedPath, 'utf8') : undefined;
    if (fresh === committed) continue;
    if (mode === '--update') {
      mkdirSync(apiDir, { recursive: true });
      writeFileSync(committedPath, fresh);
      console.log(`updated ${relative(root, committedPath)}`);
    } else {
      stale.push(relative(root, committedPath) + (committed === undefined ? ' (missing)' : ''));
    }
  }
  // A report whose entry point no longer exists.
  if (existsSync(apiDir)) {
    for (const file of readdirSync(apiDir)) {
      if (!file.endsWith('.api.md') || wanted.has(file)) continue;
      if (mode === '--update') {
        rmSync(join(apiDir, file));
        console.log(`removed ${relative(root, join(apiDir, file))}`);
      } else {
        stale.push(`${relative(root, join(apiDir, file))} (no such entry point)`);
      }
    }
  }
}
rmSync(scratch, { recursive: true, force: true });

for (const p of problems) console.error(`api-report: ${p}`);
if (stale.length > 0) {
  console.error('api-report: the public API differs from the committed report:');
  for (const s of stale) console.error(`  ${s}`);
  console.error(
    'api-report: if the change is intended, run `npm run api:update` and commit the reports.',
  );
}
if (problems.length > 0 || stale.length > 0) process.exit(1);
console.log(mode === '--update' ? 'api-report: reports up to date' : 'api-report: no API change');
