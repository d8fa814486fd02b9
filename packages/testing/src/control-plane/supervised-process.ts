import { type ChildProcess, spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { LogTail } from './log-tail.js';

/**
 * Runs the program as a child of a small `sh` supervisor in its own process group. The
 * supervisor forwards SIGTERM/SIGINT/SIGHUP to the program and exits with its status; a
 * watchdog in the same group reads the supervisor's stdin, a pipe from this Node process,
 * and kills the whole group when it reaches end-of-file, which happens when this Node
 * process dies for any reason, even SIGKILL. So the program never outlives the tests.
 * Once its trap is set, the supervisor writes a line on fd 4: a SIGTERM sent before that
 * would end the supervisor itself and leave the program to the watchdog's SIGKILL.
 */
export const SUPERVISOR_SCRIPT = [
  'exec 3<&0 0</dev/null',
  '{ cat <&3 >/dev/null 2>&1; kill -KILL 0; } >/dev/null 2>&1 4>&- &',
  '"$@" 3<&- 4>&- &',
  'child=$!',
  'exec 3<&-',
  'trap \'kill -TERM "$child" 2>/dev/null\' TERM INT HUP',
  // Tells Node that signals are forwarded from now on (see SupervisedProcess.stop).
  'echo armed >&4 2>/dev/null; exec 4>&-',
  'while :; do wait "$child"; code=$?; kill -0 "$child" 2>/dev/null || break; done',
  'exit "$code"',
].join('\n');

/** How a supervised process ended. */
export interface ProcessExit {
  /** The exit status (128 + n when the program was killed by signal n), or `null`. */
  readonly code: number | null;
  /** The signal that ended the supervisor itself, if any. */
  readonly signal: NodeJS.Signals | null;
  /** Set when the supervisor could not be spawned at all. */
  readonly error?: Error;
}

/** Options of {@link SupervisedProcess.start}. */
export interface SupervisedProcessOptions {
  /** How many of the last output lines to keep. Default 200. */
  readonly logLines?: number;
  /** Environment of the program. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * A long-running program (etcd, kube-apiserver, …) started under a supervisor that ties
 * its life to this Node process. Its output is kept in a {@link LogTail}.
 */
export class SupervisedProcess {
  /** A short name for messages, e.g. `kube-apiserver`. */
  readonly name: string;
  /** Resolves once, when the process has ended (never rejects). */
  readonly exited: Promise<ProcessExit>;
  readonly #child: ChildProcess;
  readonly #log: LogTail;
  /** Resolves when the supervisor forwards signals to the program. */
  readonly #armed: Promise<void>;
  #exit: ProcessExit | undefined;

  private constructor(name: string, child: ChildProcess, log: LogTail) {
    this.name = name;
    this.#child = child;
    this.#log = log;
    this.#armed = new Promise<void>((resolve) => {
      child.stdio[4]?.once('data', () => resolve());
    });
    this.exited = new Promise<ProcessExit>((resolve) => {
      const finish = (exit: ProcessExit) => {
        if (this.#exit !== undefined) return;
        this.#exit = exit;
        // End of the supervisor's stdin makes the watchdog kill any straggler of the group.
        child.stdin?.destroy();
        resolve(exit);
      };
      child.once('error', (error) => finish({ code: null, signal: null, error }));
      child.once('close', (code, signal) => finish({ code, signal }));
    });
  }

  /** Starts `binary` with `args` under the supervisor. Never throws; a spawn failure shows in {@link exited}. */
  static start(
    name: string,
    binary: string,
    args: readonly string[],
    options: SupervisedProcessOptions = {},
  ): SupervisedProcess {
    const log = new LogTail(options.logLines ?? 200);
    const child = spawn(
      '/bin/sh',
      ['-c', SUPERVISOR_SCRIPT, 'kube-ts-supervisor', binary, ...args],
      {
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe', 'ignore', 'pipe'],
        env: options.env ?? process.env,
      },
    );
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => log.write(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => log.write(chunk));
    child.stdin?.on('error', () => {});
    // Neither the child nor its pipes keep the test process alive; the exit cleanup kills it.
    child.unref();
    child.stdio[4]?.on('error', () => {});
    for (const stream of child.stdio) unrefStream(stream);
    return new SupervisedProcess(name, child, log);
  }

  /** The supervisor's pid, which is also the process-group id of the program. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** How it ended, or `undefined` while it runs. */
  get exit(): ProcessExit | undefined {
    return this.#exit;
  }

  /** The last `count` lines of output (stdout and stderr together), oldest first. */
  logLines(count?: number): string[] {
    return this.#log.lines(count);
  }

  /**
   * Asks the program to stop (SIGTERM), and kills its whole process group (SIGKILL) if it
   * has not ended within `graceMs`. Resolves when it has ended.
   */
  async stop(graceMs = 10_000): Promise<ProcessExit> {
    await Promise.race([this.#armed, this.exited]);
    if (this.#exit !== undefined) return this.#exit;
    this.#signal(false, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), graceMs);
    });
    const exit = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (exit !== undefined) return exit;
    this.kill();
    return this.exited;
  }

  /**
   * Kills the whole process group at once (SIGKILL); synchronous, so usable in an `exit`
   * listener. Does nothing once the process has ended (its id may then belong to another).
   */
  kill(): void {
    if (this.#exit !== undefined) return;
    this.#signal(true, 'SIGKILL');
  }

  #signal(group: boolean, signal: NodeJS.Signals): void {
    const pid = this.#child.pid;
    if (pid === undefined) return;
    try {
      process.kill(group ? -pid : pid, signal);
    } catch {
      // Already gone.
    }
  }
}

function unrefStream(stream: unknown): void {
  // Child-process pipes are net.Socket instances at runtime, though typed as plain streams.
  (stream as Partial<Pick<Socket, 'unref'>> | null)?.unref?.();
}
