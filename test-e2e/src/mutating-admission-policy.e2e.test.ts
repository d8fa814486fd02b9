/**
 * Differential: MutatingAdmissionPolicy evaluation — a policy and its binding matched by
 * resource rules and namespace selector, an `ApplyConfiguration` mutation merged into the
 * object, `JSONPatch` mutations, `variables`, and a mutation that fails under
 * `failurePolicy: Fail`.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { installCrd, namespacedCrd } from './crd-install.js';
import { mutatingPolicyRefusal } from './policy-refusal.js';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, ignoreNotFound, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const suffix = uniqueSuffix();
const kc = () => e2e.backend.kubeConfig;
const POLICIES = '/apis/admissionregistration.k8s.io/v1/mutatingadmissionpolicies';
const BINDINGS = '/apis/admissionregistration.k8s.io/v1/mutatingadmissionpolicybindings';
const LABEL = `e2e-map-${suffix}`;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-map');
  const res = await raw(kc(), 'PATCH', `/api/v1/namespaces/${ns}`, {
    body: { metadata: { labels: { [LABEL]: 'true' } } },
    contentType: 'application/merge-patch+json',
  });
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await e2e?.stop();
});

/**
 * Creates a policy and a binding for it (with `bindingSpec`) that select the ConfigMap
 * `configMap` (by default `name`) in this file's namespace.
 */
async function bind(
  name: string,
  spec: object,
  configMap = name,
  bindingSpec: object = {},
): Promise<{ policy: string; binding: string }> {
  const policy = `${name}-${suffix}.e2e.kube-ts.dev`;
  const binding = `${name}-binding-${suffix}.e2e.kube-ts.dev`;
  const bodies: [string, object][] = [
    [
      POLICIES,
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'MutatingAdmissionPolicy',
        metadata: { name: policy },
        spec: {
          matchConstraints: {
            namespaceSelector: { matchLabels: { [LABEL]: 'true' } },
            resourceRules: [
              {
                apiGroups: [''],
                apiVersions: ['v1'],
                operations: ['CREATE', 'UPDATE'],
                resources: ['configmaps'],
                resourceNames: [configMap],
              },
            ],
          },
          reinvocationPolicy: 'Never',
          ...spec,
        },
      },
    ],
    [
      BINDINGS,
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'MutatingAdmissionPolicyBinding',
        metadata: { name: binding },
        spec: {
          policyName: policy,
          matchResources: { namespaceSelector: { matchLabels: { [LABEL]: 'true' } } },
          ...bindingSpec,
        },
      },
    ],
  ];
  for (const [path, body] of bodies) {
    const res = await raw(kc(), 'POST', path, { body });
    expect(res.status, res.text).toBe(201);
    const created = res.json().metadata.name;
    e2e.onStop(() =>
      e2e.client.request({ method: 'DELETE', path: `${path}/${created}` }).catch(ignoreNotFound),
    );
  }
  return { policy, binding };
}

/**
 * Creates ConfigMap `name` (deleting it again) until `done` holds of the answer: a binding
 * takes a moment to reach kube-apiserver's admission.
 */
async function createUntil(
  name: string,
  data: Record<string, string>,
  done: (res: Awaited<ReturnType<typeof raw>>) => boolean,
) {
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  let last: Awaited<ReturnType<typeof raw>> | undefined;
  await expect
    .poll(async () => {
      const res = await raw(kc(), 'POST', path, {
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data },
      });
      if (res.status === 201) await raw(kc(), 'DELETE', `${path}/${name}`);
      last = res;
      return done(res);
    }, EVENTUALLY)
    .toBe(true);
  return last!;
}

test('an ApplyConfiguration mutation is merged into the object, with variables', async () => {
  await bind('applied', {
    variables: [{ name: 'size', expression: 'string(size(object.data))' }],
    mutations: [
      {
        patchType: 'ApplyConfiguration',
        applyConfiguration: {
          expression: `Object{
            metadata: Object.metadata{annotations: {"mutated-by": "apply-policy"}},
            data: {"size": string(variables.size), "name": string(object.metadata.name)}
          }`,
        },
      },
    ],
  });
  const res = await createUntil(
    'applied',
    { kept: 'yes' },
    (r) => r.json().metadata?.annotations?.['mutated-by'] === 'apply-policy',
  );
  expect(res.status).toBe(201);
  expect(res.json().data).toEqual({ kept: 'yes', size: '1', name: 'applied' });
});

