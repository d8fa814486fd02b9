import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldSelector, labelSelector, renderSelector } from './selectors.js';

describe('labelSelector', () => {
  it('renders every operator in the API syntax', () => {
    const s = labelSelector()
      .eq('app', 'web')
      .notEq('env', 'dev')
      .in('tier', ['a', 'b'])
      .notIn('zone', ['x'])
      .exists('example.com/owned')
      .doesNotExist('legacy');
    expect(s.toString()).toBe(
      'app=web,env!=dev,tier in (a,b),zone notin (x),example.com/owned,!legacy',
    );
    expect(String(s)).toBe(s.toString());
  });

  it('starts from matchLabels and is immutable', () => {
    const base = labelSelector({ app: 'web', tier: 'fe' });
    const more = base.exists('x');
    expect(base.toString()).toBe('app=web,tier=fe');
    expect(more.toString()).toBe('app=web,tier=fe,x');
    expect(labelSelector().toString()).toBe('');
  });

  it.each([
    ['bad key', () => labelSelector().eq('a b', 'x')],
    ['bad value', () => labelSelector().eq('a', 'x,y')],
    ['bad prefix', () => labelSelector().exists('Bad_Prefix/a')],
    ['empty in', () => labelSelector().in('a', [])],
    ['key too long', () => labelSelector().exists('a'.repeat(64))],
  ])('rejects %s', (_name, build) => {
    expect(build).toThrow(TypeError);
  });

  it('matches() follows the API semantics', () => {
    const labels = { app: 'web', tier: 'a' };
    expect(labelSelector().matches(labels)).toBe(true);
    expect(labelSelector().eq('app', 'web').matches(labels)).toBe(true);
    expect(labelSelector().eq('app', 'db').matches(labels)).toBe(false);
    expect(labelSelector().notEq('missing', 'x').matches(labels)).toBe(true);
    expect(labelSelector().in('tier', ['a', 'b']).matches(labels)).toBe(true);
    expect(labelSelector().in('missing', ['a']).matches(labels)).toBe(false);
    expect(labelSelector().notIn('missing', ['a']).matches(labels)).toBe(true);
    expect(labelSelector().notIn('tier', ['a']).matches(labels)).toBe(false);
    expect(labelSelector().exists('app').doesNotExist('x').matches(labels)).toBe(true);
    expect(labelSelector().doesNotExist('app').matches(labels)).toBe(false);
    expect(labelSelector().exists('app').matches(undefined)).toBe(false);
  });

  it('eq() matches exactly the objects with that label value (property)', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
    fc.assert(
      fc.property(fc.dictionary(word, word), word, word, (labels, k, v) => {
        expect(labelSelector().eq(k, v).matches(labels)).toBe(labels[k] === v);
        expect(labelSelector().notEq(k, v).matches(labels)).toBe(labels[k] !== v);
      }),
    );
  });
});

describe('fieldSelector', () => {
  it('renders and escapes values', () => {
    expect(
      fieldSelector().eq('metadata.name', 'a').notEq('status.phase', 'Running').toString(),
    ).toBe('metadata.name=a,status.phase!=Running');
    expect(fieldSelector().eq('spec.x', 'a,b=c\\d').toString()).toBe('spec.x=a\\,b\\=c\\\\d');
  });

  it('rejects a field that is not a path', () => {
    expect(() => fieldSelector().eq('a=b', 'x')).toThrow(TypeError);
  });
});

describe('renderSelector', () => {
  it('accepts strings, builders and undefined', () => {
    expect(renderSelector('a=b')).toBe('a=b');
    expect(renderSelector(labelSelector().eq('a', 'b'))).toBe('a=b');
    expect(renderSelector(fieldSelector().eq('metadata.name', 'b'))).toBe('metadata.name=b');
    expect(renderSelector(undefined)).toBeUndefined();
  });
});
