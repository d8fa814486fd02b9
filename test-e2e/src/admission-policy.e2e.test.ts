/**
 * Differential: ValidatingAdmissionPolicy evaluation — a policy and its binding matched by
 * resource rules and namespace selector, validations with `message`/`messageExpression`,
 * `namespaceObject`, `variables`, params from a ConfigMap (`paramKind` + `paramRef`), the
 * binding's `validationActions` (`Deny`, `Warn` with its warning, `Audit`), deletes (and
 * deletecollections) admitted with `object` null, a write through `scale` admitted as a
 * Scale of `deployments/scale`, kube-apiserver's denial status, and the type checking the policy status reports.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { installCrd, namespacedCrd } from './crd-install.js';
import { type Cause, expectCauses } from './invalid-causes.js';
import { raw } from './raw-http.js';
import { grantInNamespace } from './rbac-grant.js';
import { type E2eContext, EVENTUALLY, ignoreNotFound, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const suffix = uniqueSuffix();
const kc = () => e2e.backend.kubeConfig;
const POLICIES = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
const BINDINGS = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings';

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-vap');
  const res = await raw(kc(), 'PATCH', `/api/v1/namespaces/${ns}`, {
    body: { metadata: { labels: { 'e2e-vap': suffix } } },
    contentType: 'application/merge-patch+json',
  });
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await e2e?.stop();
});

function deployment(name: string, replicas: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'nginx' }] },
      },
    },
  };
}

/** A ValidatingAdmissionPolicy (`policy`) or ValidatingAdmissionPolicyBinding (`binding`) body. */
function body(kind: 'policy' | 'binding', name: string, spec: object) {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: kind === 'policy' ? 'ValidatingAdmissionPolicy' : 'ValidatingAdmissionPolicyBinding',
    metadata: { name },
    spec,
  };
}

/** Creates a policy or binding, deleted when the suite stops. */
async function create(kind: 'policy' | 'binding', name: string, spec: object) {
  const path = kind === 'policy' ? POLICIES : BINDINGS;
  const res = await raw(kc(), 'POST', path, { body: body(kind, name, spec) });
  expect(res.status, res.text).toBe(201);
  e2e.onStop(() =>
    e2e.client.request({ method: 'DELETE', path: `${path}/${name}` }).catch(ignoreNotFound),
  );
}

/** Match constraints for one resource of this suite's namespace (or those `namespaceSelector` selects). */
const matchIn = (
  rule: {
    apiGroups: string[];
    resources: string[];
    operations: string[];
    resourceNames?: string[];
  },
  namespaceSelector: object = { matchLabels: { 'e2e-vap': suffix } },
) => ({
  namespaceSelector,
  resourceRules: [{ apiVersions: ['v1'], ...rule }],
});

const matchDeployments = () =>
  matchIn({ apiGroups: ['apps'], resources: ['deployments'], operations: ['CREATE', 'UPDATE'] });

/** Creates Deployments named `name` until the policy denies one (bindings take a moment on kube-apiserver). */
async function firstDenial(name: string, replicas: number, namespace = ns) {
  const path = `/apis/apps/v1/namespaces/${namespace}/deployments`;
  let denied: Awaited<ReturnType<typeof raw>> | undefined;
  await expect
    .poll(async () => {
      const res = await raw(kc(), 'POST', path, { body: deployment(name, replicas) });
      if (res.status === 201) await raw(kc(), 'DELETE', `${path}/${name}`);
      else denied = res;
      return res.status;
    }, EVENTUALLY)
    .not.toBe(201);
  return denied!;
}

/** kube-apiserver's status for a policy's denial (`message`) of a write of Deployment `name`. */
function deploymentDenial(name: string, message: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `deployments.apps "${name}" is forbidden: ${message}`,
    reason: 'Invalid',
    details: { name, group: 'apps', kind: 'deployments', causes: [{ message }] },
    code: 422,
  };
}

test('a bound policy denies what its validations refuse, with the status kube-apiserver sends', async () => {
  const policy = `replicas-${suffix}.e2e.kube-ts.dev`;
  const binding = `replicas-binding-${suffix}.e2e.kube-ts.dev`;
  await create('policy', policy, {
    matchConstraints: matchDeployments(),
    validations: [
      {
        expression: 'object.spec.replicas > 1',
        messageExpression: "'wants replicas > 1, got ' + string(object.spec.replicas)",
      },
      {
        expression: `namespaceObject.metadata.name == '${ns}'`,
        message: 'other namespace',
      },
    ],
  });
  await create('binding', binding, {
    policyName: policy,
    validationActions: ['Deny'],
    matchResources: { namespaceSelector: { matchLabels: { 'e2e-vap': suffix } } },
  });
  const denied = await firstDenial('marker', 1);
  const message = `ValidatingAdmissionPolicy '${policy}' with binding '${binding}' denied request: wants replicas > 1, got 1`;
  expect(denied.status).toBe(422);
  expect(denied.json()).toEqual(deploymentDenial('marker', message));
  const replicated = await raw(kc(), 'POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
    body: deployment('replicated', 2),
  });
  expect(replicated.status).toBe(201);
  // An update is checked too.
  const scaled = await raw(kc(), 'PATCH', `/apis/apps/v1/namespaces/${ns}/deployments/replicated`, {
    body: { spec: { replicas: 1 } },
    contentType: 'application/merge-patch+json',
  });
  expect(scaled.status).toBe(422);
  expect(scaled.json().message).toContain('wants replicas > 1, got 1');
  // Other resources are not matched.
  const rs = await raw(kc(), 'POST', `/apis/apps/v1/namespaces/${ns}/replicasets`, {
    body: { ...deployment('non-replicated', 1), kind: 'ReplicaSet' },
  });
  expect(rs.status).toBe(201);
});

test('variables, params from a ConfigMap (paramKind + paramRef), and a validation reason', async () => {
  const cm = await raw(kc(), 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'limits' }, data: { max: '4' } },
  });
  expect(cm.status).toBe(201);
  const policy = `max-${suffix}.e2e.kube-ts.dev`;
  await create('policy', policy, {
    paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
    matchConstraints: matchDeployments(),
    variables: [
      { name: 'replicas', expression: 'object.spec.replicas' },
      { name: 'odd', expression: 'variables.replicas % 2 == 1' },
    ],
    validations: [
      { expression: 'variables.replicas <= int(params.data.max)', message: 'too many' },
      { expression: '!variables.odd', reason: 'Forbidden', message: 'odd replicas' },
    ],
  });
  await create('binding', `max-binding-${suffix}.e2e.kube-ts.dev`, {
    policyName: policy,
    validationActions: ['Deny'],
    paramRef: { name: 'limits', namespace: ns, parameterNotFoundAction: 'Deny' },
    matchResources: { namespaceSelector: { matchLabels: { 'e2e-vap': suffix } } },
  });
  const denied = await firstDenial('many', 6);
  expect(denied.status).toBe(422);
  expect(denied.json().message).toContain('denied request: too many');
  const odd = await raw(kc(), 'POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
    body: deployment('odd', 3),
  });
  expect(odd.status).toBe(403);
  expect(odd.json()).toMatchObject({ reason: 'Forbidden', code: 403 });
  expect(odd.json().message).toContain('denied request: odd replicas');
  const fine = await raw(kc(), 'POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
    body: deployment('fine', 4),
  });
  expect(fine.status).toBe(201);
});

test('Warn and Audit actions let the write through; Warn sends kube-apiserver warning', async () => {
  const policy = `warn-${suffix}.e2e.kube-ts.dev`;
  const binding = `warn-binding-${suffix}.e2e.kube-ts.dev`;
  await create('policy', policy, {
    matchConstraints: matchIn({
      apiGroups: [''],
      resources: ['configmaps'],
      operations: ['CREATE'],
      resourceNames: ['warned', 'quiet'],
    }),
    validations: [{ expression: "object.data.mode == 'on'", message: 'mode must be on' }],
  });
  await create('binding', binding, { policyName: policy, validationActions: ['Warn', 'Audit'] });
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  const configMap = (name: string, mode: string) => ({
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { mode } },
  });
  let warned: Awaited<ReturnType<typeof raw>> | undefined;
  await expect
    .poll(async () => {
      warned = await raw(kc(), 'POST', path, configMap('warned', 'off'));
      if (warned.status === 201) await raw(kc(), 'DELETE', `${path}/warned`);
      return warned.warnings.length > 0 || warned.status !== 201;
    }, EVENTUALLY)
    .toBe(true);
  expect(warned?.status).toBe(201);
  expect(warned?.warnings).toEqual([
    `Validation failed for ValidatingAdmissionPolicy '${policy}' with binding '${binding}': mode must be on`,
  ]);
  const quiet = await raw(kc(), 'POST', path, configMap('quiet', 'on'));
  expect(quiet.status).toBe(201);
  expect(quiet.warnings).toEqual([]);
});

