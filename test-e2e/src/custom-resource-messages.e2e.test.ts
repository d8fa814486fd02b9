/**
 * Differential: how kube-apiserver's field errors quote a custom resource's values. A
 * number JSON writes as a float (`1.0`, `1e8`) is decoded as a float64: typed `number`
 * and quoted as Go's `%v` writes a float64 (`1e+08`), its bounds too. A string is quoted
 * as Go's `%q` (`"\u2028"`, `"\x01"`), a list or object as `json.Marshal` writes it (`<`,
 * `>` and `&` escaped); an `enum`'s supported values are listed quoted (`"5"`,
 * `"{\"a\":\"b\"}"`). A list type's duplicates come after the other schema causes. Same
 * requests, same assertions on every backend.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installCrd, namespacedCrd } from './crd-install.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;

const group = `messages${uniqueSuffix()}.e2e.kube-ts.dev`;
const kc = () => e2e.backend.kubeConfig;
const gauges = () => `/apis/${group}/v1/namespaces/${ns}/gauges`;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-messages');
  const spec = {
    type: 'object',
    properties: {
      count: { type: 'integer', maximum: 10 },
      note: { type: 'string' },
      ratio: { type: 'number', maximum: 1000000 },
      code: { type: 'string', pattern: '^[a-z]*$' },
      level: { type: 'integer', enum: [1, 2] },
      mode: { type: 'string', enum: ['a<b', 'c'] },
      choice: {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
        enum: [{ a: 'b' }],
      },
      tags: { type: 'array', items: { type: 'string' }, minItems: 2 },
      names: { type: 'object', additionalProperties: { type: 'string' }, minProperties: 2 },
      pair: { type: 'array', items: { type: 'string' }, enum: [['a', 'b']] },
      zone: { type: 'string' },
      set: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
    },
  };
  await installCrd(
    e2e,
    namespacedCrd(group, 'Gauge', {
      schema: { openAPIV3Schema: { type: 'object', properties: { spec } } },
    }),
    gauges(),
  );
});

afterAll(async () => {
  await e2e?.stop();
});

/** A Gauge's JSON text with `spec` as written (so its number literals reach the server). */
const gauge = (name: string, spec: string) =>
  `{"apiVersion":"${group}/v1","kind":"Gauge","metadata":{"name":"${name}"},"spec":${spec}}`;

/** The causes of a create refused with 422. */
async function refused(name: string, spec: string): Promise<unknown[]> {
  const res = await raw(kc(), 'POST', gauges(), { body: gauge(name, spec) });
  expect(res.status, res.text).toBe(422);
  return res.json().details.causes;
}

const invalid = (field: string, message: string) => ({
  reason: 'FieldValueInvalid',
  message,
  field,
});