test('JSONPatch mutations apply in order', async () => {
  await bind('patched', {
    mutations: [
      {
        patchType: 'JSONPatch',
        jsonPatch: {
          expression: `[
            JSONPatch{op: "add", path: "/metadata/labels", value: {}},
            JSONPatch{op: "add", path: "/metadata/labels/patched", value: "true"}
          ]`,
        },
      },
      {
        patchType: 'JSONPatch',
        jsonPatch: {
          expression:
            'has(object.data) && "v" in object.data ? [JSONPatch{op: "replace", path: "/data/v", value: object.data.v + "!"}] : []',
        },
      },
    ],
  });
  const res = await createUntil(
    'patched',
    { v: 'x' },
    (r) => r.json().metadata?.labels?.patched === 'true',
  );
  expect(res.status).toBe(201);
  expect(res.json().data).toEqual({ v: 'x!' });
});

/**
 * Writes a MutatingAdmissionPolicy for ConfigMap creates with `spec` (deleted when the
 * file ends if the server stores it): the status and the 422's causes.
 */
async function writePolicy(
  spec: object,
): Promise<{ status: number; causes: { field: string; message: string; reason: string }[] }> {
  const res = await raw(kc(), 'POST', POLICIES, {
    body: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingAdmissionPolicy',
      metadata: { generateName: `refused-${suffix}-` },
      spec: {
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: [''],
              apiVersions: ['v1'],
              operations: ['CREATE'],
              resources: ['configmaps'],
            },
          ],
        },
        reinvocationPolicy: 'Never',
        ...spec,
      },
    },
  });
  if (res.status === 201) {
    const name = res.json().metadata.name;
    e2e.onStop(() =>
      e2e.client.request({ method: 'DELETE', path: `${POLICIES}/${name}` }).catch(ignoreNotFound),
    );
    return { status: res.status, causes: [] };
  }
  const causes: { field: string; message: string; reason: string }[] =
    res.json().details?.causes ?? [];
  return { status: res.status, causes };
}

test("a policy's failurePolicy and matchConstraints are defaulted and checked; only creates and updates can be mutated", async () => {
  const mutations = [
    { patchType: 'ApplyConfiguration', applyConfiguration: { expression: 'Object{}' } },
  ];
  const rule = { apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] };
  expect(
    await writePolicy({
      failurePolicy: 'Nope',
      matchConstraints: { resourceRules: [{ ...rule, operations: ['CREATE', 'DELETE'] }] },
      mutations,
    }),
  ).toEqual({
    status: 422,
    causes: [
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.failurePolicy',
        message: 'Unsupported value: "Nope": supported values: "Fail", "Ignore"',
      },
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.matchConstraints.resourceRules.operations',
        message:
          'Unsupported value: "DELETE": supported values: "*", "CONNECT", "CREATE", "UPDATE"',
      },
    ],
  });
  const res = await raw(kc(), 'POST', POLICIES, {
    query: { dryRun: 'All' },
    body: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingAdmissionPolicy',
      metadata: { name: `defaults-${suffix}` },
      spec: {
        matchConstraints: { resourceRules: [{ ...rule, operations: ['CREATE'] }] },
        reinvocationPolicy: 'Never',
        mutations,
      },
    },
  });
  expect(res.status, res.text).toBe(201);
  expect(res.json().spec.failurePolicy).toBe('Fail');
  expect(res.json().spec.matchConstraints).toEqual({
    matchPolicy: 'Equivalent',
    namespaceSelector: {},
    objectSelector: {},
    resourceRules: [{ ...rule, operations: ['CREATE'], scope: '*' }],
  });
});

test("a mutation's compile errors are all listed in cel-go's words: syntax, methods on dyn values, several errors", async () => {
  const cases: [string, [number, string][]][] = [
    ['Bad Value!', [[5, "Syntax error: mismatched input 'Value' expecting <EOF>"]]],
    [
      'object.a.startsWith(1)',
      [[20, "found no matching overload for 'startsWith' applied to 'dyn.(int)'"]],
    ],
    [
      '[1].all(x)',
      [
        [8, "undeclared reference to 'all' (in container '')"],
        [9, "undeclared reference to 'x' (in container '')"],
      ],
    ],
  ];
  const written = await writePolicy({
    mutations: cases.map(([expression]) => ({
      patchType: 'ApplyConfiguration',
      applyConfiguration: { expression },
    })),
  });
  expect(written).toEqual({
    status: 422,
    causes: cases.map(([expression, errors], i) => ({
      reason: 'FieldValueInvalid',
      field: `spec.mutations[${i}].applyConfiguration.expression`,
      message: `Invalid value: ${JSON.stringify(expression)}: compilation failed: ${errors
        .map(
          ([col, why]) =>
            `ERROR: <input>:1:${col}: ${why}\n | ${expression}\n | ${'.'.repeat(col - 1)}^`,
        )
        .join('\n')}`,
    })),
  });
});

