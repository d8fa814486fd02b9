/**
 * Differential: YAML bodies kube-apiserver cannot read are refused in go-yaml v2's words
 * (through sigs.k8s.io/yaml) inside kube-apiserver's wrappers: `error decoding YAML: error
 * converting YAML to JSON: …` for server-side apply, the unrecognized-object message for a
 * create sent as `application/yaml`. The syntax errors users make (indentation, unclosed
 * flow collections and quotes, tabs, a mapping value where none is allowed), `.nan` and
 * `.inf`, a null key, and a duplicate key that only resolution makes one (`y` and `true`).
 * Same requests, same assertions on every backend.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

const kc = () => e2e.backend.kubeConfig;
const configMaps = () => `/api/v1/namespaces/${ns}/configmaps`;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-yaml-errors');
});

afterAll(async () => {
  await e2e?.stop();
});

/** A ConfigMap manifest whose `data` section is `data` (indented under `data:`). */
const configMap = (name: string, data: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${data}`;

/** Each case: the `data` section of a ConfigMap, and go-yaml's words for it. */
const CASES: [string, string, string][] = [
  [
    'an unclosed flow map',
    '  a: {b: 1\n  c: "2"\n',
    "yaml: line 6: did not find expected ',' or '}'",
  ],
  ['an unclosed flow sequence', '  a: [x, y\n', "yaml: line 6: did not find expected ',' or ']'"],
  ['a closer of the other kind', '  a: [x, y}\n', "yaml: line 5: did not find expected ',' or ']'"],
  ['an empty unclosed flow map', '  a: {\n', 'yaml: line 6: did not find expected node content'],
  ['an unclosed double quote', '  a: "x\n  b: y\n', 'yaml: line 8: found unexpected end of stream'],
  ['an unclosed single quote', "  a: 'x\n", 'yaml: line 7: found unexpected end of stream'],
  ['an unknown escape', '  a: "\\q"\n', 'yaml: line 6: found unknown escape character'],
  [
    'a key indented deeper than its siblings',
    '  a: x\n   b: y\n',
    'yaml: line 7: mapping values are not allowed in this context',
  ],
  [
    'a key indented less than its siblings',
    '   a: x\n  b: y\n',
    'yaml: line 6: did not find expected key',
  ],
  [
    'two mapping values on one line',
    '  a: b: c\n',
    'yaml: line 6: mapping values are not allowed in this context',
  ],
  [
    'a tab as indentation after a value',
    '  a: x\n\tb: y\n',
    'yaml: line 7: found a tab character that violates indentation',
  ],
  [
    'a tab as indentation after a key',
    '\ta: x\n',
    'yaml: line 6: found character that cannot start any token',
  ],
  [
    'a reserved character',
    '  a: @x\n',
    'yaml: line 6: found character that cannot start any token',
  ],
  ['a sequence item among keys', '  a: x\n  - y\n', 'yaml: line 6: did not find expected key'],
  ['a key without a value', '  a: x\n  b\n', "yaml: line 8: could not find expected ':'"],
  ['an unknown anchor', '  a: *nope\n', "yaml: unknown anchor 'nope' referenced"],
  ['.nan', '  a: .nan\n', 'json: unsupported value: NaN'],
  ['.inf', '  a: -.inf\n', 'json: unsupported value: -Inf'],
  ['a null key', '  ~: x\n', 'unsupported map key of type: %!s(<nil>), key: <nil>, value: "x"'],
];

describe('YAML kube-apiserver cannot read, in go-yaml v2 words', () => {
  test.each(CASES)('server-side apply: %s', async (_what, data, message) => {
    const res = await raw(kc(), 'PATCH', `${configMaps()}/applied`, {
      query: { fieldManager: 'e2e' },
      contentType: 'application/apply-patch+yaml',
      body: configMap('applied', data),
    });
    expect(res.status).toBe(400);
    expect(res.json().message).toBe(
      `error decoding YAML: error converting YAML to JSON: ${message}`,
    );
  });

  test.each(CASES)('a create sent as application/yaml: %s', async (_what, data, message) => {
    const body = configMap('created', data);
    const res = await raw(kc(), 'POST', configMaps(), { contentType: 'application/yaml', body });
    expect(res.status).toBe(400);
    const summary = `${Buffer.from(body).subarray(0, 30).toString('hex')} ...`;
    expect(res.json().message).toBe(
      `the object provided is unrecognized (must be of type ConfigMap): ${message} (${summary})`,
    );
  });

  test('a YAML body that starts with { is summarized as is', async () => {
    const body = '{"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "b"\n';
    const res = await raw(kc(), 'POST', configMaps(), { contentType: 'application/yaml', body });
    expect(res.status).toBe(400);
    expect(res.json().message).toBe(
      `the object provided is unrecognized (must be of type ConfigMap): yaml: line 1: did not find expected ',' or '}' (${body.slice(0, 30)} ...)`,
    );
  });

  test('a duplicate key that resolution makes one is quoted as go-yaml resolves it', async () => {
    const body = configMap('dup', '  a: x\n').replace(
      'metadata:\n',
      'metadata:\n  labels:\n    y: "1"\n    true: "2"\n',
    );
    const strict = await raw(kc(), 'PATCH', `${configMaps()}/dup`, {
      query: { fieldManager: 'e2e', fieldValidation: 'Strict' },
      contentType: 'application/apply-patch+yaml',
      body,
    });
    expect(strict.status).toBe(400);
    expect(strict.json().message).toBe(
      'error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 6: key true already set in map',
    );
    const warn = await raw(kc(), 'PATCH', `${configMaps()}/dup`, {
      query: { fieldManager: 'e2e' },
      contentType: 'application/apply-patch+yaml',
      body,
    });
    expect(warn.status).toBe(201);
    expect(warn.warnings).toEqual(['line 6: key true already set in map']);
    expect(warn.json().metadata.labels).toEqual({ true: '2' });
  });
});
