import { describe, expect, test } from 'vitest';
import { parseLabelSelector } from './label-selector-syntax.js';

/** The message of the 400 a selector gets. */
function refusal(selector: string): string {
  try {
    parseLabelSelector(selector);
  } catch (e) {
    expect(e).toMatchObject({ code: 400 });
    return (e as Error).message;
  }
  throw new Error(`${selector} was accepted`);
}

describe('parseLabelSelector', () => {
  test('requirements, values sorted and unique, empty values', () => {
    expect(parseLabelSelector(' a=b , c==d,e!=f,g in (y, x,x),h notin (),!i,j,k>1,l<2,m=')).toEqual(
      [
        { key: 'a', op: 'eq', values: ['b'] },
        { key: 'c', op: 'eq', values: ['d'] },
        { key: 'e', op: 'neq', values: ['f'] },
        { key: 'g', op: 'in', values: ['x', 'y'] },
        { key: 'h', op: 'notin', values: [''] },
        { key: 'i', op: '!exists', values: [] },
        { key: 'j', op: 'exists', values: [] },
        { key: 'k', op: 'gt', values: ['1'] },
        { key: 'l', op: 'lt', values: ['2'] },
        { key: 'm', op: 'eq', values: [''] },
      ],
    );
    expect(parseLabelSelector('in in (in, notin)')).toEqual([
      { key: 'in', op: 'in', values: ['in', 'notin'] },
    ]);
    expect(parseLabelSelector('a in (,b,,)')[0]!.values).toEqual(['', 'b']);
    expect(parseLabelSelector('')).toEqual([]);
  });

  test('syntax errors name the token found and what was expected', () => {
    // More cases, as kube-apiserver answers them: test-e2e/src/label-selector-syntax.e2e.test.ts.
    const cases: [string, string][] = [
      ['a=b c', "found 'c', expected: ',' or 'end of string'"],
      ['!!a', "unable to parse requirement: found '!', expected: identifier"],
      ['a in (!)', "unable to parse requirement: found '!', expected: ',', ')' or identifier"],
      ['a in (b,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
      ['a!b', "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt"],
    ];
    for (const [selector, message] of cases) expect(refusal(selector), selector).toBe(message);
  });

  test('keys and values with their rules', () => {
    expect(refusal('a/b/c=d')).toMatch(
      /^unable to parse requirement: <nil>: Invalid value: "a\/b\/c": a valid label key must /,
    );
    expect(refusal('a<1.5')).toBe(
      `unable to parse requirement: values[0]: Invalid value: "1.5": for 'Gt', 'Lt' operators, the value must be an integer`,
    );
    expect(refusal(`a=${'x'.repeat(64)}`)).toBe(
      `unable to parse requirement: values[0][a]: Invalid value: "${'x'.repeat(64)}": must be no more than 63 bytes`,
    );
    expect(refusal('a in (x,-bad)')).toMatch(
      /^unable to parse requirement: values\[0\]\[a\]: Invalid value: "-bad": a valid label must be/,
    );
    // Two errors are aggregated in brackets.
    expect(refusal('a>x-')).toMatch(
      /^unable to parse requirement: \[values\[0\]: Invalid value: "x-": for 'Gt', 'Lt' operators, the value must be an integer, values\[0\]\[a\]: Invalid value: "x-": a valid label/,
    );
  });
});
