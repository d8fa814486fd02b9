/**
 * Differential: the raw text of JSON responses as kube-apiserver's encoder writes it. Its
 * JSON serializer (Go's `json.Encoder`) writes a newline after each object and escapes
 * `<`, `>`, `&`, U+2028 and U+2029 in strings (`\u003c`, …): objects, lists, Status
 * errors, discovery, Tables, PartialObjectMetadata and each watch event. `/version`, and
 * an error whose representation cannot be negotiated (only a Table accepted), are written
 * raw: indented, no newline. YAML is not escaped. Integers beyond 2^53 are kept as written
 * (an int64 field of a built-in, a custom resource's integers), where `JSON.parse` would
 * round them. Same requests, same assertions on every backend.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installCrd, installOpenCrd, namespacedCrd } from './crd-install.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;

const group = `wire${uniqueSuffix()}.e2e.kube-ts.dev`;
const kc = () => e2e.backend.kubeConfig;
const configMaps = () => `/api/v1/namespaces/${ns}/configmaps`;
const pods = () => `/api/v1/namespaces/${ns}/pods`;
const things = () => `/apis/${group}/v1/namespaces/${ns}/things`;
const counts = () => `/apis/${group}/v1/namespaces/${ns}/counts`;
const deployments = () => `/apis/apps/v1/namespaces/${ns}/deployments`;

/** A value with every character Go escapes, and what Go writes for it in JSON. */
const UNSAFE = '<a>&b\u2028c\u2029d';
const ESCAPED = '\\u003ca\\u003e\\u0026b\\u2028c\\u2029d';
const TABLE = 'application/json;as=Table;g=meta.k8s.io;v=v1';
const META = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-wire');
  await installOpenCrd(e2e, group, 'Thing', ns);
  // A custom resource with typed integers, and printer columns that show one.
  const spec = {
    type: 'object',
    properties: {
      count: { type: 'integer' },
      max: { type: 'integer', maximum: 10 },
      ratio: { type: 'number' },
      note: { type: 'string' },
      list: { type: 'array', items: { type: 'integer' } },
    },
  };
  await installCrd(
    e2e,
    namespacedCrd(group, 'Count', {
      schema: { openAPIV3Schema: { type: 'object', properties: { spec } } },
      additionalPrinterColumns: [
        { name: 'Count', type: 'integer', jsonPath: '.spec.count' },
        { name: 'Ratio', type: 'number', jsonPath: '.spec.ratio' },
        { name: 'Text', type: 'string', jsonPath: '.spec.count' },
      ],
    }),
    counts(),
  );
});

afterAll(async () => {
  await e2e?.stop();
});

