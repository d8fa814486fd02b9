/**
 * Differential: object names, label keys and values, annotation keys and finalizers are
 * checked with apimachinery's rules and words, one cause per broken rule, in
 * kube-apiserver's order. Same requests, same assertions on every backend.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { installOpenCrd } from './crd-install.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const group = `meta${uniqueSuffix()}.e2e.kube-ts.dev`;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-metadata');
  await installOpenCrd(e2e, group, 'Thing', ns);
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;

const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NOT_STANDARD = 'name is neither a standard finalizer name nor is it fully qualified';

/** The causes of a refused create, as `[field, value, message]`. */
async function causesOf(path: string, body: Record<string, unknown>): Promise<string[][]> {
  const res = await raw(kc(), 'POST', path, { body });
  expect(res.status).toBe(422);
  const causes: { field: string; message: string }[] = res.json().details.causes;
  return causes.map((c) => {
    const m = /^Invalid value: (".*?"): (.*)$/s.exec(c.message);
    return m ? [c.field, JSON.parse(m[1]!), m[2]!] : [c.field, c.message];
  });
}

const configMaps = () => `/api/v1/namespaces/${ns}/configmaps`;
const configMap = (metadata: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata,
});

test('names: every broken rule is a cause (length and pattern)', async () => {
  const long = `${'a'.repeat(254)}_`;
  expect(await causesOf(configMaps(), configMap({ name: long }))).toEqual([
    ['metadata.name', long, 'must be no more than 253 characters'],
    ['metadata.name', long, SUBDOMAIN],
  ]);
  const ns64 = `${'a'.repeat(64)}_`;
  const res = await causesOf('/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns64 },
  });
  expect(res.slice(0, 2)).toEqual([
    ['metadata.name', ns64, 'must be no more than 63 characters'],
    ['metadata.name', ns64, LABEL],
  ]);
});

test('label keys and values, annotation keys (checked in lower case)', async () => {
  const key64 = 'k'.repeat(64);
  const value64 = `${'v'.repeat(64)}_`;
  const prefix254 = `${'p'.repeat(254)}/x`;
  // kube-apiserver validates labels by ranging over a Go map, so its causes come in no
  // fixed order: compare them as a set (each sorted by its text).
  const bySortedText = (causes: readonly (readonly string[])[]) =>
    [...causes].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const causes = await causesOf(
    configMaps(),
    configMap({
      name: 'labels',
      labels: {
        'Bad_Prefix/a': 'b',
        'a/b/c': 'b',
        [key64]: 'b',
        '/a': 'b',
        [prefix254]: 'b',
        a: value64,
      },
      annotations: { 'Example.COM/x': 'ok', 'bad key': 'c' },
    }),
  );
  expect(bySortedText(causes)).toEqual(
    bySortedText([
      ['metadata.labels', 'Bad_Prefix/a', `prefix part ${SUBDOMAIN}`],
      [
        'metadata.labels',
        'a/b/c',
        "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ],
      ['metadata.labels', key64, 'name part must be no more than 63 bytes'],
      ['metadata.labels', '/a', 'prefix part must be non-empty'],
      ['metadata.labels', prefix254, 'prefix part must be no more than 253 bytes'],
      ['metadata.labels', value64, 'must be no more than 63 bytes'],
      ['metadata.labels', value64, LABEL_VALUE],
      ['metadata.annotations', 'bad key', NAME_PART],
    ]),
  );
});

test('finalizers: qualified names; a built-in also needs a standard or domain-qualified one', async () => {
  expect(
    await causesOf(
      configMaps(),
      configMap({ name: 'fin', finalizers: ['kubernetes', 'Bad Finalizer', 'foo', ''] }),
    ),
  ).toEqual([
    ['metadata.finalizers', 'Bad Finalizer', NAME_PART],
    ['metadata.finalizers', '', 'name part must be non-empty'],
    ['metadata.finalizers', '', NAME_PART],
    ['metadata.finalizers[1]', 'Bad Finalizer', NOT_STANDARD],
    ['metadata.finalizers[2]', 'foo', NOT_STANDARD],
    ['metadata.finalizers[3]', '', NOT_STANDARD],
  ]);
  for (const [i, finalizer] of ['orphan', 'foregroundDeletion', 'example.com/x'].entries()) {
    const res = await raw(kc(), 'POST', configMaps(), {
      body: configMap({ name: `fin-${i}`, finalizers: [finalizer] }),
    });
    expect(res.status).toBe(201);
    expect(res.json().metadata.finalizers).toEqual([finalizer]);
    const cleared = await raw(kc(), 'PATCH', `${configMaps()}/fin-${i}`, {
      contentType: 'application/merge-patch+json',
      body: { metadata: { finalizers: null } },
    });
    expect(cleared.status).toBe(200);
  }
  // A custom resource's finalizer needs no domain.
  const thing = await raw(kc(), 'POST', `/apis/${group}/v1/namespaces/${ns}/things`, {
    body: {
      apiVersion: `${group}/v1`,
      kind: 'Thing',
      metadata: { name: 'plain', finalizers: ['foo'] },
    },
  });
  expect(thing.status).toBe(201);
  const cleared = await raw(kc(), 'PATCH', `/apis/${group}/v1/namespaces/${ns}/things/plain`, {
    contentType: 'application/merge-patch+json',
    body: { metadata: { finalizers: null } },
  });
  expect(cleared.status).toBe(200);
});
