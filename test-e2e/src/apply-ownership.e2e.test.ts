/**
 * Differential: server-side apply ownership as kube-apiserver's field manager keeps it.
 * Managers applying the same value share the field instead of conflicting, list items are
 * identified by their keys with defaulted key fields filled in (a Service port without
 * `protocol` is the `TCP` one), a field only conflicts when the apply adds or changes
 * something another manager owns (not when it fills an empty map that manager owns),
 * atomic maps and structs (and RawExtensions) are owned whole, `status` is owned per
 * subresource, a client can reset `managedFields`, and what does conflict is named the way
 * the server names it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CERTIFICATE_REQUEST } from './certificate-request.js';
import { CRDS, installCrd, namespacedCrd } from './crd-install.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-apply');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const core = (plural: string, name: string) => `/api/v1/namespaces/${ns}/${plural}/${name}`;

function apply(path: string, manager: string, body: Record<string, unknown>, force = false) {
  return raw(kc(), 'PATCH', path, {
    body: JSON.stringify(body),
    contentType: 'application/apply-patch+yaml',
    query: { fieldManager: manager, ...(force ? { force: 'true' } : {}) },
  });
}

function mergePatch(path: string, manager: string, body: Record<string, unknown>) {
  return raw(kc(), 'PATCH', path, {
    body,
    contentType: 'application/merge-patch+json',
    query: { fieldManager: manager },
  });
}

/** The managers that own a field path (fieldsV1 keys, e.g. `f:data`, `f:k`). */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
function owners(obj: any, ...path: string[]): string[] {
  const out: string[] = [];
  for (const entry of obj.metadata.managedFields ?? []) {
    let node = entry.fieldsV1;
    for (const el of path) node = node?.[el];
    if (node !== undefined) out.push(entry.manager);
  }
  return out.sort();
}

/** The fieldsV1 of a manager's (only) managedFields entry. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
function fieldsOf(obj: any, manager: string): Record<string, unknown> {
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
  const entries = obj.metadata.managedFields.filter((m: any) => m.manager === manager);
  expect(entries).toHaveLength(1);
  return entries[0].fieldsV1;
}

/** A Deployment named `name` whose pod template has one container `app`. */
function deployment(name: string, container: Record<string, unknown>) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: 'r' } },
      template: {
        metadata: { labels: { app: 'r' } },
        spec: { containers: [{ name: 'app', ...container }] },
      },
    },
  };
}

function conflict(manager: string, field: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `Apply failed with 1 conflict: conflict with "${manager}": ${field}`,
    reason: 'Conflict',
    details: {
      causes: [{ reason: 'FieldManagerConflict', message: `conflict with "${manager}"`, field }],
    },
    code: 409,
  };
}

describe('ConfigMap data', () => {
  const configMap = (data?: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'shared' },
    ...(data ? { data } : {}),
  });

  test('two managers applying the same value co-own it; a different value conflicts', async () => {
    const path = core('configmaps', 'shared');
    expect((await apply(path, 'a', configMap({ k: 'v' }))).status).toBe(201);
    const both = await apply(path, 'b', configMap({ k: 'v' }));
    expect(both.status).toBe(200);
    expect(owners(both.json(), 'f:data', 'f:k')).toEqual(['a', 'b']);
    const other = await apply(path, 'b', configMap({ k: 'w' }));
    expect(other.status).toBe(409);
    expect(other.json()).toEqual(conflict('a', '.data.k'));
    // a stops applying the key: b alone owns it and can change it.
    expect((await apply(path, 'a', configMap())).status).toBe(200);
    const changed = await apply(path, 'b', configMap({ k: 'w' }));
    expect(changed.status).toBe(200);
    expect(changed.json().data).toEqual({ k: 'w' });
  });

  test('an applied empty map is owned as a whole: applying it again from another manager conflicts', async () => {
    const empty = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'empty' }, data: {} };
    const path = core('configmaps', 'empty');
    const created = await apply(path, 'a', empty);
    expect(created.status).toBe(201);
    expect(created.json().data).toBeUndefined();
    expect(owners(created.json(), 'f:data')).toEqual(['a']);
    // The server drops the empty map from the object, so another manager setting it is a
    // change of a field "a" owns.
    expect((await apply(path, 'b', empty)).json()).toEqual(conflict('a', '.data'));
    expect((await apply(path, 'c', { ...empty, data: { x: '1' } })).json()).toEqual(
      conflict('a', '.data'),
    );
  });
});

describe('Service ports', () => {
  const service = (ports: Record<string, unknown>[]) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'ports' },
    spec: { ports },
  });

  test('a port applied with and without its default protocol is one item, co-owned', async () => {
    const path = core('services', 'ports');
    const first = await apply(path, 'a', service([{ port: 80 }]));
    expect(first.status).toBe(201);
    expect(first.json().spec.ports).toEqual([{ protocol: 'TCP', port: 80, targetPort: 80 }]);
    const item = 'k:{"port":80,"protocol":"TCP"}';
    const withProtocol = await apply(path, 'b', service([{ port: 80, protocol: 'TCP' }]));
    expect(withProtocol.status).toBe(200);
    expect(withProtocol.json().spec.ports).toHaveLength(1);
    expect(owners(withProtocol.json(), 'f:spec', 'f:ports', item, 'f:port')).toEqual(['a', 'b']);
    const withTarget = await apply(path, 'c', service([{ port: 80, targetPort: 80 }]));
    expect(withTarget.status).toBe(200);
    expect(owners(withTarget.json(), 'f:spec', 'f:ports', item, 'f:targetPort')).toEqual(['c']);

    const moved = await apply(path, 'd', service([{ port: 80, targetPort: 8080 }]));
    expect(moved.status).toBe(409);
    expect(moved.json()).toEqual(conflict('c', '.spec.ports[port=80,protocol="TCP"].targetPort'));
  });

  test('container ports and fields a manager did not apply are keyed and named the same way', async () => {
    const pod = (container: Record<string, unknown>) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'applied' },
      spec: { containers: [{ name: 'app', image: 'nginx', ...container }] },
    });
    const path = core('pods', 'applied');
    expect((await apply(path, 'a', pod({ ports: [{ containerPort: 80 }] }))).status).toBe(201);
    const same = await apply(path, 'b', pod({ ports: [{ containerPort: 80, protocol: 'TCP' }] }));
    expect(same.status).toBe(200);
    expect(same.json().spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect((await apply(path, 'c', pod({ imagePullPolicy: 'Always' }))).status).toBe(200);
    const res = await apply(path, 'd', pod({ imagePullPolicy: 'IfNotPresent' }));
    expect(res.json()).toEqual(conflict('c', '.spec.containers[name="app"].imagePullPolicy'));
  });
});