/** A compact JSON object followed by one newline, as `json.Encoder.Encode` writes it. */
function expectEncoded(text: string): void {
  expect(text).toMatch(/^\{"[^\n]*\}\n$/);
}

describe('JSON responses as Go encodes them', () => {
  test('an object, its list, its watch events, its Table and metadata: escaped, newline after', async () => {
    const rv = (await raw(kc(), 'GET', configMaps())).json().metadata.resourceVersion;
    const created = await raw(kc(), 'POST', configMaps(), {
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'unsafe', annotations: { note: UNSAFE } },
        data: { h: UNSAFE },
      },
    });
    expect(created.status).toBe(201);
    expectEncoded(created.text);
    expect(created.text).toContain(`"data":{"h":"${ESCAPED}"}`);
    expect(created.json().data.h).toBe(UNSAFE);
    const got = await raw(kc(), 'GET', `${configMaps()}/unsafe`);
    expectEncoded(got.text);
    expect(got.text).toContain(`"data":{"h":"${ESCAPED}"}`);
    const listed = await raw(kc(), 'GET', configMaps(), {
      query: { fieldSelector: 'metadata.name=unsafe' },
    });
    expectEncoded(listed.text);
    expect(listed.text).toContain(`"data":{"h":"${ESCAPED}"}`);
    const watched = await raw(kc(), 'GET', configMaps(), {
      query: {
        watch: '1',
        resourceVersion: rv,
        timeoutSeconds: '1',
        fieldSelector: 'metadata.name=unsafe',
      },
    });
    const lines = watched.text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(/^\{"type":"ADDED","object":\{.*\}\}$/);
    expect(lines[0]).toContain(`"data":{"h":"${ESCAPED}"}`);
    const metaWatch = await raw(kc(), 'GET', configMaps(), {
      accept: META,
      query: {
        watch: '1',
        resourceVersion: rv,
        timeoutSeconds: '1',
        fieldSelector: 'metadata.name=unsafe',
      },
    });
    expect(metaWatch.text).toMatch(
      /^\{"type":"ADDED","object":\{"kind":"PartialObjectMetadata",.*\}\}\n$/,
    );
    expect(metaWatch.text).toContain(`"annotations":{"note":"${ESCAPED}"}`);
    const meta = await raw(kc(), 'GET', `${configMaps()}/unsafe`, { accept: META });
    expect(meta.status).toBe(200);
    expectEncoded(meta.text);
    expect(meta.text).toContain(`"annotations":{"note":"${ESCAPED}"}`);
    const table = await raw(kc(), 'GET', configMaps(), {
      accept: TABLE,
      query: { fieldSelector: 'metadata.name=unsafe' },
    });
    expect(table.status).toBe(200);
    expectEncoded(table.text);
  });

  test('a custom resource: escaped, newline after', async () => {
    const created = await raw(kc(), 'POST', things(), {
      body: {
        apiVersion: `${group}/v1`,
        kind: 'Thing',
        metadata: { name: 'unsafe' },
        spec: { s: UNSAFE },
      },
    });
    expect(created.status).toBe(201);
    expectEncoded(created.text);
    expect(created.text).toContain(`"spec":{"s":"${ESCAPED}"}`);
    const listed = await raw(kc(), 'GET', things());
    expectEncoded(listed.text);
    expect(listed.text).toContain(`"spec":{"s":"${ESCAPED}"}`);
  });

  test('a Status error: escaped, newline after; raw and indented when only a Table is accepted', async () => {
    const invalid = await raw(kc(), 'POST', configMaps(), {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a<b>&' } },
    });
    expect(invalid.status).toBe(422);
    expectEncoded(invalid.text);
    expect(invalid.text).toContain(
      '"message":"ConfigMap \\"a\\u003cb\\u003e\\u0026\\" is invalid: ',
    );
    expect(invalid.json().details.name).toBe('a<b>&');
    const missing = await raw(kc(), 'GET', `${configMaps()}/missing`);
    expect(missing.text).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \\"missing\\" not found","reason":"NotFound","details":{"name":"missing","kind":"configmaps"},"code":404}\n',
    );
    const tableOnly = await raw(kc(), 'GET', `${configMaps()}/missing`, { accept: TABLE });
    expect(tableOnly.status).toBe(404);
    expect(tableOnly.headers['content-type']).toBe('application/json');
    expect(tableOnly.text).toBe(
      [
        '{',
        '  "kind": "Status",',
        '  "apiVersion": "v1",',
        '  "metadata": {},',
        '  "status": "Failure",',
        '  "message": "configmaps \\"missing\\" not found",',
        '  "reason": "NotFound",',
        '  "details": {',
        '    "name": "missing",',
        '    "kind": "configmaps"',
        '  },',
        '  "code": 404',
        '}',
      ].join('\n'),
    );
    // In YAML the message is not escaped.
    const yaml = await raw(kc(), 'POST', configMaps(), {
      accept: 'application/yaml',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a<b>&' } },
    });
    expect(yaml.text).toContain('\n  name: a<b>&\n');
  });

  test('discovery: newline after; /version indented without one; health checks plain', async () => {
    for (const path of ['/api', '/api/v1', '/apis', '/apis/apps', '/apis/apps/v1']) {
      const res = await raw(kc(), 'GET', path);
      expect(res.status).toBe(200);
      expectEncoded(res.text);
    }
    const aggregated = await raw(kc(), 'GET', '/apis', {
      accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    });
    expect(aggregated.status).toBe(200);
    expectEncoded(aggregated.text);
    const version = await raw(kc(), 'GET', '/version');
    expect(version.text).toMatch(/^\{\n {2}"major": "1",\n {2}"minor": "\d+",\n/);
    expect(version.text).toMatch(/\n {2}"platform": "[^"]+"\n\}$/);
    expect((await raw(kc(), 'GET', '/healthz')).text).toBe('ok');
    expect((await raw(kc(), 'GET', '/nope')).text).toBe('404 page not found\n');
  });
});

