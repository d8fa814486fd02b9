/**
 * CRD validation rules (`x-kubernetes-validations`, CEL) against the backend: the same
 * 422 bodies (message, cause reasons and fields) for failing rules, `message`,
 * `messageExpression`, `reason`, `fieldPath`, transition rules (`oldSelf`,
 * `optionalOldSelf`), the Kubernetes library (`quantity`, lists, regex, `optional`), CEL
 * rules that do not compile and schema properties without a type (422 on the CRD), and
 * `selectableFields` in field selectors.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CRDS, installCrd, namespacedCrd } from './crd-install.js';
import { printedRule } from './printed-rule.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const group = `cel${uniqueSuffix()}.e2e.kube-ts.dev`;

function crdOf(plural: string, kind: string, spec: unknown, version: Record<string, unknown> = {}) {
  return namespacedCrd(
    group,
    kind,
    {
      subresources: { status: {} },
      ...version,
      schema: {
        openAPIV3Schema: {
          type: 'object',
          'x-kubernetes-validations': [
            { rule: "self.metadata.name != 'rootbad'", message: 'root name bad' },
          ],
          properties: {
            spec,
            status: {
              type: 'object',
              properties: { bad: { type: 'integer' } },
              'x-kubernetes-validations': [{ rule: '!has(self.bad)', message: 'status bad' }],
            },
          },
        },
      },
    },
    plural,
  );
}

const has = (f: string) => `!has(self.name) || self.name != '${f}'`;
const spec = {
  type: 'object',
  'x-kubernetes-validations': [
    { rule: 'self.replicas <= self.max', message: 'replicas too high' },
    { rule: "!has(self.name) || self.name.startsWith('a')" },
    { rule: has('msgexpr'), messageExpression: "'name ' + self.name + ' is bad'" },
    { rule: has('empty'), messageExpression: "''", message: 'fallback msg' },
    { rule: has('forbid'), reason: 'FieldValueForbidden', fieldPath: '.name', message: 'no' },
    { rule: has('req'), reason: 'FieldValueRequired', message: 'required thing' },
    { rule: has('dup'), reason: 'FieldValueDuplicate', message: 'dup thing' },
    { rule: `${has('err')} || self.missing == 'x'` },
    { rule: "self.?name.orValue('') != 'opt'", message: 'optional hit' },
    {
      rule: "!has(self.mem) || quantity(self.mem).compareTo(quantity('1Gi')) <= 0",
      message: 'mem too big',
    },
    { rule: '!has(self.l) || self.l.isSorted()', message: 'not sorted' },
    { rule: '!has(self.l) || self.l.sum() < 100', message: 'sum too big' },
    { rule: "!has(self.name) || self.name.matches('^[a-z]+$')", message: 'not lowercase' },
    { rule: `${has('ratio')} || self.ratio > 1.5`, message: 'ratio' },
  ],
  properties: {
    replicas: { type: 'integer' },
    max: { type: 'integer' },
    name: { type: 'string' },
    mem: { type: 'string' },
    missing: { type: 'string' },
    ratio: { type: 'number' },
    l: { type: 'array', items: { type: 'integer' } },
    items: {
      type: 'array',
      items: {
        type: 'string',
        'x-kubernetes-validations': [{ rule: 'self.size() < 3', message: 'item too long' }],
      },
    },
    m: {
      type: 'object',
      additionalProperties: {
        type: 'string',
        'x-kubernetes-validations': [{ rule: "self != 'x'", message: 'no x' }],
      },
    },
    imm: {
      type: 'string',
      'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'imm is immutable' }],
    },
    tr: {
      type: 'object',
      properties: { v: { type: 'integer' } },
      'x-kubernetes-validations': [
        { rule: 'self.v >= oldSelf.v', message: 'v may not decrease' },
        { rule: 'self.v != 7', message: 'not seven' },
      ],
    },
    opt: {
      type: 'string',
      'x-kubernetes-validations': [
        { rule: "oldSelf.hasValue() || self == 'first'", optionalOldSelf: true, message: 'first' },
      ],
    },
    rl: {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['k'],
      items: {
        type: 'object',
        required: ['k'],
        properties: { k: { type: 'string' }, v: { type: 'integer' } },
        'x-kubernetes-validations': [{ rule: 'self.v >= oldSelf.v', message: 'rl v decreased' }],
      },
    },
  },
};

const base = () => `/apis/${group}/v1/namespaces/${ns}/things`;
const thing = (name: string, s: Record<string, unknown>) => ({
  apiVersion: `${group}/v1`,
  kind: 'Thing',
  metadata: { name },
  spec: { replicas: 1, max: 3, ...s },
});
const MERGE = 'application/merge-patch+json';

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('cel');
  const crd = crdOf('things', 'Thing', spec, {
    selectableFields: [{ jsonPath: '.spec.name' }, { jsonPath: '.spec.replicas' }],
  });
  await installCrd(e2e, crd, base());
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
});

/** The 422's message (without the `Thing.<group> "<name>" is invalid: ` head) and causes. */
async function rejection(method: string, path: string, body: unknown, contentType?: string) {
  const r = await raw(e2e.backend.kubeConfig, method, path, { body, contentType });
  const s = r.json();
  const head = `Thing.${group} "${s.details?.name}" is invalid: `;
  return {
    status: r.status,
    message: String(s.message).startsWith(head) ? String(s.message).slice(head.length) : s.message,
    causes: (s.details?.causes ?? []).map(
      (c: { field: string; reason: string; message: string }) =>
        `${c.field} | ${c.reason} | ${c.message}`,
    ),
  };
}

/** Installs a CRD of `spec` (at `plural`, kind `kind`) in this suite's group. */
async function installKind(plural: string, kind: string, spec: unknown) {
  await installCrd(e2e, crdOf(plural, kind, spec), `/apis/${group}/v1/namespaces/${ns}/${plural}`);
}

/** Creates a `kind` object named `name` with `spec` at `plural`. */
function createObject(plural: string, kind: string, name: string, spec: unknown) {
  return raw(e2e.backend.kubeConfig, 'POST', `/apis/${group}/v1/namespaces/${ns}/${plural}`, {
    body: { apiVersion: `${group}/v1`, kind, metadata: { name }, spec },
  });
}

const NOPREFIX =
  "spec | FieldValueInvalid | Invalid value: failed rule: !has(self.name) || self.name.startsWith('a')";

