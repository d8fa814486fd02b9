/**
 * Differential: admission of CONNECT requests (`pods/exec`, `pods/attach`,
 * `pods/portforward`, the pod, service and node proxies). kube-apiserver admits them after
 * authorization and before it looks the object up, with the options object
 * (`PodExecOptions`, …) as `object`: a ValidatingAdmissionPolicy or a validating webhook
 * whose rules name `CONNECT` refuses them, and the webhook gets the AdmissionReview the
 * real server sends. Webhooks are not called for the webhook configurations and admission
 * policies themselves.
 */
import { Api, PodStreamError } from '@kube-ts/client';
import { ApiError, resources } from '@kube-ts/core';
import type { AdmissionRequest } from '@kube-ts/k8s/admission/v1';
import { allow, deny } from '@kube-ts/webhook';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { mutatingPolicyRefusal } from './policy-refusal.js';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, ignoreNotFound, startE2e, uniqueSuffix } from './support.js';
import {
  createCluster,
  localWebhookServer,
  serveWebhooks,
  validatingConfigs,
} from './webhook-configs.js';

let e2e: E2eContext;
let ns: string;
const suffix = uniqueSuffix();
const kc = () => e2e.backend.kubeConfig;
const GROUP = 'admissionregistration.k8s.io';
const POLICIES = `/apis/${GROUP}/v1/validatingadmissionpolicies`;
const BINDINGS = `/apis/${GROUP}/v1/validatingadmissionpolicybindings`;
const policy = `connect-${suffix}.e2e.kube-ts.dev`;
const hook = `connect.pods.${suffix}.e2e.kube-ts.dev`;
const configsHook = `configs.${suffix}.e2e.kube-ts.dev`;
/** What the webhooks were sent, in order. */
const seen: AdmissionRequest[] = [];

/** Describes `object` (the options) and `request` in the denial message. */
const DESCRIBE = [
  "object.kind + '/' + object.apiVersion",
  "' op=' + request.operation + ' sub=' + request.subResource + ' kind=' + request.kind.kind",
  "' old=' + string(oldObject == null)",
  "' stdin=' + string(has(object.stdin))",
  "' container=' + (has(object.container) ? object.container : '-')",
  "' command=' + (has(object.command) && object.command != null ? object.command.join(',') : '-')",
  "' ports=' + (has(object.ports) ? object.ports.map(p, string(p)).join(',') : '-')",
  "' path=' + (has(object.path) ? object.path : '-')",
].join(' + ');

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-connect');
  const webhook = localWebhookServer(`connect-${suffix}`)
    .validating(
      {
        name: hook,
        resource: resources.pods,
        operations: ['CONNECT'],
        subresources: ['exec', 'attach', 'portforward', 'proxy'],
      },
      (ctx) => {
        seen.push(ctx.request);
        return ctx.name.startsWith('hook')
          ? deny(`no ${ctx.subResource} for ${ctx.name}`)
          : allow();
      },
    )
    // Would refuse every new webhook configuration, were it called for them.
    .validating(
      { name: configsHook, resource: validatingConfigs, operations: ['CREATE'] },
      (ctx) => {
        seen.push(ctx.request);
        return deny('no new configurations');
      },
    );
  await serveWebhooks(e2e, webhook);
  await create(POLICIES, 'ValidatingAdmissionPolicy', policy, {
    matchConstraints: {
      resourceRules: [
        {
          apiGroups: [''],
          apiVersions: ['v1'],
          operations: ['CONNECT'],
          resources: [
            'pods/exec',
            'pods/attach',
            'pods/portforward',
            'pods/proxy',
            'services/proxy',
            'nodes/proxy',
          ],
        },
      ],
    },
    validations: [{ expression: "!request.name.startsWith('deny')", messageExpression: DESCRIBE }],
  });
  await create(BINDINGS, 'ValidatingAdmissionPolicyBinding', policy, {
    policyName: policy,
    validationActions: ['Deny'],
  });
}, 120_000);

afterAll(() => e2e?.stop());

