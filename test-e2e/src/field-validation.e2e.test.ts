/**
 * Differential: unknown fields and `fieldValidation` (Strict / Warn / Ignore), on built-in
 * kinds (typed decoding) and custom resources (pruning), and a custom resource body without
 * `kind`. Same requests, same assertions on every backend.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installCrd } from './crd-install.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;

const group = `fv${uniqueSuffix()}.e2e.kube-ts.dev`;
const crdName = `widgets.${group}`;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-fields');
  await installCrd(
    e2e,
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: crdName },
      spec: {
        group,
        scope: 'Namespaced',
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
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
                      free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    },
    widgetsPath(),
  );
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const deploymentsPath = () => `/apis/apps/v1/namespaces/${ns}/deployments`;
const configMapsPath = () => `/api/v1/namespaces/${ns}/configmaps`;
const widgetsPath = () => `/apis/${group}/v1/namespaces/${ns}/widgets`;

function deployment(name: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replica: 3,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.27', imagePullPolicyy: 'Always' }] },
      },
    },
  };
}

const DEPLOYMENT_UNKNOWN = [
  'unknown field "spec.replica"',
  'unknown field "spec.template.spec.containers[0].imagePullPolicyy"',
];

describe('built-in kinds', () => {
  test('Strict refuses a create with 400 naming every unknown field, and stores nothing', async () => {
    const res = await raw(kc(), 'POST', deploymentsPath(), {
      query: { fieldValidation: 'Strict' },
      body: deployment('strict'),
    });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'BadRequest',
      code: 400,
      message: `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: ${DEPLOYMENT_UNKNOWN.join(', ')}`,
    });
    expect((await raw(kc(), 'GET', `${deploymentsPath()}/strict`)).status).toBe(404);
  });

  test('Warn (the default) stores the object without the fields and warns once per field', async () => {
    const queries: Record<string, string>[] = [{}, { fieldValidation: 'Warn' }];
    for (const query of queries) {
      const name = `warn-${Object.keys(query).length}`;
      const res = await raw(kc(), 'POST', deploymentsPath(), { query, body: deployment(name) });
      expect(res.status).toBe(201);
      expect(res.warnings).toEqual(DEPLOYMENT_UNKNOWN);
      const stored = (await raw(kc(), 'GET', `${deploymentsPath()}/${name}`)).json();
      expect(stored.spec.replica).toBeUndefined();
      expect(stored.spec.replicas).toBe(1);
      expect(stored.spec.template.spec.containers[0].imagePullPolicyy).toBeUndefined();
    }
  });

  test('Ignore stores the object without the fields and says nothing', async () => {
    const res = await raw(kc(), 'POST', deploymentsPath(), {
      query: { fieldValidation: 'Ignore' },
      body: deployment('ignore'),
    });
    expect(res.status).toBe(201);
    expect(res.warnings).toEqual([]);
    expect(res.json().spec.replica).toBeUndefined();
  });

  test('unknown fields at the top level and in metadata; names are case-sensitive', async () => {
    const body = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'top', labelz: { a: 'b' } },
      Data: { a: '1' },
      data: { b: '2' },
    };
    const strict = await raw(kc(), 'POST', configMapsPath(), {
      query: { fieldValidation: 'Strict' },
      body,
    });
    expect(strict.status).toBe(400);
    expect(strict.json().message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "metadata.labelz", unknown field "Data"',
    );
    const warn = await raw(kc(), 'POST', configMapsPath(), { body });
    expect(warn.status).toBe(201);
    expect(warn.warnings).toEqual(['unknown field "metadata.labelz"', 'unknown field "Data"']);
    expect(warn.json().data).toEqual({ b: '2' });
    expect(warn.json().Data).toBeUndefined();
  });

  test('an update (PUT) is decoded the same way', async () => {
    const created = (
      await raw(kc(), 'POST', configMapsPath(), {
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'put' }, data: { a: '1' } },
      })
    ).json();
    const body = { ...created, data: { a: '2' }, extra: true };
    const strict = await raw(kc(), 'PUT', `${configMapsPath()}/put`, {
      query: { fieldValidation: 'Strict' },
      body,
    });
    expect(strict.status).toBe(400);
    expect(strict.json().message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "extra"',
    );
    const warn = await raw(kc(), 'PUT', `${configMapsPath()}/put`, { body });
    expect(warn.status).toBe(200);
    expect(warn.warnings).toEqual(['unknown field "extra"']);
    expect(warn.json().data).toEqual({ a: '2' });
    expect(warn.json().extra).toBeUndefined();
  });

  test('a merge patch adding an unknown field: Strict is 422 on "patch", Warn drops it', async () => {
    await raw(kc(), 'POST', configMapsPath(), {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'patched' } },
    });
    const patch = { data: { a: '1' }, extra: 'x' };
    const strict = await raw(kc(), 'PATCH', `${configMapsPath()}/patched`, {
      query: { fieldValidation: 'Strict' },
      contentType: 'application/merge-patch+json',
      body: patch,
    });
    expect(strict.status).toBe(422);
    const status = strict.json();
    expect(status.reason).toBe('Invalid');
    expect(status.details.causes).toHaveLength(1);
    expect(status.details.causes[0].field).toBe('patch');
    expect(status.details.causes[0].message).toMatch(
      /^Invalid value: ".*": strict decoding error: unknown field "extra"$/,
    );
    expect(status.message).toMatch(/^ "" is invalid: patch: Invalid value: /);
    expect(status.details.kind).toBeUndefined();
    const warn = await raw(kc(), 'PATCH', `${configMapsPath()}/patched`, {
      contentType: 'application/merge-patch+json',
      body: patch,
    });
    expect(warn.status).toBe(200);
    expect(warn.warnings).toEqual(['unknown field "extra"']);
    expect(warn.json().data).toEqual({ a: '1' });
    expect(warn.json().extra).toBeUndefined();
  });

  test('a strategic merge patch under Strict names the patch as Go prints it', async () => {
    await raw(kc(), 'POST', configMapsPath(), {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'smp' } },
    });
    const strict = await raw(kc(), 'PATCH', `${configMapsPath()}/smp`, {
      query: { fieldValidation: 'Strict' },
      contentType: 'application/strategic-merge-patch+json',
      body: { extra: 'x', data: { a: '1' } },
    });
    expect(strict.status).toBe(422);
    expect(strict.json().message).toBe(
      ' "" is invalid: patch: Invalid value: "map[data:map[a:1] extra:x]": strict decoding error: unknown field "extra"',
    );
  });

  test('an unsupported fieldValidation value is 422 on CreateOptions', async () => {
    const res = await raw(kc(), 'POST', configMapsPath(), {
      query: { fieldValidation: 'Loose' },
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'loose' } },
    });
    expect(res.status).toBe(422);
    expect(res.json()).toMatchObject({
      reason: 'Invalid',
      message:
        'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loose": supported values: "", "Ignore", "Strict", "Warn"',
      details: {
        group: 'meta.k8s.io',
        kind: 'CreateOptions',
        causes: [
          {
            reason: 'FieldValueNotSupported',
            message: 'Unsupported value: "Loose": supported values: "", "Ignore", "Strict", "Warn"',
            field: 'fieldValidation',
          },
        ],
      },
    });
  });
});

describe('custom resources', () => {
  const widget = (name: string) => ({
    apiVersion: `${group}/v1`,
    kind: 'Widget',
    metadata: { name, labelz: 'x' },
    spec: { zeta: 1, size: 2, alpha: true, free: { anything: { goes: 1 } } },
    top: 'level',
  });
  const UNKNOWN = [
    'unknown field "metadata.labelz"',
    'unknown field "spec.alpha"',
    'unknown field "spec.zeta"',
    'unknown field "top"',
  ];

  test('Strict refuses with 400: metadata fields first, then the pruned paths in order', async () => {
    const res = await raw(kc(), 'POST', widgetsPath(), {
      query: { fieldValidation: 'Strict' },
      body: widget('strict'),
    });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({
      reason: 'BadRequest',
      message: `Widget in version "v1" cannot be handled as a Widget: strict decoding error: ${UNKNOWN.join(', ')}`,
    });
    expect((await raw(kc(), 'GET', `${widgetsPath()}/strict`)).status).toBe(404);
  });

  test('Warn prunes and warns; Ignore prunes silently; preserved fields stay', async () => {
    const warn = await raw(kc(), 'POST', widgetsPath(), { body: widget('warn') });
    expect(warn.status).toBe(201);
    expect(warn.warnings).toEqual(UNKNOWN);
    expect(warn.json().spec).toEqual({ size: 2, free: { anything: { goes: 1 } } });
    expect(warn.json().top).toBeUndefined();
    expect(warn.json().metadata.labelz).toBeUndefined();
    const ignore = await raw(kc(), 'POST', widgetsPath(), {
      query: { fieldValidation: 'Ignore' },
      body: widget('ignore'),
    });
    expect(ignore.status).toBe(201);
    expect(ignore.warnings).toEqual([]);
    expect(ignore.json().spec).toEqual({ size: 2, free: { anything: { goes: 1 } } });
  });

  test('a body without kind is 400', async () => {
    const { kind: _kind, ...body } = widget('nokind');
    const text = JSON.stringify(body);
    const res = await raw(kc(), 'POST', widgetsPath(), { body: text });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({
      reason: 'BadRequest',
      message: `the object provided is unrecognized (must be of type Widget): Object 'Kind' is missing in '${text}' (${text.slice(0, 30)} ...)`,
    });
    expect((await raw(kc(), 'GET', `${widgetsPath()}/nokind`)).status).toBe(404);
  });
});

describe('duplicate fields', () => {
  const dupDeployment = (name: string) =>
    `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"${name}","labels":{"app":"x"},"labels":{"app":"y"}},"spec":{"unknownField":"foo","replicas":2,"replicas":3,"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"n","image":"nginx","name":"m"}]}}}}`;
  const FOUND = [
    'duplicate field "metadata.labels"',
    'unknown field "spec.unknownField"',
    'duplicate field "spec.replicas"',
    'duplicate field "spec.template.spec.containers[0].name"',
  ];

  test('a built-in JSON body: Strict names duplicates and unknown fields in text order; Warn keeps the last', async () => {
    const strict = await raw(kc(), 'POST', deploymentsPath(), {
      query: { fieldValidation: 'Strict' },
      body: dupDeployment('dup-strict'),
    });
    expect(strict.status).toBe(400);
    expect(strict.json().message).toBe(
      `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: ${FOUND.join(', ')}`,
    );
    const warn = await raw(kc(), 'POST', deploymentsPath(), {
      query: { fieldValidation: 'Warn' },
      body: dupDeployment('dup-warn'),
    });
    expect(warn.status).toBe(201);
    expect(warn.warnings).toEqual(FOUND);
    expect(warn.json().spec.replicas).toBe(3);
    expect(warn.json().metadata.labels).toEqual({ app: 'y' });
    const ignore = await raw(kc(), 'POST', deploymentsPath(), {
      query: { fieldValidation: 'Ignore' },
      body: dupDeployment('dup-ignore'),
    });
    expect(ignore.status).toBe(201);
    expect(ignore.warnings).toEqual([]);
  });

  test('a YAML body: the duplicates come first, as one yaml error (one warning each)', async () => {
    const yaml = (name: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  unknownMeta: x\nunknownTop: 1\ndata:\n  a: "1"\n  a: "2"\n`;
    const strict = await raw(kc(), 'POST', configMapsPath(), {
      query: { fieldValidation: 'Strict' },
      body: yaml('yaml-strict'),
      contentType: 'application/yaml',
    });
    expect(strict.status).toBe(400);
    expect(strict.json().message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: yaml: unmarshal errors:\n  line 9: key "a" already set in map, unknown field "metadata.unknownMeta", unknown field "unknownTop"',
    );
    const warn = await raw(kc(), 'POST', configMapsPath(), {
      query: { fieldValidation: 'Warn' },
      body: yaml('yaml-warn'),
      contentType: 'application/yaml',
    });
    expect(warn.status).toBe(201);
    expect(warn.warnings).toEqual([
      'line 9: key "a" already set in map',
      'unknown field "metadata.unknownMeta"',
      'unknown field "unknownTop"',
    ]);
    expect(warn.json().data).toEqual({ a: '2' });
  });

  test('a custom resource JSON body: duplicates first, then the pruned fields', async () => {
    const body = `{"apiVersion":"${group}/v1","kind":"Widget","metadata":{"name":"dup","name":"dup"},"spec":{"size":1,"size":2,"zeta":1}}`;
    const res = await raw(kc(), 'POST', widgetsPath(), {
      query: { fieldValidation: 'Strict' },
      body,
    });
    expect(res.status).toBe(400);
    expect(res.json().message).toBe(
      'Widget in version "v1" cannot be handled as a Widget: strict decoding error: duplicate field "metadata.name", duplicate field "spec.size", unknown field "spec.zeta"',
    );
  });

  test('server-side apply: duplicate keys are 400 under Strict and warnings under Warn', async () => {
    const yaml = (name: string) =>
      `\napiVersion: ${group}/v1\nkind: Widget\nmetadata:\n  name: ${name}\nspec:\n  free:\n    a: 1\n  size: 1\n  size: 2\n`;
    const apply = (name: string, fieldValidation: string) =>
      raw(kc(), 'PATCH', `${widgetsPath()}/${name}`, {
        query: { fieldManager: 'e2e', fieldValidation },
        body: yaml(name),
        contentType: 'application/apply-patch+yaml',
      });
    const strict = await apply('apply-dup-strict', 'Strict');
    expect(strict.status).toBe(400);
    expect(strict.json()).toMatchObject({
      reason: 'BadRequest',
      message:
        'error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 10: key "size" already set in map',
    });
    const warn = await apply('apply-dup-warn', 'Warn');
    expect(warn.status).toBe(201);
    expect(warn.warnings).toEqual(['line 10: key "size" already set in map']);
    expect(warn.json().spec.size).toBe(2);
  });

  describe('inside patches', () => {
    const merge = '{"data":{"b":"2","b":"3"},"metadata":{"labels":{"x":"1","x":"2"}}}';
    const jsonPatch =
      '[{"op":"add","path":"/data/b","value":"2","value":"3"},{"op":"add","path":"/metadata/annotations","value":{"q":"1","q":"2"}}]';
    const MERGE_FOUND = ['duplicate field "data.b"', 'duplicate field "metadata.labels.x"'];
    const JSON_FOUND = [
      'json patch duplicate field "[0].value"',
      'json patch duplicate field "[1].value.q"',
      // The added value keeps its text, so the patched object has the duplicate too.
      'duplicate field "metadata.annotations.q"',
    ];
    const patchCm = (name: string, type: string, body: string, fieldValidation?: string) =>
      raw(kc(), 'PATCH', `${configMapsPath()}/${name}`, {
        query: fieldValidation ? { fieldValidation } : {},
        contentType: `application/${type}`,
        body,
      });
    const created = async (name: string) => {
      const res = await raw(kc(), 'POST', configMapsPath(), {
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } },
      });
      expect(res.status).toBe(201);
      return res.json();
    };
    const refusal = (shown: string, found: string[]) => {
      const message = `Invalid value: ${JSON.stringify(shown)}: strict decoding error: ${found.join(', ')}`;
      return {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: ` "" is invalid: patch: ${message}`,
        reason: 'Invalid',
        details: { causes: [{ reason: 'FieldValueInvalid', message, field: 'patch' }] },
        code: 422,
      };
    };
    /** The object's metadata with `changes`, keys sorted as json-patch writes a decoded object. */
    const sortedMeta = (cm: { metadata: Record<string, unknown> }, changes: object) =>
      Object.fromEntries(Object.entries({ ...cm.metadata, ...changes }).sort());

    test('merge patch: Strict is 422 quoting the patched object, Warn warns per duplicate, Ignore is silent', async () => {
      const cm = await created('dup-merge');
      // The patched object as the server writes it: the objects the patch reaches are
      // decoded and re-encoded with sorted keys, the rest keeps the server's field order.
      const shown = JSON.stringify({
        apiVersion: 'v1',
        data: { a: '1', b: '3' },
        kind: 'ConfigMap',
        metadata: sortedMeta(cm, { labels: { x: '2' } }),
      });
      const strict = await patchCm('dup-merge', 'merge-patch+json', merge, 'Strict');
      expect(strict.status).toBe(422);
      expect(strict.json()).toEqual(refusal(shown, MERGE_FOUND));
      const warn = await patchCm('dup-merge', 'merge-patch+json', merge);
      expect(warn.status).toBe(200);
      expect(warn.warnings).toEqual(MERGE_FOUND);
      expect(warn.json().data).toEqual({ a: '1', b: '3' });
      expect(warn.json().metadata.labels).toEqual({ x: '2' });
      const ignore = await patchCm('dup-merge', 'merge-patch+json', merge, 'Ignore');
      expect(ignore.status).toBe(200);
      expect(ignore.warnings).toEqual([]);
    });

    test('strategic merge patch: Strict quotes the patch as Go prints it', async () => {
      await created('dup-smp');
      const strict = await patchCm('dup-smp', 'strategic-merge-patch+json', merge, 'Strict');
      expect(strict.status).toBe(422);
      expect(strict.json()).toEqual(
        refusal('map[data:map[b:3] metadata:map[labels:map[x:2]]]', MERGE_FOUND),
      );
      const warn = await patchCm('dup-smp', 'strategic-merge-patch+json', merge, 'Warn');
      expect(warn.status).toBe(200);
      expect(warn.warnings).toEqual(MERGE_FOUND);
      expect(warn.json().data).toEqual({ a: '1', b: '3' });
      expect(
        (await patchCm('dup-smp', 'strategic-merge-patch+json', merge, 'Ignore')).warnings,
      ).toEqual([]);
    });

    test('JSON patch: duplicates in the operations, then in the values they added', async () => {
      const cm = await created('dup-json');
      const shown = JSON.stringify({
        apiVersion: 'v1',
        data: { a: '1', b: '3' },
        kind: 'ConfigMap',
        metadata: sortedMeta(cm, { annotations: 'ANNOTATIONS' }),
      }).replace('"ANNOTATIONS"', '{"q":"1","q":"2"}');
      const strict = await patchCm('dup-json', 'json-patch+json', jsonPatch, 'Strict');
      expect(strict.status).toBe(422);
      expect(strict.json()).toEqual(refusal(shown, JSON_FOUND));
      const warn = await patchCm('dup-json', 'json-patch+json', jsonPatch);
      expect(warn.status).toBe(200);
      expect(warn.warnings).toEqual(JSON_FOUND);
      expect(warn.json().metadata.annotations).toEqual({ q: '2' });
      expect((await patchCm('dup-json', 'json-patch+json', jsonPatch, 'Ignore')).warnings).toEqual(
        [],
      );
    });

    test('duplicates come before unknown fields, which follow the patched text (sorted keys)', async () => {
      await created('dup-unknown');
      const mergeWarn = await patchCm(
        'dup-unknown',
        'merge-patch+json',
        '{"zzz":1,"data":{"b":"2","b":"3"},"extra":{"q":1,"q":2}}',
      );
      expect(mergeWarn.warnings).toEqual([
        'duplicate field "data.b"',
        'duplicate field "extra.q"',
        'unknown field "extra"',
        'unknown field "zzz"',
      ]);
      const jsonWarn = await patchCm(
        'dup-unknown',
        'json-patch+json',
        '[{"op":"add","path":"/data/c","value":"2","value":"3"},{"op":"add","path":"/extra","value":{"q":1,"q":2}},{"op":"add","path":"/aaa","value":1}]',
      );
      expect(jsonWarn.warnings).toEqual([
        'json patch duplicate field "[0].value"',
        'json patch duplicate field "[1].value.q"',
        'unknown field "aaa"',
        'unknown field "extra"',
      ]);
    });

    test("a custom resource: patch duplicates, then the patched object's, then the pruned fields", async () => {
      const created = await raw(kc(), 'POST', widgetsPath(), {
        body: {
          apiVersion: `${group}/v1`,
          kind: 'Widget',
          metadata: { name: 'dup-patch' },
          spec: { size: 1 },
        },
      });
      expect(created.status).toBe(201);
      const patch = (type: string, body: string) =>
        raw(kc(), 'PATCH', `${widgetsPath()}/dup-patch`, {
          contentType: `application/${type}`,
          body,
        });
      const mergeWarn = await patch(
        'merge-patch+json',
        '{"spec":{"size":2,"size":3,"zz":1,"free":{"q":1,"q":2}}}',
      );
      expect(mergeWarn.status).toBe(200);
      expect(mergeWarn.warnings).toEqual([
        'duplicate field "spec.size"',
        'duplicate field "spec.free.q"',
        'unknown field "spec.zz"',
      ]);
      expect(mergeWarn.json().spec).toEqual({ size: 3, free: { q: 2 } });
      const jsonWarn = await patch(
        'json-patch+json',
        '[{"op":"add","path":"/spec/size","value":2,"value":4},{"op":"add","path":"/spec/free","value":{"q":1,"q":2}},{"op":"add","path":"/spec/zz","value":1}]',
      );
      expect(jsonWarn.warnings).toEqual([
        'json patch duplicate field "[0].value"',
        'json patch duplicate field "[1].value.q"',
        'duplicate field "spec.free.q"',
        'unknown field "spec.zz"',
      ]);
      expect(jsonWarn.json().spec).toEqual({ size: 4, free: { q: 2 } });
    });
  });

  test('server-side apply: undeclared fields fail the typed patch with 500, whatever fieldValidation says', async () => {
    const one = await raw(kc(), 'PATCH', `${widgetsPath()}/apply-unknown`, {
      query: { fieldManager: 'e2e', fieldValidation: 'Ignore' },
      body: `apiVersion: ${group}/v1\nkind: Widget\nmetadata:\n  name: apply-unknown\nunknownField: x\n`,
      contentType: 'application/apply-patch+yaml',
    });
    expect(one.status).toBe(500);
    expect(one.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `failed to create typed patch object (/apply-unknown; ${group}/v1, Kind=Widget): .unknownField: field not declared in schema`,
      code: 500,
    });
    const two = await raw(kc(), 'PATCH', `${configMapsPath()}/apply-unknown`, {
      query: { fieldManager: 'e2e', fieldValidation: 'Warn' },
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: apply-unknown\n  unknownMeta: x\nunknownTop: 1\n',
      contentType: 'application/apply-patch+yaml',
    });
    expect(two.status).toBe(500);
    // kube-apiserver usually names both fields, but not always (one CI run on the real
    // server named only `.unknownTop`): its field walk stops early in some orders.
    const head = 'failed to create typed patch object (/apply-unknown; /v1, Kind=ConfigMap): ';
    expect([
      `${head}errors:\n  .metadata.unknownMeta: field not declared in schema\n  .unknownTop: field not declared in schema`,
      `${head}.unknownTop: field not declared in schema`,
      `${head}.metadata.unknownMeta: field not declared in schema`,
    ]).toContain(two.json().message);
  });
});