describe("the schema's list types", () => {
  const account = (extra: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'lists' },
    ...extra,
  });

  test('items of an x-kubernetes-list-type map list applied by two managers co-exist', async () => {
    const path = core('serviceaccounts', 'lists');
    const first = await apply(path, 'a', account({ secrets: [{ name: 's1' }] }));
    expect(first.status).toBe(201);
    const second = await apply(path, 'b', account({ secrets: [{ name: 's2' }] }));
    expect(second.status, second.text).toBe(200);
    expect(second.json().secrets).toEqual([{ name: 's1' }, { name: 's2' }]);
    expect(owners(second.json(), 'f:secrets', 'k:{"name":"s1"}')).toEqual(['a']);
    expect(owners(second.json(), 'f:secrets', 'k:{"name":"s2"}')).toEqual(['b']);
    // Its items are ObjectReferences, an atomic struct: each is owned whole.
    expect(fieldsOf(second.json(), 'b')['f:secrets']).toEqual({ 'k:{"name":"s2"}': {} });
  });

  test('a list the schema leaves atomic is owned whole, whatever its strategic merge key', async () => {
    // A ServiceAccount's imagePullSecrets has no list type (a Pod's is a map keyed by name).
    const path = core('serviceaccounts', 'lists');
    const first = await apply(path, 'a', account({ imagePullSecrets: [{ name: 'p1' }] }));
    expect(first.status).toBe(200);
    expect(owners(first.json(), 'f:imagePullSecrets')).toEqual(['a']);
    expect(fieldsOf(first.json(), 'a')['f:imagePullSecrets']).toEqual({});
    const other = await apply(path, 'b', account({ imagePullSecrets: [{ name: 'p2' }] }));
    expect(other.json()).toEqual(conflict('a', '.imagePullSecrets'));
    const forced = await apply(path, 'b', account({ imagePullSecrets: [{ name: 'p2' }] }), true);
    expect(forced.status).toBe(200);
    expect(forced.json().imagePullSecrets).toEqual([{ name: 'p2' }]);
  });
});

describe('no false conflicts', () => {
  test('filling an empty map another manager owns is not a conflict', async () => {
    const resources = (container: Record<string, unknown>) => deployment('resources', container);
    const path = `/apis/apps/v1/namespaces/${ns}/deployments/resources`;
    const first = await apply(path, 'a', resources({ image: 'nginx', resources: {} }));
    expect(first.status).toBe(201);
    const container = ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"app"}'];
    expect(owners(first.json(), ...container, 'f:resources')).toEqual(['a']);
    const limits = await apply(path, 'b', resources({ resources: { limits: { cpu: '1' } } }));
    expect(limits.status, limits.text).toBe(200);
    expect(limits.json().spec.template.spec.containers[0].resources).toEqual({
      limits: { cpu: '1' },
    });
    expect(owners(limits.json(), ...container, 'f:resources')).toEqual(['a', 'b']);
    expect(owners(limits.json(), ...container, 'f:resources', 'f:limits', 'f:cpu')).toEqual(['b']);
  });
});

describe('conflicts', () => {
  test('several conflicts are all listed, grouped by manager', async () => {
    const path = core('configmaps', 'several');
    const cm = (data: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'several' },
      data,
    });
    expect((await apply(path, 'a', cm({ k1: '1', k2: '2' }))).status).toBe(201);
    expect((await mergePatch(path, 'c', { data: { k3: '3' } })).status).toBe(200);
    const res = await apply(path, 'b', cm({ k1: 'x', k2: 'y', k3: 'z' }));
    expect(res.status).toBe(409);
    const body = res.json();
    expect(body.message).toBe(
      'Apply failed with 3 conflicts: conflicts with "a":\n- .data.k1\n- .data.k2\n' +
        'conflicts with "c" using v1:\n- .data.k3',
    );
    // kube-apiserver lists the causes by ranging over a Go map of managers.
    const causes = [...body.details.causes].sort((x, y) => (x.field < y.field ? -1 : 1));
    expect(causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "a"', field: '.data.k1' },
      { reason: 'FieldManagerConflict', message: 'conflict with "a"', field: '.data.k2' },
      { reason: 'FieldManagerConflict', message: 'conflict with "c" using v1', field: '.data.k3' },
    ]);
  });

  test('an atomic map (a Service selector) is owned whole', async () => {
    const path = core('services', 'selector');
    const service = (selector: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'selector' },
      spec: { selector, ports: [{ port: 80 }] },
    });
    const first = await apply(path, 'a', service({ app: 'x' }));
    expect(first.status).toBe(201);
    const entry = first.json().metadata.managedFields[0];
    expect(entry.fieldsV1['f:spec']['f:selector']).toEqual({});
    const res = await apply(path, 'b', service({ app: 'x', tier: 'web' }));
    expect(res.json()).toEqual(conflict('a', '.spec.selector'));
    const forced = await apply(path, 'b', service({ app: 'x', tier: 'web' }), true);
    expect(forced.status).toBe(200);
    expect(forced.json().spec.selector).toEqual({ app: 'x', tier: 'web' });
    expect(owners(forced.json(), 'f:spec', 'f:selector')).toEqual(['b']);
  });

  test("a RawExtension (a ControllerRevision's data) is owned whole, whatever it holds", async () => {
    const path = `/apis/apps/v1/namespaces/${ns}/controllerrevisions/raw`;
    const revision = (data: Record<string, unknown>) => ({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: 'raw' },
      revision: 1,
      data,
    });
    const first = await apply(path, 'a', revision({ x: { y: 1 } }));
    expect(first.status, first.text).toBe(201);
    expect(fieldsOf(first.json(), 'a')).toEqual({ 'f:data': {}, 'f:revision': {} });
    const res = await apply(path, 'b', revision({ x: { y: 1 }, z: 2 }));
    expect(res.json()).toEqual(conflict('a', '.data'));
  });
});