/** Creates a cluster object with raw HTTP, deleted when the suite stops. */
async function create(path: string, kind: string, name: string, spec: object) {
  const res = await raw(kc(), 'POST', path, {
    body: { apiVersion: `${GROUP}/v1`, kind, metadata: { name }, spec },
  });
  expect(res.status, res.text).toBe(201);
  e2e.onStop(() =>
    e2e.client.request({ method: 'DELETE', path: `${path}/${name}` }).catch(ignoreNotFound),
  );
}

const pods = () => Api.namespaced(e2e.client, resources.pods, ns);
/** The server's refusal of a stream (as sent: PodStreamError adds a hint to its message). */
const streamError = (p: Promise<unknown>): Promise<ApiError> =>
  p.then(
    () => {
      throw new Error('expected the request to be refused');
    },
    (e: unknown) => {
      if (!(e instanceof PodStreamError) || !(e.cause instanceof ApiError)) throw e;
      return e.cause;
    },
  );
const denial = (what: string) =>
  `ValidatingAdmissionPolicy '${policy}' with binding '${policy}' denied request: ${what}`;

test('a ValidatingAdmissionPolicy naming CONNECT sees the options object and refuses exec, attach, port-forward and the proxies', async () => {
  // The binding may take a moment to be picked up by kube-apiserver.
  await vi.waitFor(async () => {
    expect((await streamError(pods().exec('deny-wait', ['true']))).code).toBe(422);
  }, EVENTUALLY);
  const exec = await streamError(
    pods().exec('deny-exec', ['ls', '-l'], { container: 'main', stdin: true }),
  );
  const execMessage = denial(
    'PodExecOptions/v1 op=CONNECT sub=exec kind=PodExecOptions old=true stdin=true container=main command=ls,-l ports=- path=-',
  );
  expect(exec.code).toBe(422);
  expect(exec.status).toEqual({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `pods "deny-exec" is forbidden: ${execMessage}`,
    reason: 'Invalid',
    details: { name: 'deny-exec', kind: 'pods', causes: [{ message: execMessage }] },
    code: 422,
  });
  const attach = await streamError(pods().attach('deny-attach'));
  expect(attach.status?.message).toBe(
    `pods "deny-attach" is forbidden: ${denial('PodAttachOptions/v1 op=CONNECT sub=attach kind=PodAttachOptions old=true stdin=false container=- command=- ports=- path=-')}`,
  );
  const forward = await streamError(pods().portForward('deny-forward', [80, 8080]));
  expect(forward.status?.message).toBe(
    `pods "deny-forward" is forbidden: ${denial('PodPortForwardOptions/v1 op=CONNECT sub=portforward kind=PodPortForwardOptions old=true stdin=false container=- command=- ports=80,8080 path=-')}`,
  );
  const proxies: [string, string, string][] = [
    [`/api/v1/namespaces/${ns}/pods/deny-p/proxy`, 'pods "deny-p"', 'PodProxyOptions path=-'],
    [
      `/api/v1/namespaces/${ns}/pods/deny-p/proxy/a/b/`,
      'pods "deny-p"',
      'PodProxyOptions path=/a/b/',
    ],
    [
      `/api/v1/namespaces/${ns}/services/deny-s:80/proxy/x`,
      'services "deny-s:80"',
      'ServiceProxyOptions path=/x',
    ],
    ['/api/v1/nodes/deny-n/proxy/metrics', 'nodes "deny-n"', 'NodeProxyOptions path=/metrics'],
  ];
  for (const [path, what, options] of proxies) {
    for (const method of ['GET', 'POST']) {
      const res = await raw(kc(), method, path);
      expect(res.status, `${method} ${path}`).toBe(422);
      const [kind, pathPart] = options.split(' ');
      expect(res.json().message).toBe(
        `${what} is forbidden: ${denial(`${kind}/v1 op=CONNECT sub=proxy kind=${kind} old=true stdin=false container=- command=- ports=- ${pathPart}`)}`,
      );
    }
  }
  // Options that do not decode are refused before admission.
  const ports = await raw(kc(), 'GET', `/api/v1/namespaces/${ns}/pods/deny-p/portforward`, {
    query: { ports: ['80,70000'] },
  });
  expect(ports.status).toBe(400);
  expect(ports.json().message).toBe(
    'cannot convert to []int32: strconv.ParseUint: parsing "70000": value out of range',
  );
});

