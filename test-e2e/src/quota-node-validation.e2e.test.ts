/**
 * Differential: ResourceQuotas and Nodes as kube-apiserver's strategies check them.
 * ResourceQuota: `hard` names and quantities, `scopes` and `scopeSelector`, immutable
 * scopes, the status's lists, the request-above-limit warning. Node: taints (named under
 * `metadata.taints`, as kube-apiserver names them), quantities, pod CIDRs, declared
 * features, the fields fixed once set, duplicate addresses, allocatable defaulted from
 * capacity, the external ID warning. kube-apiserver ranges over the resource maps, so
 * several keys' causes are compared as sets.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Cause,
  expectCauses,
  FORBIDDEN,
  INVALID,
  NAME_PART,
  REQUIRED,
  sortCauses,
  UNSUPPORTED,
} from './invalid-causes.js';
import { type RawResponse, raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-quota-node');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const quotas = () => `/api/v1/namespaces/${ns}/resourcequotas`;
const NODES = '/api/v1/nodes';
const MERGE = 'application/merge-patch+json';
const DUPLICATE = 'FieldValueDuplicate';

function quota(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name }, spec };
}

/** A Node's name unique to this run (Nodes are cluster-scoped). */
const nodeName = (suffix: string) => `${ns}-${suffix}`;

function node(suffix: string, spec: object, status?: object): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: nodeName(suffix) },
    spec,
    ...(status ? { status } : {}),
  };
}

async function createNode(body: Record<string, unknown>): Promise<RawResponse> {
  const res = await raw(kc(), 'POST', NODES, { body });
  if (res.status === 201) {
    const name = res.json().metadata.name as string;
    e2e.onStop(() => raw(kc(), 'DELETE', `${NODES}/${name}`));
  }
  return res;
}

/** The causes of a 422 answer, sorted (compared as a set). */
function causesOf(res: RawResponse): Cause[] {
  expect(res.status, res.text).toBe(422);
  const causes: { field: string; reason: string; message: string }[] = res.json().details.causes;
  return sortCauses(causes.map((c) => [c.field, c.reason, c.message]));
}

const SCOPE_EXISTS =
  "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity";