test('deletes are admitted with object null and oldObject the stored object; a deletecollection names no object', async () => {
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  const configMap = (name: string, labels: Record<string, string>) => ({
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels } },
  });
  for (const name of ['kept', 'kept-too']) {
    expect((await raw(kc(), 'POST', path, configMap(name, { keep: 'yes' }))).status).toBe(201);
  }
  const keep = "!has(oldObject.metadata.labels) || !('keep' in oldObject.metadata.labels)";
  const policy = `undeletable-${suffix}.e2e.kube-ts.dev`;
  const binding = `undeletable-binding-${suffix}.e2e.kube-ts.dev`;
  await create('policy', policy, {
    matchConstraints: matchIn({
      apiGroups: [''],
      resources: ['configmaps'],
      operations: ['DELETE'],
    }),
    validations: [
      {
        expression: keep,
        messageExpression:
          "'keep ' + oldObject.metadata.name + ' (' + request.operation + ', object ' + (object == null ? 'null' : 'set') + ', name \"' + request.name + '\")'",
      },
    ],
  });
  await create('binding', binding, { policyName: policy, validationActions: ['Deny'] });
  // A free ConfigMap deleted (and made again) until the policy is in force for `kept`.
  let denied: Awaited<ReturnType<typeof raw>> | undefined;
  await expect
    .poll(async () => {
      denied = await raw(kc(), 'DELETE', `${path}/kept`);
      if (denied.status === 200) await raw(kc(), 'POST', path, configMap('kept', { keep: 'yes' }));
      return denied.status;
    }, EVENTUALLY)
    .toBe(422);
  const message = (name: string, requestName: string) =>
    `ValidatingAdmissionPolicy '${policy}' with binding '${binding}' denied request: keep ${name} (DELETE, object null, name "${requestName}")`;
  expect(denied?.json()).toEqual({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `configmaps "kept" is forbidden: ${message('kept', 'kept')}`,
    reason: 'Invalid',
    details: { name: 'kept', kind: 'configmaps', causes: [{ message: message('kept', 'kept') }] },
    code: 422,
  });
  // A dry run is admitted too.
  expect((await raw(kc(), 'DELETE', `${path}/kept?dryRun=All`)).status).toBe(422);
  // What the validation allows goes.
  expect((await raw(kc(), 'POST', path, configMap('free', { other: 'x' }))).status).toBe(201);
  expect((await raw(kc(), 'DELETE', `${path}/free`)).status).toBe(200);
  // A deletecollection admits each item as a DELETE without a name: kube-apiserver calls
  // the object `Unknown` in its denial, the request has no `name` (so the messageExpression
  // fails and the expression is quoted), and the first denial ends the request.
  const collection = await raw(kc(), 'DELETE', `${path}?labelSelector=keep%3Dyes`);
  const unnamed = `ValidatingAdmissionPolicy '${policy}' with binding '${binding}' denied request: failed expression: ${keep}`;
  expect(collection.json()).toEqual({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `configmaps "Unknown" is forbidden: ${unnamed}`,
    reason: 'Invalid',
    details: { name: 'Unknown', kind: 'configmaps', causes: [{ message: unnamed }] },
    code: 422,
  });
  const left = await raw(kc(), 'GET', `${path}?labelSelector=keep%3Dyes`);
  expect(left.json().items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual([
    'kept',
    'kept-too',
  ]);
});

test('runtime cost: an expression over the per-call limit fails, a policy over its budget stops, messageExpressions are charged, skipped steps are not', async () => {
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  // `a.contains(b)` costs ceil(|a|/10) * ceil(|b|/10): 1000 * 999 = 999,000 is under the
  // per-call limit of 1,000,000, 1000 * 1001 is over it.
  const configMap = (name: string, b: number) => ({
    body: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name },
      data: { a: 'x'.repeat(10_000), b: 'y'.repeat(b), c: `${'a,'.repeat(599)}a` },
    },
  });
  const costly = 'object.data.a.contains(object.data.b)';
  const policy = (name: string) => `${name}-${suffix}.e2e.kube-ts.dev`;
  const match = (name: string) =>
    matchIn({
      apiGroups: [''],
      resources: ['configmaps'],
      operations: ['CREATE'],
      resourceNames: [name],
    });
  // Per call: under the limit the expression runs, over it it fails.
  await create('policy', policy('per-call'), {
    matchConstraints: match('per-call'),
    validations: [{ expression: costly, message: 'ran' }],
  });
  // The budget: ten validations of 999,000 fit in 10,000,000, the eleventh does not.
  await create('policy', policy('budget'), {
    matchConstraints: match('budget'),
    validations: Array.from({ length: 11 }, () => ({ expression: costly })),
  });
  // messageExpressions spend what the validations left: nine validations and two message
  // expressions of 999,000 do not fit.
  await create('policy', policy('messages'), {
    matchConstraints: match('messages'),
    validations: [
      ...Array.from({ length: 9 }, () => ({ expression: costly, message: 'ran' })),
      { expression: 'true', messageExpression: `string(${costly})` },
      { expression: 'true', messageExpression: `string(${costly})` },
    ],
  });
  // Kubernetes' library functions at kube-apiserver's runtime cost: `isSorted` of c's 600
  // one-letter strings is one traversal of them (0), where its estimate (1,200) on the same
  // sizes would take the call over the limit.
  await create('policy', policy('library'), {
    matchConstraints: match('library'),
    validations: [
      { expression: `${costly} || !object.data.c.split(',').isSorted()`, message: 'ran' },
    ],
  });
  // Only the steps taken are counted: an `exists` that finds its item, a short-circuit and
  // the branch of `?:` not taken cost nothing of what they skip (each skipped part is
  // 1,998,000), so the policy only fails on its last validation.
  const twice = `${costly} || ${costly}`;
  await create('policy', policy('early'), {
    matchConstraints: match('early'),
    validations: [
      { expression: `[1, 2].exists(i, i == 1 || ${twice})` },
      { expression: `true || ${twice}` },
      { expression: `false ? ${twice} : true` },
      { expression: 'false', message: 'ran' },
    ],
  });
  for (const name of ['per-call', 'budget', 'messages', 'early', 'library']) {
    await create('binding', `${policy(name)}-binding`, {
      policyName: policy(name),
      validationActions: ['Deny'],
    });
  }
  const denial = async (name: string, b: number) => {
    let res: Awaited<ReturnType<typeof raw>> | undefined;
    await expect
      .poll(async () => {
        res = await raw(kc(), 'POST', path, configMap(name, b));
        if (res.status === 201) await raw(kc(), 'DELETE', `${path}/${name}`);
        return res.status;
      }, EVENTUALLY)
      .toBe(422);
    const prefix = `configmaps "${name}" is forbidden: ValidatingAdmissionPolicy '${policy(name)}' with binding '${policy(name)}-binding' denied request: `;
    const message = res?.json().message as string;
    expect(message.startsWith(prefix), message).toBe(true);
    return message.slice(prefix.length);
  };
  expect(await denial('per-call', 9_990)).toBe('ran');
  expect(await denial('per-call', 10_010)).toBe(
    `expression '${costly}' resulted in error: operation cancelled: actual cost limit exceeded`,
  );
  expect(await denial('budget', 9_990)).toBe(
    'validation failed due to running out of cost budget, no further validation rules will be run',
  );
  expect(await denial('early', 9_990)).toBe('ran');
  expect(await denial('library', 9_990)).toBe('ran');
  expect(await denial('messages', 9_990)).toBe(
    'failed messageExpression: validation failed due to running out of cost budget, no further validation rules will be run',
  );
});

test('a variable is evaluated when an expression first reads it: unread it costs nothing and never fails', async () => {
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  const name = `lazy-${suffix}.e2e.kube-ts.dev`;
  // Each of these variables costs 999,000 (see the runtime cost test): read, eleven would
  // not fit in the budget.
  const costly = 'object.data.a.contains(object.data.b)';
  const costlyVariables = Array.from({ length: 11 }, (_, i) => ({
    name: `v${i}`,
    expression: costly,
  }));
  const unread = costlyVariables.map((v) => `variables.${v.name}`).join(', ');
  await create('policy', name, {
    matchConstraints: matchIn({
      apiGroups: [''],
      resources: ['configmaps'],
      operations: ['CREATE'],
      resourceNames: ['lazy', 'lazy-named'],
    }),
    variables: [{ name: 'broken', expression: "object.data.missing == 'x'" }, ...costlyVariables],
    validations: [
      { expression: `false ? [${unread}].all(x, x) : true` },
      { expression: 'has(object.data.name) ? variables.broken : true' },
      { expression: 'false', message: 'ran' },
    ],
  });
  await create('binding', `${name}-binding`, { policyName: name, validationActions: ['Deny'] });
  const configMap = (cm: string, data: Record<string, string>) => ({
    body: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: cm },
      data: { a: 'x'.repeat(10_000), b: 'y'.repeat(9_990), ...data },
    },
  });
  let res: Awaited<ReturnType<typeof raw>> | undefined;
  await expect
    .poll(async () => {
      res = await raw(kc(), 'POST', path, configMap('lazy', {}));
      if (res.status === 201) await raw(kc(), 'DELETE', `${path}/lazy`);
      return res.status;
    }, EVENTUALLY)
    .toBe(422);
  const prefix = (cm: string) =>
    `configmaps "${cm}" is forbidden: ValidatingAdmissionPolicy '${name}' with binding '${name}-binding' denied request: `;
  // Neither the unread costly variables nor the broken one count.
  expect(res?.json().message).toBe(`${prefix('lazy')}ran`);
  // Read, the broken variable fails the expression that reads it.
  const named = await raw(kc(), 'POST', path, configMap('lazy-named', { name: 'x' }));
  expect(named.status).toBe(422);
  expect(named.json().message).toBe(
    `${prefix('lazy-named')}expression 'has(object.data.name) ? variables.broken : true' resulted in error: composited variable "broken" fails to evaluate: no such key: missing`,
  );
});

test('the authorizer checks for the requesting user', async () => {
  const policy = `authz-${suffix}.e2e.kube-ts.dev`;
  await create('policy', policy, {
    matchConstraints: matchIn({
      apiGroups: [''],
      resources: ['configmaps'],
      operations: ['CREATE'],
    }),
    validations: [
      {
        expression:
          "authorizer.group('').resource('secrets').namespace(request.namespace).check('list').allowed()",
        message: 'may not list secrets',
      },
      {
        expression: "authorizer.requestResource.check('create').allowed()",
        message: 'may not create this',
      },
    ],
  });
  const binding = `authz-binding-${suffix}.e2e.kube-ts.dev`;
  await create('binding', binding, { policyName: policy, validationActions: ['Deny'] });
  await grantInNamespace(kc(), ns, 'cm-writer', 'vap-writer', [
    { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
  ]);
  let n = 0;
  const createAs = (user?: string) =>
    raw(kc(), 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `authz-${n++}` } },
      headers: user ? { 'Impersonate-User': user } : {},
    });
  // The writer may create ConfigMaps but not list Secrets: once the policy is in force
  // (and RBAC has the binding), its creates are denied.
  let denied: Awaited<ReturnType<typeof raw>> | undefined;
  await expect
    .poll(async () => {
      denied = await createAs('vap-writer');
      return denied.status;
    }, EVENTUALLY)
    .toBe(422);
  expect(denied?.json().message).toBe(
    `configmaps "authz-${n - 1}" is forbidden: ValidatingAdmissionPolicy '${policy}' with binding '${binding}' denied request: may not list secrets`,
  );
  // The admin may do both.
  expect((await createAs()).status).toBe(201);
});

