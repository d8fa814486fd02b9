import { describe, expect, test } from 'vitest';
import { namespaceRules } from './namespace.js';

const ctx = { group: '', create: false };

describe('namespace spec.finalizers', () => {
  test('standard and domain-qualified names are valid', () => {
    const spec = { finalizers: ['kubernetes', 'orphan', 'example.com/f'] };
    expect(namespaceRules.validate?.({ spec }, ctx)).toEqual([]);
  });

  test('on create every cause is at spec.finalizers, qualified-name causes first', () => {
    const spec = { finalizers: ['a b'] };
    const causes = namespaceRules.validate?.({ spec }, { ...ctx, create: true }) ?? [];
    expect(causes.map((c) => c.field)).toEqual(['spec.finalizers', 'spec.finalizers']);
    expect(causes[0]?.message).toMatch(/^Invalid value: "a b": name part must consist of/);
    expect(causes[1]?.message).toBe(
      'Invalid value: "a b": name is neither a standard finalizer name nor is it fully qualified',
    );
  });

  test('a bare or malformed name is refused with both of kube-apiserver causes', () => {
    const causes = namespaceRules.validate?.({ spec: { finalizers: ['foo', 'a b'] } }, ctx) ?? [];
    expect(causes.map((c) => [c.field, String(c.message).split(':')[1]])).toEqual([
      ['spec.finalizers[0]', ' "foo"'],
      ['spec.finalizers[1]', ' "a b"'],
      ['spec.finalizers[1]', ' "a b"'],
    ]);
    expect(causes[0]?.message).toBe(
      'Invalid value: "foo": name is neither a standard finalizer name nor is it fully qualified',
    );
    expect(causes[1]?.message).toMatch(/^Invalid value: "a b": name part must consist of/);
  });
});
