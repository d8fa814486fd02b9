/**
 * Differential: map keys come out in the order Go's encoding/json writes them, sorted as
 * text, also when they look like array indices (`"9"`, `"10"`), which JavaScript would put
 * first in numeric order. Compared on the raw response text of every form a client reads:
 * the write's answer, GET, LIST, watch, PartialObjectMetadata, a Table with its objects;
 * and YAML, which go-yaml writes in its own order (runs of digits as numbers); for a built-in (a ConfigMap's `data`, labels) and a custom resource (whose maps
 * are all sorted). Same requests, same assertions on every backend.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installOpenCrd } from './crd-install.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;

const group = `order${uniqueSuffix()}.e2e.kube-ts.dev`;
const kc = () => e2e.backend.kubeConfig;
const configMaps = () => `/api/v1/namespaces/${ns}/configmaps`;
const things = () => `/apis/${group}/v1/namespaces/${ns}/things`;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-key-order');
  await installOpenCrd(e2e, group, 'Thing', ns);
});

afterAll(async () => {
  await e2e?.stop();
});

/** Keys in an order that is neither Go's nor JavaScript's. */
const KEYS = ['a', '10', '9', '1', 'B', '01', '100'];
const mapOf = () => Object.fromEntries(KEYS.map((k) => [k, `v${k}`]));
/** The map as Go writes it. */
const SORTED = '{"01":"v01","1":"v1","10":"v10","100":"v100","9":"v9","B":"vB","a":"va"}';
const LABELS = '{"10":"x","9":"y"}';

/** The resource version before a change, and a watch from it that ends after 1 s. */
async function watchFrom(path: string, rv: string): Promise<string> {
  const res = await raw(kc(), 'GET', path, {
    query: { watch: '1', resourceVersion: rv, timeoutSeconds: '1' },
  });
  expect(res.status).toBe(200);
  return res.text;
}

describe('map keys sorted as Go sorts them', () => {
  test('a ConfigMap: data and labels in every output form', async () => {
    const rv = (await raw(kc(), 'GET', configMaps())).json().metadata.resourceVersion;
    const created = await raw(kc(), 'POST', configMaps(), {
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'keys', labels: { 9: 'y', 10: 'x' } },
        data: mapOf(),
      },
    });
    expect(created.status).toBe(201);
    expect(created.text).toContain(`"data":${SORTED}`);
    expect(created.text).toContain(`"labels":${LABELS}`);
    const got = await raw(kc(), 'GET', `${configMaps()}/keys`);
    expect(got.text).toContain(`"data":${SORTED}`);
    expect(got.text).toContain(`"labels":${LABELS}`);
    const listed = await raw(kc(), 'GET', configMaps(), { query: { labelSelector: '9=y' } });
    expect(listed.text).toContain(`"data":${SORTED}`);
    expect(await watchFrom(configMaps(), rv)).toContain(`"data":${SORTED}`);
    const meta = await raw(kc(), 'GET', `${configMaps()}/keys`, {
      accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
    });
    expect(meta.status).toBe(200);
    expect(meta.text).toContain(`"labels":${LABELS}`);
    const metaList = await raw(kc(), 'GET', configMaps(), {
      query: { labelSelector: '9=y' },
      accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
    });
    expect(metaList.text).toContain(`"labels":${LABELS}`);
    const table = await raw(kc(), 'GET', `${configMaps()}/keys`, {
      query: { includeObject: 'Object' },
      accept: 'application/json;as=Table;g=meta.k8s.io;v=v1',
    });
    expect(table.status).toBe(200);
    expect(table.text).toContain(`"data":${SORTED}`);
    // YAML is written by go-yaml, whose order counts runs of digits as numbers.
    const yaml = await raw(kc(), 'GET', `${configMaps()}/keys`, { accept: 'application/yaml' });
    expect(yaml.text).toContain(
      'data:\n  "1": v1\n  "01": v01\n  "9": v9\n  "10": v10\n  "100": v100\n  B: vB\n  a: va\n',
    );
    expect(yaml.text).toContain('  labels:\n    "9": "y"\n    "10": x\n');
    // Strings that would read back as another type are quoted (a timestamp, `y`).
    expect(yaml.text).toMatch(/\n {2}creationTimestamp: "\d{4}-\d\d-\d\dT[0-9:]{8}Z"\n/);
  });

  test('YAML output quotes strings as go-yaml does', async () => {
    const data = { a: 'a: b', b: '#x', c: 'y', d: '1:30', e: 'a\tb', f: "it's", g: '2001-12-14' };
    const created = await raw(kc(), 'POST', configMaps(), {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'quotes' }, data },
    });
    expect(created.status).toBe(201);
    const yaml = await raw(kc(), 'GET', `${configMaps()}/quotes`, { accept: 'application/yaml' });
    expect(yaml.text).toContain(
      `data:\n  a: 'a: b'\n  b: '#x'\n  c: "y"\n  d: "1:30"\n  e: "a\\tb"\n  f: it's\n  g: "2001-12-14"\n`,
    );
  });

  test('a ConfigMap patched: the merged map sorted too', async () => {
    const res = await raw(kc(), 'PATCH', `${configMaps()}/keys`, {
      contentType: 'application/merge-patch+json',
      body: { data: { 2: 'v2', 20: 'v20' } },
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      '"data":{"01":"v01","1":"v1","10":"v10","100":"v100","2":"v2","20":"v20","9":"v9","B":"vB","a":"va"}',
    );
  });

  test('a custom resource: its maps sorted, nested ones too', async () => {
    const rv = (await raw(kc(), 'GET', things())).json().metadata.resourceVersion;
    const created = await raw(kc(), 'POST', things(), {
      body: {
        apiVersion: `${group}/v1`,
        kind: 'Thing',
        metadata: { name: 'keys' },
        spec: { map: mapOf(), list: [{ 9: 1, 10: 2 }] },
      },
    });
    expect(created.status).toBe(201);
    const spec = `"spec":{"list":[{"10":2,"9":1}],"map":${SORTED}}`;
    expect(created.text).toContain(spec);
    expect((await raw(kc(), 'GET', `${things()}/keys`)).text).toContain(spec);
    const listed = await raw(kc(), 'GET', things());
    expect(listed.text).toContain(spec);
    // An unstructured list is a Go map too: its keys sorted.
    expect(listed.text).toMatch(/^\{"apiVersion":"[^"]+","items":\[\{"apiVersion":/);
    expect(listed.text).toMatch(
      /\],"kind":"ThingList","metadata":\{"continue":"","resourceVersion":"\d+"\}\}\n?$/,
    );
    expect(created.text).toMatch(
      /^\{"apiVersion":"[^"]+","kind":"Thing","metadata":\{"creationTimestamp":/,
    );
    expect(await watchFrom(things(), rv)).toContain(spec);
  });
});