test('expressions that do not compile, or have the wrong type, are refused when the policy is written', async () => {
  const name = `broken-${suffix}.e2e.kube-ts.dev`;
  const res = await raw(kc(), 'POST', POLICIES, {
    body: body('policy', name, {
      matchConstraints: matchDeployments(),
      matchConditions: [
        { name: 'c1', expression: 'nosuchvar == 1' },
        { name: 'c2', expression: "'x'" },
        {
          name: 'c3',
          expression: "authorizer.group('').resource('pods').check('get').allowed()",
        },
      ],
      variables: [{ name: 'v1', expression: 'nosuch2' }],
      validations: [
        { expression: "'y'" },
        { expression: 'true', messageExpression: '1' },
        { expression: "authorizer.requestResource.check('update').reason() == ''" },
      ],
    }),
  });
  const undeclared = (expr: string, what: string) =>
    `Invalid value: "${expr}": compilation failed: ERROR: <input>:1:1: undeclared reference to '${what}' (in container '')\n | ${expr}\n | ^`;
  const causes = [
    {
      field: 'spec.matchConditions[0].expression',
      message: undeclared('nosuchvar == 1', 'nosuchvar'),
    },
    {
      field: 'spec.matchConditions[1].expression',
      message: `Invalid value: "'x'": must evaluate to bool but got string`,
    },
    { field: 'spec.variables[0].expression', message: undeclared('nosuch2', 'nosuch2') },
    {
      field: 'spec.validations[0].expression',
      message: `Invalid value: "'y'": must evaluate to bool but got string`,
    },
    {
      field: 'spec.validations[1].messageExpression',
      message: 'Invalid value: "1": must evaluate to string but got int',
    },
  ];
  expect(res.status).toBe(422);
  expect(res.json()).toEqual({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `ValidatingAdmissionPolicy.admissionregistration.k8s.io "${name}" is invalid: [${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}]`,
    reason: 'Invalid',
    details: {
      name,
      group: 'admissionregistration.k8s.io',
      kind: 'ValidatingAdmissionPolicy',
      causes: causes.map((c) => ({ reason: 'FieldValueInvalid', ...c })),
    },
    code: 422,
  });
});

const TIMESTAMP_CHECK = 'object.metadata.creationTimestamp > 1';

test('the policy status reports type checking against the matched kinds', async () => {
  const policy = `typed-${suffix}.e2e.kube-ts.dev`;
  await create('policy', policy, {
    matchConstraints: matchDeployments(),
    validations: [
      { expression: 'object.spec.replicas > 1' },
      { expression: 'object.spec.replicass > 1', messageExpression: "'x' + object.spec.nope" },
      { expression: "object.spec.replicas > 'a'" },
      // Times are google.protobuf.Timestamp, quantities (no type in their OpenAPI v3
      // schema) are no fields at all, int-or-string values are dyn.
      { expression: TIMESTAMP_CHECK },
      { expression: 'object.spec.strategy.rollingUpdate.maxSurge > 1' },
    ],
  });
  const path = `${POLICIES}/${policy}`;
  await expect
    .poll(async () => (await raw(kc(), 'GET', path)).json().status?.observedGeneration, EVENTUALLY)
    .toBe(1);
  const status = (await raw(kc(), 'GET', path)).json().status;
  const kind = 'apps/v1, Kind=Deployment';
  expect(status).toEqual({
    observedGeneration: 1,
    typeChecking: {
      expressionWarnings: [
        {
          fieldRef: 'spec.validations[1].expression',
          warning: `${kind}: ERROR: <input>:1:12: undefined field 'replicass'\n | object.spec.replicass > 1\n | ...........^\n`,
        },
        {
          fieldRef: 'spec.validations[1].messageExpression',
          warning: `${kind}: ERROR: <input>:1:18: undefined field 'nope'\n | 'x' + object.spec.nope\n | .................^\n`,
        },
        {
          fieldRef: 'spec.validations[2].expression',
          warning: `${kind}: ERROR: <input>:1:22: found no matching overload for '_>_' applied to '(int, string)'\n | object.spec.replicas > 'a'\n | .....................^\n`,
        },
        {
          fieldRef: 'spec.validations[3].expression',
          warning: `${kind}: ERROR: <input>:1:35: found no matching overload for '_>_' applied to '(timestamp, int)'\n | ${TIMESTAMP_CHECK}\n | ${'.'.repeat(34)}^\n`,
        },
      ],
    },
  });
});

test("the policy status reports a built-in's quantities as no fields, as kube-apiserver types them", async () => {
  const policy = `typed-quota-${suffix}.e2e.kube-ts.dev`;
  await create('policy', policy, {
    matchConstraints: matchIn({
      apiGroups: [''],
      resources: ['resourcequotas'],
      operations: ['CREATE'],
    }),
    validations: [{ expression: 'object.spec.hard.size() > 0' }],
  });
  const path = `${POLICIES}/${policy}`;
  await expect
    .poll(async () => (await raw(kc(), 'GET', path)).json().status?.observedGeneration, EVENTUALLY)
    .toBe(1);
  expect((await raw(kc(), 'GET', path)).json().status.typeChecking).toEqual({
    expressionWarnings: [
      {
        fieldRef: 'spec.validations[0].expression',
        warning:
          "/v1, Kind=ResourceQuota: ERROR: <input>:1:12: undefined field 'hard'\n | object.spec.hard.size() > 0\n | ...........^\n",
      },
    ],
  });
});

const CONTAINER_FIELD = "object.spec.template.spec.containers.all(c, c.imagee != '')";
const CONTAINER_OVERLOAD = 'object.spec.template.spec.containers[0].name > 1';
const FREE_FORM = 'object.metadata.managedFields[0].fieldsV1.x == 1';
const PRESENT_FIELD = 'has(object.spec.replicas) && has(object.spec.nope.x)';
const PRESENT_ITEM_FIELD = 'object.spec.template.spec.containers.all(c, has(c.imagee))';

test("the policy status types a list's items and free-form objects as kube-apiserver does", async () => {
  const policy = `typed-items-${suffix}.e2e.kube-ts.dev`;
  await create('policy', policy, {
    matchConstraints: matchDeployments(),
    validations: [
      { expression: "object.spec.template.spec.containers.all(c, c.image != '')" },
      { expression: CONTAINER_FIELD },
      { expression: CONTAINER_OVERLOAD },
      // FieldsV1 is a free-form `type: object`: an object without fields.
      { expression: FREE_FORM },
      {
        expression:
          'object.spec.template.spec.containers[0] == oldObject.spec.template.spec.containers[0]',
      },
      // Presence tests: the tested field at the `(` of `has(`, an inner one at its `.`.
      { expression: PRESENT_FIELD },
      { expression: PRESENT_ITEM_FIELD },
    ],
  });
  const path = `${POLICIES}/${policy}`;
  await expect
    .poll(async () => (await raw(kc(), 'GET', path)).json().status?.observedGeneration, EVENTUALLY)
    .toBe(1);
  const kind = 'apps/v1, Kind=Deployment';
  const at = (expr: string, column: number, message: string) =>
    `${kind}: ERROR: <input>:1:${column}: ${message}\n | ${expr}\n | ${'.'.repeat(column - 1)}^\n`;
  expect((await raw(kc(), 'GET', path)).json().status.typeChecking).toEqual({
    expressionWarnings: [
      {
        fieldRef: 'spec.validations[1].expression',
        warning: at(
          CONTAINER_FIELD,
          CONTAINER_FIELD.indexOf('.imagee') + 1,
          "undefined field 'imagee'",
        ),
      },
      {
        fieldRef: 'spec.validations[2].expression',
        warning: at(
          CONTAINER_OVERLOAD,
          CONTAINER_OVERLOAD.indexOf('>') + 1,
          "found no matching overload for '_>_' applied to '(string, int)'",
        ),
      },
      {
        fieldRef: 'spec.validations[3].expression',
        warning: at(FREE_FORM, FREE_FORM.indexOf('.x') + 1, "undefined field 'x'"),
      },
      {
        fieldRef: 'spec.validations[5].expression',
        warning: at(PRESENT_FIELD, PRESENT_FIELD.indexOf('.nope') + 1, "undefined field 'nope'"),
      },
      {
        fieldRef: 'spec.validations[6].expression',
        warning: at(
          PRESENT_ITEM_FIELD,
          PRESENT_ITEM_FIELD.indexOf('(c.imagee') + 1,
          "undefined field 'imagee'",
        ),
      },
    ],
  });
});

