/**
 * Differential: Validating- and MutatingAdmissionPolicyBindings get kube-apiserver's
 * defaults (`matchResources`' match policy, selectors and rule scopes) and its validation
 * of their specs (policy name, `paramRef`, match resources and their rules, validation
 * actions, the operations a mutating binding may match), with the real causes.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Cause,
  expectCauses,
  FORBIDDEN,
  INVALID,
  REQUIRED,
  SUBDOMAIN,
  UNSUPPORTED,
} from './invalid-causes.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
const suffix = uniqueSuffix();
const GROUP = '/apis/admissionregistration.k8s.io/v1';
const VAPB = `${GROUP}/validatingadmissionpolicybindings`;
const MAPB = `${GROUP}/mutatingadmissionpolicybindings`;
const DUPLICATE = 'FieldValueDuplicate';
const kc = () => e2e.backend.kubeConfig;

beforeAll(async () => {
  e2e = await startE2e();
});

afterAll(async () => {
  await e2e?.stop();
});

const podRule = {
  apiGroups: [''],
  apiVersions: ['v1'],
  operations: ['CREATE'],
  resources: ['pods'],
};

describe('admission policy bindings', () => {
  test('matchResources is defaulted: Equivalent, empty selectors, scope *', async () => {
    for (const [path, extra] of [
      [VAPB, { validationActions: ['Deny'] }],
      [MAPB, {}],
    ] as const) {
      const name = `defaults-${suffix}`;
      const res = await raw(kc(), 'POST', path, {
        body: {
          metadata: { name },
          spec: { policyName: 'p', ...extra, matchResources: { resourceRules: [podRule] } },
        },
      });
      expect(res.status, res.text).toBe(201);
      e2e.onStop(() => raw(kc(), 'DELETE', `${path}/${name}`));
      expect(res.json().spec.matchResources).toEqual({
        matchPolicy: 'Equivalent',
        namespaceSelector: {},
        objectSelector: {},
        resourceRules: [{ ...podRule, scope: '*' }],
      });
      expect(res.json().metadata.generation).toBe(1);
    }
  });

  test('a ValidatingAdmissionPolicyBinding with every kind of error', async () => {
    const causes: Cause[] = [
      ['spec.policyName', INVALID, `Invalid value: "Bad_Name": ${SUBDOMAIN}`],
      ['spec.paramRef.name', INVALID, `Invalid value: "a/b": may not contain '/'`],
      ['spec.paramRef.name', FORBIDDEN, 'Forbidden: name and selector are mutually exclusive'],
      ['spec.paramRef.selector', FORBIDDEN, 'Forbidden: name and selector are mutually exclusive'],
      [
        'spec.paramRef.parameterNotFoundAction',
        UNSUPPORTED,
        'Unsupported value: "Maybe": supported values: "Deny", "Allow"',
      ],
      [
        'spec.matchResources.matchPolicy',
        UNSUPPORTED,
        'Unsupported value: "Fuzzy": supported values: "Equivalent", "Exact"',
      ],
      [
        'spec.matchResources.namespaceSelector.matchExpressions[0].operator',
        INVALID,
        'Invalid value: "Bad": not a valid selector operator',
      ],
      ['spec.matchResources.resourceRules[0].resourceNames[1]', DUPLICATE, 'Duplicate value: "x"'],
      [
        'spec.matchResources.resourceRules[0].resourceNames[2]',
        INVALID,
        `Invalid value: "a/b": may not contain '/'`,
      ],
      [
        'spec.matchResources.resourceRules[0].operations',
        INVALID,
        `Invalid value: ["*","BOOM"]: if '*' is present, must not specify other operations`,
      ],
      [
        'spec.matchResources.resourceRules[0].operations[1]',
        UNSUPPORTED,
        'Unsupported value: "BOOM": supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"',
      ],
      [
        'spec.matchResources.resourceRules[0].apiGroups',
        INVALID,
        `Invalid value: ["*","apps"]: if '*' is present, must not specify other API groups`,
      ],
      [
        'spec.matchResources.resourceRules[0].apiVersions',
        INVALID,
        `Invalid value: ["*","v1",""]: if '*' is present, must not specify other API versions`,
      ],
      ['spec.matchResources.resourceRules[0].apiVersions[2]', REQUIRED, 'Required value'],
      [
        'spec.matchResources.resourceRules[0].resources',
        INVALID,
        `Invalid value: ["*/*","pods"]: if '*/*' is present, must not specify other resources`,
      ],
      [
        'spec.matchResources.resourceRules[0].scope',
        UNSUPPORTED,
        'Unsupported value: "Planet": supported values: "*", "Cluster", "Namespaced"',
      ],
      ['spec.matchResources.excludeResourceRules[0].operations', REQUIRED, 'Required value'],
      ['spec.matchResources.excludeResourceRules[0].apiGroups', REQUIRED, 'Required value'],
      ['spec.matchResources.excludeResourceRules[0].apiVersions', REQUIRED, 'Required value'],
      ['spec.matchResources.excludeResourceRules[0].resources', REQUIRED, 'Required value'],
      [
        'spec.validationActions[2]',
        UNSUPPORTED,
        'Unsupported value: "Bogus": supported values: "Audit", "Deny", "Warn"',
      ],
      ['spec.validationActions[3]', DUPLICATE, 'Duplicate value: "Deny"'],
      [
        'spec.validationActions',
        INVALID,
        'Invalid value: ["Deny","Warn","Bogus","Deny"]: must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)',
      ],
    ];
    await expectCauses(
      kc(),
      VAPB,
      {
        metadata: { name: `bad-${suffix}` },
        spec: {
          policyName: 'Bad_Name',
          validationActions: ['Deny', 'Warn', 'Bogus', 'Deny'],
          paramRef: {
            name: 'a/b',
            selector: { matchLabels: { a: 'b' } },
            parameterNotFoundAction: 'Maybe',
          },
          matchResources: {
            matchPolicy: 'Fuzzy',
            namespaceSelector: { matchExpressions: [{ key: 'a', operator: 'Bad' }] },
            resourceRules: [
              {
                resourceNames: ['x', 'x', 'a/b'],
                apiGroups: ['*', 'apps'],
                apiVersions: ['*', 'v1', ''],
                operations: ['*', 'BOOM'],
                resources: ['*/*', 'pods'],
                scope: 'Planet',
              },
            ],
            excludeResourceRules: [{ operations: [], resources: [] }],
          },
        },
      },
      causes,
    );
  });

  test('an empty binding: the required fields', async () => {
    await expectCauses(
      kc(),
      VAPB,
      { metadata: { name: `empty-${suffix}` }, spec: { paramRef: {} } },
      [
        ['spec.policyName', REQUIRED, 'Required value'],
        ['spec.paramRef', REQUIRED, 'Required value: one of name or selector must be specified'],
        ['spec.paramRef.parameterNotFoundAction', REQUIRED, 'Required value'],
        [
          'spec.validationActions',
          REQUIRED,
          'Required value: at least one validation action is required',
        ],
      ],
    );
  });

  test('a MutatingAdmissionPolicyBinding: resource wildcards and mutable operations', async () => {
    await expectCauses(
      kc(),
      MAPB,
      {
        metadata: { name: `bad-${suffix}` },
        spec: {
          matchResources: {
            resourceRules: [
              {
                ...podRule,
                operations: ['DELETE', 'CONNECT', '*'],
                resources: ['pods/*', 'pods/log'],
              },
              { ...podRule, resources: ['*/x', 'a/x', '*', 'pods'] },
            ],
          },
        },
      },
      [
        ['spec.policyName', REQUIRED, 'Required value'],
        [
          'spec.matchResources.resourceRules[0].operations',
          INVALID,
          `Invalid value: ["DELETE","CONNECT","*"]: if '*' is present, must not specify other operations`,
        ],
        [
          'spec.matchResources.resourceRules[0].resources[1]',
          INVALID,
          `Invalid value: "pods/log": if 'pods/*' is present, must not specify pods/log`,
        ],
        [
          'spec.matchResources.resourceRules[1].resources[1]',
          INVALID,
          `Invalid value: "a/x": if '*/x' is present, must not specify a/x`,
        ],
        [
          'spec.matchResources.resourceRules[1].resources',
          INVALID,
          `Invalid value: ["*/x","a/x","*","pods"]: if '*' is present, must not specify other resources without subresources`,
        ],
        [
          'spec.matchResources.resourceRules.operations',
          UNSUPPORTED,
          'Unsupported value: "DELETE": supported values: "*", "CONNECT", "CREATE", "UPDATE"',
        ],
      ],
    );
  });
});