test('a policy whose mutations do not compile or give the wrong type is refused when written', async () => {
  const apply = (expression: string) => ({
    patchType: 'ApplyConfiguration',
    applyConfiguration: { expression },
  });
  const patch = (expression: string) => ({ patchType: 'JSONPatch', jsonPatch: { expression } });
  const at = 'spec.mutations[0].applyConfiguration.expression';
  const patchAt = 'spec.mutations[0].jsonPatch.expression';

  expect(await writePolicy({ mutations: [apply('Object{spec: foo.bar}')] })).toEqual({
    status: 422,
    causes: [
      {
        reason: 'FieldValueInvalid',
        field: at,
        message:
          'Invalid value: "Object{spec: foo.bar}": compilation failed: ERROR: <input>:1:14: ' +
          "undeclared reference to 'foo' (in container '')\n | Object{spec: foo.bar}\n | .............^",
      },
    ],
  });
  const syntax = await writePolicy({ mutations: [apply('Object{')] });
  expect(syntax.status).toBe(422);
  expect(syntax.causes.map((c) => c.field)).toEqual([at]);
  expect(syntax.causes[0]?.message).toMatch(
    /^Invalid value: "Object\{": compilation failed: ERROR: <input>:1:8: /,
  );
  const wrongType = (field: string, expression: string, want: string, got: string) => ({
    status: 422,
    causes: [
      {
        reason: 'FieldValueInvalid',
        field,
        message: `Invalid value: ${JSON.stringify(expression)}: must evaluate to ${want} but got ${got}`,
      },
    ],
  });
  // A JSONPatch's fields are typed: op, path and from are strings, and it has no others.
  const fieldType = (expression: string, col: number, text: string) => ({
    status: 422,
    causes: [
      {
        reason: 'FieldValueInvalid',
        field: patchAt,
        message: `Invalid value: ${JSON.stringify(expression)}: compilation failed: ERROR: <input>:1:${col}: ${text}\n | ${expression}\n | ${'.'.repeat(col - 1)}^`,
      },
    ],
  });
  const opInt = "[JSONPatch{op: 1, path: '/x'}]";
  expect(await writePolicy({ mutations: [patch(opInt)] })).toEqual(
    fieldType(opInt, 14, "expected type of field 'op' is 'string' but provided type is 'int'"),
  );
  const unknownField = "[JSONPatch{op: 'add', nope: 'x'}]";
  expect(await writePolicy({ mutations: [patch(unknownField)] })).toEqual(
    fieldType(
      unknownField,
      27,
      "expected type of field 'nope' is '' but provided type is 'string'",
    ),
  );
  // A computed value is typed too (an int's size, a list); a dynamic one is left to run time.
  const computed = "[JSONPatch{op: 'replace', path: object.metadata.name.size(), value: 1}]";
  expect(await writePolicy({ mutations: [patch(computed)] })).toEqual(
    fieldType(computed, 31, "expected type of field 'path' is 'string' but provided type is 'int'"),
  );
  const computedList = "[JSONPatch{op: 'add', path: [1][0], value: 1}]";
  expect(await writePolicy({ mutations: [patch(computedList)] })).toEqual(
    fieldType(
      computedList,
      27,
      "expected type of field 'path' is 'string' but provided type is 'int'",
    ),
  );
  const dynamic = '[JSONPatch{op: object.metadata.name, path: string(object.kind), value: 1}]';
  expect((await writePolicy({ mutations: [patch(dynamic)] })).status).toBe(201);
  // List and map literals are homogeneous: no JSONPatch beside an Object, no mixed values.
  const mixed = "[JSONPatch{op: 'add', path: '/x', value: 1}, Object{}]";
  expect(await writePolicy({ mutations: [patch(mixed)] })).toEqual(
    fieldType(mixed, 52, "expected type 'JSONPatch' but found 'Object'"),
  );
  const mixedValue = "[JSONPatch{op: 'add', path: '/x', value: {'a': 1, 'b': 'x'}}]";
  expect(await writePolicy({ mutations: [patch(mixedValue)] })).toEqual(
    fieldType(mixedValue, 56, "expected type 'int' but found 'string'"),
  );
  // Only mutations may construct objects: elsewhere the type names are undeclared.
  const construct = "JSONPatch{op: 'add', path: '/metadata/labels', value: {}}";
  expect(
    await writePolicy({
      variables: [{ name: 'p', expression: construct }],
      mutations: [patch('[variables.p]')],
    }),
  ).toEqual({
    status: 422,
    causes: [
      {
        reason: 'FieldValueInvalid',
        field: 'spec.variables[0].expression',
        message: `Invalid value: ${JSON.stringify(construct)}: compilation failed: ERROR: <input>:1:10: undeclared reference to 'JSONPatch' (in container '')\n | ${construct}\n | .........^`,
      },
      {
        reason: 'FieldValueInvalid',
        field: patchAt,
        message:
          'Invalid value: "[variables.p]": must evaluate to list(JSONPatch) but got list(dyn)',
      },
    ],
  });
  expect(await writePolicy({ mutations: [apply('"x"')] })).toEqual(
    wrongType(at, '"x"', 'Object', 'string'),
  );
  expect(await writePolicy({ mutations: [apply('{"a": 1}')] })).toEqual(
    wrongType(at, '{"a": 1}', 'Object', 'map(string, int)'),
  );
  expect(await writePolicy({ mutations: [patch('[]')] })).toEqual(
    wrongType(patchAt, '[]', 'list(JSONPatch)', 'list(dyn)'),
  );
  expect(await writePolicy({ mutations: [patch('[{"op": "add"}]')] })).toEqual(
    wrongType(patchAt, '[{"op": "add"}]', 'list(JSONPatch)', 'list(map(string, string))'),
  );

  // `params` exists only for a policy with a paramKind.
  const withParams = 'params.data.x == "1" ? Object{} : Object{}';
  const noParamKind = await writePolicy({ mutations: [apply(withParams)] });
  expect(noParamKind.status).toBe(422);
  expect(noParamKind.causes[0]?.message).toContain("undeclared reference to 'params'");
  expect(
    await writePolicy({
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      mutations: [apply(withParams)],
    }),
  ).toEqual({ status: 201, causes: [] });

  // The shape of the mutations and the reinvocationPolicy, which v1 requires.
  expect(await writePolicy({ mutations: [] })).toEqual({
    status: 422,
    causes: [
      {
        reason: 'FieldValueRequired',
        field: 'spec.mutations',
        message: 'Required value: mutations must contain at least one item',
      },
    ],
  });
  expect(
    await writePolicy({
      mutations: [{ patchType: 'JSONPatch', applyConfiguration: { expression: 'Object{}' } }],
    }),
  ).toEqual({
    status: 422,
    causes: [
      {
        reason: 'FieldValueRequired',
        field: 'spec.mutations[0].jsonPatch',
        message: 'Required value: must be specified when patchType is JSONPatch',
      },
      {
        reason: 'FieldValueInvalid',
        field: 'spec.mutations[0].applyConfiguration',
        message:
          'Invalid value: "{applyConfiguration}": must not be specified when patchType is JSONPatch',
      },
    ],
  });
  expect(
    await writePolicy({ mutations: [{ applyConfiguration: { expression: 'Object{}' } }] }),
  ).toEqual({
    status: 422,
    causes: [
      {
        reason: 'FieldValueRequired',
        field: 'spec.mutations[0].patchType',
        message: 'Required value',
      },
    ],
  });
  expect(await writePolicy({ reinvocationPolicy: '', mutations: [apply('Object{}')] })).toEqual({
    status: 422,
    causes: [
      { reason: 'FieldValueRequired', field: 'spec.reinvocationPolicy', message: 'Required value' },
    ],
  });
  expect(
    await writePolicy({ reinvocationPolicy: 'Sometimes', mutations: [apply('Object{}')] }),
  ).toEqual({
    status: 422,
    causes: [
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.reinvocationPolicy',
        message: 'Unsupported value: "Sometimes": supported values: "IfNeeded", "Never"',
      },
    ],
  });
});

