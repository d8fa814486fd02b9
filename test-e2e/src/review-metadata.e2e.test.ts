/**
 * Differential: the reviews are created like any object before they are answered, so the
 * create handler wipes their system fields and their field manager records an `Update`
 * entry for what the body sets: the access reviews answer with it and refuse any other
 * metadata (quoted with the entry), a TokenReview answers with its metadata; the access
 * reviews' spec checks, worded and ordered as kube-apiserver's, name no kind.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-review-meta');
});

afterAll(() => e2e?.stop());

const kc = () => e2e.backend.kubeConfig;
const AUTHZ = 'authorization.k8s.io/v1';
const TIME = /"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/g;

/** A review's managedFields without their times (checked to be times). */
function entries(meta: { managedFields?: { time: string }[] }): object[] {
  return (meta.managedFields ?? []).map(({ time, ...rest }) => {
    expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    return rest;
  });
}

const review = (kind: string, spec: object, metadata?: object) => ({
  apiVersion: AUTHZ,
  kind,
  ...(metadata ? { metadata } : {}),
  spec,
});
const post = (path: string, body: object, query: Record<string, string> = {}) =>
  raw(kc(), 'POST', `/apis/${path}`, { body, query });

/** A 422 of the access reviews: no kind and no name, causes in order, times masked. */
function expectRefused(
  res: Awaited<ReturnType<typeof raw>>,
  causes: [string, string, string][],
): void {
  expect(res.status, res.text).toBe(422);
  const body = res.json();
  const mask = (text: string) => text.replace(TIME, '"time":"T"');
  const list = causes.map(([field, , message]) => `${field}: ${message}`);
  expect(mask(body.message)).toBe(
    `.authorization.k8s.io "" is invalid: ${list.length === 1 ? list[0] : `[${list.join(', ')}]`}`,
  );
  const masked = body.details.causes.map((c: { message: string }) => ({
    ...c,
    message: mask(c.message),
  }));
  expect({ ...body.details, causes: masked }).toEqual({
    group: 'authorization.k8s.io',
    causes: causes.map(([field, reason, message]) => ({ reason, message, field })),
  });
}

describe('access reviews', () => {
  test('answer with the field manager entry of what the body sets', async () => {
    const spec = { resourceAttributes: { verb: 'get', resource: 'pods' } };
    const self = await post(
      `${AUTHZ}/selfsubjectaccessreviews`,
      review('SelfSubjectAccessReview', spec),
      {
        fieldManager: 'me',
      },
    );
    expect(self.status, self.text).toBe(201);
    expect(entries(self.json().metadata)).toEqual([
      {
        manager: 'me',
        operation: 'Update',
        apiVersion: AUTHZ,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:spec': { 'f:resourceAttributes': { '.': {}, 'f:resource': {}, 'f:verb': {} } },
        },
      },
    ]);
    const local = await post(
      `${AUTHZ}/namespaces/${ns}/localsubjectaccessreviews`,
      review('LocalSubjectAccessReview', {
        user: 'u',
        resourceAttributes: { namespace: ns, verb: 'get', resource: 'pods' },
      }),
    );
    expect(local.status, local.text).toBe(201);
    expect(local.json().metadata.namespace).toBe(ns);
    expect(entries(local.json().metadata)).toEqual([
      expect.objectContaining({
        fieldsV1: {
          'f:spec': {
            'f:resourceAttributes': { '.': {}, 'f:namespace': {}, 'f:resource': {}, 'f:verb': {} },
            'f:user': {},
          },
        },
      }),
    ]);
  });

  test('refuse other metadata and a bad spec, in kube-apiserver words and order', async () => {
    const metadata = {
      name: 'n',
      uid: 'u',
      labels: { a: 'b' },
      finalizers: ['a/b'],
      ownerReferences: [],
      creationTimestamp: '2020-01-01T00:00:00Z',
    };
    const quoted =
      '{"name":"n","labels":{"a":"b"},"finalizers":["a/b"],"managedFields":[{"manager":"unknown","operation":"Update","apiVersion":"authorization.k8s.io/v1","time":"T","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:finalizers":{".":{},"v:\\"a/b\\"":{}},"f:labels":{".":{},"f:a":{}}}}}]}';
    expectRefused(
      await post(`${AUTHZ}/subjectaccessreviews`, review('SubjectAccessReview', {}, metadata)),
      [
        [
          'spec.resourceAttributes',
          'FieldValueInvalid',
          'Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified',
        ],
        [
          'spec.user',
          'FieldValueInvalid',
          'Invalid value: "": at least one of user or group must be specified',
        ],
        ['metadata', 'FieldValueInvalid', `Invalid value: ${quoted}: must be empty`],
      ],
    );
    const both = {
      resourceAttributes: { namespace: 'other', verb: 'get', resource: 'pods' },
      nonResourceAttributes: { verb: 'get', path: '/x' },
      groups: ['g'],
    };
    const attributes = '{"Path":"/x","Verb":"get"}';
    expectRefused(
      await post(`${AUTHZ}/selfsubjectaccessreviews`, review('SelfSubjectAccessReview', both)),
      [
        [
          'spec.nonResourceAttributes',
          'FieldValueInvalid',
          `Invalid value: ${attributes}: cannot be specified in combination with resourceAttributes`,
        ],
      ],
    );
    expectRefused(
      await post(
        `${AUTHZ}/namespaces/${ns}/localsubjectaccessreviews`,
        review('LocalSubjectAccessReview', both, { namespace: ns, labels: { a: 'b' } }),
      ),
      [
        [
          'spec.nonResourceAttributes',
          'FieldValueInvalid',
          `Invalid value: ${attributes}: cannot be specified in combination with resourceAttributes`,
        ],
        [
          'metadata',
          'FieldValueInvalid',
          `Invalid value: {"namespace":"${ns}","labels":{"a":"b"},"managedFields":[{"manager":"unknown","operation":"Update","apiVersion":"authorization.k8s.io/v1","time":"T","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:a":{}}},"f:spec":{"f:groups":{},"f:nonResourceAttributes":{".":{},"f:path":{},"f:verb":{}},"f:resourceAttributes":{".":{},"f:namespace":{},"f:resource":{},"f:verb":{}}}}}]}: must be empty except for namespace`,
        ],
        [
          'spec.resourceAttributes.namespace',
          'FieldValueInvalid',
          'Invalid value: "other": must match metadata.namespace',
        ],
        [
          'spec.nonResourceAttributes',
          'FieldValueInvalid',
          `Invalid value: ${attributes}: disallowed on this kind of request`,
        ],
      ],
    );
  });
});

test('a TokenReview answers with its metadata, system fields wiped, and its entry', async () => {
  const res = await post('authentication.k8s.io/v1/tokenreviews', {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenReview',
    metadata: { name: 'n', uid: 'u', selfLink: '/x', annotations: { a: 'b' }, labels: {} },
    spec: { token: 'not-a-token' },
  });
  expect(res.status, res.text).toBe(201);
  const { managedFields: _, ...meta } = res.json().metadata;
  expect(meta).toEqual({ name: 'n', annotations: { a: 'b' } });
  expect(entries(res.json().metadata)).toEqual([
    {
      manager: 'unknown',
      operation: 'Update',
      apiVersion: 'authentication.k8s.io/v1',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:annotations': { '.': {}, 'f:a': {} } },
        'f:spec': { 'f:token': {} },
      },
    },
  ]);
  expect(res.json().status).toEqual({ user: {}, error: 'invalid bearer token' });
});