test("the policy status types a custom resource's maps of objects and free-form fields as kube-apiserver does", async () => {
  const group = `typed-${suffix}.e2e.kube-ts.dev`;
  const spec = {
    type: 'object',
    properties: {
      byName: {
        type: 'object',
        additionalProperties: { type: 'object', properties: { size: { type: 'integer' } } },
      },
      open: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      openWithFields: {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
        properties: { a: { type: 'string' } },
      },
      untyped: { 'x-kubernetes-preserve-unknown-fields': true },
      items: { type: 'array', items: { type: 'object', properties: { n: { type: 'integer' } } } },
    },
  };
  const crd = namespacedCrd(group, 'Gadget', {
    schema: { openAPIV3Schema: { type: 'object', properties: { spec } } },
  });
  await installCrd(e2e, crd, `/apis/${group}/v1/namespaces/${ns}/gadgets`);
  // The status controller types the kind from the published OpenAPI document.
  await expect
    .poll(async () => (await raw(kc(), 'GET', `/openapi/v3/apis/${group}/v1`)).status, EVENTUALLY)
    .toBe(200);
  const policy = `typed-crd-${suffix}.e2e.kube-ts.dev`;
  const checks = [
    "object.spec.byName['a'].size > 1 && object.spec.openWithFields.a != '' && object.spec.items[0].n > 0",
    "object.spec.byName['a'].sizee > 1",
    "object.spec.byName['a'].size > 'x'",
    'object.spec.open.x == 1',
    'object.spec.openWithFields.b == 1',
    'object.spec.untyped == 1',
    'object.spec.items.all(i, i.m > 0)',
  ];
  await create('policy', policy, {
    matchConstraints: matchIn({
      apiGroups: [group],
      resources: ['gadgets'],
      operations: ['CREATE'],
    }),
    validations: checks.map((expression) => ({ expression })),
  });
  const path = `${POLICIES}/${policy}`;
  await expect
    .poll(async () => (await raw(kc(), 'GET', path)).json().status?.observedGeneration, EVENTUALLY)
    .toBe(1);
  const warning = (i: number, column: number, message: string) => ({
    fieldRef: `spec.validations[${i}].expression`,
    warning: `${group}/v1, Kind=Gadget: ERROR: <input>:1:${column}: ${message}\n | ${checks[i]}\n | ${'.'.repeat(column - 1)}^\n`,
  });
  const field = (i: number, name: string) =>
    warning(i, (checks[i] ?? '').lastIndexOf(`.${name}`) + 1, `undefined field '${name}'`);
  expect((await raw(kc(), 'GET', path)).json().status.typeChecking).toEqual({
    expressionWarnings: [
      field(1, 'sizee'),
      warning(
        2,
        (checks[2] ?? '').indexOf('>') + 1,
        "found no matching overload for '_>_' applied to '(int, string)'",
      ),
      field(3, 'x'),
      field(4, 'b'),
      field(5, 'untyped'),
      field(6, 'm'),
    ],
  });
});

/** Waits for the status controller to check a policy; resolves its type checking. */
async function typeCheckingOf(policy: string) {
  const path = `${POLICIES}/${policy}`;
  await expect
    .poll(async () => (await raw(kc(), 'GET', path)).json().status?.observedGeneration, EVENTUALLY)
    .toBe(1);
  return (await raw(kc(), 'GET', path)).json().status.typeChecking;
}

test("the policy status types params from the paramKind's schema: a built-in kind and a custom resource", async () => {
  const group = `params-${suffix}.e2e.kube-ts.dev`;
  const spec = { type: 'object', properties: { limit: { type: 'integer' } } };
  await installCrd(
    e2e,
    namespacedCrd(group, 'Limit', {
      schema: { openAPIV3Schema: { type: 'object', properties: { spec } } },
    }),
    `/apis/${group}/v1/namespaces/${ns}/limits`,
  );
  await expect
    .poll(async () => (await raw(kc(), 'GET', `/openapi/v3/apis/${group}/v1`)).status, EVENTUALLY)
    .toBe(200);
  const kind = 'apps/v1, Kind=Deployment';
  const at = (expr: string, column: number, message: string) =>
    `${kind}: ERROR: <input>:1:${column}: ${message}\n | ${expr}\n | ${'.'.repeat(column - 1)}^\n`;
  const configMapChecks = [
    "params.data['max'] != '' && params.metadata.name != ''",
    "params.dataa['max'] != ''",
    "params.data['max'] > object.spec.replicas",
  ];
  const configMapPolicy = `typed-params-${suffix}.e2e.kube-ts.dev`;
  await create('policy', configMapPolicy, {
    paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
    matchConstraints: matchDeployments(),
    validations: configMapChecks.map((expression) => ({ expression })),
  });
  const customChecks = [
    'object.spec.replicas <= params.spec.limit',
    'object.spec.replicas <= params.spec.limitt',
    "params.spec.limit > 'a'",
  ];
  const customPolicy = `typed-params-crd-${suffix}.e2e.kube-ts.dev`;
  await create('policy', customPolicy, {
    paramKind: { apiVersion: `${group}/v1`, kind: 'Limit' },
    matchConstraints: matchDeployments(),
    validations: customChecks.map((expression) => ({ expression })),
  });
  // Checks [1] name an undefined `field`, checks [2] compare `operands` with `>`.
  const expected = (checks: string[], field: string, operands: string) => {
    const [undefinedField, overload] = [checks[1] ?? '', checks[2] ?? ''];
    return {
      expressionWarnings: [
        {
          fieldRef: 'spec.validations[1].expression',
          warning: at(
            undefinedField,
            undefinedField.indexOf(`.${field}`) + 1,
            `undefined field '${field}'`,
          ),
        },
        {
          fieldRef: 'spec.validations[2].expression',
          warning: at(
            overload,
            overload.indexOf('>') + 1,
            `found no matching overload for '_>_' applied to '(${operands})'`,
          ),
        },
      ],
    };
  };
  expect(await typeCheckingOf(configMapPolicy)).toEqual(
    expected(configMapChecks, 'dataa', 'string, int'),
  );
  expect(await typeCheckingOf(customPolicy)).toEqual(
    expected(customChecks, 'limitt', 'int, string'),
  );
});

test("the policy status names object and params types after their kinds and the clock's nanoseconds", async () => {
  const policy = `typed-names-${suffix}.e2e.kube-ts.dev`;
  await create('policy', policy, {
    paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
    matchConstraints: matchDeployments(),
    validations: [
      { expression: 'object.spec + 1 == 1' },
      { expression: 'object.spec.template.spec.containers[0] + 1 == 1' },
      { expression: 'params + 1 == 1' },
    ],
  });
  const warnings: { warning: string }[] = (await typeCheckingOf(policy)).expressionWarnings;
  expect(warnings.map((w) => /applied to '\((.*)\)'/.exec(w.warning)?.[1])).toEqual([
    expect.stringMatching(/^Deployment\d+\.spec, int$/),
    expect.stringMatching(/^Deployment\d+\.spec\.template\.spec\.containers\.@idx, int$/),
    expect.stringMatching(/^ConfigMap\d+, int$/),
  ]);
});

test('request and namespaceObject are typed as kube-apiserver types them, and variables keep primitive, list and map types', async () => {
  const compileError = (expr: string, col: number, why: string) =>
    `compilation failed: ERROR: <input>:1:${col}: ${why}\n | ${expr}\n | ${'.'.repeat(col - 1)}^`;
  const undefinedField = (expr: string, field: string) =>
    compileError(expr, expr.lastIndexOf(`.${field}`) + 1, `undefined field '${field}'`);
  const overload = (expr: string, op: string, types: string) =>
    compileError(
      expr,
      expr.indexOf(` ${op} `) + 2,
      `found no matching overload for '_${op}_' applied to '(${types})'`,
    );
  // Only the fields kube-apiserver's hand-made types have: no request.uid, the namespace's UID.
  const typed =
    "request.kind.group == '' && request.userInfo.groups.exists(g, g == 'a') && request.dryRun && " +
    "request.userInfo.extra['a'][0] == 'b' && request.options.x == 1 && request.kind == request.requestKind && " +
    "namespaceObject.metadata.labels['a'] == 'b' && namespaceObject.metadata.UID == '' && " +
    "namespaceObject.status.conditions[0].lastTransitionTime > timestamp('2020-01-01T00:00:00Z') && namespaceObject != null";
  const refused: [string, string][] = [
    ['request.nope == 1', undefinedField('request.nope == 1', 'nope')],
    ['request.uid == ""', undefinedField('request.uid == ""', 'uid')],
    ["request.userInfo.nope == ''", undefinedField("request.userInfo.nope == ''", 'nope')],
    ['namespaceObject.spec.nope == 1', undefinedField('namespaceObject.spec.nope == 1', 'nope')],
    [
      "namespaceObject.metadata.uid == ''",
      undefinedField("namespaceObject.metadata.uid == ''", 'uid'),
    ],
    ["request.dryRun == 'x'", overload("request.dryRun == 'x'", '==', 'bool, string')],
    [
      "namespaceObject.metadata.labels['a'] == 1",
      overload("namespaceObject.metadata.labels['a'] == 1", '==', 'string, int'),
    ],
    ['variables.groups[0] == 1', overload('variables.groups[0] == 1', '==', 'string, int')],
    ['request.userInfo', 'must evaluate to bool but got kubernetes.UserInfo'],
    ['namespaceObject.metadata', 'must evaluate to bool but got kubernetes.NamespaceMetadata'],
  ];
  // A variable holding an object (or an optional) is dyn to the expressions after it.
  const accepted = [typed, 'variables.user.nope == 1 && variables.name == 1'];
  const res = await raw(kc(), 'POST', POLICIES, {
    query: { dryRun: 'All' },
    body: body('policy', `typed-request-${suffix}.e2e.kube-ts.dev`, {
      matchConstraints: matchDeployments(),
      variables: [
        { name: 'user', expression: 'request.userInfo' },
        { name: 'groups', expression: 'request.userInfo.groups' },
        { name: 'name', expression: 'namespaceObject.metadata.?name' },
      ],
      validations: [...accepted, ...refused.map(([e]) => e)].map((expression) => ({ expression })),
    }),
  });
  expect(res.status, res.text).toBe(422);
  expect(res.json().details.causes).toEqual(
    refused.map(([expression, why], i) => ({
      reason: 'FieldValueInvalid',
      field: `spec.validations[${i + accepted.length}].expression`,
      message: `Invalid value: ${JSON.stringify(expression)}: ${why}`,
    })),
  );
  // A webhook's matchConditions have them too (namespaceObject declared, typed).
  const webhook = await raw(
    kc(),
    'POST',
    '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations',
    {
      query: { dryRun: 'All' },
      body: {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name: `typed-request-${suffix}.e2e.kube-ts.dev` },
        webhooks: [
          {
            name: 'typed.e2e.kube-ts.dev',
            clientConfig: { url: 'https://127.0.0.1:1/validate' },
            sideEffects: 'None',
            admissionReviewVersions: ['v1'],
            matchConditions: [
              {
                name: 'ok',
                expression: "namespaceObject.metadata.name == 'a' && request.name != ''",
              },
              { name: 'field', expression: 'request.nope == 1' },
            ],
          },
        ],
      },
    },
  );
  expect(webhook.status, webhook.text).toBe(422);
  expect(webhook.json().details.causes).toEqual([
    {
      reason: 'FieldValueInvalid',
      field: 'webhooks[0].matchConditions[1].expression',
      message: `Invalid value: "request.nope == 1": ${undefinedField('request.nope == 1', 'nope')}`,
    },
  ]);
});

