import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ControlPlaneError } from './errors.js';
import { fakeExecutable, tempDir } from './fixtures.test-helper.js';
import { ERROR_LOG_LINES, waitUntilHealthy } from './readiness.js';
import { SUPERVISOR_SCRIPT, SupervisedProcess } from './supervised-process.js';

let root: string;
let cleanup: () => Promise<void>;
const started: SupervisedProcess[] = [];

beforeEach(async () => {
  ({ path: root, cleanup } = await tempDir());
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop(1_000)));
  await cleanup();
});

function start(name: string, binary: string, args: string[] = []): SupervisedProcess {
  const process = SupervisedProcess.start(name, binary, args);
  started.push(process);
  return process;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await sleep(20);
}

describe('SupervisedProcess', () => {
  it('passes the arguments and reports the exit status and output', async () => {
    const binary = await fakeExecutable(
      join(root, 'echoer'),
      'echo "args: $*"; echo oops >&2; exit 3',
    );
    const process = start('echoer', binary, ['--a=1', 'b c']);
    const exit = await process.exited;
    expect(exit.code).toBe(3);
    expect(process.logLines()).toEqual(['args: --a=1 b c', 'oops']);
  });

  it('stop() delivers SIGTERM to the program and waits for it to end', async () => {
    const binary = await fakeExecutable(
      join(root, 'graceful'),
      'trap \'echo "got TERM"; exit 0\' TERM; echo ready; while :; do sleep 0.05; done',
    );
    const process = start('graceful', binary);
    await waitFor(() => process.logLines().includes('ready'));
    const exit = await process.stop(15_000);
    expect(exit.code).toBe(0);
    expect(process.logLines()).toContain('got TERM');
  });

  it('stop() right after start() still ends the program through SIGTERM, not SIGKILL', async () => {
    const binary = await fakeExecutable(
      join(root, 'early'),
      "trap 'exit 0' TERM; while :; do sleep 0.05; done",
    );
    for (let attempt = 0; attempt < 20; attempt++) {
      const process = start('early', binary);
      const exit = await process.stop(15_000);
      // The supervisor forwards the TERM (it never dies of it) and reports the program's
      // status: 0 from its trap, or 143 when the TERM came before the program set it.
      expect(exit.signal).toBeNull();
      expect([0, 143]).toContain(exit.code);
    }
  });

  it('stop() kills the whole group when the program ignores SIGTERM past the grace period', async () => {
    const pidFile = join(root, 'pid');
    const binary = await fakeExecutable(
      join(root, 'stubborn'),
      `trap '' TERM; echo $$ > ${pidFile}; echo ready; while :; do sleep 0.05; done`,
    );
    const process = start('stubborn', binary);
    await waitFor(() => process.logLines().includes('ready'));
    const programPid = Number(await readFile(pidFile, 'utf8'));
    const exit = await process.stop(200);
    expect(exit.signal ?? exit.code).toBeTruthy();
    await waitFor(() => !isAlive(programPid));
  });

  it('reports a program that cannot be executed through its exit and output', async () => {
    const process = start('missing', join(root, 'does-not-exist'));
    const exit = await process.exited;
    expect(exit.code).toBe(127);
    expect(process.logLines().join('\n')).toContain('does-not-exist');
  });

  it('the supervisor kills the program when its stdin closes, as when the test process dies', async () => {
    const pidFile = join(root, 'pid');
    const binary = await fakeExecutable(
      join(root, 'sleeper'),
      `echo $$ > ${pidFile}; exec sleep 60`,
    );
    const supervisor = spawn('/bin/sh', ['-c', SUPERVISOR_SCRIPT, 'test', binary], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    await waitFor(async () => (await readFile(pidFile, 'utf8').catch(() => '')).trim() !== '');
    const programPid = Number(await readFile(pidFile, 'utf8'));
    expect(isAlive(programPid)).toBe(true);
    const closed = new Promise((resolve) => supervisor.once('exit', resolve));
    supervisor.stdin?.end();
    await closed;
    await waitFor(() => !isAlive(programPid));
  });
});

describe('waitUntilHealthy', () => {
  it('fails with the exit status and the last lines of output when the process exits first', async () => {
    const binary = await fakeExecutable(
      join(root, 'crasher'),
      'i=1; while [ $i -le 40 ]; do echo "line $i"; i=$((i+1)); done; exit 1',
    );
    const process = start('fake-apiserver', binary);
    const error = await waitUntilHealthy(process, async () => false, {
      timeoutMs: 30_000,
      endpoint: 'https://127.0.0.1:1/readyz',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlPlaneError);
    const message = (error as Error).message;
    expect(message).toContain(
      'fake-apiserver exited with status 1 before it became healthy at https://127.0.0.1:1/readyz',
    );
    expect(message).toContain(`last ${ERROR_LOG_LINES} lines of fake-apiserver output`);
    expect(message).toContain('line 40');
    expect(message).toContain(`line ${40 - ERROR_LOG_LINES + 1}\n`);
    expect(message).not.toContain(`line ${40 - ERROR_LOG_LINES}\n`);
  });

  it('fails after the timeout with the output so far when the process never becomes healthy', async () => {
    const binary = await fakeExecutable(join(root, 'hanger'), 'echo "starting up"; exec sleep 60');
    const process = start('fake-etcd', binary);
    const error = await waitUntilHealthy(process, async () => false, {
      timeoutMs: 300,
      intervalMs: 20,
      endpoint: 'http://127.0.0.1:1/health',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlPlaneError);
    const message = (error as Error).message;
    expect(message).toContain(
      'fake-etcd did not become healthy at http://127.0.0.1:1/health within 300 ms',
    );
    expect(message).toContain('starting up');
  });

  it('says a port is taken when the output shows it', async () => {
    const binary = await fakeExecutable(
      join(root, 'busy'),
      'echo "listen tcp 127.0.0.1:6443: bind: address already in use" >&2; exit 1',
    );
    const process = start('kube-apiserver', binary);
    const error = await waitUntilHealthy(process, async () => false, {
      timeoutMs: 30_000,
      endpoint: 'x',
    }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('a port it needs is already in use');
  });

  it('resolves once the probe succeeds, treating probe errors as not ready yet', async () => {
    const binary = await fakeExecutable(join(root, 'server'), 'exec sleep 60');
    const process = start('server', binary);
    let calls = 0;
    await waitUntilHealthy(
      process,
      async () => {
        calls++;
        if (calls < 3) throw new Error('ECONNREFUSED');
        return true;
      },
      { timeoutMs: 30_000, intervalMs: 10, endpoint: 'x' },
    );
    expect(calls).toBe(3);
  });
});
