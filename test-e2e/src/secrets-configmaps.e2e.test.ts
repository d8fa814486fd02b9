/**
 * Differential: Secrets and ConfigMaps as kube-apiserver stores and checks them:
 * `stringData` folded into base64 `data`, base64 decoding, the `Opaque` default and the
 * immutable `type`, key names, the 1 MiB limit, and `immutable: true`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-data');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const MiB = 1024 * 1024;
const KEY_MESSAGE =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const IMMUTABLE = 'Forbidden: field is immutable when `immutable` is set';

function resource(plural: 'secrets' | 'configmaps') {
  const base = () => `/api/v1/namespaces/${ns}/${plural}`;
  const kind = plural === 'secrets' ? 'Secret' : 'ConfigMap';
  return {
    path: (name = '') => (name ? `${base()}/${name}` : base()),
    create: (name: string, fields: Record<string, unknown>) =>
      raw(kc(), 'POST', base(), {
        body: { apiVersion: 'v1', kind, metadata: { name }, ...fields },
      }),
    replace: (name: string, obj: unknown) => raw(kc(), 'PUT', `${base()}/${name}`, { body: obj }),
    get: (name: string) => raw(kc(), 'GET', `${base()}/${name}`),
  };
}

describe('Secrets', () => {
  const secrets = resource('secrets');

  test('stringData is folded into base64 data (winning over data) and never returned', async () => {
    const res = await secrets.create('folded', {
      data: { a: b64('from data'), keep: b64('kept') },
      stringData: { a: 'from stringData', b: 'two' },
    });
    expect(res.status).toBe(201);
    for (const obj of [res.json(), (await secrets.get('folded')).json()]) {
      expect(obj.data).toEqual({ a: b64('from stringData'), b: b64('two'), keep: b64('kept') });
      expect(obj.stringData).toBeUndefined();
      expect(obj.type).toBe('Opaque');
    }
  });

  test('data must be base64: 400 with the decoder offset, nothing stored', async () => {
    const res = await secrets.create('notbase64', { data: { a: 'not base64!' } });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({
      reason: 'BadRequest',
      message:
        'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
    });
    expect((await secrets.get('notbase64')).status).toBe(404);
  });

  test('type defaults to Opaque and cannot change', async () => {
    const created = (await secrets.create('typed', { data: { a: b64('1') } })).json();
    expect(created.type).toBe('Opaque');
    const res = await secrets.replace('typed', {
      ...created,
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': b64('c'), 'tls.key': b64('k') },
    });
    expect(res.status).toBe(422);
    expect(res.json()).toMatchObject({
      reason: 'Invalid',
      message:
        'Secret "typed" is invalid: type: Invalid value: "kubernetes.io/tls": field is immutable',
      details: {
        name: 'typed',
        kind: 'Secret',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: "kubernetes.io/tls": field is immutable',
            field: 'type',
          },
        ],
      },
    });
  });

  test('a typed Secret must carry its keys', async () => {
    const res = await secrets.create('tls', { type: 'kubernetes.io/tls', data: {} });
    expect(res.status).toBe(422);
    expect(res.json().message).toBe(
      'Secret "tls" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]',
    );
  });

  test('a bad key name is 422 on data[key]', async () => {
    const res = await secrets.create('badkey', { stringData: { 'bad key': 'x' } });
    expect(res.status).toBe(422);
    expect(res.json()).toMatchObject({
      message: `Secret "badkey" is invalid: data[bad key]: Invalid value: "bad key": ${KEY_MESSAGE}`,
      details: { causes: [{ reason: 'FieldValueInvalid', field: 'data[bad key]' }] },
    });
  });

  test('the values may hold 1 MiB together, not a byte more', async () => {
    const full = await secrets.create('full', {
      data: { a: Buffer.alloc(MiB - 1, 1).toString('base64'), b: b64('x') },
    });
    expect(full.status).toBe(201);
    const over = await secrets.create('over', {
      data: { a: Buffer.alloc(MiB, 1).toString('base64'), b: b64('x') },
    });
    expect(over.status).toBe(422);
    expect(over.json()).toMatchObject({
      message: 'Secret "over" is invalid: data: Too long: may not be more than 1048576 bytes',
      details: { causes: [{ reason: 'FieldValueTooLong', field: 'data' }] },
    });
  });

  test('immutable: true freezes data and itself; metadata may still change', async () => {
    const created = (
      await secrets.create('frozen', { data: { a: b64('1') }, immutable: true })
    ).json();
    const changed = await secrets.replace('frozen', {
      ...created,
      data: { a: b64('2') },
      immutable: false,
    });
    expect(changed.status).toBe(422);
    expect(changed.json().message).toBe(
      `Secret "frozen" is invalid: [immutable: ${IMMUTABLE}, data: ${IMMUTABLE}]`,
    );
    const labelled = await secrets.replace('frozen', {
      ...created,
      metadata: { ...created.metadata, labels: { ok: 'yes' } },
    });
    expect(labelled.status).toBe(200);
    expect((await secrets.get('frozen')).json().data).toEqual({ a: b64('1') });
  });
});

describe('ConfigMaps', () => {
  const configMaps = resource('configmaps');

  test('a bad key name is 422 on data[key]; data and binaryData keys are distinct', async () => {
    const bad = await configMaps.create('badkey', { data: { 'bad key': 'x' } });
    expect(bad.status).toBe(422);
    expect(bad.json().message).toBe(
      `ConfigMap "badkey" is invalid: data[bad key]: Invalid value: "bad key": ${KEY_MESSAGE}`,
    );
    const dup = await configMaps.create('dup', {
      data: { k: 'x' },
      binaryData: { k: b64('y') },
    });
    expect(dup.status).toBe(422);
    expect(dup.json().message).toBe(
      'ConfigMap "dup" is invalid: data[k]: Invalid value: "k": duplicate of key present in binaryData',
    );
  });

  test('binaryData must be base64', async () => {
    const res = await configMaps.create('binary', { binaryData: { a: 'YQ=' } });
    expect(res.status).toBe(400);
    expect(res.json().message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: illegal base64 data at input byte 3',
    );
  });

  test('the values may hold 1 MiB together, reported on the whole object', async () => {
    const full = await configMaps.create('full', {
      data: { a: 'x'.repeat(MiB - 1) },
      binaryData: { b: b64('y') },
    });
    expect(full.status).toBe(201);
    const over = await configMaps.create('over', { data: { a: 'x'.repeat(MiB + 1) } });
    expect(over.status).toBe(422);
    const status = over.json();
    expect(status.message).toBe(
      'ConfigMap "over" is invalid: []: Too long: may not be more than 1048576 bytes',
    );
    expect(status.details.causes).toEqual([
      {
        reason: 'FieldValueTooLong',
        message: 'Too long: may not be more than 1048576 bytes',
        field: '[]',
      },
    ]);
  });

  test('immutable: true freezes data, binaryData and itself', async () => {
    const created = (
      await configMaps.create('frozen', { data: { a: '1' }, immutable: true })
    ).json();
    const changed = await configMaps.replace('frozen', {
      ...created,
      data: { a: '2' },
      binaryData: { b: b64('x') },
      immutable: false,
    });
    expect(changed.status).toBe(422);
    expect(changed.json().message).toBe(
      `ConfigMap "frozen" is invalid: [immutable: ${IMMUTABLE}, data: ${IMMUTABLE}, binaryData: ${IMMUTABLE}]`,
    );
    expect((await configMaps.get('frozen')).json().data).toEqual({ a: '1' });
  });
});