describe('managers of another API version', () => {
  const hpas = (version: string) =>
    `/apis/autoscaling/${version}/namespaces/${ns}/horizontalpodautoscalers`;
  const hpa = (version: string, spec: Record<string, unknown>) => ({
    apiVersion: `autoscaling/${version}`,
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'across' },
    spec,
  });
  const target = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' };
  const cpu = (averageUtilization: number) => [
    {
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } },
    },
  ];
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
  const entries = (obj: any) =>
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
    obj.metadata.managedFields.map((m: any) => [m.manager, m.apiVersion, m.fieldsV1['f:spec']]);

  test("a write through one version takes fields from a manager of the other in that manager's names", async () => {
    const made = await raw(kc(), 'POST', hpas('v1'), {
      query: { fieldManager: 'a' },
      body: hpa('v1', {
        scaleTargetRef: target,
        maxReplicas: 3,
        targetCPUUtilizationPercentage: 50,
      }),
    });
    expect(made.status, made.text).toBe(201);
    const current = (await raw(kc(), 'GET', `${hpas('v2')}/across`)).json();
    // b changes the CPU target through v2: a (of v1) loses targetCPUUtilizationPercentage.
    const updated = await raw(kc(), 'PUT', `${hpas('v2')}/across`, {
      query: { fieldManager: 'b' },
      body: { ...current, spec: { ...current.spec, metrics: cpu(70) } },
    });
    expect(updated.status, updated.text).toBe(200);
    expect(entries(updated.json())).toEqual([
      ['a', 'autoscaling/v1', { 'f:maxReplicas': {}, 'f:minReplicas': {}, 'f:scaleTargetRef': {} }],
      ['b', 'autoscaling/v2', { 'f:metrics': {} }],
    ]);
    // An apply through v1 conflicts with b's field in b's version's names.
    const applied = await apply(
      `${hpas('v1')}/across`,
      'c',
      hpa('v1', { targetCPUUtilizationPercentage: 80 }),
    );
    expect(applied.status).toBe(409);
    expect(applied.json().message).toBe(
      'Apply failed with 1 conflict: conflict with "b" using autoscaling/v2: .spec.metrics',
    );
    expect(applied.json().details.causes).toEqual([
      {
        reason: 'FieldManagerConflict',
        message: 'conflict with "b" using autoscaling/v2',
        field: '.spec.metrics',
      },
    ]);
  });

  test('appliers of both versions co-own the CPU target; a forced apply takes it from both', async () => {
    const path = `${hpas('v2')}/across-apply`;
    const named = (version: string, spec: Record<string, unknown>) => ({
      ...hpa(version, spec),
      metadata: { name: 'across-apply' },
    });
    const v1Path = `${hpas('v1')}/across-apply`;
    const first = await apply(
      path,
      'x',
      named('v2', { scaleTargetRef: target, maxReplicas: 3, metrics: cpu(60) }),
    );
    expect(first.status, first.text).toBe(201);
    // The same value through v1: no conflict, and no change (so y's entry has no time).
    const same = await apply(v1Path, 'y', named('v1', { targetCPUUtilizationPercentage: 60 }));
    expect(same.status, same.text).toBe(200);
    expect(entries(same.json())).toEqual([
      ['y', 'autoscaling/v1', { 'f:targetCPUUtilizationPercentage': {} }],
      [
        'x',
        'autoscaling/v2',
        {
          'f:maxReplicas': {},
          'f:metrics': {},
          'f:scaleTargetRef': { 'f:apiVersion': {}, 'f:kind': {}, 'f:name': {} },
        },
      ],
    ]);
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
    expect(same.json().metadata.managedFields.find((m: any) => m.manager === 'y').time).toBe(
      undefined,
    );
    const other = named('v1', { targetCPUUtilizationPercentage: 70 });
    const refused = await apply(v1Path, 'z', other);
    expect(refused.status).toBe(409);
    expect(refused.json().message).toBe(
      'Apply failed with 2 conflicts: conflicts with "x":\n- .spec.metrics\n' +
        'conflicts with "y":\n- .spec.targetCPUUtilizationPercentage',
    );
    const forced = await apply(v1Path, 'z', other, true);
    expect(forced.status, forced.text).toBe(200);
    expect(entries(forced.json()).map(([m, v]: string[]) => [m, v])).toEqual([
      ['x', 'autoscaling/v2'],
      ['z', 'autoscaling/v1'],
    ]);
    expect(fieldsOf(forced.json(), 'x')).toEqual({
      'f:spec': {
        'f:maxReplicas': {},
        'f:scaleTargetRef': { 'f:apiVersion': {}, 'f:kind': {}, 'f:name': {} },
      },
    });
  });

  test("a custom resource's versions (conversion None) compare by each version's list types", async () => {
    const group = 'ssaversions.e2e.kube-ts.dev';
    const items = (listType: boolean) => ({
      type: 'array',
      ...(listType
        ? { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] }
        : {}),
      items: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, value: { type: 'integer' } },
      },
    });
    const schema = (listType: boolean) => ({
      openAPIV3Schema: {
        type: 'object',
        properties: { spec: { type: 'object', properties: { items: items(listType) } } },
      },
    });
    const one = namespacedCrd(group, 'SsaVersion', { schema: schema(true) });
    const v2 = { name: 'v2', served: true, storage: false, schema: schema(false) };
    const crd = { ...one, spec: { ...one.spec, versions: [...one.spec.versions, v2] } };
    const at = (version: string) => `/apis/${group}/${version}/namespaces/${ns}/ssaversions`;
    await installCrd(e2e, crd, at('v2'));
    const body = (version: string, list: { name: string; value: number }[]) => ({
      apiVersion: `${group}/${version}`,
      kind: 'SsaVersion',
      metadata: { name: 'one' },
      spec: { items: list },
    });
    expect(
      (await apply(`${at('v1')}/one`, 'a', body('v1', [{ name: 'p', value: 1 }]))).status,
    ).toBe(201);
    // v2's list is atomic: b owns it whole, without taking a's item (keyed in v1).
    const both = [
      { name: 'p', value: 1 },
      { name: 'q', value: 2 },
    ];
    const b = await apply(`${at('v2')}/one`, 'b', body('v2', both));
    expect(b.status, b.text).toBe(200);
    expect(fieldsOf(b.json(), 'b')).toEqual({ 'f:spec': { 'f:items': {} } });
    expect(fieldsOf(b.json(), 'a')).toEqual({
      'f:spec': { 'f:items': { 'k:{"name":"p"}': { '.': {}, 'f:name': {}, 'f:value': {} } } },
    });
    // Changing p through v1 conflicts with a's item and, in v2's terms, with b's whole list.
    const c = await apply(`${at('v1')}/one`, 'c', body('v1', [{ name: 'p', value: 5 }]));
    expect(c.status).toBe(409);
    expect(c.json().message).toBe(
      'Apply failed with 2 conflicts: conflicts with "a":\n- .spec.items[name="p"].value\n' +
        'conflicts with "b":\n- .spec.items',
    );
  });
});