describe('failing rules are 422 with the rule message, reason and field', () => {
  test('a valid object is created', async () => {
    const ok = thing('ok', {
      name: 'abc',
      mem: '512Mi',
      l: [1, 2],
      items: ['a'],
      m: { a: 'y' },
      imm: 'x',
      tr: { v: 1 },
      opt: 'first',
      rl: [{ k: 'a', v: 1 }],
    });
    const r = await raw(e2e.backend.kubeConfig, 'POST', base(), { body: ok });
    expect(r.status).toBe(201);
  });

  test.each<[string, Record<string, unknown>, string[]]>([
    ['toohigh', { replicas: 5 }, ['spec | FieldValueInvalid | Invalid value: replicas too high']],
    ['noprefix', { name: 'bcd' }, [NOPREFIX]],
    [
      'msgexpr',
      { name: 'msgexpr' },
      [NOPREFIX, 'spec | FieldValueInvalid | Invalid value: name msgexpr is bad'],
    ],
    [
      'empty',
      { name: 'empty' },
      [NOPREFIX, 'spec | FieldValueInvalid | Invalid value: fallback msg'],
    ],
    ['forbid', { name: 'forbid' }, [NOPREFIX, 'spec.name | FieldValueForbidden | Forbidden: no']],
    [
      'req',
      { name: 'req' },
      [NOPREFIX, 'spec | FieldValueRequired | Required value: required thing'],
    ],
    ['dup', { name: 'dup' }, [NOPREFIX, 'spec | FieldValueDuplicate | Duplicate value']],
    [
      'err',
      { name: 'err' },
      [
        NOPREFIX,
        `spec | FieldValueInvalid | Invalid value: "object": no such key: missing evaluating rule: !has(self.name) || self.name != 'err' || self.missing == 'x'`,
      ],
    ],
    ['opt', { name: 'opt' }, [NOPREFIX, 'spec | FieldValueInvalid | Invalid value: optional hit']],
    ['mem', { mem: '2Gi' }, ['spec | FieldValueInvalid | Invalid value: mem too big']],
    [
      'badmem',
      { mem: 'lots' },
      [
        `spec | FieldValueInvalid | Invalid value: "object": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' evaluating rule: mem too big`,
      ],
    ],
    ['sorted', { l: [3, 1] }, ['spec | FieldValueInvalid | Invalid value: not sorted']],
    ['sum', { l: [60, 70] }, ['spec | FieldValueInvalid | Invalid value: sum too big']],
    ['upper', { name: 'aBC' }, ['spec | FieldValueInvalid | Invalid value: not lowercase']],
    [
      'ratio',
      { name: 'ratio', ratio: 1.2 },
      [NOPREFIX, 'spec | FieldValueInvalid | Invalid value: ratio'],
    ],
    [
      'items',
      { items: ['abc', 'a', 'defg'] },
      [
        'spec.items[0] | FieldValueInvalid | Invalid value: "abc": item too long',
        'spec.items[2] | FieldValueInvalid | Invalid value: "defg": item too long',
      ],
    ],
    [
      'map',
      { m: { k1: 'x', k2: 'y' } },
      ['spec.m[k1] | FieldValueInvalid | Invalid value: "x": no x'],
    ],
    [
      'optfirst',
      { opt: 'second' },
      ['spec.opt | FieldValueInvalid | Invalid value: "second": first'],
    ],
    ['seven', { tr: { v: 7 } }, ['spec.tr | FieldValueInvalid | Invalid value: not seven']],
    [
      'blocking',
      { replicas: 'x', name: 'bcd' },
      [
        'spec.replicas | FieldValueTypeInvalid | Invalid value: "string": spec.replicas in body must be of type integer: "string"',
        '<nil> | FieldValueInvalid | Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
      ],
    ],
    ['rootbad', {}, ['<nil> | FieldValueInvalid | Invalid value: root name bad']],
  ])('create %s', async (name, s, causes) => {
    const r = await rejection('POST', base(), thing(name, s));
    expect(r.status).toBe(422);
    expect(r.causes).toEqual(causes);
    const lines = causes.map((c) => c.replace(/ \| [A-Za-z]+ \| /, ': '));
    expect(r.message).toBe(lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`);
  });

  test('several failing rules in one node are reported in order, before the nodes below', async () => {
    const r = await rejection(
      'POST',
      base(),
      thing('multi', { replicas: 9, name: 'Zed', items: ['abcd'] }),
    );
    expect(r.causes).toEqual([
      'spec | FieldValueInvalid | Invalid value: replicas too high',
      NOPREFIX,
      'spec | FieldValueInvalid | Invalid value: not lowercase',
      'spec.items[0] | FieldValueInvalid | Invalid value: "abcd": item too long',
    ]);
  });
});

describe('transition rules see the stored object', () => {
  test.each<[string, Record<string, unknown>, string]>([
    [
      'immutable field',
      { imm: 'y' },
      'spec.imm | FieldValueInvalid | Invalid value: "y": imm is immutable',
    ],
    ['object', { tr: { v: 0 } }, 'spec.tr | FieldValueInvalid | Invalid value: v may not decrease'],
    [
      'map-list item correlated by key (a new key has no oldSelf)',
      {
        rl: [
          { k: 'a', v: 0 },
          { k: 'b', v: 0 },
        ],
      },
      'spec.rl[0] | FieldValueInvalid | Invalid value: rl v decreased',
    ],
  ])('%s', async (_label, patch, cause) => {
    const r = await rejection('PATCH', `${base()}/ok`, { spec: patch }, MERGE);
    expect(r.status).toBe(422);
    expect(r.causes).toEqual([cause]);
  });

  test('optionalOldSelf: the create-only condition does not hold back updates', async () => {
    const r = await raw(e2e.backend.kubeConfig, 'PATCH', `${base()}/ok`, {
      body: { spec: { opt: 'third' } },
      contentType: MERGE,
    });
    expect(r.status).toBe(200);
    expect(r.json().spec.opt).toBe('third');
  });

  test('a status write runs the status rules', async () => {
    const r = await rejection('PATCH', `${base()}/ok/status`, { status: { bad: 1 } }, MERGE);
    expect(r.causes).toEqual(['status | FieldValueInvalid | Invalid value: status bad']);
  });

  test('server-side apply runs them too', async () => {
    const r = await rejection(
      'PATCH',
      `${base()}/ok?fieldManager=e2e&force=true`,
      {
        apiVersion: `${group}/v1`,
        kind: 'Thing',
        metadata: { name: 'ok' },
        spec: { replicas: 10 },
      },
      'application/apply-patch+yaml',
    );
    expect(r.causes).toEqual(['spec | FieldValueInvalid | Invalid value: replicas too high']);
  });
});

describe('selectableFields', () => {
  test.each([
    ['spec.name=abc', 200, ['ok']],
    ['spec.replicas=1', 200, ['ok']],
    ['spec.name=zzz', 200, []],
  ])('fieldSelector=%s', async (selector, status, names) => {
    const r = await raw(e2e.backend.kubeConfig, 'GET', base(), {
      query: { fieldSelector: selector },
    });
    expect(r.status).toBe(status);
    expect(r.json().items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(
      names,
    );
  });

  test('a field that is not selectable is a 400', async () => {
    const r = await raw(e2e.backend.kubeConfig, 'GET', base(), {
      query: { fieldSelector: 'spec.max=3' },
    });
    expect(r.status).toBe(400);
    expect(r.json().message).toBe('field label not supported: spec.max');
  });
});

describe('CRDs the server refuses', () => {
  async function crdCauses(crd: unknown): Promise<string[]> {
    const r = await raw(e2e.backend.kubeConfig, 'POST', CRDS, { body: crd });
    expect(r.status).toBe(422);
    return r
      .json()
      .details.causes.map((c: { field: string; reason: string }) => `${c.field} | ${c.reason}`);
  }

  test('a schema property without a type', async () => {
    const r = await raw(e2e.backend.kubeConfig, 'POST', CRDS, {
      body: crdOf('notypes', 'NoType', { type: 'object', properties: { a: { description: 'x' } } }),
    });
    expect(r.status).toBe(422);
    expect(r.json().details.causes).toEqual([
      {
        reason: 'FieldValueRequired',
        message: 'Required value: must not be empty for specified object fields',
        field: 'spec.validation.openAPIV3Schema.properties[spec].properties[a].type',
      },
    ]);
  });

  test('rules that do not parse or do not give a bool, messageExpressions that give no string', async () => {
    const rules = [
      { rule: 'self.a ==' },
      { rule: 'self.a.size()' },
      { rule: 'true', messageExpression: '1' },
      // A rule's first failure is its only one: its messageExpression is not checked and
      // it has no cost, nor does it read oldSelf.
      { rule: 'self.a ==', messageExpression: 'self.a +' },
      { rule: 'self.a', messageExpression: 'self.nope' },
      { rule: 'self.nope == 1', messageExpression: "self.names.join(', ')" },
      { rule: 'self.names.map(x, self.names.map(y, x + y))' },
      { rule: 'oldSelf.hasValue() == 1', optionalOldSelf: true },
    ];
    const causes = await crdCauses(
      crdOf('badrules', 'BadRule', {
        type: 'object',
        properties: { a: { type: 'string' }, names: { type: 'array', items: { type: 'string' } } },
        'x-kubernetes-validations': rules,
      }),
    );
    const at = 'spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations';
    expect(causes).toEqual([
      `${at}[0].rule | FieldValueInvalid`,
      `${at}[1].rule | FieldValueInvalid`,
      `${at}[2].messageExpression | FieldValueInvalid`,
      `${at}[3].rule | FieldValueInvalid`,
      `${at}[4].rule | FieldValueInvalid`,
      `${at}[5].rule | FieldValueInvalid`,
      `${at}[6].rule | FieldValueInvalid`,
      `${at}[7].rule | FieldValueInvalid`,
      `${at}[7].optionalOldSelf | FieldValueInvalid`,
    ]);
  });

  test("a rule that gives no bool: kube-apiserver's words, and nothing about its messageExpression or cost", async () => {
    const rules = [
      { rule: 'self.a', messageExpression: 'self.nope' },
      { rule: 'self.names.map(x, self.names.map(y, x + y))' },
    ];
    const r = await raw(e2e.backend.kubeConfig, 'POST', CRDS, {
      body: crdOf('nobools', 'NoBool', {
        type: 'object',
        properties: { a: { type: 'string' }, names: { type: 'array', items: { type: 'string' } } },
        'x-kubernetes-validations': rules,
      }),
    });
    expect(r.status).toBe(422);
    const at = 'spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations';
    expect(r.json().details.causes).toEqual(
      rules.map((rule, i) => ({
        reason: 'FieldValueInvalid',
        field: `${at}[${i}].rule`,
        message: `Invalid value: ${printedRule(rule.rule, rule.messageExpression)}: cel expression must evaluate to a bool`,
      })),
    );
  });

  test('a rule or messageExpression typed dyn is refused; optionalOldSelf set to false needs oldSelf too', async () => {
    const rules = [
      { rule: 'dyn(true)' },
      { rule: 'self.any', messageExpression: "dyn('x')" },
      { rule: "self.a == 'x'", messageExpression: "dyn('x')" },
      { rule: "self.a == 'x'", optionalOldSelf: false },
      { rule: 'self.a == oldSelf.a', optionalOldSelf: false },
    ];
    const r = await raw(e2e.backend.kubeConfig, 'POST', CRDS, {
      body: crdOf('dynrules', 'DynRule', {
        type: 'object',
        properties: {
          a: { type: 'string' },
          any: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
        'x-kubernetes-validations': rules,
      }),
    });
    expect(r.status).toBe(422);
    const at = 'spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations';
    const invalid = (rule: string, messageExpression = '') =>
      `Invalid value: ${printedRule(rule, messageExpression)}`;
    expect(r.json().details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: `${at}[0].rule`,
        message: `${invalid('dyn(true)')}: cel expression must evaluate to a bool`,
      },
      {
        reason: 'FieldValueInvalid',
        field: `${at}[1].rule`,
        message: `${invalid('self.any', "dyn('x')")}: cel expression must evaluate to a bool`,
      },
      {
        reason: 'FieldValueInvalid',
        field: `${at}[2].messageExpression`,
        message: `${invalid("self.a == 'x'", "dyn('x')")}: messageExpression must evaluate to a string`,
      },
      {
        reason: 'FieldValueInvalid',
        field: `${at}[3].optionalOldSelf`,
        message: 'Invalid value: false: may not be set if oldSelf is not used in rule',
      },
    ]);
  });

  test("rules checked against the schema's types: undefined fields, operand types, mixed literals outside format", async () => {
    const rules = [
      { rule: "self.b == 'x'" },
      { rule: "self.n > 'a'" },
      { rule: "[1, 'a'].size() > 0" },
      { rule: "{'a': 1, 'b': 'x'}.size() > 0" },
      { rule: "self.items.all(i, i.kk != '')" },
      { rule: "self.m['a'].w > 0" },
      { rule: "'%s %d'.format([self.a, self.n]) != ''" },
      {
        rule: '[self.n, 1].size() > 0 && self.items.all(i, i.k != "") && self.m.all(k, self.m[k].v > 0)',
      },
      { rule: 'true', messageExpression: 'self.nope' },
      // Presence tests: the tested field at the `(` of `has(`, an inner one at its `.`.
      { rule: 'has(self.nope)' },
      { rule: 'self.items.all(i, has(i.k) && has(i.kk))' },
      { rule: "has(self.a) && has(self.m.x) || self.a == ''" },
      { rule: 'has(self.nope.x)' },
      // Calls and macros in cel-go's words, at the call's `(`.
      { rule: 'self.a.startsWith(1)' },
      { rule: 'self.a.nope()' },
      { rule: 'self.items.all(1, true)' },
    ];
    const r = await raw(e2e.backend.kubeConfig, 'POST', CRDS, {
      body: crdOf('typedrules', 'TypedRule', {
        type: 'object',
        properties: {
          a: { type: 'string' },
          n: { type: 'integer' },
          items: {
            type: 'array',
            items: { type: 'object', properties: { k: { type: 'string' } } },
          },
          m: {
            type: 'object',
            additionalProperties: { type: 'object', properties: { v: { type: 'integer' } } },
          },
        },
        'x-kubernetes-validations': rules,
      }),
    });
    expect(r.status).toBe(422);
    const at = 'spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations';
    const failed = (i: number, what: 'rule' | 'messageExpression', column: number, why: string) => {
      const rule = rules[i] as { rule: string; messageExpression?: string };
      const printed = printedRule(rule.rule, rule.messageExpression);
      const expr = what === 'rule' ? rule.rule : (rule.messageExpression ?? '');
      const head = what === 'rule' ? 'compilation failed' : 'messageExpression compilation failed';
      return {
        reason: 'FieldValueInvalid',
        field: `${at}[${i}].${what}`,
        message: `Invalid value: ${printed}: ${head}: ERROR: <input>:1:${column}: ${why}\n | ${expr}\n | ${'.'.repeat(column - 1)}^`,
      };
    };
    const col = (i: number, text: string) => (rules[i]?.rule ?? '').indexOf(text) + 1;
    expect(r.json().details.causes).toEqual([
      failed(0, 'rule', col(0, '.b'), "undefined field 'b'"),
      failed(
        1,
        'rule',
        col(1, '>'),
        "found no matching overload for '_>_' applied to '(int, string)'",
      ),
      failed(2, 'rule', col(2, "'a'"), "expected type 'int' but found 'string'"),
      failed(3, 'rule', col(3, "'x'"), "expected type 'int' but found 'string'"),
      failed(4, 'rule', col(4, '.kk'), "undefined field 'kk'"),
      failed(5, 'rule', col(5, '.w'), "undefined field 'w'"),
      failed(8, 'messageExpression', 5, "undefined field 'nope'"),
      failed(9, 'rule', 4, "undefined field 'nope'"),
      failed(10, 'rule', col(10, '(i.kk'), "undefined field 'kk'"),
      failed(12, 'rule', col(12, '.nope'), "undefined field 'nope'"),
      failed(
        13,
        'rule',
        col(13, '('),
        "found no matching overload for 'startsWith' applied to 'string.(int)'",
      ),
      failed(14, 'rule', col(14, '('), "undeclared reference to 'nope' (in container '')"),
      failed(15, 'rule', col(15, '1, true'), 'argument must be a simple name'),
    ]);
  });

  test("every error of a rule, methods on dyn values and syntax errors, in cel-go's words", async () => {
    // Each rule and cel-go's errors for it: the 1-based column and the words.
    const cases: [string, [number, string][]][] = [
      [
        "self.a.startsWith(1) || self.b == 'x'",
        [
          [18, "found no matching overload for 'startsWith' applied to 'string.(int)'"],
          [29, "undefined field 'b'"],
        ],
      ],
      [
        '[1].all(x)',
        [
          [8, "undeclared reference to 'all' (in container '')"],
          [9, "undeclared reference to 'x' (in container '')"],
        ],
      ],
      [
        'self.v.startsWith(1)',
        [[18, "found no matching overload for 'startsWith' applied to 'dyn.(int)'"]],
      ],
      [
        "self.v.contains(1) || self.v.replace(1, 'x') == ''",
        [
          [16, "found no matching overload for 'contains' applied to 'dyn.(int)'"],
          [37, "found no matching overload for 'replace' applied to 'dyn.(int, string)'"],
        ],
      ],
      ['self.a.b == 1', [[7, "type 'string' does not support field selection"]]],
      [
        "'%d'.format([self.a]) == '' || '%s'.format([1, 2]) == ''",
        [
          [
            18,
            'error during formatting: decimal clause can only be used on integers, was given string',
          ],
          [43, 'too many arguments supplied to string.format (expected 1, got 2)'],
        ],
      ],
      // CRD rules have no cel.bind: kube-apiserver's base environment has no bindings extension.
      [
        'cel.bind(x, self.a, x == 1)',
        [
          [1, "undeclared reference to 'cel' (in container '')"],
          [9, "undeclared reference to 'bind' (in container '')"],
          [10, "undeclared reference to 'x' (in container '')"],
          [21, "undeclared reference to 'x' (in container '')"],
        ],
      ],
      ["self.a == 'x' #", [[15, "Syntax error: token recognition error at: '#'"]]],
      ["self.a 'x'", [[8, "Syntax error: extraneous input ''x'' expecting <EOF>"]]],
      [
        'self.a[]',
        [
          [
            8,
            "Syntax error: mismatched input ']' expecting {'[', '{', '(', '.', '-', '!', '?', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}",
          ],
        ],
      ],
      [
        '[self.a b, c].size() == 2',
        [
          [9, "Syntax error: extraneous input 'b' expecting {']', ','}"],
          [12, "Syntax error: extraneous input 'c' expecting ']'"],
        ],
      ],
      [
        'self.`a`().size() > 0',
        [
          [6, "unsupported syntax: '`'"],
          [9, "Syntax error: mismatched input '(' expecting <EOF>"],
        ],
      ],
      [
        '[self.a,,self.a].size() == 2',
        [
          [9, "Syntax error: mismatched input ',' expecting ']'"],
          [16, "Syntax error: mismatched input ']' expecting <EOF>"],
        ],
      ],
      [
        'size(self.a[1, 2]) == 1',
        [
          [14, "Syntax error: missing ']' at ','"],
          [17, "Syntax error: extraneous input ']' expecting ')'"],
        ],
      ],
      [
        "self.a[self.a[1, 2]] == 'x'",
        [
          [16, "Syntax error: mismatched input ',' expecting ']'"],
          [20, "Syntax error: mismatched input ']' expecting <EOF>"],
        ],
      ],
      [".has(self.a) || self.a == 'x'", [[5, "undeclared reference to '.has' (in container '')"]]],
      [
        "self.a[,] == 'x'",
        [
          [
            8,
            "Syntax error: mismatched input ',' expecting {'[', '{', '(', '.', '-', '!', '?', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}",
          ],
        ],
      ],
      [
        '[self.a, self.a].size() = 2',
        [
          [25, "Syntax error: token recognition error at: '= '"],
          [27, "Syntax error: extraneous input '2' expecting <EOF>"],
        ],
      ],
      [
        "self.a == 'x' ? true ? : false",
        [[22, "Syntax error: extraneous input '?' expecting ':'"]],
      ],
      [
        '!]',
        [
          [
            2,
            "Syntax error: extraneous input ']' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}",
          ],
        ],
      ],
      [
        "self.a.? == 'x'",
        [
          [10, "Syntax error: mismatched input '==' expecting {IDENTIFIER, ESC_IDENTIFIER}"],
          [10, 'unsupported ident kind'],
        ],
      ],
      ['.true == self.a', [[2, "Syntax error: mismatched input 'true' expecting IDENTIFIER"]]],
      [
        'nosuch.foo(y, 1, y == 1)',
        [
          [1, "undeclared reference to 'nosuch' (in container '')"],
          [11, "undeclared reference to 'foo' (in container '')"],
          [12, "undeclared reference to 'y' (in container '')"],
          [18, "undeclared reference to 'y' (in container '')"],
        ],
      ],
      [
        "'a'.startsWith(nosuch, 1)",
        [
          [15, "found no matching overload for 'startsWith' applied to 'string.(!error!, int)'"],
          [16, "undeclared reference to 'nosuch' (in container '')"],
        ],
      ],
    ];
    const rules = cases.map(([rule]) => ({ rule }));
    const r = await raw(e2e.backend.kubeConfig, 'POST', CRDS, {
      body: crdOf('manyerrors', 'ManyError', {
        type: 'object',
        properties: { a: { type: 'string' }, v: { 'x-kubernetes-int-or-string': true } },
        'x-kubernetes-validations': rules,
      }),
    });
    expect(r.status, r.text).toBe(422);
    const at = 'spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations';
    expect(r.json().details.causes).toEqual(
      cases.map(([rule, errors], i) => {
        const printed = printedRule(rule);
        const listed = errors.map(
          ([column, why]) =>
            `ERROR: <input>:1:${column}: ${why}\n | ${rule}\n | ${'.'.repeat(column - 1)}^`,
        );
        return {
          reason: 'FieldValueInvalid',
          field: `${at}[${i}].rule`,
          message: `Invalid value: ${printed}: compilation failed: ${listed.join('\n')}`,
        };
      }),
    );
  });

  test("rules whose estimated cost exceeds kube-apiserver's budget, alone or together", async () => {
    const r = await raw(e2e.backend.kubeConfig, 'POST', CRDS, {
      body: crdOf('costly', 'Costly', {
        type: 'object',
        properties: {
          names: { type: 'array', items: { type: 'string' } },
          counts: { type: 'array', items: { type: 'integer' } },
          short: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 10 } },
          words: { type: 'array', maxItems: 1100000, items: { type: 'string', maxLength: 10 } },
          ports: {
            type: 'array',
            maxItems: 25000,
            items: {
              type: 'object',
              properties: {
                name: { type: 'string', maxLength: 15 },
                aliases: { type: 'array', maxItems: 40, items: { type: 'string', maxLength: 15 } },
              },
              // Cheap once, but it runs for each of up to 25000 items.
              'x-kubernetes-validations': [{ rule: 'self.aliases.all(a, a != self.name)' }],
            },
          },
        },
        'x-kubernetes-validations': [
          // Quadratic over a list only the request size bounds.
          { rule: 'self.names.all(x, self.names.all(y, x == y))' },
          { rule: 'self.counts.map(x, x * 2).size() > 0' },
          // The same, bounded by maxItems and maxLength: accepted.
          { rule: 'self.short.all(x, self.short.all(y, x == y))' },
          { rule: 'self.words.all(x, x.lowerAscii() == x)' },
          { rule: 'true', messageExpression: "self.names.join(', ')" },
        ],
      }),
    });
    const at = 'spec.validation.openAPIV3Schema.properties[spec]';
    const hint =
      ' (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)';
    const over = (field: string, what: string, factor: string) => ({
      reason: 'FieldValueForbidden',
      field,
      message: `Forbidden: ${what} exceeds budget by factor of ${factor}${hint}`,
    });
    const contributed = (field: string) => ({
      reason: 'FieldValueForbidden',
      field,
      message:
        'Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema',
    });
    const rule = (i: number) => `${at}.x-kubernetes-validations[${i}].rule`;
    const message = `${at}.x-kubernetes-validations[4].messageExpression`;
    expect(r.status).toBe(422);
    expect(r.json().details.causes).toEqual([
      over(
        `${at}.properties[ports].items.x-kubernetes-validations[0].rule`,
        'estimated rule cost',
        '1.207500x',
      ),
      over(rule(0), 'estimated rule cost', 'more than 100x'),
      over(rule(1), 'estimated rule cost', '2.2x'),
      over(rule(3), 'estimated rule cost', '1.430000x'),
      over(message, 'estimated messageExpression cost', 'more than 100x'),
      // The four most expensive, most expensive first.
      contributed(rule(0)),
      contributed(message),
      contributed(rule(1)),
      contributed(rule(3)),
      over(
        'spec.validation.openAPIV3Schema',
        'x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema',
        'more than 100x',
      ),
    ]);
  });

  test('the estimated cost of comprehensions over a map (its keys, values, map and filter)', async () => {
    const map = (values: object) => ({
      type: 'object',
      properties: { m: { type: 'object', maxProperties: 2000000, additionalProperties: values } },
    });
    const str = { type: 'string' };
    const cases: [object, string, string][] = [
      [map(str), 'self.m.all(k, self.m[k] != k)', '1.6x'],
      [map({ type: 'object', properties: { x: str } }), 'self.m.all(k, self.m[k].x != k)', '1.8x'],
      [map({ type: 'integer' }), 'self.m.all(k, self.m[k] != 0)', '1.400000x'],
      [map(str), 'self.m.exists_one(k, self.m[k] == k)', '1.400000x'],
      [map(str), "self.m.map(k, k + 'x').size() > 0", '2.8x'],
      [map(str), "self.m.filter(k, k == 'x').size() > 0", '2.8x'],
      [map({ type: 'string', maxLength: 5 }), 'self.m.all(k, self.m[k] == self.m[k])', '2.6x'],
    ];
    const hint =
      ' (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)';
    const refusals: string[] = [];
    for (const [i, [spec, rule]] of cases.entries()) {
      const r = await raw(e2e.backend.kubeConfig, 'POST', CRDS, {
        body: crdOf(`maprules${i}`, `MapRule${i}`, {
          ...spec,
          'x-kubernetes-validations': [{ rule }],
        }),
      });
      const causes = r.json().details?.causes ?? [];
      refusals.push(
        `${r.status} ${causes.map((c: { field: string; message: string }) => `${c.field}: ${c.message}`).join('; ')}`,
      );
    }
    const at = 'spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule';
    expect(refusals).toEqual(
      cases.map(
        ([, , factor]) =>
          `422 ${at}: Forbidden: estimated rule cost exceeds budget by factor of ${factor}${hint}`,
      ),
    );
  });

  test('selectable fields that are no string, integer or boolean field', async () => {
    const causes = await crdCauses(
      crdOf(
        'badsels',
        'BadSel',
        { type: 'object', properties: { a: { type: 'object' } } },
        {
          selectableFields: [{ jsonPath: '.spec.a' }, { jsonPath: '.spec.zz' }],
        },
      ),
    );
    expect(causes).toEqual([
      'spec.selectableFields[0].jsonPath | FieldValueInvalid',
      'spec.selectableFields[1].jsonPath | FieldValueInvalid',
    ]);
  });
});

