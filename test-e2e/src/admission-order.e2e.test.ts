/**
 * Differential: the order of kube-apiserver's admission of a create. Its create handler
 * clears the metadata only the server sets (`uid`, `creationTimestamp`), mutating
 * admission (MutatingAdmissionPolicies, then mutating webhooks) runs on the object as sent,
 * and only then does the storage fill in the uid, the creation time and, for a
 * `generateName` create, the name; the strategy (a Job's generated selector, a Namespace's
 * name label) and validating admission see them. When the chain runs a second time, the
 * policies' second round comes after the webhooks' first. Warnings are sent in the order
 * they were given (decoding's, the mutating webhooks', the policies', the validating
 * webhooks'), with a refusal too (with or without webhooks), and cut as kube-apiserver's
 * warning recorder cuts them, a deprecated resource's warning counted with the rest. The
 * chain's second round runs the in-tree plugins (Priority) again.
 */

import { Api } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import {
  type MutatingAdmissionPolicy,
  mutatingAdmissionPolicies,
  mutatingAdmissionPolicyBindings,
  type ValidatingAdmissionPolicy,
  validatingAdmissionPolicies,
  validatingAdmissionPolicyBindings,
} from '@kube-ts/k8s/admissionregistration/v1';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { allow, deny } from '@kube-ts/webhook';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e, uniqueSuffix } from './support.js';
import { createCluster, localWebhookServer, serveWebhooks } from './webhook-configs.js';

const suffix = uniqueSuffix();
const group = `cao${suffix}.e2e.kube-ts.dev`;
const LABEL = 'e2e.kube-ts.dev/create-order';
const NS_LABEL = `e2e-admission-order-${suffix}`;
const looker = `looker.configmaps.${group}`;
const checker = `checker.configmaps.${group}`;
const tracer = `tracer.configmaps.${group}`;
const tracerOnce = `tracer-once.configmaps.${group}`;
const warnerM = `warner-m.configmaps.${group}`;
const warnerV = `warner-v.configmaps.${group}`;
const warnPolicy = `warner-${suffix}.e2e.kube-ts.dev`;
const refusePolicy = `refuser-${suffix}.e2e.kube-ts.dev`;
const podHook = `pod-hook.pods.${group}`;

/** The metadata each webhook saw, by webhook and the object's `seq` label. */
const seen = new Map<string, { name: string | undefined; metadata: Record<string, unknown> }>();

/** Traced ConfigMaps: their `trace` gets a `P` from the tracer policy. */
const traced = {
  matchExpressions: [
    { key: LABEL, operator: 'In' as const, values: [`trace-${suffix}`, `trace-once-${suffix}`] },
  ],
};

/** ConfigMaps the warning webhooks and policy see. */
const warned = {
  matchExpressions: [
    {
      key: LABEL,
      operator: 'In' as const,
      values: ['warn', 'warn-deny-m', 'warn-deny-v', 'warn-long'].map((k) => `${k}-${suffix}`),
    },
  ],
};
/** 20 warnings of 300 characters. */
const LONG = Array.from({ length: 20 }, (_, i) => `warning ${i} `.padEnd(300, 'x'));
/** The PriorityClass the policies give a Pod (one kube-apiserver creates at start). */
const CRITICAL = 'system-cluster-critical';

/** A webhook's mutation of a traced ConfigMap: a `W` added to its trace. */
const addW = (object: unknown) => {
  const cm = object as ConfigMap;
  return { ...cm, data: { ...cm.data, trace: `${cm.data?.trace ?? ''}W` } };
};

let e2e: E2eContext;
let ns: string;