describe('managedFields set by the client', () => {
  const path = () => core('configmaps', 'reset');
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'reset' }, data: { k: 'v' } };

  test('an update with an empty managedFields list clears them', async () => {
    expect((await apply(path(), 'a', cm)).status).toBe(201);
    expect((await mergePatch(path(), 'b', { data: { other: '1' } })).status).toBe(200);
    const cleared = await mergePatch(path(), 'c', { metadata: { managedFields: [] } });
    expect(cleared.status).toBe(200);
    expect(cleared.json().metadata.managedFields).toBeUndefined();
    // An apply onto an object nobody owns records what is there as "before-first-apply".
    const res = await apply(path(), 'd', { ...cm, data: { k: 'w' } });
    expect(res.json()).toMatchObject({
      code: 409,
      message: 'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.k',
    });
  });

  test('an update that sets managedFields replaces them, then records its own changes', async () => {
    const entry = {
      manager: 'x',
      operation: 'Apply',
      apiVersion: 'v1',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { 'f:k': {} } },
    };
    const set = await mergePatch(path(), 'e', {
      metadata: { managedFields: [entry] },
      data: { added: '1' },
    });
    expect(set.status).toBe(200);
    const got = set.json().metadata.managedFields;
    expect(
      // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
      got.map((m: any) => [m.manager, m.operation, m.fieldsV1]),
    ).toEqual([
      ['x', 'Apply', { 'f:data': { 'f:k': {} } }],
      ['e', 'Update', { 'f:data': { 'f:added': {} } }],
    ]);
    expect((await apply(path(), 'y', { ...cm, data: { k: 'z' } })).json()).toEqual(
      conflict('x', '.data.k'),
    );
  });

  test('an apply body may not carry managedFields', async () => {
    const res = await apply(path(), 'a', { ...cm, metadata: { name: 'reset', managedFields: [] } });
    expect(res.status).toBe(400);
    expect(res.json().message).toBe('metadata.managedFields must be nil');
  });
});

