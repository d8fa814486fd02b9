/**
 * Differential: DRA device selectors (`selectors[].cel.expression`) compiled as
 * kube-apiserver's DRA compiler compiles them: the estimated cost of an expression against
 * the 1,000,000 limit as cel-go's estimator computes it with the sizes the API bounds (map
 * keys of 63-character domains and 32-character names, `cel.bind`, a name selected from
 * the outer attribute map unsized), every type error of an expression in cel-go's order and
 * layout, the result types kube-apiserver accepts (`bool` or an attribute's value), and
 * syntax errors as cel-go's ANTLR parser words them (tokens after a whole item in brackets,
 * a conditional without its `:`, a trailing `-`, bad escapes, backquoted names, non-ASCII
 * characters, with cel-go's wide marks under them).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectInvalid, forbidden, invalid } from './invalid-status.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;

beforeAll(async () => {
  e2e = await startE2e();
});

afterAll(async () => {
  await e2e?.stop();
});

const CLASSES = '/apis/resource.k8s.io/v1/deviceclasses';
const kc = () => e2e.backend.kubeConfig;

/**
 * cel-go's layout of one error at a 1-based column (in characters) of a one-line
 * expression: a wide dot under each non-ASCII character before it, a wide caret on one.
 */
function celError(expression: string, column: number, message: string): string {
  const chars = [...expression];
  const wide = (c: string | undefined) => c !== undefined && (c.codePointAt(0) ?? 0) > 0x7f;
  const dots = chars.slice(0, column - 1).map((c) => (wide(c) ? '．' : '.'));
  const caret = wide(chars[column - 1]) ? '＾' : '^';
  return `ERROR: <input>:1:${column}: ${message}\n | ${expression}\n | ${dots.join('')}${caret}`;
}

/** The tokens ANTLR expects where an expression starts, as cel-go lists them. */
const EXPRESSION =
  "{'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}";

/** A selector nested three deep over the attribute map, with `predicate` innermost. */
const nested = (predicate: string) =>
  `device.attributes.all(a, device.attributes[a].all(b, device.attributes.all(c, ${predicate})))`;

const TOO_COMPLEX = 'too complex, exceeds cost limit';

/** Posts a DeviceClass with these selectors; returns its name and the response. */
async function postClass(expressions: string[]) {
  const name = `dc-${uniqueSuffix()}`;
  const selectors = expressions.map((expression) => ({ cel: { expression } }));
  const res = await raw(kc(), 'POST', CLASSES, {
    body: { metadata: { name }, spec: { selectors } },
  });
  if (res.status === 201) e2e.onStop(() => raw(kc(), 'DELETE', `${CLASSES}/${name}`));
  return { name, res };
}