test("has() of a field of an indexed value compiles and tests the field, as cel-go's has() does", async () => {
  const plural = 'presences';
  const item = { type: 'object', properties: { v: { type: 'string' }, n: { type: 'integer' } } };
  const schema = {
    type: 'object',
    properties: {
      m: { type: 'object', additionalProperties: item },
      l: { type: 'array', items: item },
    },
    'x-kubernetes-validations': [
      { rule: 'self.m.all(k, has(self.m[k].v))', message: 'every m has v' },
      { rule: '!has(self.l) || self.l.size() == 0 || !has(self.l[0].n)', message: 'no n first' },
    ],
  };
  // The field must be one the indexed value's type declares.
  const refused = await raw(e2e.backend.kubeConfig, 'POST', CRDS, {
    query: { dryRun: 'All' },
    body: crdOf('badpresences', 'BadPresence', {
      ...schema,
      'x-kubernetes-validations': [{ rule: "has(self.m['a'].nope)" }],
    }),
  });
  expect(refused.status).toBe(422);
  expect(refused.json().details.causes.map((c: { message: string }) => c.message)).toEqual([
    `Invalid value: {"Rule":"has(self.m['a'].nope)","Message":"","MessageExpression":"","Reason":null,"FieldPath":"","OptionalOldSelf":null}: compilation failed: ERROR: <input>:1:4: undefined field 'nope'\n | has(self.m['a'].nope)\n | ...^`,
  ]);
  await installKind(plural, 'Presence', schema);
  const create = (name: string, spec: object) => createObject(plural, 'Presence', name, spec);
  const ok = await create('ok', { m: { a: { v: 'x' } }, l: [{ v: 'y' }, { n: 1 }] });
  expect(ok.status, ok.text).toBe(201);
  const bad = await create('bad', { m: { a: { v: 'x' }, b: { n: 1 } }, l: [{ n: 1 }] });
  expect(bad.status).toBe(422);
  expect(bad.json().details.causes).toEqual([
    { reason: 'FieldValueInvalid', field: 'spec', message: 'Invalid value: every m has v' },
    { reason: 'FieldValueInvalid', field: 'spec', message: 'Invalid value: no n first' },
  ]);
});