test('the policy status types variables by the matched kind: an int or a list of strings stays one, an object is dyn', async () => {
  const policy = `typed-variables-${suffix}.e2e.kube-ts.dev`;
  const checks = [
    "variables.replicas == 'a'",
    'variables.names[0] == 1',
    'variables.spec.replicass == 1 && variables.containers[0].nope == 1',
  ];
  // At write time object is dyn, so every variable is: the policy is accepted.
  await create('policy', policy, {
    matchConstraints: matchDeployments(),
    variables: [
      { name: 'replicas', expression: 'object.spec.replicas' },
      { name: 'names', expression: 'object.spec.template.spec.containers.map(c, c.name)' },
      { name: 'spec', expression: 'object.spec' },
      { name: 'containers', expression: 'object.spec.template.spec.containers' },
    ],
    validations: checks.map((expression) => ({ expression })),
  });
  const kind = 'apps/v1, Kind=Deployment';
  const at = (expr: string, types: string) => {
    const col = expr.indexOf(' == ') + 2;
    return `${kind}: ERROR: <input>:1:${col}: found no matching overload for '_==_' applied to '(${types})'\n | ${expr}\n | ${'.'.repeat(col - 1)}^\n`;
  };
  expect(await typeCheckingOf(policy)).toEqual({
    expressionWarnings: [
      { fieldRef: 'spec.validations[0].expression', warning: at(checks[0] ?? '', 'int, string') },
      { fieldRef: 'spec.validations[1].expression', warning: at(checks[1] ?? '', 'string, int') },
    ],
  });
});

test('auditAnnotations and variables are checked when the policy is written: keys, types, declared variables', async () => {
  const name = `audit-${suffix}.e2e.kube-ts.dev`;
  const res = await raw(kc(), 'POST', POLICIES, {
    body: body('policy', name, {
      matchConstraints: matchDeployments(),
      variables: [
        { name: 'ok', expression: "'x'" },
        { name: 'early', expression: 'variables.late' },
        { name: 'late', expression: 'object.metadata.name' },
      ],
      validations: [{ expression: "variables.ok != ''" }],
      auditAnnotations: [
        { key: 'good', valueExpression: 'variables.ok' },
        { key: 'dyn', valueExpression: 'object.metadata.name' },
        { key: 'list', valueExpression: '[1]' },
        { key: 'undeclared', valueExpression: 'variables.nope' },
        { key: 'Bad Key!', valueExpression: "'x'" },
        { key: '', valueExpression: ' ' },
        { key: 'good', valueExpression: 'null' },
      ],
    }),
  });
  const undefinedField = (expr: string, field: string) => {
    const col = expr.indexOf(`.${field}`) + 1;
    return `Invalid value: "${expr}": compilation failed: ERROR: <input>:1:${col}: undefined field '${field}'\n | ${expr}\n | ${'.'.repeat(col - 1)}^`;
  };
  const nameRule =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  const invalid = (field: string, message: string) => ({
    reason: 'FieldValueInvalid',
    field,
    message,
  });
  const causes = [
    invalid('spec.variables[1].expression', undefinedField('variables.late', 'late')),
    invalid(
      'spec.auditAnnotations[1].valueExpression',
      'Invalid value: "object.metadata.name": must evaluate to one of [string null_type] but got dyn',
    ),
    invalid(
      'spec.auditAnnotations[2].valueExpression',
      'Invalid value: "[1]": must evaluate to one of [string null_type] but got list(int)',
    ),
    invalid('spec.auditAnnotations[3].valueExpression', undefinedField('variables.nope', 'nope')),
    invalid('spec.auditAnnotations[4].key', `Invalid value: "${name}/Bad Key!": ${nameRule}`),
    invalid(
      'spec.auditAnnotations[5].key',
      `Invalid value: "${name}/": name part must be non-empty`,
    ),
    invalid('spec.auditAnnotations[5].key', `Invalid value: "${name}/": ${nameRule}`),
    {
      reason: 'FieldValueRequired',
      field: 'spec.auditAnnotations[5].valueExpression',
      message: 'Required value: valueExpression is not specified',
    },
    {
      reason: 'FieldValueDuplicate',
      field: 'spec.auditAnnotations[6].key',
      message: 'Duplicate value: "good"',
    },
  ];
  expect(res.status, res.text).toBe(422);
  expect(res.json().details.causes).toEqual(causes);
  // At most 20: the list refused as a whole (its value Go's JSON of the internal type).
  const many = Array.from({ length: 21 }, (_, i) => ({
    key: i === 20 ? 'Bad Key!' : `k${i}`,
    valueExpression: i === 0 ? "'<a>'" : "'x'",
  }));
  const tooMany = await raw(kc(), 'POST', POLICIES, {
    body: body('policy', `many-${name}`, {
      matchConstraints: matchDeployments(),
      auditAnnotations: many,
    }),
  });
  const value = JSON.stringify(
    many.map((a) => ({ Key: a.key, ValueExpression: a.valueExpression })),
  ).replace(/[<>]/g, (c) => (c === '<' ? '\\u003c' : '\\u003e'));
  expect(tooMany.status, tooMany.text).toBe(422);
  expect(tooMany.json().details.causes).toEqual([
    invalid(
      'spec.auditAnnotations',
      `Invalid value: ${value}: must not have more than 20 auditAnnotations`,
    ),
    invalid('spec.auditAnnotations[20].key', `Invalid value: "many-${name}/Bad Key!": ${nameRule}`),
  ]);
});

test("calls, unary operators, indexes, conditionals and macros that do not check are refused in cel-go's words and columns", async () => {
  // Each expression, the 1-based column cel-go points at, and its words.
  const cases: [string, number, string][] = [
    ["'a'.startsWith()", 15, "found no matching overload for 'startsWith' applied to 'string.()'"],
    [
      "'a'.contains('a', 'b')",
      13,
      "found no matching overload for 'contains' applied to 'string.(string, string)'",
    ],
    ['size(1, 2) == 1', 5, "found no matching overload for 'size' applied to '(int, int)'"],
    [
      'size(object) == 1 && size(1) == 1',
      26,
      "found no matching overload for 'size' applied to '(int)'",
    ],
    ["int('a', 1) == 1", 4, "found no matching overload for 'int' applied to '(string, int)'"],
    ['nope(1)', 5, "undeclared reference to 'nope' (in container '')"],
    ["'a'.nope()", 9, "undeclared reference to 'nope' (in container '')"],
    ['!1', 1, "found no matching overload for '!_' applied to '(int)'"],
    ["-'a' == 1", 1, "found no matching overload for '-_' applied to '(string)'"],
    [
      "(true ? 1 : 'a') == 1",
      7,
      "found no matching overload for '_?_:_' applied to '(bool, int, string)'",
    ],
    ["'a'[0] == 'a'", 4, "found no matching overload for '_[_]' applied to '(string, int)'"],
    ["1 in 'a'", 3, "found no matching overload for '@in' applied to '(int, string)'"],
    ["1 == 'a'", 3, "found no matching overload for '_==_' applied to '(int, string)'"],
    ['1 == 1.0', 3, "found no matching overload for '_==_' applied to '(int, double)'"],
    ['[1].all(1, true)', 9, 'argument must be a simple name'],
    ['[1, 2].exists(x, x)', 18, "expected type 'bool' but found 'int'"],
    ['{1: 2}.all(k, k)', 15, "expected type 'bool' but found 'int'"],
    ['has(1)', 5, 'invalid argument to has() macro'],
    ['has(object.m[object.s])', 13, 'invalid argument to has() macro'],
    // A predicate cel-go's expansion makes a conditional's condition, at the macro's `(`.
    [
      '[1, 2].exists_one(x, x)',
      18,
      "found no matching overload for '_?_:_' applied to '(int, int, int)'",
    ],
    [
      '[1, 2].filter(x, x).size() > 0',
      14,
      "found no matching overload for '_?_:_' applied to '(int, list(int), list(int))'",
    ],
    [
      "{'a': 1}.filter(k, 1).size() > 0",
      16,
      "found no matching overload for '_?_:_' applied to '(int, list(string), list(string))'",
    ],
    [
      "['a'].map(x, 1, x).size() > 0",
      10,
      "found no matching overload for '_?_:_' applied to '(int, list(string), list(string))'",
    ],
    // A macro with the wrong number of arguments is a call of an undeclared function.
    ['[1].all(true)', 8, "undeclared reference to 'all' (in container '')"],
    // Literal arguments, as cel-go's validators check them once the expression checks.
    ['duration(1) > duration("1s")', 10, 'invalid duration argument'],
    ['duration("abc") > duration("1s")', 10, 'invalid duration argument'],
    ['timestamp("x") > timestamp(1)', 11, 'invalid timestamp argument'],
    ["'a'.matches('[')", 13, 'invalid matches argument'],
    // Two-variable comprehensions (cel-go's ext.TwoVarComprehensions).
    ['[1].all(i, i, true)', 12, 'duplicate variable name: i'],
    ['[1].exists(i, x, x)', 18, "expected type 'bool' but found 'int'"],
    [
      '1.all(i, x, true)',
      1,
      "expression of type 'int' cannot be range of a comprehension (must be list, map, or dynamic)",
    ],
    [
      "{'a': 1}.existsOne(k, v, v)",
      19,
      "found no matching overload for '_?_:_' applied to '(int, int, int)'",
    ],
    [
      "[1].transformMap(i, x, 'a').all(k, v, k == 'a')",
      41,
      "found no matching overload for '_==_' applied to '(int, string)'",
    ],
  ];
  const res = await raw(kc(), 'POST', POLICIES, {
    query: { dryRun: 'All' },
    body: body('policy', `calls-${suffix}.e2e.kube-ts.dev`, {
      matchConstraints: matchDeployments(),
      validations: cases.map(([expression]) => ({ expression })),
    }),
  });
  expect(res.status, res.text).toBe(422);
  expect(res.json().details.causes).toEqual(
    cases.map(([expression, col, why], i) => ({
      reason: 'FieldValueInvalid',
      field: `spec.validations[${i}].expression`,
      message: `Invalid value: ${JSON.stringify(expression)}: compilation failed: ERROR: <input>:1:${col}: ${why}\n | ${expression}\n | ${'.'.repeat(col - 1)}^`,
    })),
  );
});

