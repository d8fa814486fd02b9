/**
 * Differential: reads from a resourceVersion the server has not reached. kube-apiserver's
 * watch cache waits up to 3 s for it, then answers a list (and a streaming list) with a
 * 504 `Too large resource version`; a plain watch from such a version starts at once and
 * sends only what is newer than it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw, rawWatch } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-future-rv');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const configMaps = () => `/api/v1/namespaces/${ns}/configmaps`;

/** A resourceVersion far beyond anything the server will reach during the test. */
async function future(): Promise<number> {
  const list = await raw(kc(), 'GET', configMaps());
  return Number(list.json().metadata.resourceVersion) + 1_000_000_000;
}

/** The 504 Status of a read from `rv`, whatever version the server had reached. */
function tooLarge(rv: number) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: expect.stringMatching(
      new RegExp(`^Timeout: Too large resource version: ${rv}, current: \\d+$`),
    ),
    reason: 'Timeout',
    details: {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    },
    code: 504,
  };
}

describe('a resourceVersion in the future', () => {
  test('a list waits 3 s for it, then answers 504', async () => {
    const rv = await future();
    const started = Date.now();
    const res = await raw(kc(), 'GET', configMaps(), { query: { resourceVersion: String(rv) } });
    const waited = Date.now() - started;
    expect(res.status).toBe(504);
    expect(res.json()).toEqual(tooLarge(rv));
    expect(waited).toBeGreaterThanOrEqual(2900);
    expect(waited).toBeLessThan(6000);
  });

  test('a streaming list waits 3 s, then ends with the 504 as an ERROR event', async () => {
    const rv = await future();
    const started = Date.now();
    const events = await rawWatch(
      kc(),
      configMaps(),
      {
        resourceVersion: String(rv),
        resourceVersionMatch: 'NotOlderThan',
        sendInitialEvents: 'true',
        allowWatchBookmarks: 'true',
      },
      (evs) => evs.length > 0,
      async () => {},
      10_000,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(events).toEqual([{ type: 'ERROR', object: tooLarge(rv) }]);
  });

  test('a plain watch starts at once and sends nothing that is not newer', async () => {
    const rv = await future();
    const watching = rawWatch(
      kc(),
      configMaps(),
      { resourceVersion: String(rv), allowWatchBookmarks: 'true' },
      () => false,
      async () => {
        const made = await raw(kc(), 'POST', configMaps(), {
          body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'older' } },
        });
        expect(made.status).toBe(201);
      },
      2000,
    );
    // The watch was answered 200 (else the error names the HTTP status) and got no event.
    await expect(watching).rejects.toThrow(/not done in 2000 ms; got \[\]$/);
  });
});