describe('runtime cost', () => {
  test('a rule whose call costs more than 1,000,000 is cancelled and no further rule runs', async () => {
    const plural = 'pairs';
    await installKind(plural, 'Pair', {
      type: 'object',
      properties: {
        l: { type: 'array', maxItems: 1000, items: { type: 'integer' } },
        s: { type: 'string', maxLength: 10 },
      },
      'x-kubernetes-validations': [
        // 5n² + 6n + 3 when it runs: 997,259 for 446 items, 1,001,730 for 447.
        { rule: 'self.l.all(x, self.l.all(y, x >= 0))', message: 'quadratic' },
        { rule: "self.s != 'x'", message: 'second' },
      ],
    });
    const create = async (items: number) => {
      const l = Array.from({ length: items }, (_, i) => i);
      const r = await createObject(plural, 'Pair', `p${items}`, { l, s: 'x' });
      expect(r.status).toBe(422);
      return r.json().details.causes;
    };
    expect(await create(446)).toEqual([
      { reason: 'FieldValueInvalid', field: 'spec', message: 'Invalid value: second' },
    ]);
    expect(await create(447)).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec',
        message:
          'Invalid value: "object": \'operation cancelled: actual cost limit exceeded\': no further validation rules will be run due to call cost exceeds limit for rule: quadratic',
      },
    ]);
  });
});