test('variables and matchConditions are typed when the policy is written, as kube-apiserver compiles them', async () => {
  const invalid = (field: string, expression: string, why: string) => ({
    reason: 'FieldValueInvalid',
    field,
    message: `Invalid value: ${JSON.stringify(expression)}: ${why}`,
  });
  const compileError = (expression: string, col: number, why: string) =>
    `compilation failed: ERROR: <input>:1:${col}: ${why}\n | ${expression}\n | ${'.'.repeat(col - 1)}^`;
  const labelsFrom = (value: string) =>
    `Object{metadata: Object.metadata{labels: {'a': ${value}}}}`;
  const addLabel = (value: string) =>
    `[JSONPatch{op: 'add', path: '/metadata/labels/x', value: ${value}}]`;
  const res = await writePolicy({
    matchConditions: [
      { name: 'string', expression: "'x'" },
      { name: 'variables', expression: "variables.ok == 'x'" },
      { name: 'dyn', expression: 'object.metadata.name' },
      { name: 'typed', expression: "object.metadata.name == 'x'" },
    ],
    variables: [
      { name: 'ok', expression: "'x'" },
      { name: 'early', expression: 'variables.late' },
      { name: 'late', expression: 'object.metadata.name' },
      { name: 'num', expression: '1' },
    ],
    mutations: [
      {
        patchType: 'ApplyConfiguration',
        applyConfiguration: { expression: labelsFrom('variables.nope') },
      },
      { patchType: 'JSONPatch', jsonPatch: { expression: addLabel("variables.num + 'a'") } },
      {
        patchType: 'ApplyConfiguration',
        applyConfiguration: { expression: labelsFrom('variables.ok') },
      },
      { patchType: 'ApplyConfiguration', applyConfiguration: { expression: 'variables.late' } },
    ],
  });
  expect(res).toEqual({
    status: 422,
    causes: [
      invalid('spec.matchConditions[0].expression', "'x'", 'must evaluate to bool but got string'),
      invalid(
        'spec.matchConditions[1].expression',
        "variables.ok == 'x'",
        compileError(
          "variables.ok == 'x'",
          1,
          "undeclared reference to 'variables' (in container '')",
        ),
      ),
      invalid(
        'spec.matchConditions[2].expression',
        'object.metadata.name',
        'must evaluate to bool but got dyn',
      ),
      invalid(
        'spec.variables[1].expression',
        'variables.late',
        compileError('variables.late', 10, "undefined field 'late'"),
      ),
      invalid(
        'spec.mutations[0].applyConfiguration.expression',
        labelsFrom('variables.nope'),
        compileError(labelsFrom('variables.nope'), 57, "undefined field 'nope'"),
      ),
      invalid(
        'spec.mutations[1].jsonPatch.expression',
        addLabel("variables.num + 'a'"),
        compileError(
          addLabel("variables.num + 'a'"),
          72,
          "found no matching overload for '_+_' applied to '(int, string)'",
        ),
      ),
      invalid(
        'spec.mutations[3].applyConfiguration.expression',
        'variables.late',
        'must evaluate to Object but got dyn',
      ),
    ],
  });
});

