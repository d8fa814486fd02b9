/**
 * Admission webhook behaviours MemoryApiServer must share with kube-apiserver, beyond
 * webhook.e2e.test.ts: mutating webhooks re-invoked (`reinvocationPolicy: IfNeeded`) when
 * a later one changed the object; admission of every item of a `deletecollection`; a
 * webhook reached through a Service reference (`clientConfig.service`, here an
 * ExternalName Service naming 127.0.0.1 — kube-apiserver dials the name and verifies the
 * certificate for `NAME.NAMESPACE.svc`); `matchConditions` (CEL: one false condition skips
 * the webhook, an error follows the failurePolicy, a mutating webhook's conditions see the
 * object as the webhooks before it left it); a write through `scale` sent to a
 * `deployments/scale` rule as an autoscaling/v1 Scale, its mutated replicas kept.
 */
import { Api } from '@kube-ts/client';
import { type KubeObject, resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import {
  allow,
  deny,
  type MutatingWebhookConfiguration,
  type ValidatingWebhookConfiguration,
  WebhookServer,
} from '@kube-ts/webhook';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { raw } from './raw-http.js';
import { grantInNamespace } from './rbac-grant.js';
import { apiErrorOf, type E2eContext, EVENTUALLY, startE2e, uniqueSuffix } from './support.js';
import { createCluster, mutatingConfigs, validatingConfigs } from './webhook-configs.js';

const suffix = uniqueSuffix();
const group = `wa${suffix}.e2e.kube-ts.dev`;
const LABEL = 'e2e.kube-ts.dev/webhook';
const SERVICE = `webhook-${suffix}`;

const reinvoked = `reinvoked.configmaps.${group}`;
const changer = `changer.configmaps.${group}`;
const once = `once.configmaps.${group}`;
const protect = `protect.configmaps.${group}`;
const viaService = `service.configmaps.${group}`;
const gate = `gate.configmaps.${group}`;
const broken = `broken.configmaps.${group}`;
const ignored = `ignored.configmaps.${group}`;
const setter = `setter.configmaps.${group}`;
const follower = `follower.configmaps.${group}`;
const authzGate = `authz.configmaps.${group}`;
const scaler = `scaler.deployments.${group}`;
/** What `scaler` was sent: `<kind> <resource>/<subResource> <object kind> <old>-><new replicas>`. */
const scalings: string[] = [];
/** The `options` of the AdmissionRequests `scaler` was sent. */
const scalingOptions: unknown[] = [];
/** Fails to evaluate on a ConfigMap whose data has no key `missing`. */
const MISSING = "object.data.missing == 'x'";

let e2e: E2eContext;
let ns: string;
let webhook: WebhookServer;
const stop = new AbortController();
let served: Promise<void>;
/**
 * The handlers' calls: `<webhook> <operation> <request name> <object name>`; the request
 * name is `-` when the AdmissionRequest has none (kube-apiserver omits an empty name) and
 * `""` when it is sent empty.
 */
const calls: string[] = [];

const selectorFor = (what: string) => ({ matchLabels: { [LABEL]: `${what}-${suffix}` } });

function record(
  webhookName: string,
  ctx: { operation: string; request: { name?: string } },
  obj?: KubeObject,
) {
  const name = ctx.request.name === undefined ? '-' : ctx.request.name || '""';
  calls.push(`${webhookName} ${ctx.operation} ${name} ${obj?.metadata?.name ?? '-'}`);
}

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('webhook-admission');
  webhook = new WebhookServer({
    name: `admission-${suffix}`,
    host: '127.0.0.1',
    port: 0,
    hosts: ['localhost', '127.0.0.1', `${SERVICE}.${ns}.svc`],
    logger: pino({ level: 'silent' }),
  })
    // Called first; once more if a later webhook changed the object.
    .mutating(
      {
        name: reinvoked,
        resource: resources.configMaps,
        operations: ['CREATE'],
        reinvocationPolicy: 'IfNeeded',
        objectSelector: selectorFor('reinvoke'),
      },
      (ctx) => {
        const cm = ctx.object! as ConfigMap;
        record(reinvoked, ctx, cm);
        cm.data = { ...cm.data, sawChanger: String(cm.metadata?.labels?.changed === 'yes') };
        return cm;
      },
    )
    // Changes the object unless it already has the label.
    .mutating(
      {
        name: changer,
        resource: resources.configMaps,
        operations: ['CREATE'],
        objectSelector: selectorFor('reinvoke'),
      },
      (ctx) => {
        const cm = ctx.object! as ConfigMap;
        record(changer, ctx, cm);
        cm.metadata = { ...cm.metadata, labels: { ...cm.metadata?.labels, changed: 'yes' } };
        return cm;
      },
    )
    // Never re-invoked (the default), however the object changes after it.
    .mutating(
      {
        name: once,
        resource: resources.configMaps,
        operations: ['CREATE'],
        objectSelector: selectorFor('reinvoke'),
      },
      (ctx) => {
        record(once, ctx, ctx.object);
        return undefined;
      },
    )
    .validating(
      {
        name: protect,
        resource: resources.configMaps,
        operations: ['DELETE'],
        objectSelector: selectorFor('collection'),
      },
      (ctx) => {
        record(protect, ctx, ctx.oldObject);
        return ctx.oldObject?.metadata?.labels?.protected === 'true'
          ? deny(`${ctx.oldObject.metadata.name} is protected`)
          : allow();
      },
    )
    .validating(
      {
        name: viaService,
        resource: resources.configMaps,
        operations: ['CREATE'],
        objectSelector: selectorFor('service'),
      },
      (ctx) => {
        record(viaService, ctx, ctx.object);
        return deny('reached through the Service');
      },
    )
    // Called unless the object is labelled exempt.
    .validating(
      {
        name: gate,
        resource: resources.configMaps,
        operations: ['CREATE'],
        objectSelector: selectorFor('gate'),
        matchConditions: [
          { name: 'not-exempt', expression: "!('exempt' in object.metadata.labels)" },
          { name: 'create', expression: "request.operation == 'CREATE' && oldObject == null" },
        ],
      },
      (ctx) => {
        record(gate, ctx, ctx.object);
        return deny('gated');
      },
    )
    // A condition that errors (failurePolicy Fail) beside one that is false on UPDATE.
    .validating(
      {
        name: broken,
        resource: resources.configMaps,
        operations: ['CREATE', 'UPDATE'],
        objectSelector: selectorFor('broken'),
        matchConditions: [
          { name: 'missing', expression: MISSING },
          { name: 'create-only', expression: "request.operation == 'CREATE'" },
        ],
      },
      (ctx) => {
        record(broken, ctx, ctx.object);
        return allow();
      },
    )
    // The same error under failurePolicy Ignore: the webhook is skipped.
    .validating(
      {
        name: ignored,
        resource: resources.configMaps,
        operations: ['CREATE'],
        failurePolicy: 'Ignore',
        objectSelector: selectorFor('ignored'),
        matchConditions: [{ name: 'missing', expression: MISSING }],
      },
      (ctx) => {
        record(ignored, ctx, ctx.object);
        return deny('should have been skipped');
      },
    )
    // Called only for a user who may create ConfigMaps here but not list Secrets.
    .validating(
      {
        name: authzGate,
        resource: resources.configMaps,
        operations: ['CREATE'],
        objectSelector: selectorFor('authz'),
        matchConditions: [
          {
            name: 'cannot-list-secrets',
            expression:
              "!authorizer.group('').resource('secrets').namespace(request.namespace).check('list').allowed()",
          },
          {
            name: 'may-create',
            expression: "authorizer.requestResource.check('create').allowed()",
          },
        ],
      },
      (ctx) => {
        record(authzGate, ctx, ctx.object);
        return deny(`${ctx.userInfo?.username} may not list secrets`);
      },
    )
    // Sets data.step; the next webhook's condition reads it.
    .mutating(
      {
        name: setter,
        resource: resources.configMaps,
        operations: ['CREATE'],
        objectSelector: selectorFor('chain'),
      },
      (ctx) => {
        const cm = ctx.object! as ConfigMap;
        record(setter, ctx, cm);
        cm.data = { ...cm.data, step: 'set' };
        return cm;
      },
    )
    .mutating(
      {
        name: follower,
        resource: resources.configMaps,
        operations: ['CREATE'],
        objectSelector: selectorFor('chain'),
        matchConditions: [
          {
            name: 'after-setter',
            expression: "has(object.data.step) && object.data.step == 'set'",
          },
        ],
      },
      (ctx) => {
        const cm = ctx.object! as ConfigMap;
        record(follower, ctx, cm);
        cm.data = { ...cm.data, followed: 'yes' };
        return cm;
      },
    );
  // Called for Deployments `scaled-*` here and their scale: a scale to 5 is made 3.
  webhook.mutating(
    {
      name: scaler,
      resource: resources.deployments,
      subresources: ['scale'],
      operations: ['UPDATE'],
      matchConditions: [
        { name: 'here', expression: `request.namespace == '${ns}' && request.name == 'scaled'` },
      ],
    },
    (ctx) => {
      const { kind, resource } = ctx.request;
      const o = ctx.object as unknown as { kind: string; spec: { replicas: number } };
      const old = ctx.oldObject as unknown as { spec: { replicas: number } };
      scalingOptions.push(ctx.request.options);
      scalings.push(
        `${kind.group}/${kind.version} ${kind.kind} ${resource.resource}/${ctx.subResource} ${o.kind} ${old.spec.replicas}->${o.spec.replicas}`,
      );
      if (ctx.subResource !== 'scale' || o.spec.replicas !== 5) return undefined;
      o.spec.replicas = 3;
      return ctx.object;
    },
  );
  served = webhook.start(stop.signal);
  await webhook.whenListening();
  e2e.onStop(async () => {
    stop.abort();
    await served;
  });
  const m = webhook.manifests({ url: webhook.url });
  // The service-reached webhook goes in a configuration of its own (below).
  const validating = m.validating!;
  validating.webhooks = validating.webhooks?.filter((w) => w.name !== viaService);
  await createCluster(e2e, Api.cluster(e2e.client, validatingConfigs), validating);
  await createCluster(e2e, Api.cluster(e2e.client, mutatingConfigs), m.mutating!);
}, 120_000);

