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

/** Longest message (and cause message) logged for an `Error`; the rest is cut. */
const MAX_MESSAGE = 1000;

/**
 * THE description of a thrown value for logs and error messages; every thrown value the
 * runtime logs goes through it. What it keeps:
 * - an `Error`: `Name: message`, plus ` (cause: message)` when the cause is an `Error`
 *   whose message the message does not already contain; each message cut at 1000
 *   characters. Other properties of the error (where a library may have put a request
 *   body or a Secret) are never read.
 * - anything else — a string, an object, a number — only its type (and a string's
 *   length): `thrown string (not an Error, 42 characters)`, `thrown object (not an
 *   Error)`, `thrown undefined`. A thrown value is never serialized, so object data (a
 *   Secret's) and text (a token in a thrown string) cannot leak into logs through it.
 * It never throws, even for an error whose `name` or `message` getter does.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    try {
      const message = cut(String(error.message));
      // The cause is added unless the message already says it (a WatcherError's does).
      const cause =
        error.cause instanceof Error && !message.includes(String(error.cause.message))
          ? ` (cause: ${cut(String(error.cause.message))})`
          : '';
      return `${String(error.name)}: ${message}${cause}`;
    } catch {
      return 'thrown Error (its name or message could not be read)';
    }
  }
  if (typeof error === 'string') {
    return `thrown string (not an Error, ${error.length} characters)`;
  }
  if (error === null || error === undefined) return `thrown ${String(error)}`;
  return `thrown ${typeof error === 'object' ? 'object' : typeof error} (not an Error)`;
}

function cut(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
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