test('MutatingAdmissionPolicies naming CONNECT patch the options object before the validating policies see it', async () => {
  const mutating = (name: string, prefix: string, mutation: object) =>
    Promise.all([
      create(`/apis/${GROUP}/v1/mutatingadmissionpolicies`, 'MutatingAdmissionPolicy', name, {
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: [''],
              apiVersions: ['v1'],
              operations: ['CONNECT'],
              resources: ['pods/exec'],
            },
          ],
        },
        matchConditions: [{ name: 'named', expression: `request.name.startsWith('${prefix}')` }],
        reinvocationPolicy: 'Never',
        mutations: [mutation],
      }),
      create(
        `/apis/${GROUP}/v1/mutatingadmissionpolicybindings`,
        'MutatingAdmissionPolicyBinding',
        name,
        { policyName: name },
      ),
    ]);
  await mutating(`patch-${policy}`, 'deny-mut', {
    patchType: 'JSONPatch',
    jsonPatch: {
      expression:
        "[JSONPatch{op: 'replace', path: '/command', value: ['mutated', string(object.command[0])]}]",
    },
  });
  await mutating(`apply-${policy}`, 'mut-apply', {
    patchType: 'ApplyConfiguration',
    applyConfiguration: { expression: "Object{command: ['applied']}" },
  });
  // The bindings may take a moment to be picked up by kube-apiserver.
  await vi.waitFor(async () => {
    expect((await streamError(pods().exec('deny-mut', ['ls']))).status?.message).toBe(
      `pods "deny-mut" is forbidden: ${denial('PodExecOptions/v1 op=CONNECT sub=exec kind=PodExecOptions old=true stdin=false container=- command=mutated,ls ports=- path=-')}`,
    );
  }, EVENTUALLY);
  // kube-apiserver merges an ApplyConfiguration with its OpenAPI types: none for options.
  let applied: ApiError | undefined;
  await vi.waitFor(async () => {
    applied = await streamError(pods().exec('mut-apply', ['ls']));
    expect(applied.code).not.toBe(404);
  }, EVENTUALLY);
  const message = `policy 'apply-${policy}' with binding 'apply-${policy}' denied request: error applying patch: failed to convert patch object to typed object: no corresponding type for /v1, Kind=PodExecOptions`;
  expect(applied?.status).toEqual(mutatingPolicyRefusal(message, 'mut-apply', 'pods'));
});

test('an admitted CONNECT then looks the object up', async () => {
  const exec = await streamError(pods().exec('missing', ['true']));
  expect(exec.code).toBe(404);
  expect(exec.status?.message).toBe('pods "missing" not found');
  for (const [path, message] of [
    [`/api/v1/namespaces/${ns}/pods/missing/proxy/x`, 'pods "missing" not found'],
    [`/api/v1/namespaces/${ns}/services/https:missing:443/proxy/`, 'services "missing" not found'],
    ['/api/v1/nodes/missing:10250/proxy/x', 'nodes "missing" not found'],
  ] as const) {
    const res = await raw(kc(), 'GET', path);
    expect(res.status, path).toBe(404);
    expect(res.json().message).toBe(message);
  }
});