describe('status ownership per subresource', () => {
  const plural = 'ssawidgets';
  const group = 'ssa.e2e.kube-ts.dev';
  const base = () => `/apis/${group}/v1/namespaces/${ns}/${plural}`;
  const widget = (extra: Record<string, unknown>) => ({
    apiVersion: `${group}/v1`,
    kind: 'SsaWidget',
    metadata: { name: 'w' },
    ...extra,
  });

  beforeAll(async () => {
    const limits = {
      type: 'object',
      'x-kubernetes-map-type': 'atomic',
      additionalProperties: { type: 'string' },
    };
    const spec = { type: 'object', properties: { size: { type: 'integer' }, limits } };
    const status = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const openAPIV3Schema = { type: 'object', properties: { spec, status } };
    const crd = namespacedCrd(group, 'SsaWidget', {
      subresources: { status: {} },
      schema: { openAPIV3Schema },
    });
    await installCrd(e2e, crd, base());
  });

  test('status applied through /status is owned by the subresource manager', async () => {
    expect((await apply(`${base()}/w`, 'a', widget({ spec: { size: 1 } }))).status).toBe(201);
    const status = await apply(`${base()}/w/status`, 's', widget({ status: { ready: true } }));
    expect(status.status).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
    const entry = status.json().metadata.managedFields.find((m: any) => m.manager === 's');
    expect(entry).toMatchObject({
      operation: 'Apply',
      subresource: 'status',
      fieldsV1: { 'f:status': { 'f:ready': {} } },
    });
    const other = await apply(`${base()}/w/status`, 'b', widget({ status: { ready: false } }));
    expect(other.status).toBe(409);
    expect(other.json().message).toBe(
      'Apply failed with 1 conflict: conflict with "s" with subresource "status": .status.ready',
    );
    // The main resource ignores status: no conflict, nothing changed there.
    const main = await apply(
      `${base()}/w`,
      'b',
      widget({ spec: { size: 1 }, status: { ready: false } }),
    );
    expect(main.status).toBe(200);
    expect(main.json().status).toEqual({ ready: true });
    // A custom resource's /status takes no metadata.
    const labelled = await apply(
      `${base()}/w/status`,
      's',
      widget({ metadata: { name: 'w', labels: { x: 'y' } }, status: { ready: true } }),
    );
    expect(labelled.status).toBe(200);
    expect(labelled.json().metadata.labels).toBeUndefined();
    // The same manager name on both is two entries.
    const again = await apply(`${base()}/w/status`, 'a', widget({ status: { ready: true } }));
    expect(again.status).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
    const mine = again.json().metadata.managedFields.filter((m: any) => m.manager === 'a');
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
    expect(mine.map((m: any) => m.subresource ?? '').sort()).toEqual(['', 'status']);
  });

  test('a map marked x-kubernetes-map-type: atomic is owned whole', async () => {
    const path = `${base()}/w`;
    const first = await apply(path, 'a', widget({ spec: { size: 1, limits: { cpu: '1' } } }));
    expect(first.status).toBe(200);
    expect(owners(first.json(), 'f:spec', 'f:limits')).toEqual(['a']);
    const res = await apply(path, 'c', widget({ spec: { limits: { cpu: '1', memory: '1Gi' } } }));
    expect(res.json()).toEqual(conflict('a', '.spec.limits'));
  });

  test('a map the schema does not declare is a member of its own', async () => {
    const status = { ready: true, detail: { a: 1, b: { c: 2 } }, list: [{ x: 1 }], none: {} };
    const res = await apply(`${base()}/undeclared`, 'u', {
      ...widget({ status }),
      metadata: { name: 'undeclared' },
    });
    expect(res.status, res.text).toBe(201);
    const applied = await apply(`${base()}/undeclared/status`, 'st', {
      ...widget({ status }),
      metadata: { name: 'undeclared' },
    });
    expect(applied.status, applied.text).toBe(200);
    expect(fieldsOf(applied.json(), 'st')).toEqual({
      'f:status': {
        'f:ready': {},
        'f:detail': { '.': {}, 'f:a': {}, 'f:b': { '.': {}, 'f:c': {} } },
        'f:list': {},
        'f:none': {},
      },
    });
  });
});

describe('what a non-apply write records', () => {
  const recorded = () => deployment('recorded', { image: 'nginx', resources: {} });
  const deployments = () => `/apis/apps/v1/namespaces/${ns}/deployments`;

  test('a create records what it sets beyond the empty typed object', async () => {
    const made = await raw(kc(), 'POST', deployments(), {
      body: recorded(),
      query: { fieldManager: 'maker' },
    });
    expect(made.status).toBe(201);
    // No "." for the spec, template, strategy and containers the empty Deployment holds.
    expect(fieldsOf(made.json(), 'maker')).toEqual({
      'f:spec': {
        'f:progressDeadlineSeconds': {},
        'f:replicas': {},
        'f:revisionHistoryLimit': {},
        'f:selector': {},
        'f:strategy': {
          'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} },
          'f:type': {},
        },
        'f:template': {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"app"}': {
                '.': {},
                'f:image': {},
                'f:imagePullPolicy': {},
                'f:name': {},
                'f:resources': {},
                'f:terminationMessagePath': {},
                'f:terminationMessagePolicy': {},
              },
            },
            'f:dnsPolicy': {},
            'f:restartPolicy': {},
            'f:schedulerName': {},
            'f:securityContext': {},
            'f:terminationGracePeriodSeconds': {},
          },
        },
      },
    });
  });

  test("an Event's create records none of the zero values the server writes", async () => {
    const involved = { kind: 'Pod', name: 'p', namespace: ns };
    const core = await raw(kc(), 'POST', `/api/v1/namespaces/${ns}/events`, {
      body: {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'recorded' },
        involvedObject: involved,
        reason: 'R',
        message: 'm',
        type: 'Normal',
      },
      query: { fieldManager: 'maker' },
    });
    expect(core.status).toBe(201);
    expect(core.json()).toMatchObject({ source: {}, firstTimestamp: null, reportingComponent: '' });
    expect(fieldsOf(core.json(), 'maker')).toEqual({
      'f:involvedObject': {},
      'f:message': {},
      'f:reason': {},
      'f:type': {},
    });
    const recorded = await raw(kc(), 'POST', `/apis/events.k8s.io/v1/namespaces/${ns}/events`, {
      body: {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { name: 'recorded-v1' },
        eventTime: '2026-01-01T00:00:00.000000Z',
        reportingController: 'x/y',
        reportingInstance: 'i',
        action: 'A',
        reason: 'R',
        note: 'n',
        type: 'Normal',
        regarding: involved,
      },
      query: { fieldManager: 'maker' },
    });
    expect(recorded.status).toBe(201);
    expect(fieldsOf(recorded.json(), 'maker')).toEqual({
      'f:action': {},
      'f:eventTime': {},
      'f:note': {},
      'f:reason': {},
      'f:regarding': {},
      'f:reportingController': {},
      'f:reportingInstance': {},
      'f:type': {},
    });
  });

  test('a manager updating through two API versions has an entry for each', async () => {
    const hpas = (version: string) =>
      `/apis/autoscaling/${version}/namespaces/${ns}/horizontalpodautoscalers`;
    const made = await raw(kc(), 'POST', hpas('v2'), {
      body: {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'versions' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' },
          maxReplicas: 3,
        },
      },
      query: { fieldManager: 'm' },
    });
    expect(made.status).toBe(201);
    const patched = await mergePatch(`${hpas('v1')}/versions`, 'm', { spec: { maxReplicas: 4 } });
    expect(patched.status).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
    const entries = patched.json().metadata.managedFields.map((e: any) => ({
      manager: e.manager,
      apiVersion: e.apiVersion,
      fieldsV1: e.fieldsV1,
    }));
    // Entries are ordered by time (seconds): the two writes may fall in different seconds.
    entries.sort((p: { apiVersion: string }, q: { apiVersion: string }) =>
      p.apiVersion.localeCompare(q.apiVersion),
    );
    expect(entries).toEqual([
      {
        manager: 'm',
        apiVersion: 'autoscaling/v1',
        fieldsV1: { 'f:spec': { 'f:maxReplicas': {} } },
      },
      {
        manager: 'm',
        apiVersion: 'autoscaling/v2',
        fieldsV1: {
          'f:spec': {
            'f:metrics': {},
            'f:minReplicas': {},
            'f:scaleTargetRef': { 'f:apiVersion': {}, 'f:kind': {}, 'f:name': {} },
          },
        },
      },
    ]);
  });

  test('an update that fills an empty map another manager owns leaves it theirs', async () => {
    const path = `${deployments()}/recorded`;
    const applied = await apply(path, 'a', recorded(), true);
    expect(applied.status, applied.text).toBe(200);
    const patched = await raw(kc(), 'PATCH', path, {
      body: JSON.stringify([
        {
          op: 'add',
          path: '/spec/template/spec/containers/0/resources/limits',
          value: { cpu: '1' },
        },
      ]),
      contentType: 'application/json-patch+json',
      query: { fieldManager: 'u' },
    });
    expect(patched.status, patched.text).toBe(200);
    const container = ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"app"}'];
    // The creator and "a" (which applied the same empty map) keep it; "u" owns what it added.
    expect(owners(patched.json(), ...container, 'f:resources')).toEqual(['a', 'maker', 'u']);
    expect(fieldsOf(patched.json(), 'a')['f:spec']).toMatchObject({
      'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { 'f:resources': {} } } } },
    });
    expect(fieldsOf(patched.json(), 'u')).toEqual({
      'f:spec': {
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"app"}': {
                'f:resources': { 'f:limits': { '.': {}, 'f:cpu': {} } },
              },
            },
          },
        },
      },
    });
  });
});

