import { type Logger, pino } from 'pino';
import type { Action } from './action.js';
import { describeReason, type ReconcileReason } from './reason.js';

/**
 * The controller's logger: a child of `base` (or of a new pino logger at `LOG_LEVEL`,
 * default `info`) bound to `{ controller: kind }`.
 */
export function controllerLogger(base: Logger | undefined, kind: string): Logger {
  const root = base ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  return root.child({ controller: kind });
}

/**
 * A short, safe description of a thrown value for logs: `Name: message` for errors (with
 * the cause's message when there is one), the text of a thrown string (at most 300
 * characters), and only the type for anything else — a thrown object is never serialized,
 * so object data (e.g. a Secret's) cannot leak into logs through it.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    // The cause is added unless the message already says it (a WatcherError's does).
    const cause =
      error.cause instanceof Error && !error.message.includes(error.cause.message)
        ? ` (cause: ${error.cause.message})`
        : '';
    return `${error.name}: ${error.message}${cause}`;
  }
  if (typeof error === 'string') return error.length > 300 ? `${error.slice(0, 299)}…` : error;
  if (error === null || error === undefined) return `thrown ${String(error)}`;
  return `thrown ${typeof error === 'object' ? 'object' : typeof error} (not an Error)`;
}

/** What one reconcile did, for {@link logReconcile}. */
export interface ReconcileLogEntry {
  /** The object key (`ns/name`). */
  readonly object: string;
  /** Why it ran. */
  readonly reason: ReconcileReason;
  /** How long it took, in milliseconds. */
  readonly durationMs: number;
  /** Whether it succeeded, the next action, and the failure. */
  readonly ok: boolean;
  readonly action: Action;
  readonly error?: unknown;
}

/**
 * Logs one reconcile: the object, the reason, the duration and the outcome. Successes
 * are logged at `debug` (so `info` stays quiet in steady state), failures at `warn`.
 * Only the object's key is logged, never its content.
 */
export function logReconcile(logger: Logger, entry: ReconcileLogEntry): void {
  // The steady-state line is at debug: build nothing when that level is off.
  if (entry.ok && !logger.isLevelEnabled('debug')) return;
  const fields = {
    object: entry.object,
    reason: describeReason(entry.reason),
    durationMs: entry.durationMs,
    next: String(entry.action),
  };
  if (entry.ok) {
    logger.debug(fields, 'reconciled');
  } else {
    logger.warn({ ...fields, error: describeError(entry.error) }, 'reconcile failed');
  }
}