describe("a custom resource's float64 written as a whole number", () => {
  test('is typed number, not integer', async () => {
    const type = (actual: string) => ({
      reason: 'FieldValueTypeInvalid',
      message: `Invalid value: "${actual}": spec.note in body must be of type string: "${actual}"`,
      field: 'spec.note',
    });
    expect(await refused('point', '{"note":1.0}')).toEqual([type('number')]);
    expect(await refused('exponent', '{"note":1e3}')).toEqual([type('number')]);
    expect(await refused('integer', '{"note":1}')).toEqual([type('integer')]);
  });

  test('is quoted as a float64, and so are its bounds', async () => {
    expect(await refused('big', '{"count":1e8}')).toEqual([
      invalid(
        'spec.count',
        'Invalid value: 1e+08: spec.count in body should be less than or equal to 10',
      ),
    ]);
    expect(await refused('float', '{"ratio":2e6}')).toEqual([
      invalid(
        'spec.ratio',
        'Invalid value: 2e+06: spec.ratio in body should be less than or equal to 1e+06',
      ),
    ]);
    expect(await refused('fraction', '{"ratio":1234567.5}')).toEqual([
      invalid(
        'spec.ratio',
        'Invalid value: 1.2345675e+06: spec.ratio in body should be less than or equal to 1e+06',
      ),
    ]);
    // An int64 and the bound it is checked against are written as integers.
    expect(await refused('int', '{"ratio":2000000}')).toEqual([
      invalid(
        'spec.ratio',
        'Invalid value: 2000000: spec.ratio in body should be less than or equal to 1000000',
      ),
    ]);
  });

  test('in a patch too', async () => {
    const created = await raw(kc(), 'POST', gauges(), { body: gauge('patched', '{}') });
    expect(created.status, created.text).toBe(201);
    const message = 'Invalid value: "number": spec.note in body must be of type string: "number"';
    const patches = [
      ['application/merge-patch+json', '{"spec":{"note":1.0}}'],
      ['application/json-patch+json', '[{"op":"add","path":"/spec/note","value":1e2}]'],
    ];
    for (const [contentType, body] of patches) {
      const res = await raw(kc(), 'PATCH', `${gauges()}/patched`, { contentType, body });
      expect(res.status, res.text).toBe(422);
      expect(res.json().details.causes).toEqual([
        { reason: 'FieldValueTypeInvalid', message, field: 'spec.note' },
      ]);
    }
  });

  test('is stored as the integer it is', async () => {
    const res = await raw(kc(), 'POST', gauges(), {
      body: gauge('stored', '{"count":1e1,"ratio":5.0}'),
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json().spec).toEqual({ count: 10, ratio: 5 });
    expect(res.text).toContain('"spec":{"count":10,"ratio":5}');
  });
});

describe('values quoted as Go quotes them', () => {
  test('a string as %q writes it', async () => {
    expect(await refused('separator', '{"code":"a\\u2028b"}')).toEqual([
      invalid('spec.code', `Invalid value: "a\\u2028b": spec.code in body should match '^[a-z]*$'`),
    ]);
    expect(await refused('control', '{"code":"a\\u0001<b>"}')).toEqual([
      invalid('spec.code', `Invalid value: "a\\x01<b>": spec.code in body should match '^[a-z]*$'`),
    ]);
  });

  test('a list or an object as json.Marshal writes it', async () => {
    expect(await refused('pair', '{"pair":["x<y&z"]}')).toEqual([
      {
        reason: 'FieldValueNotSupported',
        message: 'Unsupported value: ["x\\u003cy\\u0026z"]: supported values: "[\\"a\\",\\"b\\"]"',
        field: 'spec.pair',
      },
    ]);
    // Too few items or properties: the value quoted is their number.
    expect(await refused('names', '{"names":{"a":"<"}}')).toEqual([
      invalid(
        'spec.names',
        'Invalid value: 1: spec.names in body should have at least 2 properties',
      ),
    ]);
    expect(await refused('tags', '{"tags":["x<y&z"]}')).toEqual([
      invalid('spec.tags', 'Invalid value: 1: spec.tags in body should have at least 2 items'),
    ]);
    expect(await refused('choice', '{"choice":{"b":1,"a":"x>y"}}')).toEqual([
      {
        reason: 'FieldValueNotSupported',
        message:
          'Unsupported value: {"a":"x\\u003ey","b":1}: supported values: "{\\"a\\":\\"b\\"}"',
        field: 'spec.choice',
      },
    ]);
  });

  test("an enum's supported values quoted", async () => {
    expect(await refused('level', '{"level":3}')).toEqual([
      {
        reason: 'FieldValueNotSupported',
        message: 'Unsupported value: 3: supported values: "1", "2"',
        field: 'spec.level',
      },
    ]);
    expect(await refused('mode', '{"mode":"d"}')).toEqual([
      {
        reason: 'FieldValueNotSupported',
        message: 'Unsupported value: "d": supported values: "a<b", "c"',
        field: 'spec.mode',
      },
    ]);
  });
});

test("a list type's duplicates come after the other schema causes", async () => {
  expect(await refused('dup', '{"set":["a","a"],"zone":1}')).toEqual([
    {
      reason: 'FieldValueTypeInvalid',
      message: 'Invalid value: "integer": spec.zone in body must be of type string: "integer"',
      field: 'spec.zone',
    },
    { reason: 'FieldValueDuplicate', message: 'Duplicate value: "a"', field: 'spec.set[1]' },
  ]);
});