test("an expression's every error, methods on dyn values and syntax errors are refused in cel-go's words", async () => {
  // The words and names after the punctuation in ANTLR's lists of tokens that may start an
  // expression.
  const WORDS = "'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}";
  // Each expression and cel-go's errors for it: the 1-based column and the words.
  const cases: [string, [number, string][]][] = [
    [
      '[1].all(x)',
      [
        [8, "undeclared reference to 'all' (in container '')"],
        [9, "undeclared reference to 'x' (in container '')"],
      ],
    ],
    [
      "object.a + 1 > 'a' && 1 + 'a' == 2",
      [
        [14, "found no matching overload for '_>_' applied to '(int, string)'"],
        [25, "found no matching overload for '_+_' applied to '(int, string)'"],
      ],
    ],
    [
      'object.a.startsWith(1)',
      [[20, "found no matching overload for 'startsWith' applied to 'dyn.(int)'"]],
    ],
    [
      'object.b.contains(1) || object.c.indexOf(1, 2) == 1',
      [
        [18, "found no matching overload for 'contains' applied to 'dyn.(int)'"],
        [41, "found no matching overload for 'indexOf' applied to 'dyn.(int, int)'"],
      ],
    ],
    [
      'object.a.size(1) == 1',
      [[14, "found no matching overload for 'size' applied to 'dyn.(int)'"]],
    ],
    ["'a'.b == 1", [[4, "type 'string' does not support field selection"]]],
    // Patterns RE2 refuses though JavaScript reads them.
    ["'a'.matches('(?=a)')", [[13, 'invalid matches argument']]],
    ["'a'.matches('\\\\1')", [[13, 'invalid matches argument']]],
    ["'a'.matches('\\\\Z')", [[13, 'invalid matches argument']]],
    ["'a'.matches('[\\\\b]')", [[13, 'invalid matches argument']]],
    // Only mutations construct objects, inside a list too.
    [
      "[JSONPatch{op: 'add', path: '/x', value: 1}].size() == 1",
      [[11, "undeclared reference to 'JSONPatch' (in container '')"]],
    ],
    // A policy without variables has no `variables` declared.
    ['variables.nope == 1', [[1, "undeclared reference to 'variables' (in container '')"]]],
    ['Bad Value!', [[5, "Syntax error: mismatched input 'Value' expecting <EOF>"]]],
    ["object.a == 'x' #", [[17, "Syntax error: token recognition error at: '#'"]]],
    ["f(object.a 'b')", [[12, "Syntax error: extraneous input ''b'' expecting ')'"]]],
    // An expression missing where one must start: ANTLR lists what may start one there.
    [
      'object.a[] == 1',
      [
        [
          10,
          `Syntax error: mismatched input ']' expecting {'[', '{', '(', '.', '-', '!', '?', ${WORDS}`,
        ],
      ],
    ],
    [
      'object.a[?',
      [
        [
          11,
          `Syntax error: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', ${WORDS}`,
        ],
      ],
    ],
    [
      '[',
      [
        [
          2,
          `Syntax error: mismatched input '<EOF>' expecting {'[', ']', '{', '(', '.', ',', '-', '!', '?', ${WORDS}`,
        ],
      ],
    ],
    [
      'f(,)',
      [
        [
          3,
          `Syntax error: extraneous input ',' expecting {'[', '{', '(', ')', '.', '-', '!', ${WORDS}`,
        ],
      ],
    ],
    ['object..a', [[8, "Syntax error: no viable alternative at input '..'"]]],
    ["object.a[1, 2] == 'x'", [[11, "Syntax error: mismatched input ',' expecting ']'"]]],
    // A call's arguments take no trailing comma (a list's do).
    [
      "object.a.startsWith('x', )",
      [
        [
          26,
          `Syntax error: mismatched input ')' expecting {'[', '{', '(', '.', '-', '!', ${WORDS}`,
        ],
      ],
    ],
    [
      'object ? : true',
      [
        [
          10,
          `Syntax error: extraneous input ':' expecting {'[', '{', '(', '.', '-', '!', ${WORDS}`,
        ],
        [16, "Syntax error: mismatched input '<EOF>' expecting ':'"],
      ],
    ],
    [
      'object ?? true',
      [
        [9, `Syntax error: extraneous input '?' expecting {'[', '{', '(', '.', '-', '!', ${WORDS}`],
        [15, "Syntax error: mismatched input '<EOF>' expecting ':'"],
      ],
    ],
    [
      'object.`a`()',
      [
        [8, "unsupported syntax: '`'"],
        [11, "Syntax error: mismatched input '(' expecting <EOF>"],
      ],
    ],
    [
      '[object b, c].size() == 2',
      [
        [9, "Syntax error: extraneous input 'b' expecting {']', ','}"],
        [12, "Syntax error: extraneous input 'c' expecting ']'"],
      ],
    ],
    [
      '[object b, c, d] == []',
      [
        [9, "Syntax error: extraneous input 'b' expecting {']', ','}"],
        [12, "Syntax error: mismatched input 'c' expecting ']'"],
      ],
    ],
  ];
  const res = await raw(kc(), 'POST', POLICIES, {
    query: { dryRun: 'All' },
    body: body('policy', `errors-${suffix}.e2e.kube-ts.dev`, {
      matchConstraints: matchDeployments(),
      validations: cases.map(([expression]) => ({ expression })),
    }),
  });
  expect(res.status, res.text).toBe(422);
  expect(res.json().details.causes).toEqual(
    cases.map(([expression, errors], i) => ({
      reason: 'FieldValueInvalid',
      field: `spec.validations[${i}].expression`,
      message: `Invalid value: ${JSON.stringify(expression)}: compilation failed: ${errors
        .map(
          ([col, why]) =>
            `ERROR: <input>:1:${col}: ${why}\n | ${expression}\n | ${'.'.repeat(col - 1)}^`,
        )
        .join('\n')}`,
    })),
  );
});

test("a policy's failurePolicy, paramKind, matchConstraints, variable names and reasons are defaulted and checked as kube-apiserver does", async () => {
  const post = (name: string, spec: object) =>
    raw(kc(), 'POST', POLICIES, { query: { dryRun: 'All' }, body: body('policy', name, spec) });
  const refused = (name: string, spec: object, causes: Cause[]) =>
    expectCauses(kc(), POLICIES, body('policy', name, spec), causes);
  const none = 'Required value: validations or auditAnnotations must contain at least one item';
  await refused(`empty-${suffix}.e2e.kube-ts.dev`, {}, [
    ['spec.matchConstraints', 'FieldValueRequired', 'Required value'],
    ['spec.validations', 'FieldValueRequired', none],
    ['spec.auditAnnotations', 'FieldValueRequired', none],
  ]);
  const dns1035 =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
  const bad = {
    failurePolicy: 'Nope',
    paramKind: { apiVersion: 'a/b/c', kind: 'Bad_Kind' },
    matchConstraints: { matchPolicy: 'Nope', resourceRules: [] },
    variables: [
      { name: 'in', expression: 'true' },
      { name: '', expression: 'true' },
    ],
    validations: [{ expression: 'true', reason: 'Nope' }],
  };
  await refused(`bad-${suffix}.e2e.kube-ts.dev`, bad, [
    [
      'spec.failurePolicy',
      'FieldValueNotSupported',
      'Unsupported value: "Nope": supported values: "Fail", "Ignore"',
    ],
    [
      'spec.paramKind.apiVersion',
      'FieldValueInvalid',
      'Invalid value: "a/b/c": unexpected GroupVersion string: a/b/c',
    ],
    [
      'spec.paramKind.kind',
      'FieldValueInvalid',
      `Invalid value: "Bad_Kind": may have mixed case, but should otherwise match: ${dns1035}`,
    ],
    [
      'spec.matchConstraints.matchPolicy',
      'FieldValueNotSupported',
      'Unsupported value: "Nope": supported values: "Equivalent", "Exact"',
    ],
    ['spec.matchConstraints.resourceRules', 'FieldValueRequired', 'Required value'],
    [
      'spec.variables[0].name',
      'FieldValueInvalid',
      'Invalid value: "in": must be a valid CEL identifier',
    ],
    ['spec.variables[1].name', 'FieldValueRequired', 'Required value: name is not specified'],
    [
      'spec.validations[0].reason',
      'FieldValueNotSupported',
      'Unsupported value: "Nope": supported values: "Forbidden", "Invalid", "RequestEntityTooLarge"',
    ],
  ]);
  const created = await post(`defaults-${suffix}.e2e.kube-ts.dev`, {
    matchConstraints: {
      resourceRules: [
        {
          apiGroups: ['apps'],
          apiVersions: ['v1'],
          operations: ['CREATE'],
          resources: ['deployments'],
        },
      ],
    },
    validations: [{ expression: 'true' }],
  });
  expect(created.status, created.text).toBe(201);
  const spec = created.json().spec;
  expect(spec.failurePolicy).toBe('Fail');
  expect(spec.matchConstraints).toEqual({
    matchPolicy: 'Equivalent',
    namespaceSelector: {},
    objectSelector: {},
    resourceRules: [
      {
        apiGroups: ['apps'],
        apiVersions: ['v1'],
        operations: ['CREATE'],
        resources: ['deployments'],
        scope: '*',
      },
    ],
  });
});

