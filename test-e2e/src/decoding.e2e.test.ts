/**
 * Differential: how the server decodes built-in objects. A value of the wrong JSON type is
 * refused with Go's encoding/json error (the innermost Go struct and the field path without
 * list indices), a malformed quantity with apimachinery's, on create, update, every patch
 * type and server-side apply (which words its errors differently); quantities are stored
 * in their canonical form. A custom resource's wrong types are its schema's 422 instead.
 * Same requests, same assertions on every backend.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installCrd } from './crd-install.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;

const group = `dec${uniqueSuffix()}.e2e.kube-ts.dev`;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-decoding');
  await installCrd(
    e2e,
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `gadgets.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { kind: 'Gadget', plural: 'gadgets', singular: 'gadget', listKind: 'GadgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    properties: {
                      size: { type: 'integer' },
                      tags: { type: 'object', additionalProperties: { type: 'string' } },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    },
    `/apis/${group}/v1/namespaces/${ns}/gadgets`,
  );
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const core = (plural: string) => `/api/v1/namespaces/${ns}/${plural}`;
const deployments = () => `/apis/apps/v1/namespaces/${ns}/deployments`;

const QUANTITY =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

function deployment(name: string, spec: Record<string, unknown> = {}, meta = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...meta },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
      },
      ...spec,
    },
  };
}

function pod(name: string, container: Record<string, unknown> = {}, spec = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'c', image: 'nginx:1.27', ...container }], ...spec },
  };
}

/** A create that must be refused with `message` after `Kind in version "v1" cannot be handled as a Kind: `. */
async function refusedCreate(
  path: string,
  body: Record<string, unknown> & { kind: string },
  message: string,
) {
  const res = await raw(kc(), 'POST', path, { body });
  expect(res.status).toBe(400);
  expect(res.json()).toMatchObject({
    kind: 'Status',
    status: 'Failure',
    reason: 'BadRequest',
    code: 400,
    message: `${body.kind} in version "v1" cannot be handled as a ${body.kind}: ${message}`,
  });
}

