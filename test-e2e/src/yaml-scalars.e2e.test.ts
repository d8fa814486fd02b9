/**
 * Differential: YAML bodies are read as kube-apiserver reads them, with go-yaml v2 (YAML
 * 1.1): `y`, `yes`, `on`, `off`… are booleans, `0755` is octal, `0x1F`, `0o17`, `0b101`
 * and `1_000` are integers, timestamps and `1:30` stay strings, and map keys resolve too
 * (a float key named as sigs.k8s.io/yaml names it: `1e20:` is `"1e+20"`).
 * For server-side apply and for a create sent as `application/yaml`. YAML output writes
 * U+2028 and U+2029 as go-yaml does (line breaks to it). Same requests, same assertions on
 * every backend.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installOpenCrd } from './crd-install.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;

const group = `yaml${uniqueSuffix()}.e2e.kube-ts.dev`;
const kc = () => e2e.backend.kubeConfig;
const things = () => `/apis/${group}/v1/namespaces/${ns}/things`;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-yaml');
  await installOpenCrd(e2e, group, 'Thing', ns);
});

afterAll(async () => {
  await e2e?.stop();
});

/** A Thing in YAML with the scalars under test in its spec. */
const thing = (name: string) => `apiVersion: ${group}/v1
kind: Thing
metadata:
  name: ${name}
spec:
  bools: [y, Y, yes, Yes, YES, on, On, ON, true, n, N, no, No, NO, off, Off, OFF, False]
  strings: [yEs, oN, "y", 'off', 2001-12-14, 2001-12-14T21:59:43Z, "1:30", 1:30, 0x, abc, 1.2.3]
  ints: [0x1F, -0x1F, 0o17, 0755, 0b101, 1_000, +12, 0]
  floats: [1.5, .5, +.5, 1e3, 1_0.5]
  keys:
    y: a
    0x1F: b
    off: c
  block: |
    yes
`;

const SPEC = {
  bools: [true, true, true, true, true, true, true, true, true],
  falses: [false, false, false, false, false, false, false, false, false],
  strings: [
    'yEs',
    'oN',
    'y',
    'off',
    '2001-12-14',
    '2001-12-14T21:59:43Z',
    '1:30',
    '1:30',
    '0x',
    'abc',
    '1.2.3',
  ],
  ints: [31, -31, 15, 493, 5, 1000, 12, 0],
  floats: [1.5, 0.5, 0.5, 1000, 10.5],
  keys: { true: 'a', 31: 'b', false: 'c' },
  block: 'yes\n',
};

function expectSpec(spec: Record<string, unknown>) {
  const { bools, ...rest } = spec as { bools: boolean[] };
  expect(bools.slice(0, 9)).toEqual(SPEC.bools);
  expect(bools.slice(9)).toEqual(SPEC.falses);
  const { bools: _b, falses: _f, ...want } = SPEC;
  expect(rest).toEqual(want);
}

describe('YAML 1.1 scalars as go-yaml v2 resolves them', () => {
  test('server-side apply', async () => {
    const res = await raw(kc(), 'PATCH', `${things()}/applied`, {
      query: { fieldManager: 'e2e' },
      contentType: 'application/apply-patch+yaml',
      body: thing('applied'),
    });
    expect(res.status).toBe(201);
    expectSpec(res.json().spec);
    expectSpec((await raw(kc(), 'GET', `${things()}/applied`)).json().spec);
  });

  test('a create sent as application/yaml', async () => {
    const res = await raw(kc(), 'POST', things(), {
      contentType: 'application/yaml',
      body: thing('created'),
    });
    expect(res.status).toBe(201);
    expectSpec(res.json().spec);
  });

  test("float map keys named as sigs.k8s.io/yaml names them (a float32 in Go's shortest form)", async () => {
    const keys = ['1e20', '0.1', '1.0', '3.14159265358979', '-1.5e-7', '123456789.0', '.inf', '2']
      .map((k, i) => `    ${k}: v${i}`)
      .join('\n');
    const body = `apiVersion: ${group}/v1\nkind: Thing\nmetadata:\n  name: floats\nspec:\n  keys:\n${keys}\n`;
    const res = await raw(kc(), 'POST', things(), { contentType: 'application/yaml', body });
    expect(res.status).toBe(201);
    expect(res.json().spec.keys).toEqual({
      '1e+20': 'v0',
      '0.1': 'v1',
      '1': 'v2',
      '3.1415927': 'v3',
      '-1.5e-07': 'v4',
      '1.2345679e+08': 'v5',
      '.inf': 'v6',
      '2': 'v7',
    });
  });

  test('a built-in: an octal file mode, and a YAML boolean where a string is wanted', async () => {
    const configMap = (name: string, value: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: ${value}\n`;
    const created = await raw(kc(), 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
      contentType: 'application/yaml',
      body: configMap('cm-yes', 'yes'),
    });
    expect(created.status).toBe(400);
    expect(created.json().message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal bool into Go struct field ConfigMap.data of type string',
    );
    const applied = await raw(kc(), 'PATCH', `/api/v1/namespaces/${ns}/configmaps/cm-on`, {
      query: { fieldManager: 'e2e' },
      contentType: 'application/apply-patch+yaml',
      body: configMap('cm-on', 'on'),
    });
    expect(applied.status).toBe(500);
    expect(applied.json().message).toBe(
      'failed to create typed patch object (/cm-on; /v1, Kind=ConfigMap): .data.a: expected string, got &value.valueUnstructured{Value:true}',
    );
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: mode
spec:
  containers: [{name: c, image: nginx}]
  volumes:
  - name: v
    configMap: {name: c, defaultMode: 0644}
`;
    const res = await raw(kc(), 'POST', `/api/v1/namespaces/${ns}/pods`, {
      contentType: 'application/yaml',
      body: pod,
    });
    expect(res.status).toBe(201);
    expect(res.json().spec.volumes[0].configMap.defaultMode).toBe(420);
  });
});

describe('YAML output as go-yaml v2 writes it', () => {
  test('line and paragraph separators: single-quoted, each run followed by the indentation', async () => {
    const spec = {
      ls: 'a\u2028b',
      ps: 'c\u2029\u2029d',
      end: 'e\u2028',
      spaced: 'f \u2028g',
      nested: { x: 'h\u2028i' },
      list: ['j\u2028k', { z: 'l\u2029m' }],
    };
    const res = await raw(kc(), 'POST', things(), {
      accept: 'application/yaml',
      body: { apiVersion: `${group}/v1`, kind: 'Thing', metadata: { name: 'separators' }, spec },
    });
    expect(res.status, res.text).toBe(201);
    const written = res.text.slice(res.text.indexOf('\nspec:\n') + 1);
    expect(written).toBe(
      [
        'spec:',
        "  end: 'e\u2028'",
        '  list:',
        "  - 'j\u2028    k'",
        "  - z: 'l\u2029      m'",
        "  ls: 'a\u2028    b'",
        '  nested:',
        "    x: 'h\u2028      i'",
        "  ps: 'c\u2029\u2029    d'",
        '  spaced: "f \\Lg"',
        '',
      ].join('\n'),
    );
  });
});