test('a validating webhook naming CONNECT gets the AdmissionReview kube-apiserver sends and may refuse', async () => {
  await vi.waitFor(async () => {
    expect((await streamError(pods().exec('hook-wait', ['true']))).code).toBe(403);
  }, EVENTUALLY);
  seen.length = 0;
  const exec = await streamError(pods().exec('hook-exec', ['sh', '-c', 'true'], { tty: true }));
  expect(exec.code).toBe(403);
  expect(exec.status).toEqual({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `admission webhook "${hook}" denied the request: no exec for hook-exec`,
    reason: 'Forbidden',
    code: 403,
  });
  const proxy = await raw(kc(), 'PUT', `/api/v1/namespaces/${ns}/pods/hook-proxy/proxy/a`);
  expect(proxy.status).toBe(403);
  expect(proxy.json().message).toBe(
    `admission webhook "${hook}" denied the request: no proxy for hook-proxy`,
  );
  const [execReview, proxyReview] = seen;
  const common = {
    resource: { group: '', version: 'v1', resource: 'pods' },
    requestResource: { group: '', version: 'v1', resource: 'pods' },
    namespace: ns,
    operation: 'CONNECT',
    oldObject: null,
    dryRun: false,
    options: null,
  };
  const execKind = { group: '', version: 'v1', kind: 'PodExecOptions' };
  expect(execReview).toMatchObject({
    ...common,
    kind: execKind,
    requestKind: execKind,
    subResource: 'exec',
    requestSubResource: 'exec',
    name: 'hook-exec',
  });
  expect(execReview?.object).toEqual({
    kind: 'PodExecOptions',
    apiVersion: 'v1',
    stdout: true,
    tty: true,
    command: ['sh', '-c', 'true'],
  });
  const proxyKind = { group: '', version: 'v1', kind: 'PodProxyOptions' };
  expect(proxyReview).toMatchObject({
    ...common,
    kind: proxyKind,
    requestKind: proxyKind,
    subResource: 'proxy',
    name: 'hook-proxy',
  });
  expect(proxyReview?.object).toEqual({ kind: 'PodProxyOptions', apiVersion: 'v1', path: '/a' });
  expect(seen).toHaveLength(2);
});

test('webhooks are not called for webhook configurations and admission policies; policies are not called for policies', async () => {
  // The configuration holding this webhook is in effect (the test above saw its sibling).
  seen.length = 0;
  const name = `exempt-${suffix}.e2e.kube-ts.dev`;
  const configs = Api.cluster(e2e.client, validatingConfigs);
  const config = (n: string) => ({
    apiVersion: `${GROUP}/v1`,
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: n },
    webhooks: [],
  });
  await createCluster(e2e, configs, config(name));
  await create(POLICIES, 'ValidatingAdmissionPolicy', name, {
    matchConstraints: {
      resourceRules: [
        {
          apiGroups: [GROUP],
          apiVersions: ['v1'],
          operations: ['CREATE', 'UPDATE'],
          resources: ['*'],
        },
        // A marker that shows when the policy is in effect.
        {
          apiGroups: [''],
          apiVersions: ['v1'],
          operations: ['CREATE'],
          resources: ['configmaps'],
          resourceNames: ['exempt-marker'],
        },
      ],
    },
    validations: [{ expression: 'false', message: 'no admission configuration' }],
  });
  await create(BINDINGS, 'ValidatingAdmissionPolicyBinding', name, {
    policyName: name,
    validationActions: ['Deny'],
  });
  await vi.waitFor(async () => {
    const marker = await raw(kc(), 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'exempt-marker' } },
    });
    if (marker.status === 201) {
      await raw(kc(), 'DELETE', `/api/v1/namespaces/${ns}/configmaps/exempt-marker`);
    }
    expect(marker.status).toBe(422);
  }, EVENTUALLY);
  // Policies are not called for the admission policy resources…
  const patched = await raw(kc(), 'PATCH', `${POLICIES}/${name}`, {
    body: { metadata: { labels: { patched: 'yes' } } },
    contentType: 'application/merge-patch+json',
  });
  expect(patched.status).toBe(200);
  // …but they are for the webhook configurations.
  const refused = await raw(kc(), 'POST', `/apis/${GROUP}/v1/validatingwebhookconfigurations`, {
    body: config(`refused-${suffix}.e2e.kube-ts.dev`),
  });
  expect(refused.status).toBe(422);
  expect(refused.json().message).toBe(
    `validatingwebhookconfigurations.admissionregistration.k8s.io "refused-${suffix}.e2e.kube-ts.dev" is forbidden: ValidatingAdmissionPolicy '${name}' with binding '${name}' denied request: no admission configuration`,
  );
  // The webhook that refuses every new configuration was never called.
  expect(seen).toEqual([]);
});
