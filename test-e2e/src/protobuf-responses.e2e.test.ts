/**
 * Differential: answers in `application/vnd.kubernetes.protobuf`. Built-in objects, their
 * lists, writes, reviews, discovery documents and every error Status are written as
 * kube-apiserver's gogo-protobuf marshallers write them (`k8s\0`, a runtime.Unknown, the
 * message's fields in field-number order, map entries sorted by key, zero values of
 * non-pointer fields written); watches as length-prefixed WatchEvent frames. What has no
 * protobuf form (a Table, a custom resource itself) is skipped in the Accept header, as
 * there: 406 when nothing else is acceptable; `/version` is JSON only. Messages are read by field number only
 * (protobuf-wire.ts), so the assertions do not depend on the server's schema.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installOpenCrd } from './crd-install.js';
import {
  envelope,
  field,
  fieldNumbers,
  mapEntries,
  number,
  text,
  watchFrames,
  wireFields,
} from './protobuf-wire.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

const P = 'application/vnd.kubernetes.protobuf';
const SERVED = `application/json, application/yaml, ${P}`;
const META = 'v=v1;g=meta.k8s.io';

let e2e: E2eContext;
let ns: string;
let cms: string;
let crs: string;
const label = `proto-${uniqueSuffix()}`;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-proto');
  cms = `/api/v1/namespaces/${ns}/configmaps`;
  const group = `proto-${uniqueSuffix()}.example.com`;
  await installOpenCrd(e2e, group, 'Sample', ns);
  crs = `/apis/${group}/v1/namespaces/${ns}/samples`;
  const created = await raw(kc(), 'POST', cms, {
    body: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c1', labels: { b: '1', a: '2', probe: label } },
      data: { z: '1', a: '2' },
    },
  });
  expect(created.status).toBe(201);
  const sample = await raw(kc(), 'POST', crs, {
    body: { apiVersion: `${group}/v1`, kind: 'Sample', metadata: { name: 's1' }, spec: { a: 1 } },
  });
  expect(sample.status).toBe(201);
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;

describe('built-in objects', () => {
  test('an object is its message in the k8s envelope: fields in order, maps sorted', async () => {
    const json = (await raw(kc(), 'GET', `${cms}/c1`)).json();
    const res = await raw(kc(), 'GET', `${cms}/c1`, { accept: P });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(P);
    const obj = envelope(res.bytes);
    expect(obj).toMatchObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      fields: [1, 2, 3, 4],
      contentEncoding: '',
      contentType: '',
    });
    // metadata, then data's two entries (binaryData and the pointer immutable unset).
    expect(fieldNumbers(obj.raw)).toEqual([1, 2, 2]);
    expect(mapEntries(obj.raw, 2)).toEqual([
      ['a', '2'],
      ['z', '1'],
    ]);
    const meta = field(obj.raw, 1)!;
    // name, generateName, namespace, selfLink, uid, resourceVersion, generation and
    // creationTimestamp written though some are empty or zero; labels; managedFields.
    expect(fieldNumbers(meta)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 11, 11, 11, 17]);
    expect(text(meta, 1)).toBe('c1');
    expect(text(meta, 3)).toBe(ns);
    expect(text(meta, 5)).toBe(json.metadata.uid);
    expect(text(meta, 6)).toBe(json.metadata.resourceVersion);
    expect(number(field(meta, 8)!, 1)).toBe(Date.parse(json.metadata.creationTimestamp) / 1000);
    expect(mapEntries(meta, 11)).toEqual([
      ['a', '2'],
      ['b', '1'],
      ['probe', label],
    ]);
    // A managedFields entry: its fieldsV1 is the JSON the JSON answer shows.
    const managed = field(meta, 17)!;
    expect(text(managed, 1)).toBe(json.metadata.managedFields[0].manager);
    expect(JSON.parse(text(field(managed, 7)!, 1))).toEqual(
      json.metadata.managedFields[0].fieldsV1,
    );
  });

  test('an int64 beyond 2^53 is written exactly', async () => {
    const pods = `/api/v1/namespaces/${ns}/pods`;
    const body = `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"big"},"spec":{"terminationGracePeriodSeconds":9007199254740993,"containers":[{"name":"c","image":"nginx"}]}}`;
    const created = await raw(kc(), 'POST', pods, { body, accept: P });
    expect(created.status).toBe(201);
    const got = await raw(kc(), 'GET', `${pods}/big`, { accept: P });
    const watched = await raw(kc(), 'GET', pods, {
      accept: `${P};stream=watch`,
      query: { watch: '1', fieldSelector: 'metadata.name=big', timeoutSeconds: '1' },
    });
    const [event] = watchFrames(watched.bytes);
    for (const pod of [envelope(created.bytes), envelope(got.bytes), event!.object]) {
      // Pod.spec (2), PodSpec.terminationGracePeriodSeconds (4).
      const spec = field(pod.raw, 2)!;
      expect(wireFields(spec).find((f) => f.n === 4)?.varint).toBe(9007199254740993n);
    }
  });

  test('protobuf is picked by the Accept header’s order and qualities', async () => {
    const first = await raw(kc(), 'GET', `${cms}/c1`, { accept: `application/json;q=0.5, ${P}` });
    expect(first.headers['content-type']).toBe(P);
    const second = await raw(kc(), 'GET', `${cms}/c1`, { accept: `application/json, ${P}` });
    expect(second.headers['content-type']).toBe('application/json');
  });

  test('a list, a delete and an error Status', async () => {
    const list = await raw(kc(), 'GET', cms, {
      accept: P,
      query: { labelSelector: `probe=${label}` },
    });
    expect(list.status).toBe(200);
    const l = envelope(list.bytes);
    expect([l.apiVersion, l.kind]).toEqual(['v1', 'ConfigMapList']);
    expect(fieldNumbers(l.raw)).toEqual([1, 2]);
    expect(text(field(l.raw, 1)!, 2)).toMatch(/^\d+$/);
    expect(text(field(field(l.raw, 2)!, 1)!, 1)).toBe('c1');

    // A Status whose every byte is known: the envelope, then metadata (empty ListMeta's
    // strings written), status, message, reason, details (name, empty group, kind, no
    // causes, retryAfterSeconds 0, empty uid) and code.
    const missing = await raw(kc(), 'GET', '/api/v1/namespaces/e2e-proto-missing', { accept: P });
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe(P);
    expect(missing.bytes.toString('hex')).toBe(
      '6b3873000a0c0a0276311206537461747573126f0a060a0012001a0012074661696c7572651a286e616d65' +
        '73706163657320226532652d70726f746f2d6d697373696e6722206e6f7420666f756e6422084e6f74466f' +
        '756e642a250a116532652d70726f746f2d6d697373696e6712001a0a6e616d65737061636573280032003094' +
        '031a002200',
    );

    await raw(kc(), 'POST', cms, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gone' } },
    });
    const deleted = await raw(kc(), 'DELETE', `${cms}/gone`, { accept: P });
    expect(deleted.status).toBe(200);
    const status = envelope(deleted.bytes);
    expect(status.kind).toBe('Status');
    expect(text(status.raw, 2)).toBe('Success');
    expect(text(field(status.raw, 5)!, 1)).toBe('gone');

    const bad = await raw(kc(), 'POST', cms, { accept: P, body: '{bad' });
    expect(bad.status).toBe(400);
    const refusal = envelope(bad.bytes);
    expect(refusal.kind).toBe('Status');
    expect(text(refusal.raw, 4)).toBe('BadRequest');
    expect(number(refusal.raw, 6)).toBe(400);
  });

  test('a review answers protobuf', async () => {
    const res = await raw(kc(), 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      accept: P,
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { nonResourceAttributes: { path: '/', verb: 'get' } },
      },
    });
    expect(res.status).toBe(201);
    const review = envelope(res.bytes);
    expect([review.apiVersion, review.kind]).toEqual([
      'authorization.k8s.io/v1',
      'SelfSubjectAccessReview',
    ]);
    // status.allowed (a non-pointer bool) is true.
    expect(number(field(review.raw, 3)!, 1)).toBe(1);
  });
});

describe('what has no protobuf form', () => {
  test('a Table in protobuf is skipped: 406 alone (raw JSON), JSON after it', async () => {
    const table = await raw(kc(), 'GET', cms, { accept: `${P};as=Table;${META}` });
    expect(table.status).toBe(406);
    expect(table.headers['content-type']).toBe('application/json');
    expect(table.json().message).toBe(`only the following media types are accepted: ${SERVED}`);
    const fallback = await raw(kc(), 'GET', cms, {
      accept: `${P};as=Table;${META}, application/json`,
      query: { labelSelector: `probe=${label}` },
    });
    expect(fallback.status).toBe(200);
    expect(fallback.json().kind).toBe('ConfigMapList');
  });

  test('a custom resource: 406 in protobuf alone, JSON after it; its metadata in protobuf', async () => {
    const refused = await raw(kc(), 'GET', `${crs}/s1`, { accept: P });
    expect(refused.status).toBe(406);
    expect(refused.headers['content-type']).toBe(P);
    const status = envelope(refused.bytes);
    expect(status.kind).toBe('Status');
    expect(text(status.raw, 3)).toBe(`only the following media types are accepted: ${SERVED}`);
    expect(text(status.raw, 4)).toBe('NotAcceptable');
    expect(number(status.raw, 6)).toBe(406);

    const json = await raw(kc(), 'GET', `${crs}/s1`, { accept: `${P}, application/json` });
    expect(json.status).toBe(200);
    expect(json.json().metadata.name).toBe('s1');

    const one = await raw(kc(), 'GET', `${crs}/s1`, {
      accept: `${P};as=PartialObjectMetadata;${META}`,
    });
    expect(one.status).toBe(200);
    const pom = envelope(one.bytes);
    expect([pom.apiVersion, pom.kind]).toEqual(['meta.k8s.io/v1', 'PartialObjectMetadata']);
    expect(text(field(pom.raw, 1)!, 1)).toBe('s1');
    const list = await raw(kc(), 'GET', crs, {
      accept: `${P};as=PartialObjectMetadataList;${META}`,
    });
    expect(envelope(list.bytes).kind).toBe('PartialObjectMetadataList');
  });
});

describe('discovery', () => {
  test('discovery documents answer protobuf', async () => {
    const kinds: [string, string][] = [];
    for (const path of ['/api', '/apis', '/apis/apps', '/api/v1', '/apis/apps/v1']) {
      const res = await raw(kc(), 'GET', path, { accept: P });
      expect(res.headers['content-type']).toBe(P);
      const doc = envelope(res.bytes);
      kinds.push([doc.apiVersion, doc.kind]);
    }
    expect(kinds).toEqual([
      ['', 'APIVersions'],
      ['v1', 'APIGroupList'],
      ['v1', 'APIGroup'],
      ['', 'APIResourceList'],
      ['v1', 'APIResourceList'],
    ]);
    const agg = `${P};g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`;
    const aggregated = await raw(kc(), 'GET', '/apis', { accept: agg });
    expect(aggregated.headers['content-type']).toBe(agg);
    expect(envelope(aggregated.bytes)).toMatchObject({
      apiVersion: 'apidiscovery.k8s.io/v2',
      kind: 'APIGroupDiscoveryList',
    });
  });
});

describe('/version', () => {
  test('answers JSON only: 406 to protobuf alone, in protobuf; JSON when also accepted', async () => {
    const refused = await raw(kc(), 'GET', '/version', { accept: P });
    expect(refused.status).toBe(406);
    expect(refused.headers['content-type']).toBe(P);
    const status = envelope(refused.bytes);
    expect(text(status.raw, 3)).toBe(
      '406: Not Acceptable\n\nAvailable representations: application/json',
    );
    expect(text(status.raw, 4)).toBe('NotAcceptable');
    const served = await raw(kc(), 'GET', '/version', {
      accept: `${P};q=0.9, application/json;q=0.5`,
    });
    expect(served.status).toBe(200);
    expect(served.json().gitVersion).toBe('v1.36.3');
    const yaml = await raw(kc(), 'GET', '/version', { accept: 'application/yaml' });
    expect(yaml.status).toBe(406);
    expect(yaml.headers['content-type']).toBe('application/yaml');
    const html = await raw(kc(), 'GET', '/version', { accept: 'text/html' });
    expect(html.status).toBe(406);
    expect(html.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: '406: Not Acceptable\n\nAvailable representations: application/json',
      reason: 'NotAcceptable',
      details: {},
      code: 406,
    });
    expect((await raw(kc(), 'GET', '/version', { accept: '*/*' })).status).toBe(200);
  });
});