describe('create: a value of the wrong JSON type is 400 with Go encoding/json error', () => {
  test('scalars, lists, maps and nested structs of a Deployment, and nothing is stored', async () => {
    const cases: [Record<string, unknown>, Record<string, unknown>, string][] = [
      [
        { replicas: '3' },
        {},
        'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
      ],
      [
        { replicas: 1.5 },
        {},
        'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
      ],
      [
        { replicas: 3000000000 },
        {},
        'json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32',
      ],
      [
        { paused: 'yes' },
        {},
        'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool',
      ],
      [
        {},
        { labels: [] },
        'json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string',
      ],
      [
        {},
        { labels: { a: 1 } },
        'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
      ],
      [
        {},
        { finalizers: 'x' },
        'json: cannot unmarshal string into Go struct field ObjectMeta.metadata.finalizers of type []string',
      ],
      [
        {},
        { generation: '1' },
        'json: cannot unmarshal string into Go struct field ObjectMeta.metadata.generation of type int64',
      ],
      [
        {},
        {
          ownerReferences: [
            { apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u', controller: 'yes' },
          ],
        },
        'json: cannot unmarshal string into Go struct field OwnerReference.metadata.ownerReferences.controller of type bool',
      ],
      [
        { selector: { matchLabels: 'x' } },
        {},
        'json: cannot unmarshal string into Go struct field LabelSelector.spec.selector.matchLabels of type map[string]string',
      ],
      [
        { strategy: { type: 1 } },
        {},
        'json: cannot unmarshal number into Go struct field DeploymentStrategy.spec.strategy.type of type v1.DeploymentStrategyType',
      ],
      [
        { template: { spec: { containers: { name: 'c' } } } },
        {},
        'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container',
      ],
    ];
    for (const [i, [spec, meta, message]] of cases.entries()) {
      await refusedCreate(deployments(), deployment(`wrong-${i}`, spec, meta), message);
      expect((await raw(kc(), 'GET', `${deployments()}/wrong-${i}`)).status).toBe(404);
    }
  });

  test('the struct is the innermost one; list items and embedded structs in the path', async () => {
    const cases: [ReturnType<typeof pod>, string][] = [
      [
        pod('p1', { ports: [{ containerPort: '80' }] }),
        'json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
      ],
      [
        pod('p2', { ports: [{ containerPort: 80, protocol: 6 }] }),
        'json: cannot unmarshal number into Go struct field ContainerPort.spec.containers.ports.protocol of type v1.Protocol',
      ],
      [
        pod('p3', { command: [1] }),
        'json: cannot unmarshal number into Go struct field Container.spec.containers.command of type string',
      ],
      [
        pod('p4', { env: [{ name: 'a', value: 1 }] }),
        'json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string',
      ],
      [
        pod('p5', { livenessProbe: { httpGet: { port: true } } }),
        'json: cannot unmarshal bool into Go struct field HTTPGetAction.spec.containers.livenessProbe.ProbeHandler.httpGet.port of type int32',
      ],
      [
        pod('p6', { securityContext: { runAsUser: '1' } }),
        'json: cannot unmarshal string into Go struct field SecurityContext.spec.containers.securityContext.runAsUser of type int64',
      ],
      [
        pod('p7', {}, { restartPolicy: 1 }),
        'json: cannot unmarshal number into Go struct field PodSpec.spec.restartPolicy of type v1.RestartPolicy',
      ],
      [
        pod(
          'p8',
          {},
          {
            volumes: [
              {
                name: 'v',
                configMap: { name: 'c', items: [{ key: 'k', path: 'p', mode: 'rw' }] },
              },
            ],
          },
        ),
        'json: cannot unmarshal string into Go struct field KeyToPath.spec.volumes.VolumeSource.configMap.items.mode of type int32',
      ],
      [
        pod('p9', { resources: { requests: [] } }),
        'json: cannot unmarshal array into Go struct field ResourceRequirements.spec.containers.resources.requests of type v1.ResourceList',
      ],
    ];
    for (const [body, message] of cases) await refusedCreate(core('pods'), body, message);
  });

  test('ConfigMap, Secret, Service and an int-or-string', async () => {
    const configMap = (fields: Record<string, unknown>) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm' },
      ...fields,
    });
    await refusedCreate(
      core('configmaps'),
      configMap({ data: { a: 1 } }),
      'json: cannot unmarshal number into Go struct field ConfigMap.data of type string',
    );
    await refusedCreate(
      core('configmaps'),
      configMap({ data: [] }),
      'json: cannot unmarshal array into Go struct field ConfigMap.data of type map[string]string',
    );
    await refusedCreate(
      core('configmaps'),
      configMap({ binaryData: { a: 1 } }),
      'json: cannot unmarshal number into Go struct field ConfigMap.binaryData of type []uint8',
    );
    await refusedCreate(
      core('configmaps'),
      configMap({ immutable: 'true' }),
      'json: cannot unmarshal string into Go struct field ConfigMap.immutable of type bool',
    );
    await refusedCreate(
      core('secrets'),
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { a: 1 } },
      'json: cannot unmarshal number into Go struct field Secret.stringData of type string',
    );
    const service = (port: Record<string, unknown>) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc' },
      spec: { ports: [port] },
    });
    await refusedCreate(
      core('services'),
      service({ port: '80' }),
      'json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32',
    );
    // An int-or-string that is neither is refused as the int32 it then must be.
    await refusedCreate(
      core('services'),
      service({ port: 80, targetPort: true }),
      'json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32',
    );
    await refusedCreate(
      deployments(),
      deployment('surge', { strategy: { rollingUpdate: { maxSurge: 1.5 } } }),
      'json: cannot unmarshal number 1.5 into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32',
    );
  });

  test('the first mismatch is the error, but a time or quantity error wins', async () => {
    // In document order: the body's metadata comes before its spec.
    await refusedCreate(
      deployments(),
      deployment('first', { replicas: '3' }, { labels: { a: 1 } }),
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
    );
    await refusedCreate(
      deployments(),
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        spec: { replicas: '3' },
        metadata: { name: 'later', creationTimestamp: 'x' },
      },
      'parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"',
    );
    // The wrong type is reported before the unknown field, even under Strict.
    const strict = await raw(kc(), 'POST', deployments(), {
      query: { fieldValidation: 'Strict' },
      body: deployment('strict', { replica: 1, replicas: '3' }),
    });
    expect(strict.status).toBe(400);
    expect(strict.json().message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
  });
});