const kc = () => e2e.backend.kubeConfig;
const configMaps = () => `/api/v1/namespaces/${ns}/configmaps`;
const endpoints = () => `/api/v1/namespaces/${ns}/endpoints`;
/** The warning kube-apiserver sends with every answer about Endpoints. */
const DEPRECATED = 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice';

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-admission-order');
  const labelled = await raw(kc(), 'PATCH', `/api/v1/namespaces/${ns}`, {
    body: { metadata: { labels: { [NS_LABEL]: 'true' } } },
    contentType: 'application/merge-patch+json',
  });
  expect(labelled.status, labelled.text).toBe(200);
  const objectSelector = { matchLabels: { [LABEL]: `look-${suffix}` } };
  const record = (hook: string, name: string | undefined, object: unknown) => {
    const metadata = (object as { metadata: Record<string, unknown> }).metadata;
    const seq = String((metadata.labels as Record<string, string>).seq);
    seen.set(`${hook} ${seq}`, { name, metadata });
  };
  const webhook = localWebhookServer(`admission-order-${suffix}`)
    .mutating(
      { name: looker, resource: resources.configMaps, operations: ['CREATE'], objectSelector },
      (ctx) => {
        record(looker, ctx.request.name, ctx.object);
        return undefined;
      },
    )
    .mutating(
      {
        name: tracer,
        resource: resources.configMaps,
        operations: ['CREATE'],
        objectSelector: { matchLabels: { [LABEL]: `trace-${suffix}` } },
        reinvocationPolicy: 'IfNeeded',
      },
      (ctx) => addW(ctx.object),
    )
    .mutating(
      {
        name: tracerOnce,
        resource: resources.configMaps,
        operations: ['CREATE'],
        objectSelector: { matchLabels: { [LABEL]: `trace-once-${suffix}` } },
        reinvocationPolicy: 'Never',
      },
      (ctx) => addW(ctx.object),
    )
    .mutating(
      {
        name: warnerM,
        resource: resources.configMaps,
        operations: ['CREATE'],
        objectSelector: warned,
      },
      (ctx) => {
        const kind = ctx.object?.metadata?.labels?.[LABEL];
        if (kind === `warn-deny-m-${suffix}`) return deny('no', { warnings: ['mutating refuses'] });
        if (kind === `warn-long-${suffix}`) return allow(LONG);
        return allow(['mutating warns']);
      },
    )
    .validating(
      {
        name: warnerV,
        resource: resources.configMaps,
        operations: ['CREATE'],
        objectSelector: warned,
      },
      (ctx) => {
        const kind = ctx.object?.metadata?.labels?.[LABEL];
        if (kind === `warn-deny-v-${suffix}`)
          return deny('no', { warnings: ['validating refuses'] });
        return allow(['validating warns']);
      },
    )
    .validating(
      { name: checker, resource: resources.configMaps, operations: ['CREATE'], objectSelector },
      (ctx) => {
        record(checker, ctx.request.name, ctx.object);
        return allow();
      },
    )
    .mutating(
      {
        name: podHook,
        resource: resources.pods,
        operations: ['CREATE'],
        objectSelector: { matchLabels: { [LABEL]: `prio-hooked-${suffix}` } },
      },
      () => undefined,
    );
  await serveWebhooks(e2e, webhook);
  // A policy that writes down what it sees of the metadata.
  await bindPolicy(`looker-${suffix}.e2e.kube-ts.dev`, objectSelector, 'Never', {
    patchType: 'ApplyConfiguration',
    applyConfiguration: {
      expression: `Object{metadata: Object.metadata{annotations: {
        "name": has(object.metadata.name) ? string(object.metadata.name) : "-",
        "uid": has(object.metadata.uid) ? string(object.metadata.uid) : "-",
        "created": has(object.metadata.creationTimestamp) ? "yes" : "-"
      }}}`,
    },
  });
  // A policy that warns about every ConfigMap the warning webhooks see.
  await bindValidatingPolicy(warnPolicy, warned, { message: 'policy warns' }, 'Warn');
  // A policy reinvoked if needed that adds a `P` to the trace, for the traced ConfigMaps.
  await bindPolicy(`tracer-${suffix}.e2e.kube-ts.dev`, traced, 'IfNeeded', {
    patchType: 'JSONPatch',
    jsonPatch: {
      expression: '[JSONPatch{op: "replace", path: "/data/trace", value: object.data.trace + "P"}]',
    },
  });
  // Policies that give a Pod a PriorityClass after the Priority plugin gave it priority 0.
  const classed = (what: string[]) => ({
    matchExpressions: [
      { key: LABEL, operator: 'In' as const, values: what.map((w) => `${w}-${suffix}`) },
    ],
  });
  await bindPolicy(
    `prio-apply-${suffix}.e2e.kube-ts.dev`,
    classed(['prio-apply', 'prio-hooked']),
    'Never',
    {
      patchType: 'ApplyConfiguration',
      applyConfiguration: {
        expression: `Object{spec: Object.spec{priorityClassName: "${CRITICAL}"}}`,
      },
    },
    'pods',
  );
  await bindPolicy(
    `prio-patch-${suffix}.e2e.kube-ts.dev`,
    classed(['prio-patch']),
    'Never',
    {
      patchType: 'JSONPatch',
      jsonPatch: {
        expression: `[
          JSONPatch{op: "add", path: "/spec/priorityClassName", value: "${CRITICAL}"},
          JSONPatch{op: "remove", path: "/spec/priority"}
        ]`,
      },
    },
    'pods',
  );
  // A policy that refuses the ConfigMaps no webhook sees.
  await bindValidatingPolicy(
    refusePolicy,
    { matchLabels: { [LABEL]: `refuse-${suffix}` } },
    { message: 'policy refuses', reason: 'Forbidden' },
    'Deny',
  );
}, 120_000);