afterAll(() => e2e?.stop());

const configMaps = () => Api.namespaced(e2e.client, resources.configMaps, ns);
const labelled = (name: string, what: string, labels: Record<string, string> = {}): ConfigMap => ({
  metadata: { name, labels: { [LABEL]: `${what}-${suffix}`, ...labels } },
});
const callsFor = (name: string) => calls.filter((c) => c.endsWith(` ${name}`));

describe('reinvocationPolicy', () => {
  test('IfNeeded: called again after a later webhook changed the object, once', async () => {
    // The configuration may take a moment to be picked up: poll with fresh names.
    let n = 0;
    const created = await vi.waitFor(async () => {
      const out = await configMaps().create(labelled(`r${n++}`, 'reinvoke'));
      expect(out.data?.sawChanger).toBeDefined();
      return out;
    }, EVENTUALLY);
    const name = String(created.metadata?.name);
    expect(created.data).toEqual({ sawChanger: 'true' });
    expect(created.metadata?.labels?.changed).toBe('yes');
    expect(callsFor(name)).toEqual([
      `${reinvoked} CREATE ${name} ${name}`,
      `${changer} CREATE ${name} ${name}`,
      `${once} CREATE ${name} ${name}`,
      `${reinvoked} CREATE ${name} ${name}`,
    ]);
  });

  test('IfNeeded: not called again when no later webhook changed the object', async () => {
    const created = await configMaps().create(labelled('steady', 'reinvoke', { changed: 'yes' }));
    expect(created.data).toEqual({ sawChanger: 'true' });
    expect(callsFor('steady')).toEqual([
      `${reinvoked} CREATE steady steady`,
      `${changer} CREATE steady steady`,
      `${once} CREATE steady steady`,
    ]);
  });
});