describe('two-variable comprehensions (cel-go ext.TwoVarComprehensions)', () => {
  const at = 'spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations';
  const str = { type: 'string', maxLength: 10 };
  const twoVarSpec = (rules: object[], maxItems = 10) => ({
    type: 'object',
    properties: {
      l: { type: 'array', maxItems, items: { type: 'integer' } },
      m: { type: 'object', maxProperties: maxItems, additionalProperties: str },
      n: { type: 'integer' },
    },
    'x-kubernetes-validations': rules,
  });

  test('all, exists, existsOne, transformList, transformMap and transformMapEntry over lists and maps', async () => {
    const plural = 'twovars';
    const rules = [
      { rule: '!has(self.l) || self.l.all(i, x, x >= i)', message: 'all' },
      { rule: '!has(self.l) || !self.l.exists(i, x, x == 100 + i)', message: 'exists' },
      { rule: '!has(self.m) || !self.m.existsOne(k, v, k == v)', message: 'existsOne' },
      { rule: '!has(self.m) || !self.m.exists_one(k, v, v == "one")', message: 'exists_one' },
      {
        rule: '!has(self.l) || self.l.transformList(i, x, x > 5, x * 2).all(y, y < 300)',
        message: 'transformList',
      },
      {
        rule: '!has(self.m) || self.m.transformMap(k, v, v.size()).all(k, self.m[k].size() < 5)',
        message: 'transformMap',
      },
      {
        rule: "!has(self.m) || !('z' in self.m.transformMapEntry(k, v, {v: k}))",
        message: 'transformMapEntry',
      },
      {
        rule: '!has(self.l) || self.l.transformMap(i, x, x)[0] != 7',
        messageExpression: 'string(self.l.transformMap(i, x, x + i).size())',
      },
      {
        rule: "!has(self.m) || self.m.transformList(k, v, k != 'x', k + '=' + v) != ['b=c']",
        message: 'transformList with a filter',
      },
    ];
    await installKind(plural, 'TwoVar', twoVarSpec(rules));
    const create = async (name: string, s: object) => {
      const r = await createObject(plural, 'TwoVar', name, s);
      return `${r.status} ${(r.json().details?.causes ?? []).map((c: { message: string }) => c.message).join('; ')}`;
    };
    expect(await create('ok', { l: [1, 2, 3], m: { a: 'b' }, n: 1 })).toBe('201 ');
    expect(await create('all', { l: [0, 0, 3] })).toBe('422 Invalid value: all');
    expect(await create('exists', { l: [0, 101] })).toBe('422 Invalid value: exists');
    expect(await create('one', { m: { a: 'a', b: 'one' } })).toBe(
      '422 Invalid value: existsOne; Invalid value: exists_one',
    );
    expect(await create('two', { m: { a: 'a', b: 'b' } })).toBe('201 ');
    // transformMapEntry refuses a key given twice.
    expect(await create('dup', { m: { c: 'one', d: 'one' } })).toBe(
      '422 Invalid value: "object": insert failed: key one already exists evaluating rule: transformMapEntry',
    );
    expect(await create('tl', { l: [6, 160] })).toBe('422 Invalid value: transformList');
    expect(await create('tm', { m: { x: 'y', a: 'abcde' } })).toBe(
      '422 Invalid value: transformMap',
    );
    expect(await create('tme', { m: { a: 'z' } })).toBe('422 Invalid value: transformMapEntry');
    expect(await create('msg', { l: [7, 8], m: { x: 'y', a: 'b' } })).toBe('422 Invalid value: 2');
    expect(await create('filter', { m: { x: 'y', b: 'c' } })).toBe(
      '422 Invalid value: transformList with a filter',
    );
  });

  test('the errors kube-apiserver reports when the CRD is written', async () => {
    const rules = [
      { rule: 'self.l.all(i, i, true)' },
      { rule: 'self.l.exists(i.j, x, true)' },
      { rule: 'self.l.all(__result__, x, true)' },
      { rule: 'self.n.all(i, x, true)' },
      { rule: 'self.l.all(i, x, x)' },
      { rule: "self.m.exists(k, v, v + 'a')" },
      { rule: 'self.l.transformList(i, x, x).all(y, y.startsWith(1))' },
      {
        rule: "self.m.transformMap(k, v, v).all(k, k == 1) && self.m.transformMapEntry(k, v, {v: 1}).all(k, k == 'a')",
      },
      { rule: 'self.l.existsOne(i, x, x)' },
      { rule: 'self.l.transformList(i, x, x, x).size() > 0' },
      { rule: 'self.l.transformMapEntry(i, x, x).size() > 0' },
    ];
    const r = await raw(e2e.backend.kubeConfig, 'POST', CRDS, {
      body: crdOf('twovarbads', 'TwoVarBad', twoVarSpec(rules)),
    });
    expect(r.status).toBe(422);
    const causes = (r.json().details?.causes ?? []).map(
      (c: { field: string; message: string }) =>
        `${c.field.slice(at.length)} ${String(c.message).replace(/^Invalid value: \{.*?\}: /, '')}`,
    );
    const failed = (i: number, text: string, why: string, offset = 0) => {
      const rule = rules[i]?.rule ?? '';
      const column = rule.indexOf(text) + 1 + offset;
      return `[${i}].rule compilation failed: ERROR: <input>:1:${column}: ${why}\n | ${rule}\n | ${'.'.repeat(column - 1)}^`;
    };
    expect(causes).toEqual([
      failed(0, 'i, true', 'duplicate variable name: i'),
      failed(1, '.j', 'argument must be a simple name'),
      failed(2, '__result__', 'iteration variable overwrites accumulator variable'),
      failed(
        3,
        '.n',
        "expression of type 'int' cannot be range of a comprehension (must be list, map, or dynamic)",
      ),
      failed(4, 'x)', "expected type 'bool' but found 'int'"),
      failed(5, "+ 'a'", "expected type 'bool' but found 'string'"),
      failed(6, '(1)', "found no matching overload for 'startsWith' applied to 'int.(int)'"),
      failed(7, '== 1', "found no matching overload for '_==_' applied to '(string, int)'"),
      // The expansion's own calls (`_?_:_`, `cel.@mapInsert`) at the macro's `(`.
      failed(8, '(', "found no matching overload for '_?_:_' applied to '(int, int, int)'"),
      failed(
        9,
        '(',
        "found no matching overload for '_?_:_' applied to '(int, list(int), list(int))'",
      ),
      failed(
        10,
        '(',
        "found no matching overload for 'cel.@mapInsert' applied to '(map(dyn, dyn), int)'",
      ),
    ]);
  });

  test('the estimated cost of each macro', async () => {
    const cases = [
      'self.l.all(i, x, x > i)',
      'self.l.exists(i, x, x > i)',
      'self.m.existsOne(k, v, k == v)',
      'self.m.exists_one(k, v, k == v)',
      'self.l.transformList(i, x, x + i).size() > 0',
      'self.l.transformList(i, x, x > 0, x + i).size() > 0',
      "self.m.transformMap(k, v, v + 'x').size() > 0",
      "self.m.transformMap(k, v, k != 'a', v + 'x').size() > 0",
      'self.m.transformMapEntry(k, v, {v: k}).size() > 0',
      'self.m.transformMapEntry(k, v, v != k, {v: k}).size() > 0',
    ];
    const refusals: string[] = [];
    for (const [i, rule] of cases.entries()) {
      const r = await raw(e2e.backend.kubeConfig, 'POST', CRDS, {
        body: crdOf(`twovarcosts${i}`, `TwoVarCost${i}`, twoVarSpec([{ rule }], 3_000_000)),
      });
      // The first cause: the rule's own estimate (the schema's total may follow).
      const causes = (r.json().details?.causes ?? []).slice(0, 1);
      if (r.status === 201)
        await raw(e2e.backend.kubeConfig, 'DELETE', `${CRDS}/twovarcosts${i}.${group}`);
      refusals.push(
        `${r.status} ${causes.map((c: { message: string }) => c.message.replace(/ \(try simplifying.*$/, '')).join('; ')}`,
      );
    }
    const refused = (factor: string) =>
      `422 Forbidden: estimated rule cost exceeds budget by factor of ${factor}`;
    expect(refusals).toEqual(
      [
        '1.8x',
        '2.1x',
        '1.200000x',
        '1.200000x',
        '4.5x',
        '5.1x',
        '2.7x',
        '3.0x',
        '10.2x',
        '10.8x',
      ].map(refused),
    );
  });
});