describe('metadata written through /status', () => {
  const service = (extra: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'status-meta', ...extra },
  });

  test("a Service's /status takes labels and annotations, owned by the status manager", async () => {
    const path = core('services', 'status-meta');
    const made = await apply(path, 'a', {
      ...service({ labels: { app: 'x' } }),
      spec: { ports: [{ port: 80 }] },
    });
    expect(made.status).toBe(201);
    const labelled = await apply(`${path}/status`, 's', service({ labels: { extra: 'y' } }));
    expect(labelled.status, labelled.text).toBe(200);
    expect(labelled.json().metadata.labels).toEqual({ app: 'x', extra: 'y' });
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
    const entry = labelled.json().metadata.managedFields.find((m: any) => m.manager === 's');
    expect(entry).toMatchObject({
      operation: 'Apply',
      subresource: 'status',
      fieldsV1: { 'f:metadata': { 'f:labels': { 'f:extra': {} } } },
    });
    // The main resource's manager owns app: changing it through /status conflicts.
    const other = await apply(`${path}/status`, 't', service({ labels: { app: 'z' } }));
    expect(other.status).toBe(409);
    expect(other.json().message).toBe(
      'Apply failed with 1 conflict: conflict with "a": .metadata.labels.app',
    );
    const patched = await mergePatch(`${path}/status`, 'p', {
      metadata: { annotations: { note: 'n' } },
    });
    expect(patched.status).toBe(200);
    expect(patched.json().metadata.annotations).toEqual({ note: 'n' });
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
    const update = patched.json().metadata.managedFields.find((m: any) => m.manager === 'p');
    expect(update).toMatchObject({
      operation: 'Update',
      subresource: 'status',
      fieldsV1: { 'f:metadata': { 'f:annotations': { '.': {}, 'f:note': {} } } },
    });
  });

  test("a Deployment's /status takes annotations but not labels", async () => {
    const path = `/apis/apps/v1/namespaces/${ns}/deployments/status-meta`;
    const made = await apply(path, 'a', deployment('status-meta', { image: 'nginx' }));
    expect(made.status).toBe(201);
    const meta = { name: 'status-meta', labels: { extra: 'y' }, annotations: { note: 'n' } };
    const res = await apply(`${path}/status`, 's', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json().metadata.labels).toBeUndefined();
    expect(res.json().metadata.annotations).toMatchObject({ note: 'n' });
    expect(fieldsOf(res.json(), 's')).toEqual({
      'f:metadata': { 'f:annotations': { 'f:note': {} } },
    });
  });

  test("a CustomResourceDefinition's /status takes labels (its strategy resets them from itself)", async () => {
    const group = 'ssameta.e2e.kube-ts.dev';
    const openAPIV3Schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const crd = namespacedCrd(group, 'SsaMeta', { schema: { openAPIV3Schema } });
    await installCrd(e2e, crd, `/apis/${group}/v1/namespaces/${ns}/ssametas`);
    const res = await mergePatch(`${CRDS}/${crd.metadata.name}/status`, 'p', {
      metadata: { labels: { extra: 'y' } },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json().metadata.labels).toEqual({ extra: 'y' });
    expect(fieldsOf(res.json(), 'p')).toEqual({
      'f:metadata': { 'f:labels': { '.': {}, 'f:extra': {} } },
    });
  });

  test("a Pod's /status takes labels but not owner references", async () => {
    const path = core('pods', 'status-meta');
    const pod = (extra: Record<string, unknown>) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'status-meta', ...extra },
    });
    const made = await apply(path, 'a', {
      ...pod({}),
      spec: { containers: [{ name: 'app', image: 'nginx' }] },
    });
    expect(made.status).toBe(201);
    const owner = { apiVersion: 'v1', kind: 'ConfigMap', name: 'o', uid: made.json().metadata.uid };
    const res = await apply(
      `${path}/status`,
      's',
      pod({ labels: { extra: 'y' }, ownerReferences: [owner] }),
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json().metadata.labels).toEqual({ extra: 'y' });
    expect(res.json().metadata.ownerReferences).toBeUndefined();
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
    const entry = res.json().metadata.managedFields.find((m: any) => m.manager === 's');
    expect(entry.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { 'f:extra': {} } } });
  });
});