describe('deletecollection', () => {
  test('every item is admitted as a DELETE; the first denial ends the request', async () => {
    const cms = configMaps();
    await cms.create(labelled('dc-a', 'collection'));
    await cms.create(labelled('dc-b', 'collection', { protected: 'true' }));
    await cms.create(labelled('dc-c', 'collection'));
    const selector = `${LABEL}=collection-${suffix}`;
    const err = await apiErrorOf(cms.deleteCollection({ labelSelector: selector }));
    expect(err.code).toBe(403);
    expect(err.status.message).toBe(
      `admission webhook "${protect}" denied the request: dc-b is protected`,
    );
    // Items go in key order: the one before the denial is deleted, the rest stay.
    const left = await cms.list({ labelSelector: selector });
    expect(left.items.map((i) => i.metadata?.name)).toEqual(['dc-b', 'dc-c']);
    // The request has no name (the collection's is empty); the object is the item.
    expect(calls.filter((c) => c.startsWith(protect))).toEqual([
      `${protect} DELETE - dc-a`,
      `${protect} DELETE - dc-b`,
    ]);
    await cms.create(labelled('dc-d', 'collection'));
    await cms.delete('dc-b').catch(() => {});
    const out = await cms.deleteCollection({
      labelSelector: `${selector},protected!=true`,
    });
    expect('items' in out ? out.items.map((i) => i.metadata?.name) : out).toEqual(['dc-c', 'dc-d']);
  });
});