describe('duration(int)', () => {
  test('raw bytes literals (br\'…\', BR"…") compile and run as cel-go reads them', async () => {
    const plural = 'rawbytes';
    await installKind(plural, 'RawBytes', {
      type: 'object',
      properties: { s: { type: 'string' } },
      'x-kubernetes-validations': [
        { rule: String.raw`string(br'a\d') == 'a\\d'`, message: 'raw' },
        { rule: String.raw`!has(self.s) || self.s != string(BR"x\y")`, message: 'same' },
        // A list's trailing comma, which cel-go's grammar allows (a call's it does not).
        { rule: "[br'a',].size() == 1", message: 'list' },
      ],
    });
    const ok = await createObject(plural, 'RawBytes', 'ok', { s: 'z' });
    expect(ok.status, ok.text).toBe(201);
    const same = await createObject(plural, 'RawBytes', 'same', { s: String.raw`x\y` });
    expect(same.status).toBe(422);
    expect(same.json().details.causes).toEqual([
      { reason: 'FieldValueInvalid', field: 'spec', message: 'Invalid value: same' },
    ]);
  });

  test('a non-literal int compiles and fails when the rule runs, in cel-go words', async () => {
    const plural = 'durations';
    await installKind(plural, 'Duration', {
      type: 'object',
      properties: { n: { type: 'integer' } },
      'x-kubernetes-validations': [
        { rule: "!has(self.n) || duration(self.n) > duration('1s')", message: 'n' },
      ],
    });
    const r = await createObject(plural, 'Duration', 'd', { n: 1 });
    expect(r.status).toBe(422);
    expect(r.json().details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec',
        message:
          "Invalid value: \"object\": type conversion error from 'int' to 'google.protobuf.Duration' evaluating rule: n",
      },
    ]);
  });
});

