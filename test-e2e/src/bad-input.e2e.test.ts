/**
 * Runs every bad input of bad-input/cases.ts: each gives an Error with a non-empty
 * message and crashes nothing. On the memory backend the messages are compared with
 * docs/bad-inputs.json, the source of the docs/bad-inputs.md table (rendered by
 * `node scripts/bad-inputs.mjs`); `BAD_INPUTS_UPDATE=1` rewrites the JSON instead.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backendName } from './backend.js';
import { CASES } from './bad-input/cases.js';
import { type E2eContext, startE2e } from './support.js';

const JSON_PATH = new URL('../../docs/bad-inputs.json', import.meta.url);

interface Row {
  readonly id: string;
  readonly input: string;
  readonly message: string;
  readonly data: string;
  readonly clear: boolean;
}

let e2e: E2eContext;
let ns: string;
const rows: Row[] = [];
const committed: Row[] = (() => {
  try {
    return JSON.parse(readFileSync(JSON_PATH, 'utf8')) as Row[];
  } catch {
    return [];
  }
})();

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-bad-input');
});

afterAll(async () => {
  if (process.env.BAD_INPUTS_UPDATE === '1' && backendName() === 'memory') {
    writeFileSync(JSON_PATH, `${JSON.stringify(rows, null, 2)}\n`);
  }
  await e2e?.stop();
});

/** The message with what differs between runs (namespace, ports) replaced. */
function normalized(message: string): string {
  return message.replaceAll(ns, '<namespace>').replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>');
}

describe('bad inputs', () => {
  for (const c of CASES) {
    test(`${c.id}: ${c.input}`, async () => {
      const error = await c.run({ client: e2e.client, namespace: ns });
      expect(error, 'the bad input must fail').toBeInstanceOf(Error);
      const message = normalized((error as Error).message);
      expect(message.length).toBeGreaterThan(0);
      const row: Row = { id: c.id, input: c.input, message, data: c.data, clear: c.clear };
      rows.push(row);
      if (backendName() === 'memory' && process.env.BAD_INPUTS_UPDATE !== '1') {
        expect(
          committed.find((r) => r.id === c.id),
          'docs/bad-inputs.json is out of date: run BAD_INPUTS_UPDATE=1 KUBE_TS_E2E_BACKEND=memory npx vitest run --root test-e2e src/bad-input.e2e.test.ts, then node scripts/bad-inputs.mjs',
        ).toEqual(row);
      }
    });
  }
});