describe('watch', () => {
  const query = {
    watch: '1',
    labelSelector: `probe=${label}`,
    sendInitialEvents: 'true',
    allowWatchBookmarks: 'true',
    resourceVersionMatch: 'NotOlderThan',
    timeoutSeconds: '1',
  };

  /** The frames up to the first bookmark (periodic bookmarks may follow before the timeout). */
  const initial = (stream: Buffer) => {
    const frames = watchFrames(stream);
    const end = frames.findIndex((f) => f.type === 'BOOKMARK');
    return end < 0 ? frames : frames.slice(0, end + 1);
  };

  test('events are length-prefixed WatchEvent frames, the initial-events bookmark included', async () => {
    const res = await raw(kc(), 'GET', cms, { accept: `${P};stream=watch`, query });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(`${P};stream=watch`);
    const frames = initial(res.bytes);
    expect(frames.map((f) => [f.type, f.object.kind])).toEqual([
      ['ADDED', 'ConfigMap'],
      ['BOOKMARK', 'ConfigMap'],
    ]);
    expect(text(field(frames[0]!.object.raw, 1)!, 1)).toBe('c1');
    const bookmarkMeta = field(frames[1]!.object.raw, 1)!;
    expect(mapEntries(bookmarkMeta, 12)).toEqual([['k8s.io/initial-events-end', 'true']]);
  });

  test('a plain protobuf Accept watches in frames; metadata-only watches too', async () => {
    const plain = await raw(kc(), 'GET', cms, { accept: P, query });
    expect(plain.headers['content-type']).toBe(`${P};stream=watch`);
    expect(watchFrames(plain.bytes)[0]?.object.kind).toBe('ConfigMap');
    const meta = await raw(kc(), 'GET', cms, {
      accept: `${P};as=PartialObjectMetadata;${META}`,
      query,
    });
    expect(initial(meta.bytes).map((f) => [f.type, f.object.kind])).toEqual([
      ['ADDED', 'PartialObjectMetadata'],
      ['BOOKMARK', 'PartialObjectMetadata'],
    ]);
  });
});