test('reinvocationPolicy IfNeeded runs a policy once more after mutations, Never does not', async () => {
  const append = (letter: string) => ({
    patchType: 'ApplyConfiguration',
    applyConfiguration: {
      expression: `Object{data: {"log": (has(object.data) && "log" in object.data ? object.data.log : "") + "${letter}"}}`,
    },
  });
  // Two policies on one ConfigMap; kube-apiserver's order between them is not fixed.
  await bind('again', { reinvocationPolicy: 'IfNeeded', mutations: [append('a')] });
  await bind('once', { reinvocationPolicy: 'Never', mutations: [append('b')] }, 'again');
  const both = await createUntil(
    'again',
    {},
    (r) => [...String(r.json().data?.log ?? '')].sort().join('') === 'aab',
  );
  expect(both.status).toBe(201);
  // An IfNeeded policy alone is reinvoked too: its own mutation marks the object changed.
  await bind('alone', { reinvocationPolicy: 'IfNeeded', mutations: [append('s')] });
  const alone = await createUntil('alone', {}, (r) => r.json().data?.log !== undefined);
  expect(alone.json().data).toEqual({ log: 'ss' });
});

test("a mutation of an update counts in the generation, as kube-apiserver's strategy runs after admission", async () => {
  // A PodDisruptionBudget: its generation follows its spec only, and no controller writes
  // anything but its status (a Deployment's follows its annotations too, which the
  // Deployment controller writes).
  const name = 'generation';
  await bind(name, {
    matchConstraints: {
      namespaceSelector: { matchLabels: { [LABEL]: 'true' } },
      resourceRules: [
        {
          apiGroups: ['policy'],
          apiVersions: ['v1'],
          operations: ['UPDATE'],
          resources: ['poddisruptionbudgets'],
          resourceNames: [name],
        },
      ],
    },
    mutations: [
      {
        patchType: 'ApplyConfiguration',
        applyConfiguration: {
          expression:
            'has(object.metadata.labels) && "bump" in object.metadata.labels ? Object{spec: Object.spec{minAvailable: 2}} : Object{}',
        },
      },
    ],
  });
  const path = `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`;
  const created = await raw(kc(), 'POST', path, {
    body: {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name },
      spec: { minAvailable: 1, selector: { matchLabels: { app: name } } },
    },
  });
  expect(created.status, created.text).toBe(201);
  expect(created.json().metadata.generation).toBe(1);
  // A label change alone does not bump the generation; the policy's change to the spec does.
  let bumped: Awaited<ReturnType<typeof raw>> | undefined;
  let round = 0;
  await expect
    .poll(async () => {
      bumped = await raw(kc(), 'PATCH', `${path}/${name}`, {
        body: { metadata: { labels: { bump: String(round++) } } },
        contentType: 'application/merge-patch+json',
      });
      return bumped.json().spec?.minAvailable;
    }, EVENTUALLY)
    .toBe(2);
  expect(bumped?.status).toBe(200);
  expect(bumped?.json().metadata.generation).toBe(2);
});

