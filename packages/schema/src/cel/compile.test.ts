import { expect, test } from 'vitest';
import { checkCelRules } from './compile.js';

test('rules that do not compile are reported with the rule as kube-apiserver prints it', () => {
  const problems = checkCelRules({
    type: 'object',
    properties: {
      a: {
        type: 'string',
        'x-kubernetes-validations': [
          { rule: 'self ==' },
          { rule: 'self.size()' },
          { rule: 'self == oldSelf', message: 'ok' },
          { rule: 'true', optionalOldSelf: true },
          { rule: 'true', messageExpression: '1' },
        ],
      },
    },
  });
  const at = 'openAPIV3Schema.properties[a].x-kubernetes-validations';
  expect(problems.map((p) => p.field)).toEqual([
    `${at}[0].rule`,
    `${at}[1].rule`,
    `${at}[3].optionalOldSelf`,
    `${at}[4].messageExpression`,
  ]);
  expect(problems[0]?.message).toMatch(
    /^Invalid value: \{"Rule":"self ==","Message":"","MessageExpression":"","Reason":null,"FieldPath":"","OptionalOldSelf":null\}: compilation failed: ERROR: <input>:1:8: /,
  );
  expect(problems[1]?.message).toContain('cel expression must evaluate to a bool');
  expect(problems[2]?.message).toBe(
    'Invalid value: true: may not be set if oldSelf is not used in rule',
  );
  expect(problems[3]?.message).toContain('messageExpression must evaluate to a string');
});

test('a literal find or findAll pattern Go refuses fails when the program is made', () => {
  const problems = checkCelRules({
    type: 'string',
    'x-kubernetes-validations': [
      { rule: "self.findAll('a**').size() == 0" },
      { rule: 'true', messageExpression: "self.find('(?i')" },
    ],
  });
  const at = 'openAPIV3Schema.x-kubernetes-validations';
  expect(problems.map((p) => `${p.field}: ${p.message.replace(/^.*\}: /, '')}`)).toEqual([
    `${at}[0].rule: program instantiation failed: error parsing regexp: invalid nested repetition operator: \`**\``,
    `${at}[1].messageExpression: messageExpression instantiation failed: error parsing regexp: invalid or unsupported Perl syntax: \`(?i\``,
  ]);
});

test("a rule's first failure is its only one: no messageExpression check, cost or oldSelf use after it", () => {
  const problems = checkCelRules({
    type: 'object',
    properties: {
      a: { type: 'string' },
      names: { type: 'array', items: { type: 'string' } },
    },
    'x-kubernetes-validations': [
      { rule: 'self.a ==', messageExpression: 'self.a +' },
      { rule: 'self.a', messageExpression: 'self.nope' },
      { rule: 'self.nope == 1', messageExpression: "self.names.join(', ')" },
      { rule: 'self.names.map(x, self.names.map(y, x + y))' },
      { rule: 'oldSelf.hasValue() == 1', optionalOldSelf: true },
    ],
  });
  const at = 'openAPIV3Schema.x-kubernetes-validations';
  expect(
    problems.map((p) => `${p.field}: ${p.message.replace(/^Invalid value: \{.*?\}: /, '')}`),
  ).toEqual([
    expect.stringMatching(/\[0\]\.rule: compilation failed: ERROR: <input>:1:10: Syntax error/),
    `${at}[1].rule: cel expression must evaluate to a bool`,
    expect.stringMatching(
      /\[2\]\.rule: compilation failed: ERROR: <input>:1:5: undefined field 'nope'/,
    ),
    `${at}[3].rule: cel expression must evaluate to a bool`,
    expect.stringMatching(
      /\[4\]\.rule: compilation failed: ERROR: <input>:1:20: found no matching overload for '_==_' applied to '\(bool, int\)'/,
    ),
    `${at}[4].optionalOldSelf: Invalid value: true: may not be set if oldSelf is not used in rule`,
  ]);
});

test("a list's items and a map's values are typed <type>.@idx and <type>.@elem, as kube-apiserver names them", () => {
  const item = { type: 'object', properties: { x: { type: 'string' } } } as const;
  const problems = checkCelRules({
    type: 'object',
    properties: {
      l: { type: 'array', items: item },
      m: { type: 'object', additionalProperties: item },
      ll: { type: 'array', items: { type: 'array', items: item } },
    },
    'x-kubernetes-validations': [
      { rule: 'self.l[0] + 1 == 1' },
      { rule: "self.m['a'] + 1 == 1" },
      { rule: 'self.ll[0][0] + 1 == 1' },
      { rule: 'self.l == 1' },
    ],
  });
  // kube-apiserver v1.36.3's messages for these rules (the number is its clock's nanoseconds).
  expect(problems.map((p) => /applied to '\((.*)\)'/.exec(p.message)?.[1])).toEqual([
    expect.stringMatching(/^selfType\d+\.l\.@idx, int$/),
    expect.stringMatching(/^selfType\d+\.m\.@elem, int$/),
    expect.stringMatching(/^selfType\d+\.ll\.@idx\.@idx, int$/),
    expect.stringMatching(/^list\(selfType\d+\.l\.@idx\), int$/),
  ]);
});

test(".has(…) is no macro to cel-go but a call of an undeclared function '.has'", () => {
  const problems = checkCelRules({
    type: 'object',
    properties: { a: { type: 'string' } },
    'x-kubernetes-validations': [{ rule: '.has(x)' }, { rule: "self.a == '' && .has(self)" }],
  });
  // cel-go v0.26's errors for these expressions.
  expect(problems.map((p) => p.message.replace(/^.*compilation failed: /s, ''))).toEqual([
    `ERROR: <input>:1:5: undeclared reference to '.has' (in container '')
 | .has(x)
 | ....^
ERROR: <input>:1:6: undeclared reference to 'x' (in container '')
 | .has(x)
 | .....^`,
    `ERROR: <input>:1:21: undeclared reference to '.has' (in container '')
 | self.a == '' && .has(self)
 | ....................^`,
  ]);
});
