import { setTimeout as sleep } from 'node:timers/promises';
import { ControlPlaneError, PortTakenError } from './errors.js';
import type { SupervisedProcess } from './supervised-process.js';

/** How many of a failed process's last output lines an error message shows. */
export const ERROR_LOG_LINES = 30;

/** Options of {@link waitUntilHealthy}. */
export interface WaitUntilHealthyOptions {
  /** Give up after this many milliseconds. */
  readonly timeoutMs: number;
  /** Pause between probes. Default 100 ms. */
  readonly intervalMs?: number;
  /** What is being waited for, for messages, e.g. `https://127.0.0.1:6443/readyz`. */
  readonly endpoint: string;
}

/**
 * The end of an error message about `process`: its last {@link ERROR_LOG_LINES} lines of
 * output, and a hint when they show that a port was taken.
 */
export function describeOutput(process: SupervisedProcess): string {
  const lines = process.logLines(ERROR_LOG_LINES);
  const portHint = saysPortTaken(process)
    ? ` Its output says a port it needs is already in use: another process took it; retry, or stop that process.`
    : '';
  const output = lines.length === 0 ? '(no output)' : lines.join('\n');
  return `${portHint}\n--- last ${ERROR_LOG_LINES} lines of ${process.name} output ---\n${output}\n--- end of ${process.name} output ---`;
}

/** Whether `process`'s last output lines say a port it needs is taken. */
function saysPortTaken(process: SupervisedProcess): boolean {
  return process.logLines(ERROR_LOG_LINES).some((line) => /address already in use/i.test(line));
}

/**
 * Polls `probe` until it returns `true`. Probe errors (connection refused, …) count as
 * "not yet".
 *
 * @throws {ControlPlaneError} when `process` exits first or the timeout passes; the
 *   message includes the process's last output lines. A {@link PortTakenError} when it
 *   exited saying a port is taken.
 */
export async function waitUntilHealthy(
  process: SupervisedProcess,
  probe: () => Promise<boolean>,
  options: WaitUntilHealthyOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const exit = process.exit;
    if (exit !== undefined) {
      const how =
        exit.error !== undefined
          ? `could not be started (${exit.error.message})`
          : `exited with ${exit.code !== null ? `status ${exit.code}` : `signal ${exit.signal}`}`;
      const message = `${process.name} ${how} before it became healthy at ${options.endpoint}.${describeOutput(process)}`;
      throw saysPortTaken(process) ? new PortTakenError(message) : new ControlPlaneError(message);
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() >= deadline) {
      throw new ControlPlaneError(
        `${process.name} did not become healthy at ${options.endpoint} within ${options.timeoutMs} ms ` +
          `(raise startTimeoutMs if the machine is slow).${describeOutput(process)}`,
      );
    }
    await Promise.race([sleep(options.intervalMs ?? 100), process.exited]);
  }
}