/** The refusal of a write by a policy's failed conversion of its ApplyConfiguration. */
const conversionRefusal = (bound: { policy: string; binding: string }, why: string) =>
  `policy '${bound.policy}' with binding '${bound.binding}' denied request: error applying patch: failed to convert patch object to typed object: ${why}`;

test("an ApplyConfiguration's object is typed by the matched kind's schema when applied: undeclared fields and wrong scalars refuse the write, list items named as structured-merge-diff names them", async () => {
  const owner = "apiVersion: 'v1', kind: 'ConfigMap', name: 'o', uid: 'u'";
  const cases: [string, string, string][] = [
    ['typed-unknown', "Object{nope: 'x'}", '.nope: field not declared in schema'],
    [
      'typed-nested',
      "Object{metadata: Object.metadata{nope: 'x'}}",
      '.metadata.nope: field not declared in schema',
    ],
    [
      'typed-literal',
      "Object{data: {'a': 1}}",
      '.data.a: expected string, got &value.valueUnstructured{Value:1}',
    ],
    [
      'typed-computed',
      "Object{data: {'a': size(object.data)}}",
      '.data.a: expected string, got &value.valueUnstructured{Value:1}',
    ],
    [
      'typed-keyed',
      `Object{metadata: Object.metadata{ownerReferences: [Object.metadata.ownerReferences{${owner}, nope: 'x'}]}}`,
      '.metadata.ownerReferences[uid="u"].nope: field not declared in schema',
    ],
    [
      'typed-set',
      'Object{metadata: Object.metadata{finalizers: [1]}}',
      '.metadata.finalizers[=1]: expected string, got &value.valueUnstructured{Value:1}',
    ],
    [
      'typed-atomic',
      "Object{metadata: Object.metadata{managedFields: [Object.metadata.managedFields{nope: 'x'}]}}",
      '.metadata.managedFields[0].nope: field not declared in schema',
    ],
  ];
  const bound = await Promise.all(
    cases.map(([name, expression]) =>
      bind(name, {
        mutations: [{ patchType: 'ApplyConfiguration', applyConfiguration: { expression } }],
      }),
    ),
  );
  for (const [i, [name, , why]] of cases.entries()) {
    const res = await createUntil(name, { x: 'y' }, (r) => r.status !== 201);
    const message = conversionRefusal(bound[i] ?? { policy: '', binding: '' }, why);
    expect(res.json()).toEqual(mutatingPolicyRefusal(message, name, 'configmaps'));
  }
  // A computed value of the right type is merged in.
  await bind('typed-ok', {
    mutations: [
      {
        patchType: 'ApplyConfiguration',
        applyConfiguration: { expression: "Object{data: {'a': object.metadata.name}}" },
      },
    ],
  });
  const ok = await createUntil('typed-ok', { x: 'y' }, (r) => r.json().data?.a === 'typed-ok');
  expect(ok.json().data).toEqual({ a: 'typed-ok', x: 'y' });
});

