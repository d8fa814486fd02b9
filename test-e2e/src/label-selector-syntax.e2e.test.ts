/**
 * Differential: a malformed `labelSelector` is kube-apiserver's 400 with apimachinery's
 * parser's words (the token found and what was expected, or the key or value and its
 * rule); what it accepts (`in ()`, `in` as a value, an empty value) lists. Same requests,
 * same assertions on every backend.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-selector');
  const cm = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'in', labels: { in: 'in' } },
  };
  const res = await raw(e2e.backend.kubeConfig, 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
    body: cm,
  });
  expect(res.status).toBe(201);
});

afterAll(async () => {
  await e2e?.stop();
});

const list = (labelSelector: string) =>
  raw(e2e.backend.kubeConfig, 'GET', `/api/v1/namespaces/${ns}/configmaps`, {
    query: { labelSelector },
  });

test('syntax errors: 400 naming the token found and what was expected', async () => {
  const cases: [string, string][] = [
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['(a)', "found '(', expected: !, identifier, or 'end of string'"],
    ['a,', "found '', expected: identifier after ','"],
    ['a=b,,c', "found ',', expected: identifier after ','"],
    ['a=b=c', "found '=', expected: ',' or 'end of string'"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['x=y)', "found ')', expected: ',' or 'end of string'"],
    ['a in (b)(c)', "found '(', expected: ',' or 'end of string'"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['a=!b', "unable to parse requirement: found '!', expected: identifier"],
    ['a in b,c', "unable to parse requirement: found 'b' expected: '('"],
    ['a notin (x', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a in (b c)', "unable to parse requirement: found 'c', expected: ',' or ')'"],
    ['a in ((b))', "unable to parse requirement: found '(', expected: ',', ')' or identifier"],
    ['a>=1', "unable to parse requirement: found '=', expected: identifier"],
    ['ab cd ef', "unable to parse requirement: found 'cd', expected: in, notin, =, ==, !=, gt, lt"],
  ];
  for (const [selector, message] of cases) {
    const res = await list(selector);
    expect(res.status, selector).toBe(400);
    expect(res.json(), selector).toMatchObject({ kind: 'Status', reason: 'BadRequest', message });
  }
});

test('keys and values: the rule they break, with the field path apimachinery gives', async () => {
  const value = 'x'.repeat(64);
  const cases: [string, string | RegExp][] = [
    [
      'a/b/c=d',
      /^unable to parse requirement: <nil>: Invalid value: "a\/b\/c": a valid label key must consist of alphanumeric characters/,
    ],
    [
      'a<1.5',
      `unable to parse requirement: values[0]: Invalid value: "1.5": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    [
      `a=${value}`,
      `unable to parse requirement: values[0][a]: Invalid value: "${value}": must be no more than 63 bytes`,
    ],
    [
      'a in (x,-bad)',
      /^unable to parse requirement: values\[0\]\[a\]: Invalid value: "-bad": a valid label must be an empty string/,
    ],
  ];
  for (const [selector, message] of cases) {
    const res = await list(selector);
    expect(res.status, selector).toBe(400);
    expect(res.json().message, selector).toMatch(message);
  }
});

test('accepted: an empty set, an empty value, in and notin as keys and values', async () => {
  const names = async (selector: string) => {
    const res = await list(selector);
    expect(res.status, selector).toBe(200);
    return res.json().items.map((i: { metadata: { name: string } }) => i.metadata.name);
  };
  expect(await names('in in (in, notin)')).toEqual(['in']);
  expect(await names('in,in notin ()')).toEqual(['in']);
  expect(await names('in in (,)')).toEqual([]);
  expect(await names('in,in!=')).toEqual(['in']);
  expect(await names('in=')).toEqual([]);
});
