import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ObjectRef } from './object-ref.js';

describe('ObjectRef', () => {
  it('from() takes apiVersion, kind, namespace and name', () => {
    const ref = ObjectRef.from({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'prod' },
    });
    expect(ref).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'prod',
      name: 'web',
    });
  });

  it('from() leaves namespace out for cluster-scoped objects', () => {
    expect(ObjectRef.from({ kind: 'Namespace', metadata: { name: 'a' } })).toEqual({
      kind: 'Namespace',
      name: 'a',
    });
  });

  it('from() rejects an object without a name', () => {
    expect(() => ObjectRef.from({ kind: 'Pod', metadata: { generateName: 'x-' } })).toThrow(
      /no metadata.name/,
    );
  });

  it('parse() reads ns/name and name', () => {
    expect(ObjectRef.parse('ns/a')).toEqual({ namespace: 'ns', name: 'a' });
    expect(ObjectRef.parse('a')).toEqual({ name: 'a' });
  });

  it.each(['', '/', 'a/', '/a', 'a/b/c'])('parse() rejects %j', (text) => {
    expect(() => ObjectRef.parse(text)).toThrow(TypeError);
  });

  it('key() and parse() are inverses', () => {
    const part = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,20}$/);
    fc.assert(
      fc.property(fc.option(part, { nil: undefined }), part, (namespace, name) => {
        const ref = namespace ? { namespace, name } : { name };
        expect(ObjectRef.parse(ObjectRef.key(ref))).toEqual(ref);
      }),
    );
  });

  it('key() ignores kind and apiVersion; empty namespace is cluster scope', () => {
    expect(ObjectRef.key({ kind: 'Pod', apiVersion: 'v1', namespace: 'n', name: 'p' })).toBe('n/p');
    expect(ObjectRef.key({ namespace: '', name: 'p' })).toBe('p');
  });

  it('format() names the kind and group', () => {
    expect(
      ObjectRef.format({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'n', name: 'w' }),
    ).toBe('Deployment.apps/n/w');
    expect(ObjectRef.format({ apiVersion: 'v1', kind: 'Namespace', name: 'n' })).toBe(
      'Namespace/n',
    );
    expect(ObjectRef.format({ namespace: 'n', name: 'w' })).toBe('n/w');
  });

  it('equals() compares namespace and name, and kind/apiVersion when both have them', () => {
    expect(ObjectRef.equals({ name: 'a' }, { namespace: '', name: 'a' })).toBe(true);
    expect(ObjectRef.equals({ namespace: 'x', name: 'a' }, { namespace: 'y', name: 'a' })).toBe(
      false,
    );
    expect(ObjectRef.equals({ kind: 'Pod', name: 'a' }, { name: 'a' })).toBe(true);
    expect(ObjectRef.equals({ kind: 'Pod', name: 'a' }, { kind: 'Service', name: 'a' })).toBe(
      false,
    );
    expect(
      ObjectRef.equals({ apiVersion: 'v1', name: 'a' }, { apiVersion: 'apps/v1', name: 'a' }),
    ).toBe(false);
  });
});