describe('quantities', () => {
  test('a malformed quantity is 400 in containers, ResourceQuota, PVC and LimitRange', async () => {
    for (const [i, cpu] of ['abc', '1.5.5', true, {}].entries()) {
      await refusedCreate(
        core('pods'),
        pod(`q${i}`, { resources: { requests: { cpu } } }),
        QUANTITY,
      );
    }
    await refusedCreate(
      core('pods'),
      pod('q-limit', { resources: { limits: { memory: '1Gx' } } }),
      QUANTITY,
    );
    await refusedCreate(
      core('resourcequotas'),
      {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'q' },
        spec: { hard: { pods: 'x' } },
      },
      QUANTITY,
    );
    await refusedCreate(
      core('persistentvolumeclaims'),
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'c' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gx' } } },
      },
      QUANTITY,
    );
    await refusedCreate(
      core('limitranges'),
      {
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: { name: 'l' },
        spec: { limits: [{ type: 'Container', max: { cpu: 'x' } }] },
      },
      QUANTITY,
    );
  });

  test('quantities are stored as the server writes them; a number is a quantity', async () => {
    const res = await raw(kc(), 'POST', core('pods'), {
      body: pod('canonical', {
        resources: {
          requests: { cpu: 1.5, memory: '1e3', 'example.com/a': '1E3' },
          limits: { cpu: '2000m', memory: '1.5Gi', 'example.com/a': '1E3' },
        },
      }),
    });
    expect(res.status).toBe(201);
    // Canonical forms, or the text as sent when the parser finds it canonical (1E3).
    const want = {
      requests: { cpu: '1500m', memory: '1e3', 'example.com/a': '1E3' },
      limits: { cpu: '2', memory: '1536Mi', 'example.com/a': '1E3' },
    };
    expect(res.json().spec.containers[0].resources).toEqual(want);
    const got = (await raw(kc(), 'GET', `${core('pods')}/canonical`)).json();
    expect(got.spec.containers[0].resources).toEqual(want);
    // A resource list is rounded up to milli-units.
    for (const [i, [cpu, stored]] of [
      ['1n', '1m'],
      ['0.0001', '1m'],
      ['1.G', '1.G'],
    ].entries()) {
      const small = await raw(kc(), 'POST', core('pods'), {
        body: pod(`small-${i}`, { resources: { requests: { cpu }, limits: { cpu: '2G' } } }),
      });
      expect(small.status).toBe(201);
      expect(small.json().spec.containers[0].resources.requests.cpu).toBe(stored);
    }
    const quota = await raw(kc(), 'POST', core('resourcequotas'), {
      body: {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'canonical' },
        spec: { hard: { 'requests.cpu': '0.5', 'requests.memory': '1024Ki', pods: '10' } },
      },
    });
    expect(quota.status).toBe(201);
    expect(quota.json().spec.hard).toEqual({
      'requests.cpu': '500m',
      'requests.memory': '1Mi',
      pods: '10',
    });
  });
});