describe('ResourceQuota', () => {
  test('hard: resource names for quota, quantities not negative, counts whole', async () => {
    await expectCauses(
      kc(),
      quotas(),
      quota('hard', { hard: { foo: '1', pods: '1500m', cpu: '-1', 'example.com/gpu': '2' } }),
      [
        [
          'spec.hard[foo]',
          INVALID,
          'Invalid value: "foo": must be a standard resource type or fully qualified',
        ],
        ['spec.hard[foo]', INVALID, 'Invalid value: "foo": must be a standard resource for quota'],
        ['spec.hard[pods]', INVALID, 'Invalid value: "1500m": must be an integer'],
        ['spec.hard[cpu]', INVALID, 'Invalid value: "-1": must be greater than or equal to 0'],
      ],
      true,
    );
  });

  test('scopes: standard, fit for the resources limited, not contradicting', async () => {
    await expectCauses(
      kc(),
      quotas(),
      quota('scopes', { hard: { cpu: '1' }, scopes: ['BestEffort', 'NotBestEffort', 'Nope'] }),
      [
        [
          'spec.scopes',
          INVALID,
          'Invalid value: ["BestEffort","NotBestEffort","Nope"]: unsupported scope applied to resource',
        ],
        [
          'spec.scopes',
          INVALID,
          'Invalid value: ["BestEffort","NotBestEffort","Nope"]: unsupported scope',
        ],
        [
          'spec.scopes',
          INVALID,
          'Invalid value: ["BestEffort","NotBestEffort","Nope"]: conflicting scopes',
        ],
      ],
    );
  });

  test('scopeSelector: scope names, operators and values', async () => {
    const selector = {
      matchExpressions: [
        { scopeName: 'Terminating', operator: 'In', values: ['x'] },
        { scopeName: 'PriorityClass', operator: 'In' },
        { scopeName: 'PriorityClass', operator: 'Exists', values: ['y'] },
        { scopeName: 'Nope', operator: 'Maybe' },
      ],
    };
    const at = 'spec.scopeSelector.matchExpressions';
    await expectCauses(
      kc(),
      quotas(),
      quota('selector', { hard: { pods: '1' }, scopeSelector: selector }),
      [
        [`${at}.operator`, INVALID, `Invalid value: "In": ${SCOPE_EXISTS}`],
        [
          `${at}.values`,
          REQUIRED,
          "Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
        ],
        [
          `${at}.values`,
          INVALID,
          "Invalid value: [\"y\"]: must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector",
        ],
        [`${at}.scopeName`, INVALID, 'Invalid value: "Nope": unsupported scope'],
        [`${at}.operator`, INVALID, 'Invalid value: "Maybe": not a valid selector operator'],
      ],
    );
  });

  test('scopeSelector: a scope that does not fit a resource quotes the selector', async () => {
    const selector = { matchExpressions: [{ scopeName: 'BestEffort', operator: 'Exists' }] };
    await expectCauses(
      kc(),
      quotas(),
      quota('fit', { hard: { cpu: '1' }, scopeSelector: selector }),
      [
        [
          'spec.scopeSelector.matchExpressions',
          INVALID,
          'Invalid value: {"MatchExpressions":[{"ScopeName":"BestEffort","Operator":"Exists","Values":null}]}: unsupported scope applied to resource',
        ],
      ],
    );
  });

  test('a request above its limit is a warning; scopes cannot change; status lists are checked', async () => {
    const res = await raw(kc(), 'POST', quotas(), {
      body: quota('warn', {
        hard: {
          'requests.cpu': '2',
          'limits.cpu': '1',
          memory: '2Gi',
          'limits.memory': '1Gi',
          pods: '3',
        },
        scopes: ['NotTerminating'],
      }),
    });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.warning).toBe(
      '299 - "ResourceQuota requests.cpu (2) should be less than limits.cpu (1)", 299 - "ResourceQuota memory (2Gi) should be less than limits.memory (1Gi)"',
    );
    expect(res.json().status).toEqual({});
    const scopes = await raw(kc(), 'PATCH', `${quotas()}/warn`, {
      body: { spec: { scopes: ['Terminating'] } },
      contentType: MERGE,
    });
    expect(causesOf(scopes)).toEqual([
      ['spec.scopes', INVALID, 'Invalid value: ["Terminating"]: field is immutable'],
    ]);
    const status = await raw(kc(), 'PATCH', `${quotas()}/warn/status`, {
      body: { status: { hard: { pods: '3' }, used: { foo: '1', pods: '-1' } } },
      contentType: MERGE,
    });
    expect(causesOf(status)).toEqual(
      sortCauses([
        [
          'status.used[foo]',
          INVALID,
          'Invalid value: "foo": must be a standard resource type or fully qualified',
        ],
        [
          'status.used[foo]',
          INVALID,
          'Invalid value: "foo": must be a standard resource for quota',
        ],
        ['status.used[pods]', INVALID, 'Invalid value: "-1": must be greater than or equal to 0'],
      ]),
    );
  });
});