describe('PartialObjectMetadata', () => {
  test("a custom resource's metadata in ObjectMeta's field order, as typed", async () => {
    const created = await raw(kc(), 'POST', things(), {
      body: {
        apiVersion: `${group}/v1`,
        kind: 'Thing',
        metadata: { name: 'meta', labels: { a: 'b' } },
      },
    });
    expect(created.status, created.text).toBe(201);
    const order =
      /^\{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io\/v1","metadata":\{"name":"meta","namespace":"[^"]+","uid":"[^"]+","resourceVersion":"[0-9]+","generation":1,"creationTimestamp":"[^"]+","labels":\{"a":"b"\},"managedFields":\[\{"manager":"[^"]+","operation":"Update",/;
    const meta = await raw(kc(), 'GET', `${things()}/meta`, { accept: META });
    expect(meta.text).toMatch(order);
    const table = await raw(kc(), 'GET', things(), {
      accept: TABLE,
      query: { fieldSelector: 'metadata.name=meta' },
    });
    expect(table.text).toContain(
      '"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"meta","namespace":',
    );
  });
});

describe('integers beyond 2^53 kept as written', () => {
  test("a Pod's int64 field: in the answer, GET, LIST and watch", async () => {
    const rv = (await raw(kc(), 'GET', pods())).json().metadata.resourceVersion;
    const pod = (name: string, seconds: string) =>
      `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"${name}"},"spec":{"terminationGracePeriodSeconds":${seconds},"containers":[{"name":"c","image":"nginx"}]}}`;
    const field = '"terminationGracePeriodSeconds":9007199254740993';
    const created = await raw(kc(), 'POST', pods(), { body: pod('big', '9007199254740993') });
    expect(created.status, created.text).toBe(201);
    expect(created.text).toContain(field);
    expect((await raw(kc(), 'GET', `${pods()}/big`)).text).toContain(field);
    const selector = { fieldSelector: 'metadata.name=big' };
    expect((await raw(kc(), 'GET', pods(), { query: selector })).text).toContain(field);
    const watched = await raw(kc(), 'GET', pods(), {
      query: { ...selector, watch: '1', resourceVersion: rv, timeoutSeconds: '1' },
    });
    expect(watched.text.split('\n')[0]).toContain(field);
    // The largest int64 is one.
    const largest = await raw(kc(), 'POST', pods(), {
      query: { dryRun: 'All' },
      body: pod('largest', '9223372036854775807'),
    });
    expect(largest.status, largest.text).toBe(201);
    expect(largest.text).toContain('"terminationGracePeriodSeconds":9223372036854775807');
    // One more is Go's decoding error.
    const beyond = await raw(kc(), 'POST', pods(), {
      query: { dryRun: 'All' },
      body: pod('beyond', '9223372036854775808'),
    });
    expect(beyond.status).toBe(400);
    expect(beyond.json().message).toBe(
      'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number 9223372036854775808 into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64',
    );
  });

  test("a custom resource's integers; a number beyond a float64 refused", async () => {
    const body = `{"apiVersion":"${group}/v1","kind":"Thing","metadata":{"name":"big"},"spec":{"n":9007199254740993,"list":[-9223372036854775808,9223372036854775807]}}`;
    const created = await raw(kc(), 'POST', things(), { body });
    expect(created.status, created.text).toBe(201);
    const spec = '"spec":{"list":[-9223372036854775808,9223372036854775807],"n":9007199254740993}';
    expect(created.text).toContain(spec);
    expect((await raw(kc(), 'GET', `${things()}/big`)).text).toContain(spec);
    const huge = await raw(kc(), 'POST', things(), {
      body: `{"apiVersion":"${group}/v1","kind":"Thing","metadata":{"name":"huge"},"spec":{"n":1e400}}`,
    });
    expect(huge.status).toBe(400);
    expect(huge.json().message).toBe(
      'Thing in version "v1" cannot be handled as a Thing: json: cannot unmarshal number 1e400 into Go value of type float64',
    );
  });
});

describe('integers beyond 2^53 kept as written everywhere the server keeps an int64', () => {
  const pod = (name: string, spec: string) =>
    `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"${name}"},"spec":{${spec}"containers":[{"name":"c","image":"nginx"}]}}`;
  const count = (name: string, spec: string) =>
    `{"apiVersion":"${group}/v1","kind":"Count","metadata":{"name":"${name}"},"spec":${spec}}`;

  test('in validation messages', async () => {
    const runAsUser = await raw(kc(), 'POST', pods(), {
      query: { dryRun: 'All' },
      body: pod('runas', '"securityContext":{"runAsUser":9007199254740993},'),
    });
    expect(runAsUser.status).toBe(422);
    expect(runAsUser.json().message).toBe(
      'Pod "runas" is invalid: spec.securityContext.runAsUser: Invalid value: 9007199254740993: must be between 0 and 2147483647, inclusive',
    );
    const deadline = await raw(kc(), 'POST', pods(), {
      query: { dryRun: 'All' },
      body: pod('deadline', '"activeDeadlineSeconds":-9007199254740993,'),
    });
    expect(deadline.status).toBe(422);
    expect(deadline.json().details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: -9007199254740993: must be between 1 and 2147483647, inclusive',
        field: 'spec.activeDeadlineSeconds',
      },
    ]);
    const max = await raw(kc(), 'POST', counts(), {
      body: count('max', '{"max":9007199254740993}'),
    });
    expect(max.status).toBe(422);
    expect(max.json().message).toBe(
      `Count.${group} "max" is invalid: spec.max: Invalid value: 9007199254740993: spec.max in body should be less than or equal to 10`,
    );
  });

  test('in YAML output and in YAML bodies', async () => {
    const created = await raw(kc(), 'POST', pods(), {
      contentType: 'application/yaml',
      accept: 'application/yaml',
      body: [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: yaml-big',
        'spec:',
        '  terminationGracePeriodSeconds: 9007199254740993',
        '  containers:',
        '  - name: c',
        '    image: nginx',
        '',
      ].join('\n'),
    });
    expect(created.status, created.text).toBe(201);
    expect(created.text).toContain('\n  terminationGracePeriodSeconds: 9007199254740993\n');
    const got = await raw(kc(), 'GET', `${pods()}/yaml-big`);
    expect(got.text).toContain('"terminationGracePeriodSeconds":9007199254740993');
    const cr = await raw(kc(), 'POST', counts(), {
      accept: 'application/yaml',
      body: count('yaml', '{"count":9007199254740993,"list":[-9223372036854775808]}'),
    });
    expect(cr.status, cr.text).toBe(201);
    expect(cr.text).toContain('\n  count: 9007199254740993\n  list:\n  - -9223372036854775808\n');
  });

  test('in Tables: an integer column as written, a number column as a float64', async () => {
    const created = await raw(kc(), 'POST', counts(), {
      body: count('table', '{"count":9007199254740993,"ratio":9007199254740993}'),
    });
    expect(created.status, created.text).toBe(201);
    const table = await raw(kc(), 'GET', counts(), {
      accept: TABLE,
      query: { fieldSelector: 'metadata.name=table', includeObject: 'Object' },
    });
    expect(table.status).toBe(200);
    expect(table.text).toContain(
      '"cells":["table",9007199254740993,9007199254740992,"9007199254740993"]',
    );
    expect(table.text).toContain('"spec":{"count":9007199254740993,"ratio":9007199254740993}');
  });

  test('after every kind of patch, and an update to a value JavaScript cannot tell apart', async () => {
    const field = (text: string) =>
      /"terminationGracePeriodSeconds":(-?[0-9]+)/.exec(text)?.[1] ?? text;
    const created = await raw(kc(), 'POST', deployments(), {
      body: `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"big"},"spec":{"replicas":0,"selector":{"matchLabels":{"app":"big"}},"template":{"metadata":{"labels":{"app":"big"}},"spec":{"terminationGracePeriodSeconds":9007199254740999,"containers":[{"name":"c","image":"nginx"}]}}}}`,
    });
    expect(created.status, created.text).toBe(201);
    expect(field(created.text)).toBe('9007199254740999');
    const path = `${deployments()}/big`;
    const patch = (contentType: string, body: string, query: Record<string, string> = {}) =>
      raw(kc(), 'PATCH', path, { contentType, body, query });
    // A patch elsewhere rebuilds the object around the integer.
    const labelled = await patch(
      'application/merge-patch+json',
      '{"metadata":{"labels":{"a":"b"}}}',
    );
    expect(field(labelled.text)).toBe('9007199254740999');
    // 9007199254741001 is 9007199254740999 in JavaScript: still a change.
    const steps: [string, string, string][] = [
      [
        'application/strategic-merge-patch+json',
        '{"spec":{"template":{"spec":{"terminationGracePeriodSeconds":9007199254741001}}}}',
        '9007199254741001',
      ],
      [
        'application/json-patch+json',
        '[{"op":"replace","path":"/spec/template/spec/terminationGracePeriodSeconds","value":9007199254741003}]',
        '9007199254741003',
      ],
      [
        'application/merge-patch+json',
        '{"spec":{"template":{"spec":{"terminationGracePeriodSeconds":9007199254741005}}}}',
        '9007199254741005',
      ],
    ];
    for (const [contentType, body, written] of steps) {
      expect(field((await patch(contentType, body)).text), contentType).toBe(written);
    }
    const apply = { fieldManager: 'wire', force: 'true' };
    const yaml = await patch(
      'application/apply-patch+yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: big\nspec:\n  template:\n    spec:\n      terminationGracePeriodSeconds: 9007199254741007\n',
      apply,
    );
    expect(field(yaml.text)).toBe('9007199254741007');
    const applied = await patch(
      'application/apply-patch+yaml',
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"big"},"spec":{"template":{"spec":{"terminationGracePeriodSeconds":9007199254741009}}}}',
      apply,
    );
    expect(field(applied.text)).toBe('9007199254741009');
    expect(field((await raw(kc(), 'GET', path)).text)).toBe('9007199254741009');
    // A custom resource's merge and JSON patches.
    const cr = await raw(kc(), 'POST', counts(), {
      body: count('patched', '{"count":9007199254740993,"list":[9223372036854775807]}'),
    });
    expect(cr.status, cr.text).toBe(201);
    const crPath = `${counts()}/patched`;
    const noted = await raw(kc(), 'PATCH', crPath, {
      contentType: 'application/merge-patch+json',
      body: '{"spec":{"note":"x"}}',
    });
    expect(noted.text).toContain(
      '"spec":{"count":9007199254740993,"list":[9223372036854775807],"note":"x"}',
    );
    const added = await raw(kc(), 'PATCH', crPath, {
      contentType: 'application/json-patch+json',
      body: '[{"op":"add","path":"/spec/list/-","value":9007199254740995}]',
    });
    expect(added.text).toContain('"list":[9223372036854775807,9007199254740995]');
  });

  test("a custom resource's number that is no int64 is a float64: an integer beyond 2^53 - 1 no more", async () => {
    const type = (field: string) => ({
      reason: 'FieldValueTypeInvalid',
      message: `Invalid value: "number": ${field} in body must be of type integer: "number"`,
      field,
    });
    const range = (field: string) => ({
      reason: 'FieldValueInvalid',
      message: `Invalid value: "": Checked value must be of type integer (default format) in ${field}`,
      field: '<nil>',
    });
    const refused = async (name: string, spec: string) => {
      const res = await raw(kc(), 'POST', counts(), { body: count(name, spec) });
      expect(res.status, res.text).toBe(422);
      return res.json().details.causes;
    };
    expect(await refused('beyond', '{"count":9223372036854775808}')).toEqual([
      type('spec.count'),
      range('spec.count'),
    ]);
    expect(await refused('below', '{"count":-9223372036854775809}')).toEqual([
      type('spec.count'),
      range('spec.count'),
    ]);
    expect(await refused('exponent', '{"list":[1e19]}')).toEqual([
      type('spec.list[0]'),
      range('spec.list[0]'),
    ]);
    // 2^53 written as a float: no integer, though an int64 reads its digits back.
    expect(await refused('fraction', '{"count":9007199254740992.0}')).toEqual([type('spec.count')]);
    // The number checks still run, quoting the float as Go does.
    expect(await refused('max', '{"max":9223372036854775808}')).toEqual([
      type('spec.max'),
      range('spec.max'),
      {
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: 9.223372036854776e+18: spec.max in body should be less than or equal to 10',
        field: 'spec.max',
      },
    ]);
    // A float JSON holds exactly is an integer.
    const exact = await raw(kc(), 'POST', counts(), { body: count('exact', '{"count":1e15}') });
    expect(exact.status, exact.text).toBe(201);
    expect(exact.text).toContain('"spec":{"count":1000000000000000}');
    const patched = await raw(kc(), 'PATCH', `${counts()}/exact`, {
      contentType: 'application/merge-patch+json',
      body: '{"spec":{"count":9223372036854775808}}',
    });
    expect(patched.status).toBe(422);
    expect(patched.json().details.causes).toEqual([type('spec.count'), range('spec.count')]);
  });
});
