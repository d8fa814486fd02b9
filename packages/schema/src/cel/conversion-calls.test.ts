import { describe, expect, test } from 'vitest';
import { goDuration } from './conversion-calls.js';
import { evaluatePolicyExpression } from './policy.js';

/** cel-go's refusal of a string it cannot convert to `to`. */
const refused = (to: string) => ({ error: `type conversion error from 'string' to '${to}'` });
const TS = 'google.protobuf.Timestamp';
const DURATION = 'google.protobuf.Duration';

/**
 * Expressions over a string `s` (not constants, so run, not folded) with cel-go v0.26's
 * result for that string (kube-apiserver v1.36.3's CEL), from a cel-go program.
 */
const CEL_GO: [string, string, { value: unknown } | { error: string }][] = [
  ['int(double(s))', '1e100', { error: 'integer overflow' }],
  ['int(double(s))', '-9223372036854775808', { error: 'integer overflow' }],
  ['int(double(s))', '9223372036854774784', { value: 9223372036854774784n }],
  ['int(double(s))', 'NaN', { error: 'integer overflow' }],
  ['int(double(s))', '-1.5', { value: -1n }],
  ['uint(double(s))', '-0.5', { error: 'unsigned integer overflow' }],
  ['uint(double(s))', '18446744073709551615', { error: 'unsigned integer overflow' }],
  ['int(uint(s))', '18446744073709551615', { error: 'integer overflow' }],
  ['int(uint(s))', '9223372036854775807', { value: 9223372036854775807n }],
  ['uint(int(s))', '-1', { error: 'unsigned integer overflow' }],
  ['int(s)', '9223372036854775808', refused('int')],
  ['int(s)', '+5', { value: 5n }],
  ['uint(s)', '+1', refused('uint')],
  ['double(s)', '1e400', refused('double')],
  ['double(s)', '1_0', { value: 10 }],
  ['double(s)', '1__0', refused('double')],
  ['double(s)', '0x1p-2', { value: 0.25 }],
  ['double(s)', '0x10', refused('double')],
  ['bool(s)', 'yes', refused('bool')],
  ["duration(s) == duration('3600000000s')", '1000000h', { value: true }],
  ["duration(s) == duration('0s')", '2562048h', refused(DURATION)],
  ["duration(s) == duration('0s')", '0', { value: true }],
  ["duration(s) == duration('0s')", 's', refused(DURATION)],
  ["duration(s) == duration('1us')", '1μs', { value: true }],
  ["duration(s) == duration('5400s')", '1.5h', { value: true }],
  ['int(timestamp(int(s)))', '253402300800', { error: 'timestamp overflow' }],
  ['int(timestamp(int(s)))', '253402300799', { value: 253402300799n }],
  ['int(timestamp(int(s)))', '-62135596801', { error: 'timestamp overflow' }],
  ['int(timestamp(s))', '10000-01-01T00:00:00Z', refused(TS)],
  ['int(timestamp(s))', '0001-01-01T00:00:00+01:00', { error: 'timestamp overflow' }],
  ['int(timestamp(s))', '2020-01-01T00:00:00.123456789+01:00', { value: 1577833200n }],
  ['int(timestamp(s))', '2020-01-01t00:00:00z', refused(TS)],
  ['int(timestamp(s))', '2020-02-30T00:00:00Z', refused(TS)],
  ['int(timestamp(s))', '2020-01-01T00:00:00,5Z', { value: 1577836800n }],
  ['int(timestamp(s))', '0099-06-01T00:00:00Z', { value: -59029948800n }],
  ['int(s) + 9223372036854775807', '1', { error: 'integer overflow' }],
];

describe("conversions run as cel-go's", () => {
  test.each(CEL_GO)('%s with s = %s', (expression, s, expected) => {
    const e = expression.replaceAll(/\bs\b/g, 'object.data.s');
    const { cost: _, ...result } = evaluatePolicyExpression(e, { object: { data: { s } } });
    expect(result).toEqual(expected);
  });

  test("Go's time.ParseDuration bounds", () => {
    expect(goDuration('-9223372036854775808ns')).toBe(-(2n ** 63n));
    expect(goDuration('9223372036854775808ns')).toBeUndefined();
    expect(goDuration('1.0000000005s')).toBe(1_000_000_000n);
    expect(goDuration('1h1h')).toBe(7_200_000_000_000n);
    expect(goDuration('.5s')).toBe(500_000_000n);
    expect(goDuration('1.s')).toBe(1_000_000_000n);
    for (const bad of ['', '-', '.s', '1', '1x', '1e3s'])
      expect(goDuration(bad), bad).toBeUndefined();
  });
});