describe('clientConfig.service', () => {
  test('an ExternalName Service is dialled by its name and port; the certificate is checked for NAME.NAMESPACE.svc', async () => {
    await Api.namespaced(e2e.client, resources.services, ns).create({
      metadata: { name: SERVICE },
      spec: { type: 'ExternalName', externalName: '127.0.0.1' },
    });
    const config: ValidatingWebhookConfiguration = {
      ...webhook.manifests({
        service: { namespace: ns, name: SERVICE, port: webhook.port },
      }).validating!,
      metadata: { name: `service-${suffix}` },
    };
    config.webhooks = config.webhooks?.filter((w) => w.name === viaService);
    await createCluster(e2e, Api.cluster(e2e.client, validatingConfigs), config);
    const err = await vi.waitFor(async () => {
      const e = await apiErrorOf(
        configMaps().create({
          metadata: { generateName: 'svc-', labels: { [LABEL]: `service-${suffix}` } },
        }),
      );
      expect(e.code).toBe(403);
      return e;
    }, EVENTUALLY);
    expect(err.status.message).toBe(
      `admission webhook "${viaService}" denied the request: reached through the Service`,
    );
  });

  test('a missing Service fails the call (failurePolicy Fail)', async () => {
    const missing = `missing.configmaps.${group}`;
    const config: MutatingWebhookConfiguration = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: `missing-${suffix}` },
      webhooks: [
        {
          name: missing,
          clientConfig: {
            service: { namespace: ns, name: 'no-such-service', path: '/x', port: 8443 },
            caBundle: webhook.caBundle!,
          },
          rules: [
            {
              operations: ['CREATE'],
              apiGroups: [''],
              apiVersions: ['v1'],
              resources: ['configmaps'],
            },
          ],
          failurePolicy: 'Fail',
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
          objectSelector: selectorFor('missing'),
        },
      ],
    };
    await createCluster(e2e, Api.cluster(e2e.client, mutatingConfigs), config);
    const err = await vi.waitFor(async () => {
      const e = await apiErrorOf(
        configMaps().create({
          metadata: { generateName: 'missing-', labels: { [LABEL]: `missing-${suffix}` } },
        }),
      );
      expect(e.code).toBe(500);
      return e;
    }, EVENTUALLY);
    const why = `failed calling webhook "${missing}": failed to call webhook: Post "https://no-such-service.${ns}.svc:8443/x?timeout=10s": service "no-such-service" not found`;
    expect(err.status.message).toBe(`Internal error occurred: ${why}`);
    expect(err.details?.causes).toEqual([{ message: why }]);
  });
});

