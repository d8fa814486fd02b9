/**
 * Differential: MutatingAdmissionPolicy evaluation — a policy and its binding matched by
 * resource rules and namespace selector, an `ApplyConfiguration` mutation merged into the
 * object, `JSONPatch` mutations, `variables`, and a mutation that fails under
 * `failurePolicy: Fail`.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
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
 * Creates a policy and a binding for it that select the ConfigMap `name` in this file's
 * namespace.
 */
async function bind(name: string, spec: object): Promise<{ policy: string; binding: string }> {
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
                resourceNames: [name],
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
