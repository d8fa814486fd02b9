import type { Logger } from 'pino';
import { isObservable, type Observable, type Subscription } from 'rxjs';

/**
 * Something that asks a controller to shut down gracefully: an `AbortSignal` aborts, a
 * `Promise` settles (resolves or rejects), or an `Observable` emits or completes.
 */
export type ShutdownTrigger = AbortSignal | PromiseLike<unknown> | Observable<unknown>;

/**
 * The exit code of a process whose graceful shutdown, started by SIGTERM or SIGINT, did
 * not finish within its deadline (the code GNU `timeout` uses for a timed-out command).
 */
export const SHUTDOWN_TIMEOUT_EXIT_CODE = 124;

/** A reconcile still running at the shutdown deadline. */
export interface StuckReconcile {
  readonly controller: string;
  readonly object: string;
  readonly runningMs: number;
  readonly abandoned: boolean;
}

/**
 * Logs each reconcile still running when the shutdown deadline passed (which object, for
 * how long), then ends the process with {@link SHUTDOWN_TIMEOUT_EXIT_CODE}: waiting longer
 * would end in a SIGKILL, or in Node's exit 13 when nothing else keeps the process alive.
 */
export function exitAfterDeadline(
  logger: Logger,
  timeoutMs: number,
  stuck: readonly StuckReconcile[],
): never {
  for (const s of stuck) {
    logger.error(
      {
        controller: s.controller,
        object: s.object,
        runningMs: s.runningMs,
        abandoned: s.abandoned,
      },
      'reconcile still running at the shutdown deadline',
    );
  }
  logger.fatal(
    { shutdownTimeoutMs: timeoutMs, stuck: stuck.length },
    `graceful shutdown did not finish within ${timeoutMs} ms (${stuck.length} reconcile(s) ` +
      `still running, listed above); exiting with code ${SHUTDOWN_TIMEOUT_EXIT_CODE}`,
  );
  logger.flush();
  process.exit(SHUTDOWN_TIMEOUT_EXIT_CODE);
}

/** What {@link ShutdownSignal} calls. */
export interface ShutdownHandlers {
  /** The first trigger (or process signal) fired; `bySignal` when it was SIGINT/SIGTERM. */
  graceful(why: string, bySignal: boolean): void;
  /** A second process signal arrived while shutting down. */
  immediate(why: string): void;
}

const PROCESS_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Listens to shutdown triggers (and, if asked, SIGINT/SIGTERM) and calls `graceful` once;
 * a second process signal calls `immediate`. Nothing is called after `dispose()`, which
 * also removes the process signal handlers.
 */
export class ShutdownSignal {
  readonly #handlers: ShutdownHandlers;
  readonly #cleanups: (() => void)[] = [];
  #fired = false;
  #disposed = false;

  /** Starts listening. */
  constructor(
    triggers: readonly ShutdownTrigger[],
    processSignals: boolean,
    handlers: ShutdownHandlers,
  ) {
    this.#handlers = handlers;
    for (const trigger of triggers) this.#listen(trigger);
    if (processSignals) {
      for (const name of PROCESS_SIGNALS) {
        const onSignal = () => this.#onProcessSignal(name);
        process.on(name, onSignal);
        this.#cleanups.push(() => process.off(name, onSignal));
      }
    }
  }

  /** Stops listening and removes the process signal handlers. */
  dispose(): void {
    this.#disposed = true;
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
  }

  #listen(trigger: ShutdownTrigger): void {
    const fire = () => this.#fire('shutdown requested', false);
    if (isObservable(trigger)) {
      const subscription: Subscription = trigger.subscribe({
        next: fire,
        complete: fire,
        error: fire,
      });
      this.#cleanups.push(() => subscription.unsubscribe());
    } else if (trigger instanceof AbortSignal) {
      if (trigger.aborted) {
        queueMicrotask(fire);
        return;
      }
      trigger.addEventListener('abort', fire, { once: true });
      this.#cleanups.push(() => trigger.removeEventListener('abort', fire));
    } else {
      trigger.then(fire, fire);
    }
  }

  #fire(why: string, bySignal: boolean): void {
    if (this.#disposed || this.#fired) return;
    this.#fired = true;
    this.#handlers.graceful(why, bySignal);
  }

  #onProcessSignal(name: string): void {
    if (this.#disposed) return;
    if (this.#fired) {
      this.#handlers.immediate(name);
      this.dispose();
      return;
    }
    this.#fire(name, true);
  }
}