describe('conversions at run time', () => {
  test("out-of-range conversions fail when the rule runs, in cel-go's words", async () => {
    const plural = 'conversions';
    await installKind(plural, 'Conversion', {
      type: 'object',
      properties: { d: { type: 'number' }, s: { type: 'string' }, t: { type: 'string' } },
      'x-kubernetes-validations': [
        { rule: '!has(self.d) || int(self.d) != 0', message: 'int' },
        {
          rule: "!has(self.s) || timestamp(self.s) > timestamp('2000-01-01T00:00:00Z')",
          message: 'ts',
        },
        { rule: "!has(self.t) || duration(self.t) > duration('0s')", message: 'dur' },
      ],
    });
    const ok = await createObject(plural, 'Conversion', 'ok', {
      d: 1.5,
      s: '2020-01-01T00:00:00.5+01:00',
      t: '1.5h',
    });
    expect(ok.status, ok.text).toBe(201);
    const r = await createObject(plural, 'Conversion', 'bad', {
      d: 1e100,
      s: '0001-01-01T00:00:00+01:00',
      t: '2562048h',
    });
    expect(r.status).toBe(422);
    const invalid = (why: string, rule: string) => ({
      reason: 'FieldValueInvalid',
      field: 'spec',
      message: `Invalid value: "object": ${why} evaluating rule: ${rule}`,
    });
    expect(r.json().details.causes).toEqual([
      invalid('integer overflow', 'int'),
      invalid('timestamp overflow', 'ts'),
      invalid("type conversion error from 'string' to 'google.protobuf.Duration'", 'dur'),
    ]);
  });
});