/**
 * A namespace of its own, which the other tests' policies do not match, labelled
 * `<label>: <suffix>`, and the selector of that label.
 */
async function ownNamespace(label: string) {
  const own = await e2e.namespace(label);
  const labelled = await raw(kc(), 'PATCH', `/api/v1/namespaces/${own}`, {
    body: { metadata: { labels: { [label]: suffix } } },
    contentType: 'application/merge-patch+json',
  });
  expect(labelled.status).toBe(200);
  return { own, namespaceSelector: { matchLabels: { [label]: suffix } } };
}

test("two-variable comprehensions run in policies, as kube-apiserver's environment has them", async () => {
  const { own, namespaceSelector } = await ownNamespace('e2e-vap-twovar');
  const policy = `twovars-${suffix}.e2e.kube-ts.dev`;
  const binding = `twovars-binding-${suffix}.e2e.kube-ts.dev`;
  await create('policy', policy, {
    matchConstraints: matchIn(
      { apiGroups: ['apps'], resources: ['deployments'], operations: ['CREATE', 'UPDATE'] },
      namespaceSelector,
    ),
    validations: [
      {
        expression:
          "object.spec.template.metadata.labels.all(k, v, v != 'twovar-deny') && object.spec.template.spec.containers.existsOne(i, c, i == 0)",
        messageExpression:
          "object.spec.template.spec.containers.transformList(i, c, string(i) + '=' + c.name).join(',') + ' ' + string(object.spec.template.metadata.labels.transformMap(k, v, v.size())[\"app\"])",
      },
    ],
  });
  await create('binding', binding, {
    policyName: policy,
    validationActions: ['Deny'],
    matchResources: { namespaceSelector },
  });
  const denied = await firstDenial('twovar-deny', 1, own);
  expect(denied.status).toBe(422);
  expect(denied.json().message).toBe(
    `deployments.apps "twovar-deny" is forbidden: ValidatingAdmissionPolicy '${policy}' with binding '${binding}' denied request: 0=app 11`,
  );
  const path = `/apis/apps/v1/namespaces/${own}/deployments`;
  const allowed = await raw(kc(), 'POST', path, { body: deployment('twovar-allow', 1) });
  expect(allowed.status, allowed.text).toBe(201);
});

test("list and map literals must be homogeneous, as kube-apiserver's CEL environment checks them", async () => {
  // Each expression, the 1-based line and column of the element that differs, and why.
  const cases: [string, number, number, string][] = [
    ["[1, 'a'].size() > 0", 1, 5, "expected type 'int' but found 'string'"],
    ["{'a': 1, 'b': 'x'}.size() > 0", 1, 15, "expected type 'int' but found 'string'"],
    ["{'a': 1, 2: 1}.size() > 0", 1, 10, "expected type 'string' but found 'int'"],
    // dyn is a type of its own: mixed with another, the literal does not compile.
    ['[object.a, 1].size() > 0', 1, 12, "expected type 'dyn' but found 'int'"],
    ['[1, object.a, "x"].size() > 0', 1, 11, "expected type 'int' but found 'dyn'"],
    ['[[1], ["x"]].size() > 0', 1, 7, "expected type 'list(int)' but found 'list(string)'"],
    ['[1, null].size() > 0', 1, 5, "expected type 'int' but found 'null'"],
    ['[1, 2.0].size() > 0', 1, 5, "expected type 'int' but found 'double'"],
    ["[1,\n 'a'].size() > 0", 2, 2, "expected type 'int' but found 'string'"],
  ];
  const res = await raw(kc(), 'POST', POLICIES, {
    query: { dryRun: 'All' },
    body: body('policy', `mixed-${suffix}.e2e.kube-ts.dev`, {
      matchConstraints: matchDeployments(),
      validations: [
        ...cases.map(([expression]) => ({ expression })),
        { expression: "[1, 2].size() > 0 && {'a': 'b'}.size() > 0" },
        // The arguments of format are exempt.
        { expression: "'%s %d'.format([object.metadata.name, 1]) != ''" },
      ],
    }),
  });
  expect(res.status, res.text).toBe(422);
  expect(res.json().details.causes).toEqual(
    cases.map(([expression, line, col, why], i) => ({
      reason: 'FieldValueInvalid',
      field: `spec.validations[${i}].expression`,
      message: `Invalid value: ${JSON.stringify(expression)}: compilation failed: ERROR: <input>:${line}:${col}: ${why}\n | ${expression.split('\n')[line - 1]}\n | ${'.'.repeat(col - 1)}^`,
    })),
  );
});

test('matchConditions see no variables, params need a paramKind, and dyn is not a bool or a string', async () => {
  const write = async (name: string, spec: object) => {
    const res = await raw(kc(), 'POST', POLICIES, {
      body: body('policy', `${name}-${suffix}.e2e.kube-ts.dev`, {
        matchConstraints: matchDeployments(),
        ...spec,
      }),
    });
    expect(res.status, res.text).toBe(422);
    return res.json().details.causes;
  };
  const invalid = (field: string, expression: string, why: string) => ({
    reason: 'FieldValueInvalid',
    field,
    message: `Invalid value: ${JSON.stringify(expression)}: ${why}`,
  });
  const undeclared = (expression: string, name: string) => {
    const col = expression.indexOf(name) + 1;
    return `compilation failed: ERROR: <input>:1:${col}: undeclared reference to '${name}' (in container '')\n | ${expression}\n | ${'.'.repeat(col - 1)}^`;
  };
  const withParams = await write('typed-params', {
    paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
    matchConditions: [
      { name: 'dyn', expression: 'object.metadata.name' },
      { name: 'params', expression: 'params.x == 1' },
      { name: 'namespace', expression: "namespaceObject.metadata.name == 'a'" },
      { name: 'variables', expression: 'variables == 1' },
    ],
    variables: [{ name: 'name', expression: 'object.metadata.name' }],
    validations: [
      { expression: 'object.metadata.name' },
      { expression: 'variables.name', messageExpression: 'variables.name' },
      { expression: 'dyn(true)', messageExpression: "'a' + object.metadata.name" },
      { expression: 'params.x', messageExpression: 'object.metadata.?name' },
      { expression: "object.spec.replicas > 1 && params.x == 'y'" },
    ],
  });
  expect(withParams).toEqual([
    invalid(
      'spec.matchConditions[0].expression',
      'object.metadata.name',
      'must evaluate to bool but got dyn',
    ),
    invalid(
      'spec.matchConditions[3].expression',
      'variables == 1',
      undeclared('variables == 1', 'variables'),
    ),
    invalid(
      'spec.validations[0].expression',
      'object.metadata.name',
      'must evaluate to bool but got dyn',
    ),
    invalid(
      'spec.validations[1].expression',
      'variables.name',
      'must evaluate to bool but got dyn',
    ),
    invalid(
      'spec.validations[1].messageExpression',
      'variables.name',
      'must evaluate to string but got dyn',
    ),
    invalid('spec.validations[2].expression', 'dyn(true)', 'must evaluate to bool but got dyn'),
    invalid('spec.validations[3].expression', 'params.x', 'must evaluate to bool but got dyn'),
    invalid(
      'spec.validations[3].messageExpression',
      'object.metadata.?name',
      'must evaluate to string but got optional_type(dyn)',
    ),
  ]);
  const withoutParams = await write('untyped-params', {
    matchConditions: [{ name: 'params', expression: 'params.x == 1' }],
    variables: [{ name: 'p', expression: 'params.x == 1' }],
    validations: [{ expression: 'params.x == 1', messageExpression: 'string(params.x)' }],
    auditAnnotations: [{ key: 'a', valueExpression: 'string(params.x)' }],
  });
  expect(withoutParams).toEqual([
    invalid(
      'spec.matchConditions[0].expression',
      'params.x == 1',
      undeclared('params.x == 1', 'params'),
    ),
    invalid('spec.variables[0].expression', 'params.x == 1', undeclared('params.x == 1', 'params')),
    invalid(
      'spec.validations[0].expression',
      'params.x == 1',
      undeclared('params.x == 1', 'params'),
    ),
    invalid(
      'spec.validations[0].messageExpression',
      'string(params.x)',
      undeclared('string(params.x)', 'params'),
    ),
    invalid(
      'spec.auditAnnotations[0].valueExpression',
      'string(params.x)',
      undeclared('string(params.x)', 'params'),
    ),
  ]);
});