describe('update and patches', () => {
  beforeAll(async () => {
    const res = await raw(kc(), 'POST', deployments(), { body: deployment('target') });
    expect(res.status).toBe(201);
  });

  const target = () => `${deployments()}/target`;

  test('an update (PUT) is 400 like a create, for the object and its status', async () => {
    const current = (await raw(kc(), 'GET', target())).json();
    const put = await raw(kc(), 'PUT', target(), {
      body: { ...current, spec: { ...current.spec, replicas: '3' } },
    });
    expect(put.status).toBe(400);
    expect(put.json().message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    const status = await raw(kc(), 'PUT', `${target()}/status`, {
      body: { ...current, status: { replicas: '3' } },
    });
    expect(status.status).toBe(400);
    expect(status.json().message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentStatus.status.replicas of type int32',
    );
  });

  /** A patch refused with 422 on `patch`: the patched object (or the patch) and the error. */
  async function refusedPatch(contentType: string, body: unknown, shown: RegExp, error: string) {
    const res = await raw(kc(), 'PATCH', target(), { contentType, body });
    expect(res.status).toBe(422);
    const status = res.json();
    expect(status.reason).toBe('Invalid');
    expect(status.details.causes).toHaveLength(1);
    expect(status.details.causes[0].field).toBe('patch');
    const message: string = status.details.causes[0].message;
    expect(message.endsWith(`": ${error}`)).toBe(true);
    expect(message.slice(0, -error.length - 2)).toMatch(shown);
  }

  test('merge and JSON patches: the patched object is decoded like a body', async () => {
    const replicas =
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32';
    const patched = /^Invalid value: "\{\\"apiVersion\\":\\"apps\/v1\\",.*\\"replicas\\":\\"3\\"/;
    await refusedPatch(
      'application/merge-patch+json',
      { spec: { replicas: '3' } },
      patched,
      replicas,
    );
    await refusedPatch(
      'application/json-patch+json',
      [{ op: 'replace', path: '/spec/replicas', value: '3' }],
      patched,
      replicas,
    );
    await refusedPatch(
      'application/merge-patch+json',
      { metadata: { labels: [] } },
      /^Invalid value: "\{/,
      'json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string',
    );
    await refusedPatch(
      'application/json-patch+json',
      [
        {
          op: 'add',
          path: '/spec/template/spec/containers/0/resources',
          value: { limits: { cpu: 'x' } },
        },
      ],
      /^Invalid value: "\{/,
      QUANTITY,
    );
  });

  test('a strategic merge patch is converted from a map: other words, the patch as Go prints it', async () => {
    await refusedPatch(
      'application/strategic-merge-patch+json',
      { spec: { replicas: '3' } },
      /^Invalid value: "map\[spec:map\[replicas:3\]\]"$/,
      'unrecognized type: int32',
    );
    await refusedPatch(
      'application/strategic-merge-patch+json',
      {
        spec: {
          template: { spec: { containers: [{ name: 'c', resources: { limits: { cpu: 'x' } } }] } },
        },
      },
      /^Invalid value: "map\[spec:map\[template:map\[spec:map\[containers:\[map\[name:c resources:map\[limits:map\[cpu:x\]\]\]\]\]\]\]\]"$/,
      QUANTITY,
    );
  });

  test('server-side apply: typed patch errors, then conversion errors, as a bare 500', async () => {
    const apply = async (spec: Record<string, unknown>, meta = {}) => {
      const res = await raw(kc(), 'PATCH', `${deployments()}/applied`, {
        query: { fieldManager: 'e2e' },
        contentType: 'application/apply-patch+yaml',
        body: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'applied', ...meta },
          spec,
        },
      });
      expect(res.status).toBe(500);
      return res.json().message as string;
    };
    const typed = 'failed to create typed patch object (/applied; apps/v1, Kind=Deployment): ';
    expect(await apply({ replicas: '3' })).toBe(
      `${typed}.spec.replicas: expected numeric (int or float), got string`,
    );
    expect(await apply({ paused: 'x' })).toBe(`${typed}.spec.paused: expected boolean, got &{x}`);
    expect(await apply({}, { labels: { a: 1 } })).toBe(
      `${typed}.metadata.labels.a: expected string, got &value.valueUnstructured{Value:1}`,
    );
    expect(await apply({}, { labels: [] })).toBe(
      `${typed}.metadata.labels: expected map, got &{[]}`,
    );
    expect(await apply({}, { finalizers: [1] })).toBe(
      `${typed}.metadata.finalizers[=1]: expected string, got &value.valueUnstructured{Value:1}`,
    );
    expect(
      await apply({
        template: { spec: { containers: [{ name: 'c', ports: [{ containerPort: '80' }] }] } },
      }),
    ).toBe(
      `${typed}.spec.template.spec.containers[name="c"].ports[containerPort="80",protocol="TCP"].containerPort: expected numeric (int or float), got string`,
    );
    const converted =
      'failed to convert new object (/applied; apps/v1, Kind=Deployment) to proper version: unable to convert unstructured object to apps/v1, Kind=Deployment: ';
    expect(await apply({ replicas: 1.5 })).toBe(`${converted}cannot convert float64 to int32`);
    expect(
      await apply({
        template: { spec: { containers: [{ name: 'c', resources: { limits: { cpu: 'x' } } }] } },
      }),
    ).toBe(`${converted}${QUANTITY}`);
    expect((await raw(kc(), 'GET', `${deployments()}/applied`)).status).toBe(404);
  });
});

