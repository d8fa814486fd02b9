/**
 * A watch the client gives no `timeoutSeconds` (or 0) ends after a random time between the
 * server's minimum request timeout (`--min-request-timeout`, MemoryApiServer's
 * `minRequestTimeoutSeconds`) and twice it, as kube-apiserver's watch handler picks it.
 * Both backends run with a minimum of a few seconds so the watches end within the test.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

const MIN_SECONDS = 3;

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e({ minRequestTimeoutSeconds: MIN_SECONDS });
  ns = await e2e.namespace('e2e-watch-timeout');
});

afterAll(async () => {
  await e2e?.stop();
});

/** Opens a watch with `query` and resolves with its status, body and duration once it ends. */
async function watchUntilEnd(query: Record<string, string>) {
  const started = Date.now();
  const res = await raw(e2e.backend.kubeConfig, 'GET', `/api/v1/namespaces/${ns}/configmaps`, {
    query: { watch: 'true', labelSelector: 'watched=none', ...query },
  });
  return { status: res.status, text: res.text, ms: Date.now() - started };
}

test('a watch without timeoutSeconds ends by itself after a random time from the minimum request timeout', async () => {
  const watches = await Promise.all([
    watchUntilEnd({}),
    watchUntilEnd({}),
    watchUntilEnd({}),
    watchUntilEnd({}),
    watchUntilEnd({ timeoutSeconds: '0' }),
    watchUntilEnd({ timeoutSeconds: '0' }),
  ]);
  for (const w of watches) {
    // Ended cleanly: 200, no events (nothing matches the selector), no ERROR Status.
    expect(w.status).toBe(200);
    expect(w.text).toBe('');
    expect(w.ms).toBeGreaterThanOrEqual(MIN_SECONDS * 1000);
  }
  // Each watch draws its own duration (six equal ones would mean a fixed timeout).
  const durations = watches.map((w) => w.ms);
  expect(Math.max(...durations) - Math.min(...durations)).toBeGreaterThan(100);
}, 60_000);

test('a watch with timeoutSeconds ends after it, whatever the minimum', async () => {
  const w = await watchUntilEnd({ timeoutSeconds: '1' });
  expect(w.status).toBe(200);
  expect(w.text).toBe('');
  expect(w.ms).toBeLessThan(MIN_SECONDS * 1000);
}, 60_000);
