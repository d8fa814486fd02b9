import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { secretRules } from './secret.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

const ctx = { group: '', create: true };

describe('secretRules', () => {
  test('defaults: stringData folded into data (winning), type Opaque, base64 normalized', () => {
    const s: JsonObject = { data: { a: b64('old'), n: 'YWJj\nZGVm' }, stringData: { a: 'new' } };
    secretRules.defaults!(s, true);
    expect(s).toEqual({ data: { a: b64('new'), n: b64('abcdef') }, type: 'Opaque' });
  });

  test('validate: key names, total size, keys of typed secrets', () => {
    expect(secretRules.validate!({ type: 'Opaque', data: { 'bad key': '' } }, ctx)).toMatchObject([
      { field: 'data[bad key]', reason: 'FieldValueInvalid' },
    ]);
    const big = Buffer.alloc(1024 * 1024 + 1).toString('base64');
    expect(secretRules.validate!({ type: 'Opaque', data: { a: big } }, ctx)).toEqual([
      {
        reason: 'FieldValueTooLong',
        message: 'Too long: may not be more than 1048576 bytes',
        field: 'data',
      },
    ]);
    expect(
      secretRules.validate!({ type: 'kubernetes.io/tls', data: {} }, ctx).map((c) => c.field),
    ).toEqual(['data[tls.crt]', 'data[tls.key]']);
  });

  test('validateUpdate: type is immutable; immutable: true freezes data and itself', () => {
    expect(secretRules.validateUpdate!({ type: 'b' }, { type: 'a' }, ctx)).toMatchObject([
      { field: 'type', message: 'Invalid value: "b": field is immutable' },
    ]);
    const prev = { type: 'Opaque', immutable: true, data: { a: b64('1') } };
    expect(
      secretRules.validateUpdate!({ type: 'Opaque', data: { a: b64('2') } }, prev, ctx).map(
        (c) => c.field,
      ),
    ).toEqual(['immutable', 'data']);
    expect(secretRules.validateUpdate!({ ...prev }, prev, ctx)).toEqual([]);
  });
});