test('a custom resource: a wrong type is its schema validation 422, not a decoding error', async () => {
  const res = await raw(kc(), 'POST', `/apis/${group}/v1/namespaces/${ns}/gadgets`, {
    body: {
      apiVersion: `${group}/v1`,
      kind: 'Gadget',
      metadata: { name: 'g' },
      spec: { size: '3', tags: { a: 1 } },
    },
  });
  expect(res.status).toBe(422);
  const status = res.json();
  expect(status.reason).toBe('Invalid');
  // kube-apiserver's schema validator reports the properties in no fixed order.
  const causes = [...status.details.causes].sort((a, b) => (a.field < b.field ? -1 : 1));
  expect(causes).toEqual([
    {
      reason: 'FieldValueTypeInvalid',
      message: 'Invalid value: "string": spec.size in body must be of type integer: "string"',
      field: 'spec.size',
    },
    {
      reason: 'FieldValueTypeInvalid',
      message: 'Invalid value: "integer": spec.tags.a in body must be of type string: "integer"',
      field: 'spec.tags.a',
    },
  ]);
});

describe('numbers as written and keys in text order (what JSON.parse does not keep)', () => {
  /**
   * The JSON text of `body` with each string `'#<number>'` written as that number literal
   * (`'#1.0'` → `1.0`), as a client can send it and JSON.stringify cannot.
   */
  const withLiterals = (body: unknown) =>
    JSON.stringify(body).replace(/"#(-?[0-9][0-9.eE+-]*)"/g, '$1');

  async function refusedText(path: string, kind: string, body: unknown, message: string) {
    const res = await raw(kc(), 'POST', path, { body: withLiterals(body) });
    expect(res.status).toBe(400);
    expect(res.json().message).toBe(
      `${kind} in version "v1" cannot be handled as a ${kind}: ${message}`,
    );
  }

  test('an integer written with a fraction or an exponent is refused with its text', async () => {
    const cases: [Record<string, unknown>, Record<string, unknown>, string][] = [
      [
        { replicas: '#1.0' },
        {},
        'json: cannot unmarshal number 1.0 into Go struct field DeploymentSpec.spec.replicas of type int32',
      ],
      [
        { replicas: '#1e2' },
        {},
        'json: cannot unmarshal number 1e2 into Go struct field DeploymentSpec.spec.replicas of type int32',
      ],
      [
        {},
        { generation: '#2E0' },
        'json: cannot unmarshal number 2E0 into Go struct field ObjectMeta.metadata.generation of type int64',
      ],
      [
        { strategy: { rollingUpdate: { maxSurge: '#1.0' } } },
        {},
        'json: cannot unmarshal number 1.0 into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32',
      ],
    ];
    for (const [i, [spec, meta, message]] of cases.entries()) {
      await refusedText(deployments(), 'Deployment', deployment(`lit-${i}`, spec, meta), message);
      expect((await raw(kc(), 'GET', `${deployments()}/lit-${i}`)).status).toBe(404);
    }
    await refusedText(
      core('pods'),
      'Pod',
      pod('lit-port', { ports: [{ containerPort: '#8e1' }] }),
      'json: cannot unmarshal number 8e1 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    );
  });

  test('a []byte written as a list of numbers takes whole bytes only, read from their text', async () => {
    const secret = (name: string, bytes: unknown[]) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name },
      data: { a: bytes },
    });
    await refusedText(
      core('secrets'),
      'Secret',
      secret('bytes-fraction', [104, '#1.0', 105]),
      'json: cannot unmarshal number 1.0 into Go struct field Secret.data of type uint8',
    );
    await refusedText(
      core('secrets'),
      'Secret',
      secret('bytes-exponent', ['#1e0']),
      'json: cannot unmarshal number 1e0 into Go struct field Secret.data of type uint8',
    );
    const made = await raw(kc(), 'POST', core('secrets'), { body: secret('bytes', [104, 105]) });
    expect(made.status).toBe(201);
    expect(made.json().data).toEqual({ a: 'aGk=' });
  });

  test('a quantity written as a number is read from its text', async () => {
    // A quota on PersistentVolumeClaims only: the Pods of the other tests are not bound by it.
    const res = await raw(kc(), 'POST', core('resourcequotas'), {
      body: withLiterals({
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'lit-quantity' },
        spec: {
          hard: {
            persistentvolumeclaims: '#1e3',
            'requests.storage': '#1.50',
          },
        },
      }),
    });
    expect(res.status).toBe(201);
    expect(res.json().spec.hard).toEqual({
      persistentvolumeclaims: '1e3',
      'requests.storage': '1500m',
    });
  });

  test('a map is read in text order, keys that look like integers too', async () => {
    // Written by hand: JSON.stringify would write the key "1" first.
    const body = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"order","labels":{"a":true,"1":2}}}`;
    const res = await raw(kc(), 'POST', core('configmaps'), { body });
    expect(res.status).toBe(400);
    expect(res.json().message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string',
    );
  });

  test('an integer out of range is remembered and decoding goes on: a later time error wins', async () => {
    await refusedText(
      deployments(),
      'Deployment',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        spec: { replicas: 3000000000 },
        metadata: { name: 'range', creationTimestamp: 'x' },
      },
      'parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"',
    );
  });

  test('merge and JSON patches keep the literal in the patched object', async () => {
    const path = `${deployments()}/lit-patch`;
    expect((await raw(kc(), 'POST', deployments(), { body: deployment('lit-patch') })).status).toBe(
      201,
    );
    const error =
      'json: cannot unmarshal number 2.0 into Go struct field DeploymentSpec.spec.replicas of type int32';
    for (const [contentType, body] of [
      ['application/merge-patch+json', { spec: { replicas: '#2.0' } }],
      ['application/json-patch+json', [{ op: 'replace', path: '/spec/replicas', value: '#2.0' }]],
    ] as const) {
      const res = await raw(kc(), 'PATCH', path, { contentType, body: withLiterals(body) });
      expect(res.status).toBe(422);
      const message: string = res.json().details.causes[0].message;
      expect(message).toMatch(/\\"replicas\\":2\.0[,}]/);
      expect(message.endsWith(`": ${error}`)).toBe(true);
    }
    // The strategic merge patch reads the patch into a map first: 2.0 is the integer 2.
    const strategic = await raw(kc(), 'PATCH', path, {
      contentType: 'application/strategic-merge-patch+json',
      body: withLiterals({ spec: { replicas: '#2.0' } }),
    });
    expect(strategic.status).toBe(200);
    expect(strategic.json().spec.replicas).toBe(2);
  });
});
