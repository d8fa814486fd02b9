import type { ListOptions } from './list-options.js';
import type { ApiState } from './state.js';

/**
 * How long kube-apiserver's watch cache blocks a read that asks for a resourceVersion it
 * has not reached (its `blockTimeout`), before answering 504 `Too large resource version`.
 */
export const FRESH_WAIT_MS = 3000;

const POLL_MS = 20;

/**
 * The resourceVersion a list or watch must wait for, or undefined when it can be answered
 * now: a list from a version newer than the store's, or a watch that sends initial events
 * from one (a plain watch from the future starts at once and skips what is not newer).
 */
export function pendingRv(s: ApiState, o: ListOptions): number | undefined {
  if (o.continueToken || o.resourceVersion === undefined || !/^\d+$/.test(o.resourceVersion)) {
    return undefined;
  }
  const rv = Number(o.resourceVersion);
  if (rv === 0 || rv <= s.storage.rv) return undefined;
  if (o.watch && o.sendInitialEvents !== true) return undefined;
  return rv;
}

/** Resolves once the store has reached `rv`, or after {@link FRESH_WAIT_MS}. */
export function waitForRv(s: ApiState, rv: number): Promise<void> {
  const until = Date.now() + FRESH_WAIT_MS;
  return new Promise((resolve) => {
    const check = () => {
      if (s.storage.rv >= rv || Date.now() >= until) resolve();
      else setTimeout(check, Math.min(POLL_MS, Math.max(1, until - Date.now()))).unref();
    };
    check();
  });
}