describe('names read from the root scope', () => {
  test('a leading dot (.self) reads the name itself; an undeclared one is named with its dot', async () => {
    const plural = 'rootnames';
    await installKind(plural, 'RootName', {
      type: 'object',
      properties: { n: { type: 'integer' } },
      'x-kubernetes-validations': [
        {
          rule: '!has(.self.n) || [.self.n][0] == 1',
          messageExpression: ". self.n == 2 ? 'n is 2' : 'n'",
        },
      ],
    });
    expect((await createObject(plural, 'RootName', 'one', { n: 1 })).status).toBe(201);
    const two = await createObject(plural, 'RootName', 'two', { n: 2 });
    expect(two.status).toBe(422);
    expect(two.json().details.causes).toEqual([
      { reason: 'FieldValueInvalid', field: 'spec', message: 'Invalid value: n is 2' },
    ]);
    const r = await raw(e2e.backend.kubeConfig, 'POST', CRDS, {
      body: crdOf('rootnosuches', 'RootNoSuch', {
        type: 'object',
        'x-kubernetes-validations': [{ rule: '.nosuch == 1' }],
      }),
    });
    expect(r.status).toBe(422);
    expect(r.json().details.causes[0].message).toContain(
      "compilation failed: ERROR: <input>:1:2: undeclared reference to '.nosuch' (in container '')\n | .nosuch == 1\n | .^",
    );
  });
});

describe('object type names in messages', () => {
  test("a rule's object types are named as kube-apiserver names them (selfType and the clock's nanoseconds)", async () => {
    const r = await raw(e2e.backend.kubeConfig, 'POST', CRDS, {
      body: crdOf('typenames', 'TypeName', {
        type: 'object',
        properties: {
          o: { type: 'object', properties: { x: { type: 'string' } } },
          l: { type: 'array', items: { type: 'object', properties: { x: { type: 'string' } } } },
          m: {
            type: 'object',
            additionalProperties: { type: 'object', properties: { x: { type: 'string' } } },
          },
          ll: { type: 'array', items: { type: 'array', items: { type: 'object' } } },
        },
        'x-kubernetes-validations': [
          { rule: 'self + 1 == 1' },
          { rule: 'self.o + 1 == 1' },
          { rule: 'self.l[0] + 1 == 1' },
          { rule: "self.m['a'] + 1 == 1" },
          { rule: 'self.l == 1' },
          { rule: 'self.ll[0][0] + 1 == 1' },
        ],
      }),
    });
    expect(r.status).toBe(422);
    const applied = r
      .json()
      .details.causes.map((c: { message: string }) => /applied to '\((.*)\)'/.exec(c.message)?.[1]);
    // A list's items and a map's values are named `.@idx` and `.@elem`.
    expect(applied).toEqual([
      expect.stringMatching(/^selfType\d+, int$/),
      expect.stringMatching(/^selfType\d+\.o, int$/),
      expect.stringMatching(/^selfType\d+\.l\.@idx, int$/),
      expect.stringMatching(/^selfType\d+\.m\.@elem, int$/),
      expect.stringMatching(/^list\(selfType\d+\.l\.@idx\), int$/),
      expect.stringMatching(/^selfType\d+\.ll\.@idx\.@idx, int$/),
    ]);
  });
});
