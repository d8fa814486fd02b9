/**
 * Differential: FlowSchemas and PriorityLevelConfigurations get kube-apiserver's v1
 * defaults (matching precedence 1000; 30 nominal shares, 0% lendable, 64 queues of 50 with
 * hands of 8) and its validation, with the real causes: precedence, distinguisher, priority
 * level reference, subjects, resource and non-resource rules; a level's type and its one
 * configuration, shares, percentages, limit response and queuing (shuffle sharding's
 * entropy limit included); and the mandatory `exempt` and `catch-all` objects' fixed specs.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Cause,
  FORBIDDEN,
  INVALID,
  LABEL,
  REQUIRED,
  SUBDOMAIN,
  UNSUPPORTED,
} from './invalid-causes.js';
import { type RawResponse, raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
const suffix = uniqueSuffix();
const API = '/apis/flowcontrol.apiserver.k8s.io/v1';
const FLOW_SCHEMAS = `${API}/flowschemas`;
const LEVELS = `${API}/prioritylevelconfigurations`;
const kc = () => e2e.backend.kubeConfig;

beforeAll(async () => {
  e2e = await startE2e();
});

afterAll(async () => {
  await e2e?.stop();
});

/** Expects a 422 naming `kind` `name` with exactly `causes`, in this order. */
function expectRefused(res: RawResponse, kind: string, name: string, causes: Cause[]): void {
  expect(res.status, res.text).toBe(422);
  const status = res.json();
  const got = status.details.causes.map((c: { field: string; reason: string; message: string }) => [
    c.field,
    c.reason,
    c.message,
  ]);
  expect(got).toEqual(causes);
  const lines = causes.map(([field, , message]) => `${field}: ${message}`);
  const joined = lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`;
  expect(status.message).toBe(
    `${kind}.flowcontrol.apiserver.k8s.io "${name}" is invalid: ${joined}`,
  );
}

/** Creates an object (deleted when the file ends). */
async function create(path: string, body: { metadata: { name: string }; spec?: unknown }) {
  const res = await raw(kc(), 'POST', path, { body });
  if (res.status === 201) e2e.onStop(() => raw(kc(), 'DELETE', `${path}/${body.metadata.name}`));
  return res;
}

const level = (name: string, spec: unknown) => ({ metadata: { name: `${name}-${suffix}` }, spec });
const LEVEL = 'PriorityLevelConfiguration';

describe('PriorityLevelConfiguration', () => {
  test('v1 defaults of a Limited level and its queuing, and of an Exempt one', async () => {
    const limited = await create(
      LEVELS,
      level('queued', {
        type: 'Limited',
        limited: { limitResponse: { type: 'Queue', queuing: {} } },
      }),
    );
    expect(limited.status, limited.text).toBe(201);
    expect(limited.json().spec).toEqual({
      type: 'Limited',
      limited: {
        nominalConcurrencyShares: 30,
        lendablePercent: 0,
        limitResponse: {
          type: 'Queue',
          queuing: { queues: 64, handSize: 8, queueLengthLimit: 50 },
        },
      },
    });
    const zero = await create(
      LEVELS,
      level('zero', {
        type: 'Limited',
        limited: { nominalConcurrencyShares: 0, limitResponse: { type: 'Reject' } },
      }),
    );
    expect(zero.status, zero.text).toBe(201);
    expect(zero.json().spec.limited).toEqual({
      nominalConcurrencyShares: 0,
      lendablePercent: 0,
      limitResponse: { type: 'Reject' },
    });
    const exempt = (await raw(kc(), 'GET', `${LEVELS}/exempt`)).json();
    const put = await raw(kc(), 'PUT', `${LEVELS}/exempt`, {
      body: { ...exempt, spec: { type: 'Exempt', exempt: { nominalConcurrencyShares: 3 } } },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.json().spec).toEqual({
      type: 'Exempt',
      exempt: { nominalConcurrencyShares: 3, lendablePercent: 0 },
    });
  });

  test('type, configuration, shares, percentages and queuing, with the real causes', async () => {
    const cases: [string, unknown, Cause[]][] = [
      [
        'limited',
        { type: 'Limited', limited: {} },
        [['spec.limited.limitResponse.type', REQUIRED, 'Required value']],
      ],
      [
        'queue',
        { type: 'Limited', limited: { limitResponse: { type: 'Queue' } } },
        [
          [
            'spec.limited.limitResponse.queuing',
            REQUIRED,
            'Required value: must not be empty if limited.limitResponse.type is Limited',
          ],
        ],
      ],
      [
        'reject',
        {
          type: 'Limited',
          limited: { limitResponse: { type: 'Reject', queuing: { queues: 128 } } },
        },
        [
          [
            'spec.limited.limitResponse.queuing',
            FORBIDDEN,
            'Forbidden: must be nil if limited.limitResponse.type is not Limited',
          ],
        ],
      ],
      [
        'hand',
        {
          type: 'Limited',
          limited: { limitResponse: { type: 'Queue', queuing: { queues: 8, handSize: 9 } } },
        },
        [
          [
            'spec.limited.limitResponse.queuing.handSize',
            INVALID,
            'Invalid value: 9: should not be greater than queues (8)',
          ],
        ],
      ],
      [
        'no-limited',
        { type: 'Limited' },
        [['spec.limited', REQUIRED, 'Required value: must not be empty when type is Limited']],
      ],
      [
        'exempt-type',
        { type: 'Exempt', limited: {} },
        [
          [
            'spec.type',
            INVALID,
            "Invalid value: \"Exempt\": must be 'Exempt' if and only if `name` is 'exempt'",
          ],
          ['spec.limited', FORBIDDEN, 'Forbidden: must be nil if the type is not Limited'],
        ],
      ],
      [
        'bogus',
        { type: 'Bogus', limited: { nominalConcurrencyShares: -1 } },
        [
          [
            'spec.type',
            UNSUPPORTED,
            'Unsupported value: "Bogus": supported values: "Exempt", "Limited"',
          ],
        ],
      ],
      [
        'untyped',
        { type: '', exempt: { nominalConcurrencyShares: -2 } },
        [['spec.type', REQUIRED, 'Required value']],
      ],
      [
        'drop',
        { type: 'Limited', limited: { limitResponse: { type: 'Drop' } } },
        [
          [
            'spec.limited.limitResponse.type',
            UNSUPPORTED,
            'Unsupported value: "Drop": supported values: "Queue", "Reject"',
          ],
        ],
      ],
      [
        'entropy',
        {
          type: 'Limited',
          limited: { limitResponse: { type: 'Queue', queuing: { queues: 1024, handSize: 7 } } },
        },
        [
          [
            'spec.limited.limitResponse.queuing.handSize',
            INVALID,
            'Invalid value: 7: required entropy bits of deckSize 1024 and handSize 7 should not be greater than 60',
          ],
        ],
      ],
      [
        'exempt-values',
        { type: 'Exempt', exempt: { nominalConcurrencyShares: -2, lendablePercent: -1 } },
        [
          [
            'spec.type',
            INVALID,
            "Invalid value: \"Exempt\": must be 'Exempt' if and only if `name` is 'exempt'",
          ],
          [
            'spec.exempt.nominalConcurrencyShares',
            INVALID,
            'Invalid value: -2: must be a non-negative integer',
          ],
          [
            'spec.exempt.lendablePercent',
            INVALID,
            'Invalid value: -1: must be between 0 and 100, inclusive',
          ],
        ],
      ],
    ];
    for (const [name, spec, causes] of cases) {
      const body = level(name, spec);
      expectRefused(await create(LEVELS, body), LEVEL, body.metadata.name, causes);
    }
    const annotated = {
      metadata: {
        name: `limits-${suffix}`,
        annotations: { 'flowcontrol.k8s.io/v1beta3-preserve-zero-concurrency-shares': '' },
      },
      spec: {
        type: 'Limited',
        limited: {
          nominalConcurrencyShares: -1,
          lendablePercent: 101,
          borrowingLimitPercent: -1,
          limitResponse: {
            type: 'Queue',
            queuing: { queues: 100000000, handSize: -1, queueLengthLimit: -1 },
          },
        },
        exempt: {},
      },
    };
    expectRefused(await create(LEVELS, annotated), LEVEL, annotated.metadata.name, [
      [
        'metadata.annotations',
        FORBIDDEN,
        "Forbidden: annotation 'flowcontrol.k8s.io/v1beta3-preserve-zero-concurrency-shares' is forbidden",
      ],
      ['spec.exempt', FORBIDDEN, 'Forbidden: must be nil if the type is Limited'],
      [
        'spec.limited.nominalConcurrencyShares',
        INVALID,
        'Invalid value: -1: must be a non-negative integer',
      ],
      [
        'spec.limited.limitResponse.queuing.queueLengthLimit',
        INVALID,
        'Invalid value: -1: must be positive',
      ],
      [
        'spec.limited.limitResponse.queuing.queues',
        INVALID,
        'Invalid value: 100000000: must not be greater than 10000000',
      ],
      [
        'spec.limited.limitResponse.queuing.handSize',
        INVALID,
        'Invalid value: -1: must be positive',
      ],
      [
        'spec.limited.lendablePercent',
        INVALID,
        'Invalid value: 101: must be between 0 and 100, inclusive',
      ],
      [
        'spec.limited.borrowingLimitPercent',
        INVALID,
        'Invalid value: -1: if specified, must be a non-negative integer',
      ],
    ]);
  });

  test("the mandatory levels' specs are fixed (but exempt's exempt field)", async () => {
    const catchAll = (await raw(kc(), 'GET', `${LEVELS}/catch-all`)).json();
    const res = await raw(kc(), 'PUT', `${LEVELS}/catch-all`, {
      body: {
        ...catchAll,
        spec: {
          type: 'Limited',
          limited: { nominalConcurrencyShares: 6, limitResponse: { type: 'Reject' } },
        },
      },
    });
    expectRefused(res, LEVEL, 'catch-all', [
      [
        'spec',
        INVALID,
        'Invalid value: {"Type":"Limited","Limited":{"NominalConcurrencyShares":6,"LimitResponse":{"Type":"Reject","Queuing":null},"LendablePercent":0,"BorrowingLimitPercent":null},"Exempt":null}: spec of \'catch-all\' must equal the fixed value',
      ],
    ]);
  });
});

const FLOW_SCHEMA = 'FlowSchema';

describe('FlowSchema', () => {
  test('matchingPrecedence defaults to 1000', async () => {
    const res = await create(FLOW_SCHEMAS, {
      metadata: { name: `defaults-${suffix}` },
      spec: {
        priorityLevelConfiguration: { name: 'global-default' },
        distinguisherMethod: { type: 'ByUser' },
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json().spec).toEqual({
      priorityLevelConfiguration: { name: 'global-default' },
      matchingPrecedence: 1000,
      distinguisherMethod: { type: 'ByUser' },
    });
  });

  test('precedence, distinguisher, level, subjects and rules, with the real causes', async () => {
    const name = `bad-${suffix}`;
    const res = await create(FLOW_SCHEMAS, {
      metadata: { name },
      spec: {
        matchingPrecedence: 1,
        priorityLevelConfiguration: { name: 'Bad_PL' },
        rules: [
          {
            subjects: [
              {
                kind: 'ServiceAccount',
                serviceAccount: { namespace: 'Bad_NS', name: '*' },
                user: { name: 'u' },
                group: { name: 'g' },
              },
              { kind: 'ServiceAccount' },
              { kind: 'User', user: { name: '' }, serviceAccount: { namespace: 'a', name: 'b' } },
              { kind: 'Group', group: {} },
              { kind: 'ServiceAccount', serviceAccount: { namespace: 'ns', name: 'Bad_SA' } },
            ],
            resourceRules: [
              {
                verbs: ['get', 'fly'],
                apiGroups: ['*', 'apps'],
                resources: [],
                namespaces: ['Bad_NS', 'ok'],
              },
              { verbs: ['*'], apiGroups: ['x'], resources: ['y'], clusterScope: true },
            ],
            nonResourceRules: [
              {
                verbs: ['get', '*'],
                nonResourceURLs: ['', '/', 'nope', '/a b', '/a//b', '/a/*/b', '/a*', '/ok/*'],
              },
              { verbs: ['post'], nonResourceURLs: [] },
            ],
          },
        ],
      },
    });
    expectRefused(res, FLOW_SCHEMA, name, [
      [
        'spec.matchingPrecedence',
        INVALID,
        "Invalid value: 1: only the schema named 'exempt' may have matchingPrecedence 1",
      ],
      ['spec.priorityLevelConfiguration.name', INVALID, `Invalid value: "Bad_PL": ${SUBDOMAIN}`],
      [
        'spec.rules[0].subjects[0].serviceAccount.namespace',
        INVALID,
        `Invalid value: "Bad_NS": ${LABEL}`,
      ],
      [
        'spec.rules[0].subjects[0].user',
        FORBIDDEN,
        "Forbidden: user is forbidden when subject kind is not 'User'",
      ],
      [
        'spec.rules[0].subjects[0].group',
        FORBIDDEN,
        "Forbidden: group is forbidden when subject kind is not 'Group'",
      ],
      [
        'spec.rules[0].subjects[1].serviceAccount',
        REQUIRED,
        "Required value: serviceAccount is required when subject kind is 'ServiceAccount'",
      ],
      ['spec.rules[0].subjects[2].user.name', REQUIRED, 'Required value'],
      [
        'spec.rules[0].subjects[2].serviceAccount',
        FORBIDDEN,
        "Forbidden: serviceAccount is forbidden when subject kind is not 'ServiceAccount'",
      ],
      ['spec.rules[0].subjects[3].group.name', REQUIRED, 'Required value'],
      [
        'spec.rules[0].subjects[4].serviceAccount.name',
        INVALID,
        `Invalid value: "Bad_SA": ${SUBDOMAIN}`,
      ],
      [
        'spec.rules[0].resourceRules[0].verbs',
        UNSUPPORTED,
        'Unsupported value: ["get","fly"]: supported values: "create", "delete", "deletecollection", "get", "list", "patch", "proxy", "update", "watch"',
      ],
      [
        'spec.rules[0].resourceRules[0].apiGroups',
        INVALID,
        'Invalid value: ["*","apps"]: if \'*\' is present, must not specify other api groups',
      ],
      [
        'spec.rules[0].resourceRules[0].resources',
        REQUIRED,
        'Required value: resource rules must supply at least one resource',
      ],
      [
        'spec.rules[0].resourceRules[0].namespaces[0]',
        INVALID,
        `Invalid value: "Bad_NS": each member of this list must be '*' or a DNS-1123 label; ${LABEL}`,
      ],
      [
        'spec.rules[0].nonResourceRules[0].verbs',
        INVALID,
        'Invalid value: ["get","*"]: if \'*\' is present, must not specify other verbs',
      ],
      [
        'spec.rules[0].nonResourceRules[0].nonResourceURLs[0]',
        INVALID,
        'Invalid value: "": must not be empty',
      ],
      [
        'spec.rules[0].nonResourceRules[0].nonResourceURLs[2]',
        INVALID,
        'Invalid value: "nope": must start with slash',
      ],
      [
        'spec.rules[0].nonResourceRules[0].nonResourceURLs[3]',
        INVALID,
        'Invalid value: "/a b": must not contain white-space',
      ],
      [
        'spec.rules[0].nonResourceRules[0].nonResourceURLs[4]',
        INVALID,
        'Invalid value: "/a//b": must not contain double slash',
      ],
      [
        'spec.rules[0].nonResourceRules[0].nonResourceURLs[5]',
        INVALID,
        'Invalid value: "/a/*/b": wildcard can only do suffix matching',
      ],
      [
        'spec.rules[0].nonResourceRules[0].nonResourceURLs[6]',
        INVALID,
        'Invalid value: "/a*": wildcard can only do suffix matching',
      ],
      [
        'spec.rules[0].nonResourceRules[1].verbs',
        UNSUPPORTED,
        'Unsupported value: ["post"]: supported values: "create", "delete", "deletecollection", "get", "list", "patch", "proxy", "update", "watch"',
      ],
      [
        'spec.rules[0].nonResourceRules[1].nonResourceURLs',
        REQUIRED,
        'Required value: nonResourceURLs must contain at least one value',
      ],
    ]);
    const empty = `empty-${suffix}`;
    expectRefused(
      await create(FLOW_SCHEMAS, {
        metadata: { name: empty },
        spec: {
          matchingPrecedence: 10001,
          distinguisherMethod: { type: 'ByNothing' },
          priorityLevelConfiguration: { name: '' },
          rules: [{ subjects: [], resourceRules: [], nonResourceRules: [] }],
        },
      }),
      FLOW_SCHEMA,
      empty,
      [
        [
          'spec.matchingPrecedence',
          INVALID,
          'Invalid value: 10001: must not be greater than 10000',
        ],
        [
          'spec.distinguisherMethod.type',
          UNSUPPORTED,
          'Unsupported value: {"Type":"ByNothing"}: supported values: "ByNamespace", "ByUser"',
        ],
        [
          'spec.priorityLevelConfiguration.name',
          REQUIRED,
          'Required value: must reference a priority level',
        ],
        [
          'spec.rules[0].subjects',
          REQUIRED,
          'Required value: subjects must contain at least one value',
        ],
        [
          'spec.rules[0]',
          REQUIRED,
          'Required value: at least one of resourceRules and nonResourceRules has to be non-empty',
        ],
      ],
    );
    const negative = `negative-${suffix}`;
    expectRefused(
      await create(FLOW_SCHEMAS, {
        metadata: { name: negative },
        spec: { matchingPrecedence: -3, priorityLevelConfiguration: { name: 'x' } },
      }),
      FLOW_SCHEMA,
      negative,
      [['spec.matchingPrecedence', INVALID, 'Invalid value: -3: must be a positive value']],
    );
  });

  test("the mandatory schemas' specs are fixed", async () => {
    const exempt = (await raw(kc(), 'GET', `${FLOW_SCHEMAS}/exempt`)).json();
    const res = await raw(kc(), 'PUT', `${FLOW_SCHEMAS}/exempt`, {
      body: { ...exempt, spec: { ...exempt.spec, matchingPrecedence: 2 } },
    });
    expectRefused(res, FLOW_SCHEMA, 'exempt', [
      [
        'spec',
        INVALID,
        'Invalid value: {"PriorityLevelConfiguration":{"Name":"exempt"},"MatchingPrecedence":2,"DistinguisherMethod":null,"Rules":[{"Subjects":[{"Kind":"Group","User":null,"Group":{"Name":"system:masters"},"ServiceAccount":null}],"ResourceRules":[{"Verbs":["*"],"APIGroups":["*"],"Resources":["*"],"ClusterScope":true,"Namespaces":["*"]}],"NonResourceRules":[{"Verbs":["*"],"NonResourceURLs":["*"]}]}]}: spec of \'exempt\' must equal the fixed value',
      ],
    ]);
  });
});