test("a custom resource's ApplyConfiguration is typed by its CRD's schema when applied", async () => {
  const group = `map-typed-${suffix}.e2e.kube-ts.dev`;
  const spec = {
    type: 'object',
    properties: {
      size: { type: 'integer' },
      entries: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['id'],
        items: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      },
    },
  };
  const path = `/apis/${group}/v1/namespaces/${ns}/gizmos`;
  await installCrd(
    e2e,
    namespacedCrd(group, 'Gizmo', {
      schema: { openAPIV3Schema: { type: 'object', properties: { spec } } },
    }),
    path,
  );
  const cases: [string, string, string][] = [
    [
      'typed-field',
      'Object{spec: Object.spec{nope: 1}}',
      '.spec.nope: field not declared in schema',
    ],
    [
      'typed-scalar',
      "Object{spec: Object.spec{size: 'x'}}",
      '.spec.size: expected numeric (int or float), got string',
    ],
    [
      'typed-item',
      "Object{spec: Object.spec{entries: [Object.spec.entries{id: 'a', n: 1}]}}",
      '.spec.entries[id="a"].n: field not declared in schema',
    ],
  ];
  const bound = await Promise.all(
    cases.map(([name, expression]) =>
      bind(name, {
        matchConstraints: {
          namespaceSelector: { matchLabels: { [LABEL]: 'true' } },
          resourceRules: [
            {
              apiGroups: [group],
              apiVersions: ['v1'],
              operations: ['CREATE'],
              resources: ['gizmos'],
              resourceNames: [name],
            },
          ],
        },
        mutations: [{ patchType: 'ApplyConfiguration', applyConfiguration: { expression } }],
      }),
    ),
  );
  for (const [i, [name, , why]] of cases.entries()) {
    const message = conversionRefusal(bound[i] ?? { policy: '', binding: '' }, why);
    // kube-apiserver's policies learn a new kind's types from its OpenAPI document, polled.
    let last: Awaited<ReturnType<typeof raw>> | undefined;
    await expect
      .poll(async () => {
        last = await raw(kc(), 'POST', path, {
          body: { apiVersion: `${group}/v1`, kind: 'Gizmo', metadata: { name }, spec: {} },
        });
        if (last.status === 201) await raw(kc(), 'DELETE', `${path}/${name}`);
        return last.json().message;
      }, EVENTUALLY)
      .toBe(message);
    const refusal = mutatingPolicyRefusal(message, name, 'gizmos');
    expect(last?.json()).toEqual({ ...refusal, details: { ...refusal.details, group } });
  }
});

/** An ApplyConfiguration mutation of `expression`. */
const applying = (expression: string) => ({
  patchType: 'ApplyConfiguration',
  applyConfiguration: { expression },
});

test("an ApplyConfiguration's object with several problems lists them all, and a boolean field refuses another scalar", async () => {
  const boolean = await bind('typed-boolean', {
    mutations: [
      {
        patchType: 'ApplyConfiguration',
        applyConfiguration: { expression: "Object{immutable: 'x'}" },
      },
    ],
  });
  const refused = await createUntil('typed-boolean', { x: 'y' }, (r) => r.status !== 201);
  expect(refused.json()).toEqual(
    mutatingPolicyRefusal(
      conversionRefusal(boolean, '.immutable: expected boolean, got &{x}'),
      'typed-boolean',
      'configmaps',
    ),
  );
  // Problems under different fields (no undeclared one, where a map's visit stops): each
  // is listed, on a line of its own, in Go map order on kube-apiserver.
  const several = await bind('typed-several', {
    mutations: [
      {
        patchType: 'ApplyConfiguration',
        applyConfiguration: {
          expression:
            "Object{data: {'a': 1}, immutable: 2, metadata: Object.metadata{labels: {'b': 3}}}",
        },
      },
    ],
  });
  const res = await createUntil('typed-several', { x: 'y' }, (r) => r.status !== 201);
  const message: string = res.json().message ?? '';
  const head = conversionRefusal(several, 'errors:');
  expect(message.startsWith(head), message).toBe(true);
  const lines = message.slice(head.length).split('\n').slice(1);
  expect(new Set(lines)).toEqual(
    new Set([
      '  .data.a: expected string, got &value.valueUnstructured{Value:1}',
      '  .immutable: expected boolean, got &{2}',
      '  .metadata.labels.b: expected string, got &value.valueUnstructured{Value:3}',
    ]),
  );
  expect(lines).toHaveLength(3);
  expect(res.json()).toEqual(mutatingPolicyRefusal(message, 'typed-several', 'configmaps'));
});