afterAll(() => e2e?.stop());

/**
 * Creates ValidatingAdmissionPolicy `name` for ConfigMap creates that `objectSelector`
 * selects, whose one validation (`false`) fails with `failure`, and its binding (`action`)
 * for this file's namespace.
 */
async function bindValidatingPolicy(
  name: string,
  objectSelector: object,
  failure: { message: string; reason?: string },
  action: 'Warn' | 'Deny',
): Promise<void> {
  await createCluster(e2e, Api.cluster(e2e.client, validatingAdmissionPolicies), {
    metadata: { name },
    spec: {
      matchConstraints: {
        objectSelector,
        resourceRules: [
          {
            apiGroups: [''],
            apiVersions: ['v1'],
            operations: ['CREATE'],
            resources: ['configmaps'],
          },
        ],
      },
      validations: [{ expression: 'false', ...failure }],
    },
  } as ValidatingAdmissionPolicy);
  await createCluster(e2e, Api.cluster(e2e.client, validatingAdmissionPolicyBindings), {
    metadata: { name },
    spec: {
      policyName: name,
      validationActions: [action],
      matchResources: { namespaceSelector: { matchLabels: { [NS_LABEL]: 'true' } } },
    },
  });
}

/**
 * Creates MutatingAdmissionPolicy `name` for creates of `resource` (core/v1) that
 * `objectSelector` selects in this file's namespace, with one mutation, and its binding.
 */
async function bindPolicy(
  name: string,
  objectSelector: object,
  reinvocationPolicy: 'Never' | 'IfNeeded',
  mutation: object,
  resource = 'configmaps',
): Promise<void> {
  await createCluster(e2e, Api.cluster(e2e.client, mutatingAdmissionPolicies), {
    metadata: { name },
    spec: {
      matchConstraints: {
        namespaceSelector: { matchLabels: { [NS_LABEL]: 'true' } },
        objectSelector,
        resourceRules: [
          {
            apiGroups: [''],
            apiVersions: ['v1'],
            operations: ['CREATE'],
            resources: [resource],
          },
        ],
      },
      reinvocationPolicy,
      mutations: [mutation],
    },
  } as MutatingAdmissionPolicy);
  await createCluster(e2e, Api.cluster(e2e.client, mutatingAdmissionPolicyBindings), {
    metadata: { name: `${name}-binding` },
    spec: {
      policyName: name,
      matchResources: { namespaceSelector: { matchLabels: { [NS_LABEL]: 'true' } } },
    },
  });
}

