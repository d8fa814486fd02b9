/**
 * Differential: a JSON body with a syntax error is refused with Go's encoding/json words
 * (`invalid character 'x' looking for beginning of value`, `… after object key`, …) inside
 * the message kube-apiserver gives for that kind of body: a create or update's
 * `couldn't get version/kind; json parse error: …` with the body summarized, a merge or
 * JSON patch's `error decoding patch: …`, a strategic merge patch's bare error, a DELETE
 * body's `couldn't get version/kind; json parse error: …`. Same requests, same assertions
 * on every backend.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-json-syntax');
  const made = await raw(e2e.backend.kubeConfig, 'POST', configMaps(), {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'target' } },
  });
  expect(made.status).toBe(201);
});

afterAll(async () => {
  await e2e?.stop();
});

const configMaps = () => `/api/v1/namespaces/${ns}/configmaps`;

/** Sends `body` as text and expects a 400 Status with `message`. */
async function refused(method: string, path: string, body: string, contentType: string) {
  const res = await raw(e2e.backend.kubeConfig, method, path, { body, contentType });
  expect(res.status, res.text).toBe(400);
  expect(res.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
  return res.json().message as string;
}

/** Bodies with a syntax error and Go's scanner error for each. */
const BROKEN: [string, string][] = [
  ['x', "invalid character 'x' looking for beginning of value"],
  ['{"a" 1}', "invalid character '1' after object key"],
  ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
  ['{"a":[1 2]}', "invalid character '2' after array element"],
  ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
  ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
  ['{"a":nul', "invalid character ' ' in literal null (expecting 'l')"],
  ['{"a":"\\q"}', "invalid character 'q' in string escape code"],
  ['{"a":"\\u12g4"}', "invalid character 'g' in \\u hexadecimal character escape"],
  ['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
  ['{"a":-}', "invalid character '}' in numeric literal"],
  ['{"a":1e}', "invalid character '}' in exponent of numeric literal"],
  ['{"a":"\t"}', "invalid character '\\t' in string literal"],
  ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
  ['{"a":é}', "invalid character 'Ã' looking for beginning of value"],
];

test('a create body: the scanner error in the unrecognized-object message', async () => {
  for (const [body, error] of BROKEN) {
    const message = await refused('POST', configMaps(), body, 'application/json');
    expect(message, body).toMatch(
      new RegExp(
        `^the object provided is unrecognized \\(must be of type ConfigMap\\): couldn't get version/kind; json parse error: ${escapeRegExp(error)} \\(`,
      ),
    );
  }
});

test('an update body, patches and a DELETE body: the same error in their own words', async () => {
  const target = `${configMaps()}/target`;
  for (const [body, error] of BROKEN.slice(0, 6)) {
    expect(await refused('PUT', target, body, 'application/json'), body).toMatch(
      new RegExp(`json parse error: ${escapeRegExp(error)} \\(`),
    );
    expect(await refused('PATCH', target, body, 'application/merge-patch+json'), body).toBe(
      `error decoding patch: ${error}`,
    );
    expect(await refused('PATCH', target, body, 'application/json-patch+json'), body).toBe(
      `error decoding patch: ${error}`,
    );
    expect(
      await refused('PATCH', target, body, 'application/strategic-merge-patch+json'),
      body,
    ).toBe(error);
    expect(await refused('DELETE', target, body, 'application/json'), body).toBe(
      `couldn't get version/kind; json parse error: ${error}`,
    );
  }
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