test('a failing mutation does not stop the others: every failure is a cause, the first the message', async () => {
  const undeclared = '.nope: field not declared in schema';
  const wrongType = '.data.a: expected string, got &value.valueUnstructured{Value:1}';
  const bound = await bind('failing', {
    mutations: [
      applying("Object{nope: 'x'}"),
      applying("Object{data: {'b': 'c'}}"),
      applying("Object{data: {'a': 1}}"),
    ],
  });
  const res = await createUntil('failing', { x: 'y' }, (r) => r.status !== 201);
  const [first, second] = [
    conversionRefusal(bound, undeclared),
    conversionRefusal(bound, wrongType),
  ];
  expect(res.json()).toEqual({
    ...mutatingPolicyRefusal(first, 'failing', 'configmaps'),
    details: {
      name: 'failing',
      kind: 'configmaps',
      causes: [{ message: first }, { message: second }],
    },
  });
});

test('failing policies are each a cause, an ignored one none; a missing param is a Forbidden configuration error', async () => {
  const name = 'failing-many';
  const one = await bind('failing-one', { mutations: [applying("Object{nope: 'x'}")] }, name);
  const two = await bind('failing-two', { mutations: [applying("Object{data: {'a': 1}}")] }, name);
  await bind(
    'failing-ignored',
    { failurePolicy: 'Ignore', mutations: [applying("Object{nope: 'y'}")] },
    name,
  );
  const messages = [
    conversionRefusal(one, '.nope: field not declared in schema'),
    conversionRefusal(two, '.data.a: expected string, got &value.valueUnstructured{Value:1}'),
  ];
  const res = await createUntil(name, { x: 'y' }, (r) => r.json().details?.causes?.length === 2);
  const body = res.json();
  expect(res.status).toBe(403);
  expect(body.reason).toBe('Invalid');
  // kube-apiserver runs the policies in no fixed order.
  expect(messages).toContain(body.message);
  expect(new Set(body.details.causes.map((c: { message: string }) => c.message))).toEqual(
    new Set(messages),
  );
  const missing = await bind(
    'param-missing',
    {
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      mutations: [applying("Object{data: {'b': 'c'}}")],
    },
    'param-missing',
    { paramRef: { name: 'nope', namespace: ns, parameterNotFoundAction: 'Deny' } },
  );
  const refused = await createUntil('param-missing', { x: 'y' }, (r) =>
    String(r.json().message).includes('no params found'),
  );
  const message = `policy '${missing.policy}' with binding '${missing.binding}' denied request: failed to configure binding: no params found for policy binding with \`Deny\` parameterNotFoundAction`;
  expect(refused.json()).toEqual({
    ...mutatingPolicyRefusal(message, 'param-missing', 'configmaps'),
    reason: 'Forbidden',
  });
});

test("an update's mutation is nobody's: the field manager tracks the request before admission", async () => {
  await bind('tracked', {
    mutations: [
      {
        patchType: 'ApplyConfiguration',
        applyConfiguration: {
          expression: `Object{
            metadata: Object.metadata{annotations: {"count": string(size(object.data))}}
          }`,
        },
      },
    ],
  });
  await createUntil('tracked', { a: '1' }, (r) => r.json().metadata?.annotations?.count === '1');
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  const made = await raw(kc(), 'POST', path, {
    query: { fieldManager: 'creator' },
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tracked' }, data: { a: '1' } },
  });
  expect(made.status, made.text).toBe(201);
  const updated = await raw(kc(), 'PATCH', `${path}/tracked`, {
    query: { fieldManager: 'editor' },
    body: { data: { b: '2' } },
    contentType: 'application/merge-patch+json',
  });
  expect(updated.status, updated.text).toBe(200);
  expect(updated.json().metadata.annotations).toEqual({ count: '2' });
  const fields = Object.fromEntries(
    updated
      .json()
      .metadata.managedFields.map((m: { manager: string; fieldsV1: unknown }) => [
        m.manager,
        m.fieldsV1,
      ]),
  );
  expect(fields).toEqual({
    creator: { 'f:data': { '.': {}, 'f:a': {} } },
    editor: { 'f:data': { 'f:b': {} } },
  });
});
