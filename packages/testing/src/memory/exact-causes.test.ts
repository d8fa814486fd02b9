import { describe, expect, test } from 'vitest';
import { parseKeeping } from './big-integers.js';
import { exactCauses } from './exact-causes.js';

describe('exactCauses', () => {
  test('a cause quotes the literal found at its field path', () => {
    const obj = parseKeeping(
      '{"spec":{"c":[{"n":-9007199254740993}],"m":{"k.x":9007199254740993},"f":9223372036854775808,"s":1234567890123456}}',
    );
    const cause = (field: string, value: string) => ({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${value}: must be small`,
      field,
    });
    expect(
      exactCauses(obj, [
        cause('spec.c[0].n', '-9007199254740992'),
        cause('spec.m[k.x]', '9007199254740992'),
        cause('spec.c[0].n', '9007199254740992'),
        cause('spec.missing', '9007199254740992'),
        cause('spec.f', '9223372036854776000'),
        cause('spec.s', '1234567890123456'),
      ]).map((c) => c.message),
    ).toEqual([
      'Invalid value: -9007199254740993: must be small',
      'Invalid value: 9007199254740993: must be small',
      'Invalid value: 9007199254740992: must be small',
      'Invalid value: 9007199254740992: must be small',
      'Invalid value: 9.223372036854776e+18: must be small',
      'Invalid value: 1234567890123456: must be small',
    ]);
  });
});