describe('matchConditions', () => {
  test('all true: the webhook is called; one false: it is skipped', async () => {
    const err = await vi.waitFor(async () => {
      const e = await apiErrorOf(
        configMaps().create({
          metadata: { generateName: 'gate-', labels: { [LABEL]: `gate-${suffix}` } },
        }),
      );
      expect(e.code).toBe(403);
      return e;
    }, EVENTUALLY);
    expect(err.status.message).toBe(`admission webhook "${gate}" denied the request: gated`);
    const exempt = await configMaps().create(labelled('gate-exempt', 'gate', { exempt: 'yes' }));
    expect(exempt.metadata?.name).toBe('gate-exempt');
    expect(callsFor('gate-exempt')).toEqual([]);
  });

  test('an evaluation error under failurePolicy Fail refuses the request with 403; a false condition beside it skips the webhook', async () => {
    const err = await vi.waitFor(async () => {
      const e = await apiErrorOf(
        configMaps().create({ ...labelled('broken-a', 'broken'), data: { other: '1' } }),
      );
      expect(e.code).toBe(403);
      return e;
    }, EVENTUALLY);
    expect(err.status.reason).toBe('Forbidden');
    expect(err.status.message).toBe(
      `configmaps "broken-a" is forbidden: expression '${MISSING}' resulted in error: no such key: missing`,
    );
    expect(err.details).toMatchObject({ name: 'broken-a', kind: 'configmaps' });
    expect(callsFor('broken-a')).toEqual([]);
    // Both conditions true: called.
    const created = await configMaps().create({
      ...labelled('broken-b', 'broken'),
      data: { missing: 'x' },
    });
    expect(callsFor('broken-b')).toEqual([`${broken} CREATE broken-b broken-b`]);
    // On UPDATE the second condition is false: skipped, although the first now errors.
    const updated = await configMaps().replace('broken-b', { ...created, data: { other: '1' } });
    expect(updated.data).toEqual({ other: '1' });
    expect(callsFor('broken-b')).toEqual([`${broken} CREATE broken-b broken-b`]);
  });

  test('an evaluation error under failurePolicy Ignore skips the webhook', async () => {
    // Wait until the configuration is in force: a matching object reaches the handler.
    await vi.waitFor(async () => {
      const e = await apiErrorOf(
        configMaps().create({
          metadata: { generateName: 'ignored-', labels: { [LABEL]: `ignored-${suffix}` } },
          data: { missing: 'x' },
        }),
      );
      expect(e.status.message).toBe(
        `admission webhook "${ignored}" denied the request: should have been skipped`,
      );
    }, EVENTUALLY);
    const out = await configMaps().create({ ...labelled('ignored-a', 'ignored'), data: {} });
    expect(out.metadata?.name).toBe('ignored-a');
    expect(callsFor('ignored-a')).toEqual([]);
  });

  test("a mutating webhook's conditions see the object as the webhooks before it left it", async () => {
    let n = 0;
    const created = await vi.waitFor(async () => {
      const out = await configMaps().create(labelled(`chain-${n++}`, 'chain'));
      expect(out.data?.followed).toBe('yes');
      return out;
    }, EVENTUALLY);
    const name = String(created.metadata?.name);
    expect(created.data).toEqual({ step: 'set', followed: 'yes' });
    expect(callsFor(name)).toEqual([
      `${setter} CREATE ${name} ${name}`,
      `${follower} CREATE ${name} ${name}`,
    ]);
  });
});

