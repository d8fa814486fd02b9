/**
 * Differential: a custom resource's numeric bounds (`maximum`, `minimum`, `multipleOf`)
 * that do not fit the property's type and format, or that are fractional in a `number`
 * property checked with an integer. kube-openapi range-checks each bound as it checks the
 * value: one that does not fit (`1.5` of an `integer`, `3e9` of an `int32`) is reported
 * without a field (`Maximum boundary value must be of type …`), whatever the value, and
 * compared as a float64; one that fits is truncated to an int64 when the value is a JSON
 * integer (`maximum: 1.5` of a `number` is `1` for `2`, `multipleOf: 0.5` is `0`).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installCrd, namespacedCrd } from './crd-install.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;

const group = `bounds${uniqueSuffix()}.e2e.kube-ts.dev`;
const kc = () => e2e.backend.kubeConfig;
const meters = () => `/apis/${group}/v1/namespaces/${ns}/meters`;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-bounds');
  const spec = {
    type: 'object',
    properties: {
      half: { type: 'integer', maximum: 1.5 },
      low: { type: 'integer', minimum: -1.5, exclusiveMinimum: true },
      step: { type: 'integer', multipleOf: 1.5 },
      small: { type: 'integer', format: 'int32', maximum: 3000000000 },
      share: { type: 'number', maximum: 1.5, minimum: 0.5 },
      part: { type: 'number', multipleOf: 0.5 },
    },
  };
  await installCrd(
    e2e,
    namespacedCrd(group, 'Meter', {
      schema: { openAPIV3Schema: { type: 'object', properties: { spec } } },
    }),
    meters(),
  );
});

afterAll(async () => {
  await e2e?.stop();
});

let n = 0;
/** Creates a Meter with `spec` as written; its status and causes (none when created). */
async function create(spec: string): Promise<{ status: number; causes: unknown[] }> {
  const body = `{"apiVersion":"${group}/v1","kind":"Meter","metadata":{"name":"m${n++}"},"spec":${spec}}`;
  const res = await raw(kc(), 'POST', meters(), { body });
  return { status: res.status, causes: res.status === 201 ? [] : res.json().details.causes };
}

const invalid = (field: string, message: string) => ({
  reason: 'FieldValueInvalid',
  message,
  field,
});
/** The range error of a bound, reported without a field. */
const boundary = (what: string, type: string, field: string) =>
  invalid('<nil>', `Invalid value: "": ${what} value must be of type ${type} in ${field}`);

describe("a bound that does not fit the property's type", () => {
  test('is reported whatever the value, and compared as written', async () => {
    const max = boundary('Maximum boundary', 'integer (default format)', 'spec.half');
    expect(await create('{"half":1}')).toEqual({ status: 422, causes: [max] });
    expect(await create('{"half":2}')).toEqual({
      status: 422,
      causes: [
        max,
        invalid(
          'spec.half',
          'Invalid value: 2: spec.half in body should be less than or equal to 1.5',
        ),
      ],
    });
    const min = boundary('Minimum boundary', 'integer (default format)', 'spec.low');
    expect(await create('{"low":-1}')).toEqual({ status: 422, causes: [min] });
    expect(await create('{"low":-2}')).toEqual({
      status: 422,
      causes: [
        min,
        invalid('spec.low', 'Invalid value: -2: spec.low in body should be greater than -1.5'),
      ],
    });
    const factor = boundary('MultipleOf', 'integer (default format)', 'spec.step');
    expect(await create('{"step":3}')).toEqual({ status: 422, causes: [factor] });
    expect(await create('{"step":2}')).toEqual({
      status: 422,
      causes: [
        factor,
        invalid('spec.step', 'Invalid value: 2: spec.step in body should be a multiple of 1.5'),
      ],
    });
    const int32 = boundary('Maximum boundary', 'integer with format int32', 'spec.small');
    expect(await create('{"small":5}')).toEqual({ status: 422, causes: [int32] });
  });
});

describe('a fractional bound of a number checked with an integer', () => {
  test('is truncated to an int64, and printed so', async () => {
    expect(await create('{"share":1}')).toEqual({ status: 201, causes: [] });
    expect(await create('{"share":2}')).toEqual({
      status: 422,
      causes: [
        invalid(
          'spec.share',
          'Invalid value: 2: spec.share in body should be less than or equal to 1',
        ),
      ],
    });
    // 0 is not below the truncated minimum 0; 0.25 is below 0.5.
    expect(await create('{"share":0}')).toEqual({ status: 201, causes: [] });
    expect(await create('{"share":0.25}')).toEqual({
      status: 422,
      causes: [
        invalid(
          'spec.share',
          'Invalid value: 0.25: spec.share in body should be greater than or equal to 0.5',
        ),
      ],
    });
    expect(await create('{"share":2.0}')).toEqual({
      status: 422,
      causes: [
        invalid(
          'spec.share',
          'Invalid value: 2: spec.share in body should be less than or equal to 1.5',
        ),
      ],
    });
    // A factor truncated to 0 refuses every integer; a float is checked against 0.5.
    expect(await create('{"part":1.5}')).toEqual({ status: 201, causes: [] });
    expect(await create('{"part":3}')).toEqual({
      status: 422,
      causes: [
        invalid(
          'spec.part',
          'Invalid value: 0: factor MultipleOf declared for spec.part must be positive: 0',
        ),
      ],
    });
  });
});
