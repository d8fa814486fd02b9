import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * A stuck graceful shutdown, seen from outside: a child process runs a controller (alone
 * with `shutdownOnSignal()`, or in a `Manager`) whose reconcile never settles, gets
 * SIGTERM, and must log the stuck object with how long it has run, then exit with code
 * 124 — with an open socket (which would otherwise hang until SIGKILL) and without one
 * (which would otherwise end with Node's exit 13). The child imports the built package
 * (`dist`, made by `tsc -b`, which `npm test` runs first).
 */

const dist = pathToFileURL(fileURLToPath(new URL('../../dist/index.js', import.meta.url))).href;
const pinoUrl = pathToFileURL(createRequire(import.meta.url).resolve('pino')).href;
const dir = mkdtempSync(join(tmpdir(), 'kube-ts-stuck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const script = (mode: 'controller' | 'manager', openSocket: boolean) => `
import { createServer } from 'node:net';
const { pino } = await import(${JSON.stringify(pinoUrl)});
const { Controller, Manager, Reconciler } = await import(${JSON.stringify(dist)});
${openSocket ? "createServer().listen(0, '127.0.0.1');" : ''}
const logger = pino({ level: 'info' });
const source = {
  resource: { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
  list: async () => ({
    metadata: { resourceVersion: '1' },
    items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stuck', namespace: 'ns', resourceVersion: '1' } }],
  }),
  watch: async function* () { await new Promise(() => {}); },
};
class Stuck extends Reconciler {
  async reconcile() {
    process.stdout.write('{"msg":"reconcile started"}\\n');
    return new Promise(() => {}); // never settles
  }
}
const controller = new Controller(source).withConfig({ logger, shutdownTimeoutMs: 300 });
if (${JSON.stringify(mode)} === 'controller') {
  controller.shutdownOnSignal().run(new Stuck()).subscribe();
} else {
  const manager = new Manager({ logger, port: 0, shutdownTimeoutMs: 300 });
  manager.addController('configmap', controller, (c) => c.run(new Stuck()));
  await manager.start();
}
`;

interface Exit {
  code: number | null;
  lines: Record<string, unknown>[];
}

function runStuck(mode: 'controller' | 'manager', openSocket: boolean): Promise<Exit> {
  const file = join(dir, `${mode}-${openSocket}.mjs`);
  writeFileSync(file, script(mode, openSocket));
  const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Record<string, unknown>[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
      const line = buffered.slice(0, i);
      buffered = buffered.slice(i + 1);
      const parsed = JSON.parse(line) as Record<string, unknown>;
      lines.push(parsed);
      if (parsed.msg === 'reconcile started') child.kill('SIGTERM');
    }
  });
  // Generous: on a loaded machine the child needs seconds just to load the package.
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, lines });
    });
  });
}

describe.concurrent('stuck graceful shutdown (child process)', () => {
  // Both code paths and both ways it used to end: a controller alone with nothing else
  // open (Node's exit 13), a Manager with an open socket (a hang until SIGKILL).
  for (const [mode, openSocket] of [
    ['controller', false],
    ['manager', true],
  ] as const) {
    it(`${mode}${openSocket ? ', with an open socket' : ''}: logs the stuck object, exits 124`, async () => {
      const { code, lines } = await runStuck(mode, openSocket);
      const stuck = lines.find((l) => l.msg === 'reconcile still running at the shutdown deadline');
      expect(stuck).toMatchObject({
        level: 50,
        controller: expect.any(String),
        object: 'ns/stuck',
      });
      expect(stuck?.runningMs).toBeGreaterThanOrEqual(300);
      const fatal = lines.find((l) => l.level === 60);
      expect(String(fatal?.msg)).toMatch(
        /graceful shutdown did not finish within 300 ms \(1 reconcile\(s\) still running, listed above\); exiting with code 124/,
      );
      expect(code).toBe(124);
    }, 150_000);
  }
});