describe('the second round of mutating admission', () => {
  /** Creates a traced ConfigMap until both the policy and the webhook have been at it. */
  const trace = (what: string) =>
    vi.waitFor(async () => {
      const res = await raw(kc(), 'POST', configMaps(), {
        body: {
          metadata: { generateName: 'trace-', labels: { [LABEL]: `${what}-${suffix}` } },
          data: { trace: '' },
        },
      });
      expect(res.status, res.text).toBe(201);
      const text: string = res.json().data.trace;
      expect(text).toMatch(/P/);
      expect(text).toMatch(/W/);
      return text;
    }, EVENTUALLY);

  test("the policies' second round comes after the webhooks' first, which then run again", async () => {
    expect(await trace('trace')).toBe('PWPW');
  });

  test('a webhook never reinvoked is not called again after the policies', async () => {
    expect(await trace('trace-once')).toBe('PWP');
  });
});

describe('the in-tree plugins in the second round', () => {
  /** Creates (dry run) Pod `name` labelled `what` until a policy gave it its class. */
  const createPod = (name: string, what: string) =>
    vi.waitFor(async () => {
      const res = await raw(kc(), 'POST', `/api/v1/namespaces/${ns}/pods`, {
        body: {
          metadata: { name, labels: { [LABEL]: `${what}-${suffix}` } },
          spec: { containers: [{ name: 'app', image: 'nginx' }] },
        },
        query: { dryRun: 'All' },
      });
      expect(res.status === 201 ? res.json().spec.priorityClassName : res.status).toBeDefined();
      return res;
    }, EVENTUALLY);

  test.each(['prio-apply', 'prio-hooked'])(
    'Priority runs again after a policy set the class: the priority it gave first disagrees (%s)',
    async (what) => {
      const res = await createPod(what, what);
      expect(res.status, res.text).toBe(403);
      expect(res.json()).toMatchObject({
        reason: 'Forbidden',
        message: `pods "${what}" is forbidden: the integer value of priority (0) must not be provided in pod spec; priority admission controller computed 2000000000 from the given PriorityClass name`,
        details: { name: what, kind: 'pods' },
      });
    },
  );

  test('Priority runs again after a policy set the class and removed the priority: the class gives it', async () => {
    const res = await createPod('prio-patch', 'prio-patch');
    expect(res.status, res.text).toBe(201);
    expect(res.json().spec).toMatchObject({
      priorityClassName: CRITICAL,
      priority: 2000000000,
      preemptionPolicy: 'PreemptLowerPriority',
    });
  });
});

