/**
 * How the watcher's state machine (`state.ts`) reports a failed list or watch: as an
 * `Error` watcher event carrying a {@link WatcherError} that says what failed and how the
 * watcher recovers.
 */
import type { Status } from '@kube-ts/core';
import { WatcherError, type WatcherEvent, type WatcherRecovery } from './events.js';

/**
 * True when `error` means 410 Gone. Unlike `@kube-ts/core`'s `isGone` (an `ApiError` only),
 * this also reads the bare `Status` object of a watch ERROR event, and anything with `code`.
 */
export function isGone(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 410;
}

/** A one-line description of a thrown error or a `Status` object, for the event's message. */
export function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) {
    const s = error as Status;
    if (typeof s.message === 'string') return `${s.message} (code ${s.code ?? '?'})`;
  }
  return String(error);
}

/** The `Error` watcher event for a failure of `phase`, recovered by `recovery`. */
export function failure(
  message: string,
  phase: 'list' | 'watch',
  recovery: WatcherRecovery,
  cause: unknown,
): WatcherEvent<never> {
  return { type: 'Error', error: new WatcherError(message, phase, recovery, cause) };
}