test("expressions are compiled in kube-apiserver's environments: no authorizer in messageExpressions, no cel.bind, format calls validated", async () => {
  const name = `env-${suffix}.e2e.kube-ts.dev`;
  const message = "authorizer.path('/x').check('get').reason()";
  const bind = 'cel.bind(x, 1, x == 1)';
  const decimal = "'%d'.format(['a'])";
  const res = await raw(kc(), 'POST', POLICIES, {
    body: body('policy', name, {
      matchConstraints: matchDeployments(),
      matchConditions: [
        { name: 'bind', expression: bind },
        { name: 'folded', expression: "int('x') == 1" },
      ],
      variables: [{ name: 'v', expression: "uint(-1) == 1u || int(dyn('1.5')) == 1" }],
      validations: [
        {
          expression: "authorizer.path('/x').check('get').reason() == ''",
          messageExpression: message,
        },
        { expression: "'%s %s'.format(['a']) == ''", messageExpression: decimal },
        { expression: "'%q'.format(['a']) == '' && '%d'.format([1, 2]) == ''" },
        { expression: "'a'.find('[') == ''", messageExpression: "string(b'\\xff')" },
        { expression: 'cel == 1' },
      ],
    }),
  });
  const at = (expression: string, column: number, why: string) =>
    `ERROR: <input>:1:${column}: ${why}\n | ${expression}\n | ${'.'.repeat(column - 1)}^`;
  const undeclared = (what: string) => `undeclared reference to '${what}' (in container '')`;
  const invalid = (field: string, expression: string, errors: string[]) => ({
    reason: 'FieldValueInvalid',
    field,
    message: `Invalid value: ${JSON.stringify(expression)}: compilation failed: ${errors.join('\n')}`,
  });
  const internal = (field: string, why: string) => ({
    reason: 'InternalError',
    field,
    message: `Internal error: program instantiation failed: ${why}`,
  });
  expect(res.status, res.text).toBe(422);
  expect(res.json().details.causes).toEqual([
    invalid('spec.matchConditions[0].expression', bind, [
      at(bind, 1, undeclared('cel')),
      at(bind, 9, undeclared('bind')),
      at(bind, 10, undeclared('x')),
      at(bind, 16, undeclared('x')),
    ]),
    // A constant conversion that fails when kube-apiserver folds it, making the program.
    internal('spec.matchConditions[1].expression', "type conversion error from 'string' to 'int'"),
    internal('spec.variables[0].expression', 'unsigned integer overflow'),
    invalid('spec.validations[0].messageExpression', message, [
      at(message, 1, undeclared('authorizer')),
    ]),
    // format calls are checked as cel-go's strings extension validates them.
    invalid('spec.validations[1].expression', "'%s %s'.format(['a']) == ''", [
      at("'%s %s'.format(['a']) == ''", 15, 'index 1 out of range'),
    ]),
    invalid('spec.validations[1].messageExpression', decimal, [
      at(
        decimal,
        14,
        'error during formatting: decimal clause can only be used on integers, was given string',
      ),
    ]),
    invalid(
      'spec.validations[2].expression',
      "'%q'.format(['a']) == '' && '%d'.format([1, 2]) == ''",
      [
        at(
          "'%q'.format(['a']) == '' && '%d'.format([1, 2]) == ''",
          12,
          'could not parse formatting clause: unrecognized formatting clause "q"',
        ),
        at(
          "'%q'.format(['a']) == '' && '%d'.format([1, 2]) == ''",
          40,
          'too many arguments supplied to string.format (expected 1, got 2)',
        ),
      ],
    ),
    internal('spec.validations[3].expression', 'error parsing regexp: missing closing ]: `[`'),
    internal(
      'spec.validations[3].messageExpression',
      'invalid UTF-8 in bytes, cannot convert to string',
    ),
    invalid('spec.validations[4].expression', 'cel == 1', [at('cel == 1', 1, undeclared('cel'))]),
  ]);
});

test('a write through scale is admitted as an autoscaling/v1 Scale of deployments/scale, not as deployments', async () => {
  const { own, namespaceSelector } = await ownNamespace('e2e-vap-scale');
  const policyFor = async (name: string, resource: string, expression: string, message: string) => {
    const policy = `${name}-${suffix}.e2e.kube-ts.dev`;
    await create('policy', policy, {
      matchConstraints: matchIn(
        { apiGroups: ['apps'], resources: [resource], operations: ['UPDATE'] },
        namespaceSelector,
      ),
      validations: [{ expression, messageExpression: message }],
    });
    await create('binding', `${name}-binding-${suffix}.e2e.kube-ts.dev`, {
      policyName: policy,
      validationActions: ['Deny'],
      matchResources: { namespaceSelector },
    });
  };
  await policyFor(
    'scale-main',
    'deployments',
    'object.spec.replicas != 2',
    "'main ' + object.kind + ' ' + request.requestKind.group + '/' + request.requestKind.version + ' ' + request.requestKind.kind + ' ' + request.requestResource.resource + ' ' + string(has(request.requestSubResource))",
  );
  await policyFor(
    'scale-sub',
    'deployments/scale',
    'object.spec.replicas != 7',
    "request.kind.group + '/' + request.kind.version + ' ' + request.kind.kind + ' ' + request.resource.group + '/' + request.resource.version + ' ' + request.resource.resource + '/' + request.subResource + ' ' + object.apiVersion + ' ' + object.kind + ' ' + oldObject.kind + ' ' + string(oldObject.spec.replicas) + '->' + string(object.spec.replicas) + ' ' + object.status.selector + ' ' + request.requestKind.kind + ' ' + request.requestResource.resource + '/' + request.requestSubResource",
  );
  const path = `/apis/apps/v1/namespaces/${own}/deployments/scaled`;
  const created = await raw(kc(), 'POST', `/apis/apps/v1/namespaces/${own}/deployments`, {
    body: deployment('scaled', 1),
  });
  expect(created.status, created.text).toBe(201);
  /** A dry-run merge patch of `at` to `replicas` until a policy refuses it (bindings take a moment on kube-apiserver). */
  const refused = async (at: string, replicas: number) => {
    let res: Awaited<ReturnType<typeof raw>> | undefined;
    await expect
      .poll(async () => {
        res = await raw(kc(), 'PATCH', `${at}?dryRun=All`, {
          body: { spec: { replicas } },
          contentType: 'application/merge-patch+json',
        });
        return res.status;
      }, EVENTUALLY)
      .toBe(422);
    return res!.json();
  };
  expect((await refused(path, 2)).message).toContain(
    'denied request: main Deployment apps/v1 Deployment deployments false',
  );
  const message = `ValidatingAdmissionPolicy 'scale-sub-${suffix}.e2e.kube-ts.dev' with binding 'scale-sub-binding-${suffix}.e2e.kube-ts.dev' denied request: autoscaling/v1 Scale apps/v1 deployments/scale autoscaling/v1 Scale Scale 1->7 app=scaled Scale deployments/scale`;
  expect(await refused(`${path}/scale`, 7)).toEqual(deploymentDenial('scaled', message));
  // With both policies in force, the scale write is not the deployments' policy's to refuse,
  // nor the main resource's write the scale policy's.
  const scaled = await raw(kc(), 'PATCH', `${path}/scale`, {
    body: { spec: { replicas: 2 } },
    contentType: 'application/merge-patch+json',
  });
  expect(scaled.status, scaled.text).toBe(200);
  expect(scaled.json().spec).toEqual({ replicas: 2 });
  // Its field manager owns the replicas through the subresource, with no time (kube-apiserver
  // carries a scale writer's time over from the workload's entries, where it had none).
  const read = await raw(kc(), 'GET', path);
  const entries = read.json().metadata.managedFields as { subresource?: string }[];
  expect(entries.filter((e) => e.subresource === 'scale')).toEqual([
    {
      manager: 'unknown',
      operation: 'Update',
      apiVersion: 'apps/v1',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      subresource: 'scale',
    },
  ]);
  expect(entries[0]?.subresource).toBe('scale');
  const main = await raw(kc(), 'PATCH', path, {
    body: { spec: { replicas: 7 } },
    contentType: 'application/merge-patch+json',
  });
  expect(main.status, main.text).toBe(200);
});

test("a policy's request has the write's dry run and its options, as the request sent them", async () => {
  const { own, namespaceSelector } = await ownNamespace('e2e-vap-options');
  const policy = `options-${suffix}.e2e.kube-ts.dev`;
  await create('policy', policy, {
    matchConstraints: matchIn(
      { apiGroups: [''], resources: ['configmaps'], operations: ['CREATE', 'UPDATE', 'DELETE'] },
      namespaceSelector,
    ),
    validations: [
      {
        expression: '!request.dryRun',
        messageExpression:
          "string(request.dryRun) + ' ' + request.options.kind + ' ' + request.options.apiVersion + ' ' + " +
          "(has(request.options.fieldManager) ? request.options.fieldManager : '-') + ' ' + " +
          "(has(request.options.fieldValidation) ? request.options.fieldValidation : '-') + ' ' + " +
          "(has(request.options.gracePeriodSeconds) ? string(request.options.gracePeriodSeconds) : '-') + ' ' + " +
          "(has(request.options.propagationPolicy) ? request.options.propagationPolicy : '-') + ' ' + " +
          'request.options.dryRun[0]',
      },
    ],
  });
  await create('binding', `options-binding-${suffix}.e2e.kube-ts.dev`, {
    policyName: policy,
    validationActions: ['Deny'],
    matchResources: { namespaceSelector },
  });
  const path = `/api/v1/namespaces/${own}/configmaps`;
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'opts' }, data: { a: '1' } };
  const denial = (message: string) =>
    `configmaps "opts" is forbidden: ValidatingAdmissionPolicy '${policy}' with binding 'options-binding-${suffix}.e2e.kube-ts.dev' denied request: ${message}`;
  let res: Awaited<ReturnType<typeof raw>> | undefined;
  // A dry run is refused once the binding is in force (it takes a moment on kube-apiserver).
  await expect
    .poll(async () => {
      res = await raw(kc(), 'POST', path, {
        query: { dryRun: 'All', fieldManager: 'opts-fm', fieldValidation: 'Strict' },
        body: cm,
      });
      return res.status;
    }, EVENTUALLY)
    .toBe(422);
  expect(res!.json().message).toBe(
    denial('true CreateOptions meta.k8s.io/v1 opts-fm Strict - - All'),
  );
  // The same write for real is let through (its request.dryRun false).
  const created = await raw(kc(), 'POST', path, { body: cm });
  expect(created.status, created.text).toBe(201);
  const put = await raw(kc(), 'PUT', `${path}/opts`, { query: { dryRun: 'All' }, body: cm });
  expect(put.status, put.text).toBe(422);
  expect(put.json().message).toBe(denial('true UpdateOptions meta.k8s.io/v1 - - - - All'));
  const del = await raw(kc(), 'DELETE', `${path}/opts`, {
    body: {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      dryRun: ['All'],
      gracePeriodSeconds: 5,
      propagationPolicy: 'Foreground',
    },
  });
  expect(del.status, del.text).toBe(422);
  expect(del.json().message).toBe(denial('true DeleteOptions meta.k8s.io/v1 - - 5 Foreground All'));
});