describe('mutating admission of a create', () => {
  let seq = 0;
  /** Creates a looked-at ConfigMap (retrying until the policy and both webhooks saw it). */
  const create = async (metadata: (n: string) => Record<string, unknown>) => {
    return vi.waitFor(async () => {
      const n = String(seq++);
      const labels = { [LABEL]: `look-${suffix}`, seq: n };
      const res = await raw(kc(), 'POST', configMaps(), {
        body: { metadata: { ...metadata(n), labels } },
      });
      expect(res.status, res.text).toBe(201);
      expect(res.json().metadata.annotations).toBeDefined();
      const mutating = seen.get(`${looker} ${n}`);
      const validating = seen.get(`${checker} ${n}`);
      expect(mutating).toBeDefined();
      expect(validating).toBeDefined();
      return { created: res.json().metadata, mutating: mutating!, validating: validating! };
    }, EVENTUALLY);
  };

  test('by generateName: policies and mutating webhooks see no name, uid or creation time; validating webhooks see them', async () => {
    const { created, mutating, validating } = await create(() => ({ generateName: 'gen-' }));
    expect(created.name).toMatch(/^gen-[a-z0-9]{5}$/);
    expect(created.annotations).toEqual({ name: '-', uid: '-', created: '-' });
    expect(mutating.name).toBeUndefined();
    expect(mutating.metadata.name).toBeUndefined();
    expect(mutating.metadata.uid).toBeUndefined();
    expect(mutating.metadata.creationTimestamp).toBeUndefined();
    // The policy ran before the mutating webhook.
    expect(mutating.metadata.annotations).toEqual(created.annotations);
    expect(validating.name).toBe(created.name);
    expect(validating.metadata).toMatchObject({
      name: created.name,
      uid: created.uid,
      creationTimestamp: created.creationTimestamp,
    });
  });

  test('by name: a uid and creation time sent are cleared before admission and replaced', async () => {
    const { created, mutating, validating } = await create((n) => ({
      name: `named-${n}`,
      uid: '11111111-2222-3333-4444-555555555555',
      creationTimestamp: '2020-01-01T00:00:00Z',
    }));
    expect(created.annotations).toEqual({ name: created.name, uid: '-', created: '-' });
    expect(mutating.name).toBe(created.name);
    expect(mutating.metadata.uid).toBeUndefined();
    expect(mutating.metadata.creationTimestamp).toBeUndefined();
    expect(created.uid).not.toBe('11111111-2222-3333-4444-555555555555');
    expect(created.creationTimestamp).not.toBe('2020-01-01T00:00:00Z');
    expect(validating.metadata.uid).toBe(created.uid);
  });
});

describe('after the name is generated', () => {
  test("a Job's generated selector and labels carry the generated name and the uid", async () => {
    const res = await raw(kc(), 'POST', `/apis/batch/v1/namespaces/${ns}/jobs`, {
      body: {
        metadata: { generateName: 'job-' },
        spec: {
          template: {
            spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
          },
        },
      },
      query: { dryRun: 'All' },
    });
    expect(res.status, res.text).toBe(201);
    const job = res.json();
    const { name, uid } = job.metadata;
    expect(name).toMatch(/^job-[a-z0-9]{5}$/);
    const generated = {
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': name,
      'controller-uid': uid,
      'job-name': name,
    };
    expect(job.spec.template.metadata.labels).toEqual(generated);
    expect(job.metadata.labels).toEqual(generated);
    expect(job.spec.selector).toEqual({
      matchLabels: { 'batch.kubernetes.io/controller-uid': uid },
    });
  });

  test('a Namespace by generateName is labelled with the generated name', async () => {
    const res = await raw(kc(), 'POST', '/api/v1/namespaces', {
      body: { metadata: { generateName: 'e2e-gen-' } },
      query: { dryRun: 'All' },
    });
    expect(res.status, res.text).toBe(201);
    const { name, labels } = res.json().metadata;
    expect(name).toMatch(/^e2e-gen-[a-z0-9]{5}$/);
    expect(labels).toEqual({ 'kubernetes.io/metadata.name': name });
  });

  test('a taken name sent with a generateName is refused as a generated one', async () => {
    const taken = `taken-${suffix}`;
    const first = await raw(kc(), 'POST', configMaps(), { body: { metadata: { name: taken } } });
    expect(first.status, first.text).toBe(201);
    const res = await raw(kc(), 'POST', configMaps(), {
      body: { metadata: { name: taken, generateName: 'taken-' } },
    });
    expect(res.status, res.text).toBe(409);
    expect(res.json()).toMatchObject({
      reason: 'AlreadyExists',
      message: `configmaps "${taken}" already exists, the server was not able to generate a unique name for the object`,
      details: { name: taken, kind: 'configmaps', retryAfterSeconds: 1 },
    });
  });
});

