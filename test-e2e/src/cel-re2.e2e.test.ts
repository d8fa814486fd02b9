/**
 * Regular expressions as kube-apiserver reads them (Go's `regexp`, RE2 syntax) in CRD
 * validation rules and schemas: `matches` with flags (`(?i)`), named groups (`(?P<n>…)`),
 * POSIX classes (`[[:alpha:]]`), a pattern read from the object, the regex library's
 * `findAll`, an OpenAPI `pattern` (`^(?i)abc$`), and the patterns Go refuses: a literal
 * when the CRD is written, one read from the object when the rule runs. And in a
 * ValidatingAdmissionPolicy's validations.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CRDS, installCrd, namespacedCrd } from './crd-install.js';
import { printedRule } from './printed-rule.js';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const suffix = uniqueSuffix();
const group = `re2${suffix}.e2e.kube-ts.dev`;
const plural = 'patterns';

const unset = (f: string) => `!has(self.${f})`;
/** A short string (so that the rules' estimated cost stays within the budget). */
const str = { type: 'string', maxLength: 16 };
const spec = {
  type: 'object',
  'x-kubernetes-validations': [
    { rule: `${unset('ci')} || self.ci.matches('^(?i)abc$')`, message: 'ci' },
    { rule: `${unset('ci')} || matches(self.ci, '^(?i)abc$')`, message: 'global' },
    {
      rule: `${unset('named')} || self.named.matches('^(?P<name>[a-z]+)-(?<n>[0-9]+)$')`,
      message: 'named',
    },
    { rule: `${unset('alpha')} || self.alpha.matches('^[[:alpha:]]+$')`, message: 'alpha' },
    { rule: `${unset('re')} || self.value.matches(self.re)`, message: 'dynamic' },
    { rule: `${unset('words')} || self.words.findAll('a*').size() == 3`, message: 'words' },
  ],
  properties: {
    ci: str,
    named: str,
    alpha: str,
    value: str,
    re: str,
    words: str,
    pat: { ...str, pattern: '^(?i)abc$' },
  },
};

function crd(name: string, s: unknown) {
  return namespacedCrd(
    group,
    name,
    { schema: { openAPIV3Schema: { type: 'object', properties: { spec: s } } } },
    `${name.toLowerCase()}s`,
  );
}

const base = () => `/apis/${group}/v1/namespaces/${ns}/${plural}`;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('re2');
  const labelled = await raw(e2e.backend.kubeConfig, 'PATCH', `/api/v1/namespaces/${ns}`, {
    body: { metadata: { labels: { 'e2e-re2': suffix } } },
    contentType: 'application/merge-patch+json',
  });
  expect(labelled.status).toBe(200);
  await installCrd(e2e, crd('Pattern', spec), base());
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
});

let n = 0;
/** Creates a Pattern of `s`: its status and its causes (`field | reason | message`). */
async function create(s: Record<string, string>) {
  const body = {
    apiVersion: `${group}/v1`,
    kind: 'Pattern',
    metadata: { name: `p${++n}` },
    spec: s,
  };
  const r = await raw(e2e.backend.kubeConfig, 'POST', base(), { body });
  const causes = (r.json().details?.causes ?? []) as {
    field: string;
    reason: string;
    message: string;
  }[];
  return { status: r.status, causes: causes.map((c) => `${c.field} | ${c.reason} | ${c.message}`) };
}

describe('patterns are read as RE2 reads them', () => {
  test('flags, named groups, POSIX classes, a pattern from the object and a schema pattern', async () => {
    const r = await create({
      ci: 'ABC',
      named: 'ab-12',
      alpha: 'abc',
      value: 'aBc',
      re: '(?i)b',
      words: 'baaac',
      pat: 'AbC',
    });
    expect(r).toEqual({ status: 201, causes: [] });
  });

  test('what they do not match is refused with the rules and pattern', async () => {
    const r = await create({
      ci: 'abd',
      named: 'ab12',
      alpha: 'ab1',
      value: 'a\nc',
      re: '^a.c$',
      words: 'aab',
      pat: 'abd',
    });
    expect(r.status).toBe(422);
    expect(r.causes).toEqual([
      `spec.pat | FieldValueInvalid | Invalid value: "abd": spec.pat in body should match '^(?i)abc$'`,
      'spec | FieldValueInvalid | Invalid value: ci',
      'spec | FieldValueInvalid | Invalid value: global',
      'spec | FieldValueInvalid | Invalid value: named',
      'spec | FieldValueInvalid | Invalid value: alpha',
      'spec | FieldValueInvalid | Invalid value: dynamic',
      'spec | FieldValueInvalid | Invalid value: words',
    ]);
  });

  test('`.` matches a carriage return', async () => {
    const r = await create({ value: 'a\rc', re: '^a.c$' });
    expect(r).toEqual({ status: 201, causes: [] });
  });

  test('a pattern read from the object that Go refuses is an evaluation error', async () => {
    const r = await create({ value: 'a', re: '(?=a)' });
    expect(r.status).toBe(422);
    expect(r.causes).toEqual([
      'spec | FieldValueInvalid | Invalid value: "object": error parsing regexp: invalid or unsupported Perl syntax: `(?=` evaluating rule: dynamic',
    ]);
  });
});

