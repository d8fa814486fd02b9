/**
 * Differential: the access reviews' field and label selector attributes are checked as
 * kube-apiserver checks them (a raw selector or requirements, not both, not neither; a
 * requirement's values fitting its operator, a label requirement's key and values a
 * label's; unknown operators let through), and what the authorizer cannot read of a valid
 * one is said in `evaluationError`; and a SelfSubjectRulesReview of the admin lists the
 * rules its bindings grant, once.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-access-reviews');
});

afterAll(() => e2e?.stop());

const AUTHZ = 'authorization.k8s.io/v1';
const AT = 'spec.resourceAttributes';

const post = (resource: string, kind: string, spec: object, namespace?: string) =>
  raw(
    e2e.backend.kubeConfig,
    'POST',
    `/apis/${AUTHZ}/${namespace ? `namespaces/${namespace}/` : ''}${resource}`,
    { body: { apiVersion: AUTHZ, kind, ...(namespace ? { metadata: { namespace } } : {}), spec } },
  );

const selfReview = (resourceAttributes: object) =>
  post('selfsubjectaccessreviews', 'SelfSubjectAccessReview', { resourceAttributes });

/** The 422 of an access review: no kind, causes in order. */
function expectRefused(res: Awaited<ReturnType<typeof raw>>, causes: [string, string, string][]) {
  expect(res.status, res.text).toBe(422);
  const body = res.json();
  const list = causes.map(([field, , message]) => `${field}: ${message}`);
  expect(body.message).toBe(
    `.authorization.k8s.io "" is invalid: ${list.length === 1 ? list[0] : `[${list.join(', ')}]`}`,
  );
  expect(body.details).toEqual({
    group: 'authorization.k8s.io',
    causes: causes.map(([field, reason, message]) => ({ reason, message, field })),
  });
}