describe('warnings', () => {
  const POLICY_WARNING = `Validation failed for ValidatingAdmissionPolicy '${warnPolicy}' with binding '${warnPolicy}': policy warns`;
  /** Creates a ConfigMap of `kind` until the answer has warnings from the webhooks. */
  const create = (kind: string, body: Record<string, unknown> = { nope: 1 }) =>
    vi.waitFor(async () => {
      const res = await raw(kc(), 'POST', configMaps(), {
        body: {
          metadata: { generateName: 'warn-', labels: { [LABEL]: `${kind}-${suffix}` } },
          ...body,
        },
      });
      expect(res.warnings.some((w) => /mutating|validating|warning 0/.test(w))).toBe(true);
      expect(res.warnings.some((w) => /validating|refuses|warning 0/.test(w))).toBe(true);
      return res;
    }, EVENTUALLY);

  test.each([
    { kind: 'warn', status: 201, last: 'validating warns' },
    { kind: 'warn-deny-v', status: 403, last: 'validating refuses' },
  ])(
    "in kube-apiserver's order: decoding's, the mutating webhooks', the policies', the validating webhooks' ($kind; a refusal sends them too)",
    async ({ kind, status, last }) => {
      const res = await create(kind);
      expect(res.status, res.text).toBe(status);
      expect(res.warnings).toEqual([
        'unknown field "nope"',
        'mutating warns',
        POLICY_WARNING,
        last,
      ]);
    },
  );

  test('a mutating webhook refusing sends the warnings given before, its own included', async () => {
    const res = await create('warn-deny-m');
    expect(res.status, res.text).toBe(403);
    expect(res.warnings).toEqual(['unknown field "nope"', 'mutating refuses']);
  });

  test('a refusal without webhooks sends the warnings given before it: a 422', async () => {
    const res = await raw(kc(), 'POST', configMaps(), {
      body: { metadata: { name: 'plain' }, data: { 'bad key': 'x' }, nope: 1 },
      query: { dryRun: 'All' },
    });
    expect(res.status, res.text).toBe(422);
    expect(res.warnings).toEqual(['unknown field "nope"']);
  });

  test("a refusal without webhooks sends the warnings given before it: a policy's 403", async () => {
    const res = await vi.waitFor(async () => {
      const refused = await raw(kc(), 'POST', configMaps(), {
        body: { metadata: { name: 'refused', labels: { [LABEL]: `refuse-${suffix}` } }, nope: 1 },
        query: { dryRun: 'All' },
      });
      expect(refused.status, refused.text).toBe(403);
      return refused;
    }, EVENTUALLY);
    expect(res.json().message).toBe(
      `configmaps "refused" is forbidden: ValidatingAdmissionPolicy '${refusePolicy}' with binding '${refusePolicy}' denied request: policy refuses`,
    );
    expect(res.warnings).toEqual(['unknown field "nope"']);
  });

  test("a deprecated resource's warning comes first, with a refusal too", async () => {
    const res = await raw(kc(), 'POST', endpoints(), {
      body: { metadata: { name: 'Not_A_Name' }, nope: 1 },
      query: { dryRun: 'All' },
    });
    expect(res.status, res.text).toBe(422);
    expect(res.warnings).toEqual([DEPRECATED, 'unknown field "nope"']);
  });

  test("a deprecated resource's warning counts toward the 4096 characters", async () => {
    // A warning of 4056 characters: within 4096 alone, past it after the deprecation.
    const field = 'f'.repeat(4056 - 'unknown field ""'.length);
    const res = await raw(kc(), 'POST', endpoints(), {
      body: { metadata: { name: 'long' }, [field]: 1 },
      query: { dryRun: 'All' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.warnings).toEqual([DEPRECATED, `unknown field "${field}"`.slice(0, 256)]);
  });

  test('past 4096 characters every warning is cut to 256, and those after 4096 cut ones are dropped', async () => {
    const res = await create('warn-long', {});
    expect(res.status, res.text).toBe(201);
    // 14 whole warnings would pass 4096 characters: all are cut, and two more fit.
    expect(res.warnings).toEqual(LONG.slice(0, 16).map((w) => w.slice(0, 256)));
  });
});
