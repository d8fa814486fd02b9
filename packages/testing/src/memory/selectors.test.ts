import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLabelSelector } from './label-selector-syntax.js';
import { matchFields, matchLabels, parseFieldSelector, parseFieldTerms } from './selectors.js';

describe('label selectors', () => {
  it('parses equality, set-based and existence requirements', () => {
    expect(parseLabelSelector('a=b,c==d,e!=f')).toEqual([
      { key: 'a', op: 'eq', values: ['b'] },
      { key: 'c', op: 'eq', values: ['d'] },
      { key: 'e', op: 'neq', values: ['f'] },
    ]);
    expect(parseLabelSelector('env in (prod, qa),tier notin (web),x,!y')).toEqual([
      { key: 'env', op: 'in', values: ['prod', 'qa'] },
      { key: 'tier', op: 'notin', values: ['web'] },
      { key: 'x', op: 'exists', values: [] },
      { key: 'y', op: '!exists', values: [] },
    ]);
    expect(parseLabelSelector('example.com/app=web')[0]!.key).toBe('example.com/app');
  });

  it('rejects malformed selectors with a 400', () => {
    for (const bad of ['a in b', 'a=(b)', '=b', 'a b', 'Bad Key=x', 'a>x']) {
      expect(() => parseLabelSelector(bad), bad).toThrow(expect.objectContaining({ code: 400 }));
    }
  });

  it('notin and != match objects without the label, like the real server', () => {
    expect(matchLabels(parseLabelSelector('a!=x'), {})).toBe(true);
    expect(matchLabels(parseLabelSelector('a notin (x)'), undefined)).toBe(true);
    expect(matchLabels(parseLabelSelector('a in (x)'), {})).toBe(false);
  });

  it('an equality selector built from labels always matches those labels', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/);
    const value = fc.stringMatching(/^[a-z0-9]{0,5}$/);
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1 }), (labels) => {
        const sel = Object.entries(labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(',');
        expect(matchLabels(parseLabelSelector(sel), labels)).toBe(true);
        const negated = Object.entries(labels)
          .map(([k, v]) => `${k}!=${v}`)
          .join(',');
        expect(matchLabels(parseLabelSelector(negated), labels)).toBe(false);
      }),
    );
  });
});

describe('field selectors', () => {
  it("translates a view's field names to the stored ones and refuses the others", () => {
    const labels = { 'regarding.name': 'involvedObject.name' };
    expect(parseFieldSelector('regarding.name=x', 'events', [], labels)).toEqual([
      { field: 'involvedObject.name', op: 'eq', value: 'x' },
    ]);
    for (const field of ['involvedObject.name', 'constructor']) {
      expect(() => parseFieldSelector(`${field}=x`, 'events', [], labels)).toThrow(
        `field label not supported: ${field}`,
      );
    }
  });

  it('matches metadata.name and metadata.namespace, refuses unknown fields', () => {
    const sel = parseFieldSelector('metadata.name=a,metadata.namespace!=kube-system', 'configmaps');
    expect(matchFields(sel, { metadata: { name: 'a', namespace: 'default' } })).toBe(true);
    expect(matchFields(sel, { metadata: { name: 'a', namespace: 'kube-system' } })).toBe(false);
    expect(() => parseFieldSelector('spec.x=1', 'configmaps')).toThrow(
      expect.objectContaining({ code: 400 }),
    );
    expect(parseFieldSelector('status.phase=Running', 'pods')).toHaveLength(1);
  });
});

describe('field selector syntax', () => {
  it('splits terms at unescaped commas, sorts them and unescapes values', () => {
    expect(parseFieldTerms('b!=x\\,y,a==1,,c=\\=')).toEqual([
      { field: 'a', op: 'eq', value: '1' },
      { field: 'b', op: 'neq', value: 'x,y' },
      { field: 'c', op: 'eq', value: '=' },
    ]);
    expect(parseFieldTerms('')).toEqual([]);
  });

  it("refuses with Go's words a term without an operator and bad escapes", () => {
    const refusal = (s: string) => {
      try {
        parseFieldTerms(s);
      } catch (e) {
        return (e as Error).message;
      }
      return undefined;
    };
    expect(refusal('a=1,b')).toBe("invalid selector: 'a=1,b'; can't understand 'b'");
    expect(refusal('a=b=c')).toBe('invalid field selector: unescaped character in value: 61');
    expect(refusal('a=x\\y')).toBe('invalid field selector: invalid escape sequence: \\y');
    expect(refusal('a=x\\')).toBe('invalid field selector: invalid escape sequence: \\');
  });
});
