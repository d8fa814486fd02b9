import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Measurements, ParentMessage, Subject, Task, WorkerMessage } from './protocol.js';

/** Entry file of the measured process of each subject. */
const ENTRY: Record<Subject, string> = {
  'kube-ts': fileURLToPath(new URL('./workers/kube-ts.js', import.meta.url)),
  peer: fileURLToPath(new URL('./workers/peer.js', import.meta.url)),
  floor: fileURLToPath(new URL('./workers/floor.js', import.meta.url)),
};

/** What a finished worker reported. */
export interface WorkerResult {
  readonly values: Measurements;
  readonly samples?: number[];
  /** Scenario 8: the client's own part of each sample (chunk arrival → reaction), in ms. */
  readonly clientSamples?: number[];
}

/** Hooks of one worker run. */
export interface WorkerHooks {
  /**
   * Called when the worker says `ready` (its store is synced); the returned promise
   * resolves when the parent is done driving it. `child` can be paused (SIGSTOP) and
   * `stop` tells the worker to report.
   */
  readonly onReady?: (child: ChildProcess, stop: () => void) => Promise<void>;
  /** Upper bound on the whole run, in ms (default 180 000). */
  readonly timeoutMs?: number;
  /** Extra Node.js flags for the measured process (e.g. `--cpu-prof`). */
  readonly execArgv?: readonly string[];
}

/** A measured process that has loaded what its task needs and waits to start it. */
export interface PreparedWorker {
  /**
   * Starts the task and resolves with what the process reports; rejects (and kills the
   * process) when it reports an error, exits early, or exceeds the timeout. Resolves only
   * once the process has exited, so that measured runs never overlap.
   */
  start(): Promise<WorkerResult>;
  /**
   * Kills the process (if it still runs) and makes `start()`'s promise reject with
   * `reason`, unless it settled already; resolves once the process has exited. For a run
   * of several processes that cannot go on because another one failed.
   */
  cancel(reason: Error): Promise<void>;
}

/**
 * Starts a fresh `node --expose-gc` process measuring `subject` and has it load what
 * `task` needs (module loading is outside every measurement); resolves once it waits for
 * `start()`. Idle until then, so the processes of one run can be prepared together while
 * nothing is measured.
 */
export function prepareWorker(
  subject: Subject,
  task: Task,
  hooks: WorkerHooks = {},
): Promise<PreparedWorker> {
  const timeoutMs = hooks.timeoutMs ?? 180_000;
  const child = fork(ENTRY[subject], [], {
    execArgv: ['--expose-gc', ...(hooks.execArgv ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // The controller's default pino logger: keep its info lines out of the table output
    // (debug, where per-reconcile lines go, is off either way).
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
  const send = (msg: ParentMessage) => {
    if (child.connected) child.send(msg);
  };
  let settled = false;
  let onLoaded: () => void = () => {};
  const loaded = new Promise<void>((resolve) => {
    onLoaded = resolve;
  });
  let timer: NodeJS.Timeout | undefined;
  let settle: (err: Error | undefined, result?: WorkerResult) => void = () => {};
  const outcome = new Promise<WorkerResult>((resolve, reject) => {
    settle = (err, result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const done = () => (err ? reject(err) : resolve(result!));
      if (child.exitCode !== null || child.signalCode !== null) {
        done();
        return;
      }
      // A worker that reported exits by itself (writing its CPU profile when asked to);
      // one that failed or lingers is killed.
      const killer = setTimeout(() => child.kill('SIGKILL'), err ? 0 : 20_000);
      child.once('exit', () => {
        clearTimeout(killer);
        done();
      });
      child.kill('SIGCONT');
    };
  });
  outcome.catch(() => {});
  child.on('message', (raw) => {
    const msg = raw as WorkerMessage;
    if (msg.type === 'loaded') onLoaded();
    else if (msg.type === 'ready') {
      const driven = hooks.onReady
        ? hooks.onReady(child, () => send({ type: 'stop' }))
        : Promise.resolve();
      driven.catch((e: unknown) =>
        settle(new Error(`${subject} ${task.kind}: driving the worker failed: ${String(e)}`)),
      );
    } else if (msg.type === 'result') {
      const { values, samples, clientSamples } = msg;
      settle(undefined, {
        values,
        ...(samples ? { samples } : {}),
        ...(clientSamples ? { clientSamples } : {}),
      });
    } else if (msg.type === 'error') {
      settle(new Error(`${subject} ${task.kind}: ${msg.message}`));
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('exit', (code, signal) =>
    settle(
      new Error(
        `${subject} ${task.kind}: worker ${signal ? `killed by ${signal}` : `exited with code ${code}`} before reporting` +
          (signal === 'SIGKILL' ? ' (by the kernel OOM killer, if nothing else sent it)' : ''),
      ),
    ),
  );
  child.on('error', (e) => settle(e));
  send({ type: 'prepare', task });
  const prepared: PreparedWorker = {
    start: () => {
      timer = setTimeout(
        () => settle(new Error(`${subject} ${task.kind}: no result after ${timeoutMs} ms`)),
        timeoutMs,
      );
      send({ type: 'start' });
      return outcome;
    },
    cancel: async (reason) => {
      settle(reason);
      if (child.exitCode === null && child.signalCode === null) await exited;
    },
  };
  // Ready once loaded; a process that fails or exits before that rejects instead.
  return Promise.race([loaded, outcome]).then(() => prepared);
}