describe("fields a strategy resets are nobody's", () => {
  const csrs = '/apis/certificates.k8s.io/v1/certificatesigningrequests';

  test('a CertificateSigningRequest: spec at create, conditions through /status, the certificate through /approval', async () => {
    const name = `ssa-reset-${uniqueSuffix()}`;
    e2e.onStop(() => raw(kc(), 'DELETE', `${csrs}/${name}`));
    const made = await raw(kc(), 'POST', csrs, {
      query: { fieldManager: 'creator' },
      body: {
        apiVersion: 'certificates.k8s.io/v1',
        kind: 'CertificateSigningRequest',
        metadata: { name, labels: { app: 'x' } },
        spec: {
          request: Buffer.from(CERTIFICATE_REQUEST).toString('base64'),
          signerName: 'example.com/e2e',
          usages: ['client auth'],
        },
      },
    });
    expect(made.status, made.text).toBe(201);
    // The main resource resets its spec (the server fills in the requester) and status.
    expect(fieldsOf(made.json(), 'creator')).toEqual({
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
    });
    const failed = { type: 'Failed', status: 'True', reason: 'R', message: 'm' };
    const status = await raw(kc(), 'PUT', `${csrs}/${name}/status`, {
      query: { fieldManager: 'st' },
      body: { ...made.json(), status: { conditions: [failed] } },
    });
    expect(status.status, status.text).toBe(200);
    expect(status.json().status.conditions).toMatchObject([failed]);
    // /status resets the conditions: stored, but the write owns nothing and has no entry.
    expect(owners(status.json(), 'f:status')).toEqual([]);
    expect(status.json().metadata.managedFields.map((m: { manager: string }) => m.manager)).toEqual(
      ['creator'],
    );
    const approved = { type: 'Approved', status: 'True', reason: 'A', message: 'ok' };
    const approval = await raw(kc(), 'PUT', `${csrs}/${name}/approval`, {
      query: { fieldManager: 'approver' },
      body: {
        ...status.json(),
        status: { conditions: [...status.json().status.conditions, approved], certificate: 'Zm9v' },
      },
    });
    expect(approval.status, approval.text).toBe(200);
    expect(approval.json().status.certificate).toBeUndefined();
    // /approval owns the condition it added (the certificate is reset there).
    expect(fieldsOf(approval.json(), 'approver')).toEqual({
      'f:status': {
        'f:conditions': {
          'k:{"type":"Approved"}': {
            '.': {},
            'f:lastTransitionTime': {},
            'f:lastUpdateTime': {},
            'f:message': {},
            'f:reason': {},
            'f:status': {},
            'f:type': {},
          },
        },
      },
    });
    // The conditions sent again without their times: the request is tracked as decoded,
    // with Go's zero times, so the times move to the writer, though the strategy fills them
    // in again (the transition times kept, the update times now).
    const conditions = approval
      .json()
      .status.conditions.map(
        ({ lastUpdateTime: _u, lastTransitionTime: _t, ...c }: Record<string, unknown>) => c,
      );
    const again = await raw(kc(), 'PUT', `${csrs}/${name}/approval`, {
      query: { fieldManager: 'approver2' },
      body: { ...approval.json(), status: { conditions } },
    });
    expect(again.status, again.text).toBe(200);
    const before = approval.json().status.conditions as Record<string, string>[];
    const after = again.json().status.conditions as Record<string, string>[];
    const withoutUpdateTime = ({ lastUpdateTime: _u, ...c }: Record<string, string>) => c;
    expect(after.map(withoutUpdateTime)).toEqual(before.map(withoutUpdateTime));
    // Now, in whole seconds: the same second as before or a later one.
    for (const [i, c] of after.entries()) {
      expect(c.lastUpdateTime! >= before[i]!.lastUpdateTime!, c.lastUpdateTime).toBe(true);
    }
    const times = { 'f:lastTransitionTime': {}, 'f:lastUpdateTime': {} };
    expect(fieldsOf(again.json(), 'approver2')).toEqual({
      'f:status': {
        'f:conditions': { 'k:{"type":"Approved"}': times, 'k:{"type":"Failed"}': times },
      },
    });
    expect(fieldsOf(again.json(), 'approver')).toEqual({
      'f:status': {
        'f:conditions': {
          'k:{"type":"Approved"}': {
            '.': {},
            'f:message': {},
            'f:reason': {},
            'f:status': {},
            'f:type': {},
          },
        },
      },
    });
  });

  test('generateName is owned like any field, except where a status strategy resets all metadata', async () => {
    const made = await raw(kc(), 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
      query: { fieldManager: 'creator' },
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'g-' } },
    });
    expect(made.status, made.text).toBe(201);
    expect(fieldsOf(made.json(), 'creator')).toEqual({ 'f:metadata': { 'f:generateName': {} } });
    const path = `/apis/apps/v1/namespaces/${ns}/deployments/reset-meta`;
    const base = deployment('reset-meta', { image: 'nginx' });
    const annotated = { ...base, metadata: { ...base.metadata, annotations: { a: '1' } } };
    expect((await apply(path, 'a', annotated)).status).toBe(201);
    // A Deployment's /status resets its labels only: generateName and annotations are taken
    // and owned, and the annotation bumps no generation there.
    const status = await mergePatch(`${path}/status`, 'st', {
      metadata: { generateName: 'x-', labels: { extra: 'y' }, annotations: { note: 'n' } },
      status: { collisionCount: 3 },
    });
    expect(status.status, status.text).toBe(200);
    expect(status.json().metadata).toMatchObject({ generateName: 'x-', generation: 1 });
    expect(status.json().metadata.labels).toBeUndefined();
    expect(fieldsOf(status.json(), 'st')).toEqual({
      'f:metadata': { 'f:annotations': { 'f:note': {} }, 'f:generateName': {} },
      'f:status': { 'f:collisionCount': {} },
    });
    // A FlowSchema's /status resets all metadata: generateName is neither stored nor owned.
    const fs = `/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas/ssa-reset-${uniqueSuffix()}`;
    e2e.onStop(() => raw(kc(), 'DELETE', fs));
    const flowSchema = await apply(fs, 'a', {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
      kind: 'FlowSchema',
      metadata: { name: fs.slice(fs.lastIndexOf('/') + 1) },
      spec: { priorityLevelConfiguration: { name: 'global-default' }, matchingPrecedence: 9000 },
    });
    expect(flowSchema.status, flowSchema.text).toBe(201);
    const condition = { type: 'Ssa', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' };
    const fsStatus = await mergePatch(`${fs}/status`, 'st', {
      metadata: { generateName: 'x-', labels: { extra: 'y' } },
      status: { conditions: [condition] },
    });
    expect(fsStatus.status, fsStatus.text).toBe(200);
    expect(fsStatus.json().metadata.generateName).toBeUndefined();
    expect(fsStatus.json().metadata.labels).toBeUndefined();
    // (kube-apiserver's flow control controller may have set a condition of its own first.)
    expect(Object.keys(fieldsOf(fsStatus.json(), 'st'))).toEqual(['f:status']);
  });
});