describe('selector attributes of access reviews', () => {
  test('need a raw selector or requirements, not both', async () => {
    const res = await selfReview({
      verb: 'list',
      resource: 'pods',
      fieldSelector: {
        rawSelector: 'metadata.name=a',
        requirements: [{ key: 'metadata.name', operator: 'In', values: ['a'] }],
      },
      labelSelector: {},
    });
    expectRefused(res, [
      [
        `${AT}.fieldSelector.rawSelector`,
        'FieldValueInvalid',
        'Invalid value: "metadata.name=a": may not specified at the same time as requirements',
      ],
      [
        `${AT}.labelSelector.requirements`,
        'FieldValueRequired',
        `Required value: when ${AT}.labelSelector is specified, requirements or rawSelector is required`,
      ],
    ]);
  });

  test('refuse requirements whose values do not fit, or bad label keys and values', async () => {
    const res = await post('subjectaccessreviews', 'SubjectAccessReview', {
      user: 'someone',
      resourceAttributes: {
        verb: 'list',
        resource: 'pods',
        fieldSelector: {
          requirements: [
            { key: '', operator: 'In' },
            { key: 'spec.nodeName', operator: 'Exists', values: ['x'] },
            { key: 'spec.nodeName', operator: 'Newer', values: ['x', 'y'] },
          ],
        },
        labelSelector: {
          requirements: [
            { key: '-a', operator: 'NotIn', values: ['-x'] },
            { key: 'b', operator: 'DoesNotExist', values: ['y'] },
            { key: 'c', operator: 'Gt', values: ['1'] },
          ],
        },
      },
    });
    const field = `${AT}.fieldSelector.requirements`;
    const label = `${AT}.labelSelector.requirements`;
    const name =
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    const value =
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    const none = "may not be specified when `operator` is 'Exists' or 'DoesNotExist'";
    expectRefused(res, [
      [`${field}[0].key`, 'FieldValueRequired', 'Required value: must be specified'],
      [
        `${field}[0].values`,
        'FieldValueRequired',
        "Required value: must be specified when `operator` is 'In' or 'NotIn'",
      ],
      [`${field}[1].values`, 'FieldValueForbidden', `Forbidden: ${none}`],
      [`${label}[0].key`, 'FieldValueInvalid', `Invalid value: "-a": ${name}`],
      [`${label}[0].values[0]`, 'FieldValueInvalid', `Invalid value: "-x": ${value}`],
      [`${label}[1].values`, 'FieldValueForbidden', `Forbidden: ${none}`],
    ]);
  });

  test('are checked before the metadata of a LocalSubjectAccessReview', async () => {
    const res = await raw(
      e2e.backend.kubeConfig,
      'POST',
      `/apis/${AUTHZ}/namespaces/${ns}/localsubjectaccessreviews`,
      {
        body: {
          apiVersion: AUTHZ,
          kind: 'LocalSubjectAccessReview',
          metadata: { namespace: ns, labels: { a: 'b' } },
          spec: {
            groups: ['g'],
            resourceAttributes: {
              namespace: ns,
              verb: 'list',
              resource: 'pods',
              labelSelector: {},
            },
          },
        },
      },
    );
    expect(res.status, res.text).toBe(422);
    expect(res.json().details.causes.map((c: { field: string }) => c.field)).toEqual([
      `${AT}.labelSelector.requirements`,
      'metadata',
    ]);
  });

  test('that the authorizer cannot read are said in evaluationError', async () => {
    const answer = async (fieldSelector: object | undefined, labelSelector: object | undefined) => {
      const res = await selfReview({
        verb: 'list',
        resource: 'pods',
        fieldSelector,
        labelSelector,
      });
      expect(res.status, res.text).toBe(201);
      return res.json().status;
    };
    const ignored = (kind: string, how = 'ignored') => `${AT}.${kind} ${how} due to parse error`;
    // Readable: raw selectors with good syntax, `In`/`NotIn` with one value, known label operators.
    expect(
      await answer(
        { rawSelector: 'metadata.name=a,spec.nodeName!=b' },
        { rawSelector: 'a in (x),!b' },
      ),
    ).toEqual({ allowed: true });
    expect(
      await answer(
        { requirements: [{ key: 'metadata.name', operator: 'NotIn', values: ['a'] }] },
        { requirements: [{ key: 'a', operator: 'Exists' }] },
      ),
    ).toEqual({ allowed: true });
    // Raw selectors with bad syntax are ignored whole.
    for (const rawSelector of ['metadata.name', 'a=b=c', 'a=x\\y', 'a=b\\']) {
      expect(await answer({ rawSelector }, undefined), rawSelector).toEqual({
        allowed: true,
        evaluationError: ignored('fieldSelector'),
      });
    }
    expect(await answer(undefined, { rawSelector: 'a in (' })).toEqual({
      allowed: true,
      evaluationError: ignored('labelSelector'),
    });
    // Requirements the selectors cannot express are dropped, the others kept.
    expect(
      await answer(
        {
          requirements: [
            { key: 'metadata.name', operator: 'In', values: ['a'] },
            { key: 'spec.nodeName', operator: 'Exists' },
          ],
        },
        { requirements: [{ key: 'c', operator: 'Gt', values: ['1'] }] },
      ),
    ).toEqual({
      allowed: true,
      evaluationError: `${ignored('fieldSelector', 'partially ignored')}; ${ignored('labelSelector')}`,
    });
    expect(
      await answer(
        { requirements: [{ key: 'metadata.name', operator: 'In', values: ['a', 'b'] }] },
        undefined,
      ),
    ).toEqual({ allowed: true, evaluationError: ignored('fieldSelector') });
  });
});

describe('SelfSubjectRulesReview', () => {
  test("lists the admin's everything-allowed rules once", async () => {
    const res = await post('selfsubjectrulesreviews', 'SelfSubjectRulesReview', { namespace: ns });
    expect(res.status, res.text).toBe(201);
    const status = res.json().status;
    const all = (rules: { verbs: string[]; resources?: string[]; nonResourceURLs?: string[] }[]) =>
      rules.filter(
        (r) => r.verbs.includes('*') && (r.resources ?? r.nonResourceURLs ?? []).includes('*'),
      );
    expect(all(status.resourceRules)).toEqual([
      { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    ]);
    expect(all(status.nonResourceRules)).toEqual([{ verbs: ['*'], nonResourceURLs: ['*'] }]);
  });
});