describe('matchConditions: the authorizer, and checks when the configuration is written', () => {
  test('the authorizer checks for the requesting user', async () => {
    const kc = e2e.backend.kubeConfig;
    await grantInNamespace(kc, ns, 'cm-writer', 'hook-writer', [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
    ]);
    let n = 0;
    const createAs = (user?: string) =>
      raw(kc, 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
        body: { apiVersion: 'v1', kind: 'ConfigMap', ...labelled(`authz-${n++}`, 'authz') },
        headers: user ? { 'Impersonate-User': user } : {},
      });
    let denied: Awaited<ReturnType<typeof raw>> | undefined;
    await expect
      .poll(async () => {
        denied = await createAs('hook-writer');
        return denied.status;
      }, EVENTUALLY)
      .toBe(403);
    expect(denied?.json().message).toBe(
      `admission webhook "${authzGate}" denied the request: hook-writer may not list secrets`,
    );
    // The admin may list Secrets: the webhook is not called.
    const admin = await createAs();
    expect(admin.status).toBe(201);
    expect(callsFor(admin.json().metadata.name)).toEqual([]);
  });

  test('a matchCondition that does not compile, or is not a bool (dyn included), is refused with 422', async () => {
    const name = `broken-conditions-${suffix}`;
    const res = await raw(
      e2e.backend.kubeConfig,
      'POST',
      '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations',
      {
        body: {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'ValidatingWebhookConfiguration',
          metadata: { name },
          webhooks: [
            {
              name: `broken.${group}`,
              clientConfig: { url: 'https://127.0.0.1:1/never' },
              admissionReviewVersions: ['v1'],
              sideEffects: 'None',
              rules: [
                {
                  apiGroups: [''],
                  apiVersions: ['v1'],
                  operations: ['CREATE'],
                  resources: ['configmaps'],
                },
              ],
              matchConditions: [
                { name: 'params', expression: 'params.x == 1' },
                { name: 'string', expression: "'x' " },
                { name: 'dyn', expression: 'object.metadata.name' },
                { name: 'authz', expression: "authorizer.path('/healthz').check('get').allowed()" },
                { name: 'bind', expression: 'cel.bind(x, object, x != null)' },
              ],
            },
          ],
        },
      },
    );
    const causes = [
      {
        field: 'webhooks[0].matchConditions[0].expression',
        message:
          "Invalid value: \"params.x == 1\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'params' (in container '')\n | params.x == 1\n | ^",
      },
      {
        field: 'webhooks[0].matchConditions[1].expression',
        message: `Invalid value: "'x'": must evaluate to bool but got string`,
      },
      {
        field: 'webhooks[0].matchConditions[2].expression',
        message: 'Invalid value: "object.metadata.name": must evaluate to bool but got dyn',
      },
      {
        // No cel.bind: kube-apiserver's environment has no bindings extension here.
        field: 'webhooks[0].matchConditions[4].expression',
        message:
          "Invalid value: \"cel.bind(x, object, x != null)\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'cel' (in container '')\n | cel.bind(x, object, x != null)\n | ^\nERROR: <input>:1:9: undeclared reference to 'bind' (in container '')\n | cel.bind(x, object, x != null)\n | ........^\nERROR: <input>:1:10: undeclared reference to 'x' (in container '')\n | cel.bind(x, object, x != null)\n | .........^\nERROR: <input>:1:21: undeclared reference to 'x' (in container '')\n | cel.bind(x, object, x != null)\n | ....................^",
      },
    ];
    expect(res.status).toBe(422);
    expect(res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `ValidatingWebhookConfiguration.admissionregistration.k8s.io "${name}" is invalid: [${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}]`,
      reason: 'Invalid',
      details: {
        name,
        group: 'admissionregistration.k8s.io',
        kind: 'ValidatingWebhookConfiguration',
        causes: causes.map((c) => ({ reason: 'FieldValueInvalid', ...c })),
      },
      code: 422,
    });
  });
});

test('a write through scale reaches webhooks of deployments/scale with Scale objects, and their mutation is kept', async () => {
  const deployments = `/apis/apps/v1/namespaces/${ns}/deployments`;
  const created = await raw(e2e.backend.kubeConfig, 'POST', deployments, {
    body: {
      metadata: { name: 'scaled' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'scaled' } },
        template: {
          metadata: { labels: { app: 'scaled' } },
          spec: { containers: [{ name: 'app', image: 'nginx' }] },
        },
      },
    },
  });
  expect(created.status, created.text).toBe(201);
  // The configuration may take a moment to be picked up: relabel the Deployment until the
  // webhook sees it (an update of the Deployment itself, the `deployments` rule's).
  let n = 0;
  await vi.waitFor(async () => {
    const relabelled = await raw(e2e.backend.kubeConfig, 'PATCH', `${deployments}/scaled`, {
      body: { metadata: { labels: { x: String(n++) } } },
      contentType: 'application/merge-patch+json',
    });
    expect(relabelled.status, relabelled.text).toBe(200);
    expect(scalings.at(-1)).toBe('apps/v1 Deployment deployments/ Deployment 1->1');
  }, EVENTUALLY);
  const scaled = await raw(e2e.backend.kubeConfig, 'PATCH', `${deployments}/scaled/scale`, {
    query: { fieldManager: 'scaler-fm', fieldValidation: 'Ignore' },
    body: { spec: { replicas: 5 } },
    contentType: 'application/merge-patch+json',
  });
  expect(scaled.status, scaled.text).toBe(200);
  expect(scaled.json().spec).toEqual({ replicas: 3 });
  expect(scalings.at(-1)).toBe('autoscaling/v1 Scale deployments/scale Scale 1->5');
  // A patch is admitted with the UpdateOptions its query gave.
  expect(scalingOptions.at(-1)).toEqual({
    kind: 'UpdateOptions',
    apiVersion: 'meta.k8s.io/v1',
    fieldManager: 'scaler-fm',
    fieldValidation: 'Ignore',
  });
  const read = await raw(e2e.backend.kubeConfig, 'GET', `${deployments}/scaled`);
  expect(read.json().spec.replicas).toBe(3);
});
