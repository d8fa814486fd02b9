/**
 * Differential: a create or update body kube-apiserver cannot find the kind of (not JSON,
 * not an object, a non-string `apiVersion` or `kind`) is its 400 `the object provided is
 * unrecognized (must be of type Kind): couldn't get version/kind; json parse error: …`
 * with the body summarized (as is from `{`, else in hex); `null` values and bodies, and
 * server-side apply bodies that are not maps. Same requests, same assertions on every
 * backend.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installOpenCrd } from './crd-install.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;

const group = `shape${uniqueSuffix()}.e2e.kube-ts.dev`;
const kc = () => e2e.backend.kubeConfig;
const configMaps = () => `/api/v1/namespaces/${ns}/configmaps`;
const things = () => `/apis/${group}/v1/namespaces/${ns}/things`;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-shapes');
  await installOpenCrd(e2e, group, 'Thing', ns);
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'there' } };
  expect((await raw(kc(), 'POST', configMaps(), { body: cm })).status).toBe(201);
});

afterAll(async () => {
  await e2e?.stop();
});

const STRUCT =
  'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';
const unrecognized = (kind: string, error: string, summary: string) =>
  `the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: ${error} (${summary})`;

/** Sends `body` as is and expects a 400 with `message`. */
async function refused(
  method: string,
  path: string,
  body: string,
  message: string,
  contentType = 'application/json',
) {
  const res = await raw(kc(), method, path, { body, contentType });
  expect(res.status, `${method} ${body}`).toBe(400);
  expect(res.json(), `${method} ${body}`).toMatchObject({ reason: 'BadRequest', message });
}

describe('create and update bodies', () => {
  test('not an object: the value type, the body in hex', async () => {
    for (const [kind, path] of [
      ['ConfigMap', configMaps()],
      ['Thing', things()],
    ] as const) {
      for (const [body, word, hex] of [
        ['[]', 'array', '5b5d'],
        ['"x"', 'string', '227822'],
        ['1', 'number', '31'],
        ['true', 'bool', '74727565'],
      ] as const) {
        const message = unrecognized(
          kind,
          `json: cannot unmarshal ${word} into Go value of type ${STRUCT}`,
          hex,
        );
        await refused('POST', path, body, message);
        await refused('PUT', `${path}/there`, body, message);
      }
    }
    await refused(
      'POST',
      configMaps(),
      '- a',
      unrecognized(
        'ConfigMap',
        `json: cannot unmarshal array into Go value of type ${STRUCT}`,
        '2d2061',
      ),
      'application/yaml',
    );
  });

  test('not JSON: the syntax error in Go words where the end or the text after the value is the problem', async () => {
    await refused(
      'POST',
      configMaps(),
      '',
      unrecognized('ConfigMap', 'unexpected end of JSON input', '<empty>'),
    );
    await refused(
      'POST',
      configMaps(),
      '{',
      unrecognized('ConfigMap', 'unexpected end of JSON input', '{'),
    );
    await refused(
      'PUT',
      `${configMaps()}/there`,
      '{"a":1}x',
      unrecognized('ConfigMap', "invalid character 'x' after top-level value", '{"a":1}x'),
    );
  });

  test('apiVersion or kind that is not a string; the body summarized to 30 bytes', async () => {
    const body = '{"apiVersion":1,"kind":"ConfigMap","metadata":{"name":"a"}}';
    await refused(
      'POST',
      configMaps(),
      body,
      unrecognized(
        'ConfigMap',
        'json: cannot unmarshal number into Go struct field .apiVersion of type string',
        `${body.slice(0, 30)} ...`,
      ),
    );
    const kind = `{"apiVersion":"${group}/v1","kind":[],"metadata":{"name":"a"}}`;
    await refused(
      'POST',
      things(),
      kind,
      unrecognized(
        'Thing',
        'json: cannot unmarshal array into Go struct field .kind of type string',
        `${kind.slice(0, 30)} ...`,
      ),
    );
  });

  test('null: a built-in takes it as unset, a custom resource words it', async () => {
    const created = await raw(kc(), 'POST', configMaps(), {
      body: '{"apiVersion":null,"kind":null,"metadata":{"name":"nulls"}}',
    });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
    const empty = await raw(kc(), 'POST', configMaps(), { body: 'null' });
    expect(empty.status).toBe(422);
    expect(empty.json().message).toBe(
      'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
    );
    await refused(
      'POST',
      things(),
      `{"apiVersion":null,"kind":"Thing","metadata":{"name":"n"}}`,
      'Thing in version "" cannot be handled as a Thing: .apiVersion accessor error: <nil> is of the type <nil>, expected string',
    );
    const nullKind = `{"apiVersion":"${group}/v1","kind":null,"metadata":{"name":"n"}}`;
    await refused(
      'POST',
      things(),
      nullKind,
      `the object provided is unrecognized (must be of type Thing): Object 'Kind' is missing in '${nullKind}' (${nullKind.slice(0, 30)} ...)`,
    );
    await refused(
      'PUT',
      `${things()}/n`,
      'null',
      "the object provided is unrecognized (must be of type Thing): Object 'Kind' is missing in 'null' (6e756c6c)",
    );
  });
});

describe('an update must name its object', () => {
  test('a PUT without a name, a PUT of null and a patch that removes the name are 400', async () => {
    const message =
      'the name of the object (there based on URL) was undeterminable: name must be provided';
    await refused('PUT', `${configMaps()}/there`, 'null', message);
    await refused(
      'PUT',
      `${configMaps()}/there`,
      '{"apiVersion":"v1","kind":"ConfigMap"}',
      message,
    );
    await refused(
      'PUT',
      `${configMaps()}/there`,
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":""}}',
      message,
    );
    await refused(
      'PATCH',
      `${configMaps()}/there`,
      '[{"op":"remove","path":"/metadata/name"}]',
      message,
      'application/json-patch+json',
    );
    await refused(
      'PATCH',
      `${configMaps()}/there`,
      '{"metadata":{"name":null}}',
      message,
      'application/merge-patch+json',
    );
    expect((await raw(kc(), 'GET', `${configMaps()}/there`)).status).toBe(200);
  });
});

describe('server-side apply bodies that are not maps', () => {
  test('a list or a scalar is a decoding error, null or nothing an object of no type', async () => {
    const apply = (body: string) =>
      raw(kc(), 'PATCH', `${configMaps()}/applied`, {
        body,
        contentType: 'application/apply-patch+yaml',
        query: { fieldManager: 'e2e' },
      });
    for (const [body, word] of [
      ['[]', 'array'],
      ['- a', 'array'],
      ['"x"', 'string'],
      ['1', 'number'],
      ['a', 'string'],
    ] as const) {
      const res = await apply(body);
      expect(res.status, body).toBe(400);
      expect(res.json().message, body).toBe(
        `error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${word} into Go value of type map[string]interface {}`,
      );
    }
    for (const body of ['null', ' ']) {
      const res = await apply(body);
      expect(res.status, body).toBe(400);
      expect(res.json().message, body).toBe('invalid object type: /, Kind=');
    }
  });
});