describe('a device selector', () => {
  test("its estimated cost is cel-go's, with map keys sized and cel.bind modelled", async () => {
    // 32 × 32 × 32 iterations of a `startsWith`: 260 characters cost 26 a time (989,443 in
    // all), 261 cost 27 (1,022,211).
    const under = nested(`c.startsWith("${'x'.repeat(260)}")`);
    const over = nested(`c.startsWith("${'x'.repeat(261)}")`);
    // Comparing two domains (keys of up to 63 characters) costs 7: three pass, four do not.
    const keys3 = nested(Array(3).fill('c == a').join(' && '));
    const keys4 = nested(Array(4).fill('c == a').join(' && '));
    const accepted = [
      under,
      keys3,
      // A bound list of at most 32 domains.
      'cel.bind(x, device.attributes.map(d, d), x.all(y, y == "a"))',
      'cel.bind(x, device.driver + device.driver, x.contains("ab"))',
      'cel.bind(a, device.attributes, a.all(d, a[d].all(x, a[d][x] == 1)))',
      'device.capacity["dra.example.com"].memory == quantity("1Gi")',
    ];
    const refused = [
      over,
      keys4,
      nested('a.contains(c)'),
      // A name selected from the outer map has no known size, nor then its entries.
      'device.attributes.x.all(k, k == "a")',
      'device.attributes.x.y.contains("a")',
      // The items of a list literal have no known size.
      '["a", "b"].join(",") == device.driver',
    ];
    const { name, res } = await postClass([...accepted, ...refused]);
    expectInvalid(
      res,
      `DeviceClass.resource.k8s.io "${name}"`,
      refused.map((_, i) =>
        forbidden(`spec.selectors[${accepted.length + i}].cel.expression`, TOO_COMPLEX),
      ),
    );
    const created = await postClass(accepted);
    expect(created.res.status, created.res.text).toBe(201);
  });

  test('every type error is reported, in place order', async () => {
    const cases: [string, [number, string][]][] = [
      [
        'device.nope || device.driver.nope || 1 == "a"',
        [
          [7, "undefined field 'nope'"],
          [29, "type 'string' does not support field selection"],
          [40, "found no matching overload for '_==_' applied to '(int, string)'"],
        ],
      ],
      [
        'device.driver.startsWith(1) || device.driver.endsWith(2)',
        [
          [25, "found no matching overload for 'startsWith' applied to 'string.(int)'"],
          [54, "found no matching overload for 'endsWith' applied to 'string.(int)'"],
        ],
      ],
      [
        '!device.nope && !device.driver',
        [
          [8, "undefined field 'nope'"],
          [17, "found no matching overload for '!_' applied to '(string)'"],
        ],
      ],
      [
        'cel.bind(x, device.nope, x.y == 1 && device.nope2)',
        [
          [19, "undefined field 'nope'"],
          [44, "undefined field 'nope2'"],
        ],
      ],
      // A failing operand takes any type: `+ 1` makes it an int, compared with a string.
      // A literal pattern that does not compile, once the expression checks.
      ['device.driver.matches("(")', [[23, 'invalid matches argument']]],
      [
        'device.nope + 1 == "a"',
        [
          [7, "undefined field 'nope'"],
          [17, "found no matching overload for '_==_' applied to '(int, string)'"],
        ],
      ],
    ];
    const { name, res } = await postClass(cases.map(([e]) => e));
    expectInvalid(
      res,
      `DeviceClass.resource.k8s.io "${name}"`,
      cases.map(([expression, errors], i) =>
        invalid(
          `spec.selectors[${i}].cel.expression`,
          JSON.stringify(expression),
          `compilation failed: ${errors.map(([column, message]) => celError(expression, column, message)).join('\n')}`,
        ),
      ),
    );
  });

  test("an attribute's value is accepted as a result, a dyn is not", async () => {
    const accepted = [
      'true ? device.attributes["a"].b : false',
      'cel.bind(d, device.attributes["a"], d.b)',
      '[device.attributes["a"].b][0]',
      'device.attributes["a"].?b.orValue(true)',
    ];
    const refused = [
      '-device.attributes["a"].b',
      'device.attributes.a.b + device.attributes.a.c',
      'cel.bind(d, device.attributes["a"], -d.b)',
    ];
    const { name, res } = await postClass([...accepted, ...refused]);
    expectInvalid(
      res,
      `DeviceClass.resource.k8s.io "${name}"`,
      refused.map((e, i) =>
        invalid(
          `spec.selectors[${accepted.length + i}].cel.expression`,
          JSON.stringify(e),
          'must evaluate to bool or the unknown type, not dyn',
        ),
      ),
    );
    const created = await postClass(accepted);
    expect(created.res.status, created.res.text).toBe(201);
  });

  test("syntax errors in cel-go's words, places and order", async () => {
    const cases: [string, [number, string][]][] = [
      ['f(device.driver "a")', [[17, `Syntax error: extraneous input '"a"' expecting ')'`]]],
      [
        '[device.driver, "a" "b"].size() > 0',
        [[21, `Syntax error: extraneous input '"b"' expecting {']', ','}`]],
      ],
      [
        'device.driver == "a" ? true',
        [[28, "Syntax error: mismatched input '<EOF>' expecting ':'"]],
      ],
      ['device.driver == "a" ? true false', [[29, "Syntax error: missing ':' at 'false'"]]],
      [
        'device.driver == -',
        [
          [19, "Syntax error: no viable alternative at input '-'"],
          [19, `Syntax error: mismatched input '<EOF>' expecting ${EXPRESSION}`],
        ],
      ],
      [
        'device.driver == "\\q"',
        [
          [18, `Syntax error: token recognition error at: '"\\q'`],
          [21, `Syntax error: token recognition error at: '"'`],
          [22, `Syntax error: mismatched input '<EOF>' expecting ${EXPRESSION}`],
        ],
      ],
      [
        '`driver` == device.driver',
        [[1, `Syntax error: mismatched input '\`driver\`' expecting ${EXPRESSION}`]],
      ],
      ['device.`driver` == "a"', [[8, "unsupported syntax: '`'"]]],
      ['device.driver == "é" #', [[22, "Syntax error: token recognition error at: '#'"]]],
      [
        'é == device.driver',
        [
          [1, "Syntax error: token recognition error at: 'é'"],
          [3, `Syntax error: extraneous input '==' expecting ${EXPRESSION}`],
        ],
      ],
      ['device.driver == "é" && device.nope', [[31, "undefined field 'nope'"]]],
      // A method on an attribute's value (cel-go's unknown type) with no fitting overload.
      [
        'device.attributes["a"].b.startsWith(1) || device.driver.startsWith(1)',
        [
          [36, "found no matching overload for 'startsWith' applied to 'any.(int)'"],
          [67, "found no matching overload for 'startsWith' applied to 'string.(int)'"],
        ],
      ],
    ];
    const valid = [
      'device.driver == "\\u00e9\\x41\\101\\n"',
      'device.driver == r"a\\q"',
      'device.driver == """abc"""',
      "device.driver == '''a'''",
      'b"abc" == b"abc"',
      String.raw`br'a\d' == b'a\\d' && bR"x" == b"x"`,
    ];
    const { name, res } = await postClass([...valid, ...cases.map(([e]) => e)]);
    expectInvalid(
      res,
      `DeviceClass.resource.k8s.io "${name}"`,
      cases.map(([expression, errors], i) =>
        invalid(
          `spec.selectors[${valid.length + i}].cel.expression`,
          JSON.stringify(expression),
          `compilation failed: ${errors.map(([column, message]) => celError(expression, column, message)).join('\n')}`,
        ),
      ),
    );
  });
  test('two-variable comprehensions are compiled: typed, costed and refused as cel-go does', async () => {
    const nested2 = (predicate: string) =>
      `device.attributes.all(a, x, x.all(b, y, device.attributes.exists(c, z, ${predicate})))`;
    const accepted = [
      'device.attributes.all(domain, attrs, attrs.all(name, value, name != ""))',
      'device.attributes["dra.example.com"].exists(k, v, k == "model" && v == "a")',
      'device.attributes.existsOne(d, a, d == "dra.example.com")',
      'device.attributes.exists_one(d, a, a.size() == 1)',
      'device.attributes.transformList(d, a, a.size()).sum() > 0',
      'device.capacity.transformMap(d, c, d != "", c.size()).all(d, n, n > 0)',
      'device.attributes.transformMapEntry(d, a, {d: a.size()}).size() > 0',
      // A `startsWith` of 250 characters innermost is accepted, 251 is not.
      nested2(`c.startsWith("${'x'.repeat(250)}")`),
    ];
    const refused = [nested2(`c.startsWith("${'x'.repeat(251)}")`)];
    const invalidOnes: [string, [number, string][]][] = [
      ['device.attributes.all(d, d, true)', [[26, 'duplicate variable name: d']]],
      [
        'device.driver.all(i, c, true) || device.attributes.all(d, a, d)',
        [
          [
            7,
            "expression of type 'string' cannot be range of a comprehension (must be list, map, or dynamic)",
          ],
          [62, "expected type 'bool' but found 'string'"],
        ],
      ],
      [
        'device.attributes.transformList(d, a, d, 1).size() > 0 || device.nope',
        [
          [
            32,
            "found no matching overload for '_?_:_' applied to '(string, list(int), list(int))'",
          ],
          [65, "undefined field 'nope'"],
        ],
      ],
    ];
    const { name, res } = await postClass([
      ...accepted,
      ...refused,
      ...invalidOnes.map(([e]) => e),
    ]);
    expectInvalid(res, `DeviceClass.resource.k8s.io "${name}"`, [
      ...refused.map((_, i) =>
        forbidden(`spec.selectors[${accepted.length + i}].cel.expression`, TOO_COMPLEX),
      ),
      ...invalidOnes.map(([expression, errors], i) =>
        invalid(
          `spec.selectors[${accepted.length + refused.length + i}].cel.expression`,
          JSON.stringify(expression),
          `compilation failed: ${errors.map(([column, message]) => celError(expression, column, message)).join('\n')}`,
        ),
      ),
    ]);
    const created = await postClass(accepted);
    expect(created.res.status, created.res.text).toBe(201);
  });
});