describe('Node', () => {
  test('taints, quantities, pod CIDRs and declared features are checked on create', async () => {
    const res = await createNode(
      node(
        'bad',
        {
          taints: [
            { key: 'a b', effect: 'Bad' },
            { key: 'k', value: 'v', effect: 'NoSchedule' },
            { key: 'k', value: 'w', effect: 'NoSchedule' },
            { key: 'e' },
          ],
          podCIDRs: ['10.0.0.0/24', '10.1.0.0/24'],
        },
        { capacity: { pods: '1500m', cpu: '-1' }, declaredFeatures: ['b', 'A', 'A'] },
      ),
    );
    expect(causesOf(res)).toEqual(
      sortCauses([
        ['metadata.taints[0].key', INVALID, `Invalid value: "a b": ${NAME_PART}`],
        [
          'metadata.taints[0].effect',
          UNSUPPORTED,
          'Unsupported value: "Bad": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
        ],
        [
          'metadata.taints[2]',
          DUPLICATE,
          'Duplicate value: {"Key":"k","Value":"w","Effect":"NoSchedule","TimeAdded":null}: taints must be unique by key and effect pair',
        ],
        ['metadata.taints[3].effect', REQUIRED, 'Required value'],
        ['status.capacity.pods', INVALID, 'Invalid value: "1500m": must be an integer'],
        ['status.capacity.cpu', INVALID, 'Invalid value: "-1": must be greater than or equal to 0'],
        // Defaulted from the capacity, and so checked too.
        ['status.allocatable.pods', INVALID, 'Invalid value: "1500m": must be an integer'],
        [
          'status.allocatable.cpu',
          INVALID,
          'Invalid value: "-1": must be greater than or equal to 0',
        ],
        [
          'status.declaredFeatures[0]',
          INVALID,
          `Invalid value: "b": invalid feature name "b": must start with an UpperCamelCase segment, with subsequent segments separated by '/' (e.g., MyFeature or MyFeature/mySubFeature), and contain only alphanumeric characters and slashes`,
        ],
        [
          'status.declaredFeatures[1]',
          INVALID,
          'Invalid value: "A": list must be sorted alphabetically',
        ],
        ['status.declaredFeatures[2]', DUPLICATE, 'Duplicate value: "A"'],
        [
          'spec.podCIDRs',
          INVALID,
          'Invalid value: ["10.0.0.0/24","10.1.0.0/24"]: may specify no more than one CIDR for each IP family',
        ],
      ]),
    );
  });

  test('allocatable from capacity; the external ID is a warning; fixed fields and taints on update', async () => {
    const res = await createNode(
      node(
        'fixed',
        { providerID: 'p-1', podCIDRs: ['10.2.0.0/24'], externalID: 'x-1' },
        { capacity: { pods: '10' } },
      ),
    );
    expect(res.status, res.text).toBe(201);
    expect(res.headers.warning).toBe(
      '299 - "spec.externalID: this field is deprecated, and is unused by Kubernetes"',
    );
    expect(res.json().status.allocatable).toEqual({ pods: '10' });
    // podCIDR is filled from podCIDRs.
    expect(res.json().spec.podCIDR).toBe('10.2.0.0/24');
    const patch = await raw(kc(), 'PATCH', `${NODES}/${nodeName('fixed')}`, {
      body: {
        spec: {
          providerID: 'p-2',
          // podCIDR wins over a podCIDRs that disagrees: both change.
          podCIDR: '10.3.0.0/24',
          podCIDRs: ['10.3.0.0/24'],
          externalID: 'x-2',
          taints: [{ key: 'a b', effect: 'NoSchedule' }],
        },
      },
      contentType: MERGE,
    });
    // ValidateNode and then ValidateNodeUpdate check the taints: the cause comes twice.
    const taint: Cause = ['metadata.taints[0].key', INVALID, `Invalid value: "a b": ${NAME_PART}`];
    expect(causesOf(patch)).toEqual(
      sortCauses([
        taint,
        taint,
        [
          'spec.podCIDRs',
          FORBIDDEN,
          'Forbidden: node updates may not change podCIDR except from "" to valid',
        ],
        [
          'spec.providerID',
          FORBIDDEN,
          'Forbidden: node updates may not change providerID except from "" to valid',
        ],
        ['spec.externalID', FORBIDDEN, 'Forbidden: may not be updated'],
      ]),
    );
  });

  test('podCIDR wins over a podCIDRs that disagrees, and fills an empty one', async () => {
    const both = await createNode(
      node('cidr-both', { podCIDR: '10.4.0.0/24', podCIDRs: ['10.5.0.0/24'] }),
    );
    expect(both.status, both.text).toBe(201);
    expect(both.json().spec).toMatchObject({ podCIDR: '10.4.0.0/24', podCIDRs: ['10.4.0.0/24'] });
    const single = await createNode(node('cidr-single', { podCIDR: '10.6.0.0/24' }));
    expect(single.status, single.text).toBe(201);
    expect(single.json().spec).toMatchObject({ podCIDR: '10.6.0.0/24', podCIDRs: ['10.6.0.0/24'] });
  });

  test('two pod CIDRs, one that does not parse: the dual-stack check fails too', async () => {
    const res = await createNode(node('cidr-bad', { podCIDRs: ['10.7.0.0/24', '10.8.0.0/33'] }));
    expect(causesOf(res)).toEqual([
      [
        'spec.podCIDRs',
        INVALID,
        'Invalid value: ["10.7.0.0/24","10.8.0.0/33"]: may specify no more than one CIDR for each IP family',
      ],
      [
        'spec.podCIDRs',
        'InternalError',
        'Internal error: invalid PodCIDRs. failed to check with dual stack with error:invalid CIDR[1]: <nil> (invalid CIDR address: 10.8.0.0/33)',
      ],
      [
        'spec.podCIDRs[1]',
        INVALID,
        'Invalid value: "10.8.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      ],
    ]);
  });

  test('a status write with the same address twice is refused', async () => {
    const res = await createNode(node('addresses', {}));
    expect(res.status, res.text).toBe(201);
    const address = { type: 'InternalIP', address: '10.9.0.1' };
    const status = await raw(kc(), 'PATCH', `${NODES}/${nodeName('addresses')}/status`, {
      body: { status: { addresses: [address, { type: 'Hostname', address: 'h' }, address] } },
      contentType: MERGE,
    });
    expect(causesOf(status)).toEqual([
      [
        'status.addresses[2]',
        DUPLICATE,
        'Duplicate value: {"Type":"InternalIP","Address":"10.9.0.1"}',
      ],
    ]);
  });
});