describe('what the server sets after tracking fields', () => {
  function create(plural: string, body: Record<string, unknown>) {
    return raw(kc(), 'POST', `/api/v1/namespaces/${ns}/${plural}`, {
      body,
      query: { fieldManager: 'maker' },
    });
  }

  test("a Service's allocated addresses are nobody's: another manager may set its node port", async () => {
    const made = await create('services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'allocated' },
      spec: { type: 'NodePort', ports: [{ port: 80 }] },
    });
    expect(made.status).toBe(201);
    const spec = made.json().metadata.managedFields[0].fieldsV1['f:spec'];
    for (const f of ['f:clusterIP', 'f:clusterIPs', 'f:ipFamilies', 'f:ipFamilyPolicy']) {
      expect(spec[f]).toBeUndefined();
    }
    const item = spec['f:ports']['k:{"port":80,"protocol":"TCP"}'];
    expect(item['f:nodePort']).toBeUndefined();
    const allocated: number = made.json().spec.ports[0].nodePort;
    const nodePort = allocated === 32767 ? allocated - 1 : allocated + 1;
    const moved = await apply(core('services', 'allocated'), 'b', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'allocated' },
      spec: { ports: [{ port: 80, nodePort }] },
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.json().spec.ports[0].nodePort).toBe(nodePort);
  });

  test("what admission adds to a Pod (priority, default tolerations) is nobody's", async () => {
    const made = await create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'admitted' },
      spec: { containers: [{ name: 'app', image: 'nginx' }] },
    });
    expect(made.status).toBe(201);
    expect(made.json().spec.tolerations).toHaveLength(2);
    const spec = made.json().metadata.managedFields[0].fieldsV1['f:spec'];
    for (const f of ['f:priority', 'f:preemptionPolicy', 'f:tolerations']) {
      expect(spec[f]).toBeUndefined();
    }
    expect(spec['f:dnsPolicy']).toEqual({});
  });
});

test("an apply through a Deployment's scale conflicts with the owners of its replicas, seen as autoscaling/v1, and is owned as an Apply of scale", async () => {
  const path = `/apis/apps/v1/namespaces/${ns}/deployments/scaled`;
  const body = deployment('scaled', { image: 'nginx' });
  const created = await raw(kc(), 'POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
    query: { fieldManager: 'creator' },
    body: { ...body, spec: { ...body.spec, replicas: 1 } },
  });
  expect(created.status, created.text).toBe(201);
  const scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'scaled' } };
  const refused = await apply(`${path}/scale`, 'scaler', { ...scale, spec: { replicas: 3 } });
  expect(refused.status, refused.text).toBe(409);
  expect(refused.json().message).toBe(
    'Apply failed with 1 conflict: conflict with "creator" using autoscaling/v1: .spec.replicas',
  );
  const forced = await apply(`${path}/scale`, 'scaler', { ...scale, spec: { replicas: 3 } }, true);
  expect(forced.status, forced.text).toBe(200);
  expect(forced.json()).toMatchObject({ kind: 'Scale', spec: { replicas: 3 } });
  const entries = (await raw(kc(), 'GET', path)).json().metadata.managedFields as {
    manager: string;
    fieldsV1: { 'f:spec'?: Record<string, unknown> };
  }[];
  // The replicas moved to the applier's entry (no time: the scale handler carries over the
  // time the workload's entries had for it), the creator keeps the rest.
  expect(entries.find((e) => e.manager === 'scaler')).toEqual({
    manager: 'scaler',
    operation: 'Apply',
    apiVersion: 'apps/v1',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    subresource: 'scale',
  });
  const creator = entries.find((e) => e.manager === 'creator');
  expect(creator?.fieldsV1['f:spec']?.['f:replicas']).toBeUndefined();
  // The workload's own apply of the replicas now conflicts with the scale's applier.
  const main = await apply(path, 'main', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'scaled' },
    spec: { replicas: 4 },
  });
  expect(main.status, main.text).toBe(409);
  expect(main.json().message).toBe(
    'Apply failed with 1 conflict: conflict with "scaler" with subresource "scale": .spec.replicas',
  );
});