describe('CRDs with patterns Go refuses', () => {
  /** The causes (`field | message`) of the 422 creating a CRD of `s`. */
  async function refusal(name: string, s: unknown): Promise<string[]> {
    const r = await raw(e2e.backend.kubeConfig, 'POST', CRDS, { body: crd(name, s) });
    expect(r.status).toBe(422);
    const causes = r.json().details.causes as { field: string; message: string }[];
    return causes.map((c) => `${c.field} | ${c.message}`);
  }

  const lookbehind = "self.a.matches('(?<=a)b')";
  const find = "self.a.find('(') == ''";
  // cel-go checks the first argument of the global form: the string, not the pattern.
  const global = "matches('(', self.a) && matches(self.a, '(')";
  const folded = "int('x') == 1";

  test('a literal matches or find pattern', async () => {
    const causes = await refusal('Refused', {
      type: 'object',
      'x-kubernetes-validations': [
        { rule: lookbehind },
        { rule: find },
        { rule: global },
        // A constant conversion cel-go's planner folds fails making the program too.
        { rule: folded },
        { rule: "self.a == 'x'", messageExpression: "string(b'\\xff')" },
      ],
      properties: { a: str },
    });
    const at = 'spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations';
    expect(causes).toEqual([
      `${at}[0].rule | Invalid value: ${printedRule(lookbehind)}: compilation failed: ERROR: <input>:1:16: invalid matches argument\n | ${lookbehind}\n | ...............^`,
      `${at}[1].rule | Invalid value: ${printedRule(find)}: program instantiation failed: error parsing regexp: missing closing ): \`(\``,
      `${at}[2].rule | Invalid value: ${printedRule(global)}: compilation failed: ERROR: <input>:1:9: invalid matches argument\n | ${global}\n | ........^`,
      `${at}[3].rule | Invalid value: ${printedRule(folded)}: program instantiation failed: type conversion error from 'string' to 'int'`,
      `${at}[4].messageExpression | Invalid value: ${printedRule("self.a == 'x'", "string(b'\\xff')")}: messageExpression instantiation failed: invalid UTF-8 in bytes, cannot convert to string`,
    ]);
  });

  test('a schema pattern', async () => {
    const causes = await refusal('RefusedPattern', {
      type: 'object',
      properties: { a: { ...str, pattern: '[[:foo:]]' } },
    });
    expect(causes).toEqual([
      'spec.validation.openAPIV3Schema.properties[spec].properties[a].pattern | Invalid value: "[[:foo:]]": must be a valid regular expression, but isn\'t: error parsing regexp: invalid character class range: `[:foo:]`',
    ]);
  });
});

describe('a ValidatingAdmissionPolicy reads its patterns as RE2', () => {
  const ADMISSION = '/apis/admissionregistration.k8s.io/v1';
  const policy = `re2-${suffix}.e2e.kube-ts.dev`;
  const configMaps = () => `/api/v1/namespaces/${ns}/configmaps`;
  let n = 0;

  /** The denial of ConfigMap `name` by the policy, with `why`. */
  const denial = (name: string, why: string) =>
    `configmaps "${name}" is forbidden: ValidatingAdmissionPolicy '${policy}' with binding '${policy}' denied request: ${why}`;

  /** Creates a ConfigMap of `data` (deleted again when admitted): the response. */
  async function admit(data: Record<string, string>) {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm${++n}` }, data };
    const r = await raw(e2e.backend.kubeConfig, 'POST', configMaps(), { body });
    if (r.status === 201) {
      await raw(e2e.backend.kubeConfig, 'DELETE', `${configMaps()}/${body.metadata.name}`);
    }
    return r;
  }

  beforeAll(async () => {
    const kinds = [
      [
        'validatingadmissionpolicies',
        'ValidatingAdmissionPolicy',
        {
          failurePolicy: 'Fail',
          matchConstraints: {
            namespaceSelector: { matchLabels: { 'e2e-re2': suffix } },
            resourceRules: [
              {
                apiGroups: [''],
                apiVersions: ['v1'],
                resources: ['configmaps'],
                operations: ['CREATE'],
              },
            ],
          },
          validations: [
            {
              expression: "!('v' in object.data) || object.data.v.matches('^(?i)abc$')",
              message: 'v',
            },
            {
              expression: "!('re' in object.data) || object.data.s.matches(object.data.re)",
              message: 're',
            },
          ],
        },
      ],
      [
        'validatingadmissionpolicybindings',
        'ValidatingAdmissionPolicyBinding',
        { policyName: policy, validationActions: ['Deny'] },
      ],
    ] as const;
    for (const [plural, kind, spec] of kinds) {
      const body = {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind,
        metadata: { name: policy },
        spec,
      };
      const r = await raw(e2e.backend.kubeConfig, 'POST', `${ADMISSION}/${plural}`, { body });
      expect(r.status, r.text).toBe(201);
      e2e.onStop(() => raw(e2e.backend.kubeConfig, 'DELETE', `${ADMISSION}/${plural}/${policy}`));
    }
  }, 120_000);

  test('(?i) matches another case; what does not match is denied', async () => {
    // The binding takes a moment on kube-apiserver: wait until it denies.
    await expect.poll(async () => (await admit({ v: 'xyz' })).status, EVENTUALLY).toBe(422);
    expect((await admit({ v: 'aBc' })).status).toBe(201);
    const denied = await admit({ v: 'abd' });
    expect(denied.status).toBe(422);
    expect(denied.json().message).toBe(denial(`cm${n}`, 'v'));
  });

  test('a pattern read from the object that Go refuses fails the policy', async () => {
    expect((await admit({ s: 'a\rc', re: '^a.c$' })).status).toBe(201);
    const r = await admit({ s: 'a', re: '(?=a)' });
    expect(r.status).toBe(422);
    expect(r.json().message).toBe(
      denial(
        `cm${n}`,
        "expression '!('re' in object.data) || object.data.s.matches(object.data.re)' resulted in error: error parsing regexp: invalid or unsupported Perl syntax: `(?=`",
      ),
    );
  });
});
