/**
 * Differential: resource.k8s.io/v1 (dynamic resource allocation) kinds as kube-apiserver
 * validates them: ResourceClaim and ResourceClaimTemplate device requests with their
 * defaults and an immutable spec, device selectors compiled as CEL, DeviceClass selectors
 * and config, and ResourceSlice pools, node selection, devices (attributes, capacities,
 * taints, counters, binding conditions) and immutable fields, ResourceClaimTemplate
 * metadata, and a ResourceClaim's status through /status, with its granular authorization
 * (`resourceclaims/binding`, `resourceclaims/driver`).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LABEL, LABEL_VALUE, NAME_PART, SUBDOMAIN } from './invalid-causes.js';
import {
  duplicateValue,
  expectInvalid,
  forbidden,
  invalid,
  requiredValue,
  tooMany,
  unsupported,
} from './invalid-status.js';
import { raw } from './raw-http.js';
import { grantInNamespace } from './rbac-grant.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-dra');
});

afterAll(async () => {
  await e2e?.stop();
});

const GV = '/apis/resource.k8s.io/v1';
const claims = (name = '') => `${GV}/namespaces/${ns}/resourceclaims${name ? `/${name}` : ''}`;
const kc = () => e2e.backend.kubeConfig;
const post = (path: string, body: unknown) => raw(kc(), 'POST', path, { body });
const patch = (path: string, body: unknown) =>
  raw(kc(), 'PATCH', path, { body, contentType: 'application/merge-patch+json' });
const REF =
  "must be the name of a request in the claim or the name of a request and a subrequest separated by '/'";
const C_ID =
  "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')";

/** A FieldValueTooLong cause. */
const tooLongBytes = (field: string, max: number) => ({
  reason: 'FieldValueTooLong',
  message: `Too long: may not be more than ${max} bytes`,
  field,
});

/** Deletes a cluster-scoped object when the file ends (they outlive the namespace). */
const cleanup = (path: string) =>
  e2e.onStop(() => raw(kc(), 'DELETE', path).catch(() => undefined));

describe('ResourceClaims', () => {
  test('requests, constraints and config', async () => {
    const res = await post(claims(), {
      metadata: { name: 'bad' },
      spec: {
        devices: {
          requests: [
            {
              name: 'Bad_Name',
              exactly: { deviceClassName: '', allocationMode: 'Some', count: 3 },
            },
            { name: 'a' },
            {
              name: 'a',
              exactly: { deviceClassName: 'gpu.example.com', allocationMode: 'All', count: 2 },
              firstAvailable: [{ name: 'x', deviceClassName: 'c' }],
            },
            {
              name: 'b',
              exactly: {
                deviceClassName: 'c',
                selectors: [{}, { cel: { expression: 'device.driver == "x"' } }],
                tolerations: [{ key: 'k', operator: 'Exists', value: 'v', effect: 'Sometimes' }],
              },
            },
            {
              name: 'f',
              firstAvailable: [
                { name: 's1', deviceClassName: 'c' },
                { name: 's1', deviceClassName: 'Bad!' },
              ],
            },
          ],
          constraints: [
            { requests: ['zz', 'a/b/c'] },
            { matchAttribute: 'bad attr', requests: ['b'] },
          ],
          config: [
            { requests: ['nope'] },
            { opaque: { driver: 'Not A Driver', parameters: { x: 1 } } },
          ],
        },
      },
    });
    const r = (i: number) => `spec.devices.requests[${i}]`;
    expectInvalid(res, 'ResourceClaim.resource.k8s.io "bad"', [
      invalid(`${r(0)}.name`, '"Bad_Name"', LABEL),
      requiredValue(`${r(0)}.exactly.deviceClassName`),
      unsupported(`${r(0)}.exactly.allocationMode`, 'Some', ['All', 'ExactCount']),
      requiredValue(r(1), 'exactly one of `exactly` or `firstAvailable` is required'),
      invalid(
        r(2),
        'null',
        'exactly one of `exactly` or `firstAvailable` is required, but multiple fields are set',
      ),
      requiredValue(`${r(3)}.exactly.selectors[0].cel`),
      invalid(`${r(3)}.exactly.tolerations[0].value`, '"v"', 'must be empty for operator `Exists`'),
      unsupported(`${r(3)}.exactly.tolerations[0].effect`, 'Sometimes', [
        'NoExecute',
        'NoSchedule',
        'None',
      ]),
      invalid(`${r(4)}.firstAvailable[1].deviceClassName`, '"Bad!"', SUBDOMAIN),
      duplicateValue(`${r(4)}.firstAvailable[1]`, 's1'),
      duplicateValue(r(2), 'a'),
      invalid('spec.devices.constraints[0].requests[0]', '"zz"', REF),
      invalid('spec.devices.constraints[0].requests[1]', '"a/b/c"', REF),
      requiredValue(
        'spec.devices.constraints[0]',
        'exactly one of "matchAttribute" or "distinctAttribute" is required, but multiple fields are set',
      ),
      invalid('spec.devices.constraints[1].matchAttribute', '"bad attr"', C_ID),
      invalid(
        'spec.devices.constraints[1].matchAttribute',
        '"bad attr"',
        'a fully qualified name must be a domain and a name separated by a slash',
      ),
      invalid('spec.devices.config[0].requests[0]', '"nope"', REF),
      requiredValue('spec.devices.config[0].opaque'),
      invalid('spec.devices.config[1].opaque.driver', '"Not A Driver"', SUBDOMAIN),
    ]);
  });

  test('defaults one device of ExactCount and Equal tolerations; the spec is immutable', async () => {
    const created = await post(claims(), {
      metadata: { name: 'gpu' },
      spec: {
        devices: {
          requests: [
            {
              name: 'gpu',
              exactly: {
                deviceClassName: 'gpu.example.com',
                tolerations: [{ key: 'k', value: 'v' }],
              },
            },
            {
              name: 'any',
              firstAvailable: [{ name: 'a', deviceClassName: 'c', allocationMode: 'All' }],
            },
          ],
        },
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json().spec.devices.requests).toEqual([
      {
        name: 'gpu',
        exactly: {
          deviceClassName: 'gpu.example.com',
          allocationMode: 'ExactCount',
          count: 1,
          tolerations: [{ key: 'k', operator: 'Equal', value: 'v' }],
        },
      },
      { name: 'any', firstAvailable: [{ name: 'a', deviceClassName: 'c', allocationMode: 'All' }] },
    ]);
    const labelled = await patch(claims('gpu'), { metadata: { labels: { a: 'b' } } });
    expect(labelled.status, labelled.text).toBe(200);
    const changed = await patch(claims('gpu'), {
      spec: { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName: 'other' } }] } },
    });
    // The value quoted is the server's internal spec struct as encoding/json writes it.
    expectInvalid(changed, 'ResourceClaim.resource.k8s.io "gpu"', [
      invalid(
        'spec',
        '{"Devices":{"Requests":[{"Name":"gpu","Exactly":{"DeviceClassName":"other","Selectors":null,"AllocationMode":"ExactCount","Count":1,"AdminAccess":null,"Tolerations":null,"Capacity":null},"FirstAvailable":null}],"Constraints":null,"Config":null}}',
        'field is immutable',
      ),
    ]);
  });

  test('a ResourceClaimTemplate spec is immutable, quoted as the internal struct', async () => {
    const templates = `${GV}/namespaces/${ns}/resourceclaimtemplates`;
    const created = await post(templates, {
      metadata: { name: 'fixed' },
      spec: {
        metadata: { labels: { a: 'b' } },
        spec: { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName: 'c' } }] } },
      },
    });
    expect(created.status, created.text).toBe(201);
    const same = await patch(`${templates}/fixed`, { spec: { metadata: { labels: { a: 'b' } } } });
    expect(same.status, same.text).toBe(200);
    const changed = await patch(`${templates}/fixed`, {
      spec: { metadata: { labels: { a: 'c' } } },
    });
    expectInvalid(changed, 'ResourceClaimTemplate.resource.k8s.io "fixed"', [
      invalid(
        'spec',
        '{"labels":{"a":"c"},"Spec":{"Devices":{"Requests":[{"Name":"gpu","Exactly":{"DeviceClassName":"c","Selectors":null,"AllocationMode":"ExactCount","Count":1,"AdminAccess":null,"Tolerations":null,"Capacity":null},"FirstAvailable":null}],"Constraints":null,"Config":null}}}',
        'field is immutable',
      ),
    ]);
  });

  test('a ResourceClaimTemplate checks its claim spec', async () => {
    expectInvalid(
      await post(`${GV}/namespaces/${ns}/resourceclaimtemplates`, {
        metadata: { name: 'tpl' },
        spec: { spec: { devices: { requests: [{ name: 'gpu' }] } } },
      }),
      'ResourceClaimTemplate.resource.k8s.io "tpl"',
      [
        requiredValue(
          'spec.spec.devices.requests[0]',
          'exactly one of `exactly` or `firstAvailable` is required',
        ),
      ],
    );
  });
});

describe('ResourceClaim status', () => {
  const CLAIM = {
    spec: {
      devices: {
        requests: [
          { name: 'gpu', exactly: { deviceClassName: 'gpu.example.com' } },
          { name: 'any', firstAvailable: [{ name: 'a', deviceClassName: 'c' }] },
        ],
      },
    },
  };
  const status = (name: string) => `${claims(name)}/status`;
  const patchStatus = (name: string, body: unknown) => patch(status(name), { status: body });
  const result = (device: string) => ({
    request: 'gpu',
    driver: 'dra.example.com',
    pool: 'p',
    device,
  });
  const DEVICE = 'must be an allocated device in the claim';
  const LONG_CIDR = 'must be a valid address in CIDR form, (e.g. 10.9.8.7/24 or 2001:db8::1/64)';
  const REASON =
    "a condition reason must start with alphabetic character, optionally followed by a string of alphanumeric characters or '_,:', and must end with an alphanumeric character or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName',  or 'ReasonA,ReasonB',  or 'ReasonA:ReasonB', regex used for validation is '[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?')";
  const NORMALIZED =
    'uid must be in RFC 4122 normalized form, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` with lowercase hexadecimal characters';

  test('reservations, a new allocation and device statuses are checked', async () => {
    const created = await post(claims(), { metadata: { name: 'st' }, ...CLAIM });
    expect(created.status, created.text).toBe(201);
    const what = 'ResourceClaim.resource.k8s.io "st"';
    expectInvalid(
      await patchStatus('st', {
        reservedFor: [{ resource: 'pods', name: 'p', uid: 'u1' }, { uid: 'u1' }],
      }),
      what,
      [
        requiredValue('status.reservedFor[1].resource'),
        requiredValue('status.reservedFor[1].name'),
        duplicateValue('status.reservedFor[1]', 'u1'),
        forbidden('status.reservedFor', 'may not be specified when `allocated` is not set'),
      ],
    );
    const results = 'status.allocation.devices.results';
    const config = 'status.allocation.devices.config';
    expectInvalid(
      await patchStatus('st', {
        allocation: {
          devices: {
            results: [
              {
                request: 'nope',
                driver: 'Bad Driver',
                pool: 'Pool_1',
                device: 'Dev',
                shareID: 'abc',
              },
              {
                ...result('d'),
                request: 'any/zz',
                shareID: 'A0000000-0000-0000-0000-000000000000',
                bindingFailureConditions: ['x'],
              },
              { ...result('d'), shareID: '00000000000000000000000000000000' },
            ],
            config: [
              { source: '', requests: ['gpu'] },
              { source: 'Other', opaque: { driver: 'dra.example.com', parameters: 1 } },
            ],
          },
          nodeSelector: { nodeSelectorTerms: [] },
        },
      }),
      what,
      [
        invalid(`${results}[0].request`, '"nope"', REF),
        invalid(`${results}[0].driver`, '"Bad Driver"', SUBDOMAIN),
        invalid(`${results}[0].pool`, '"Pool_1"', SUBDOMAIN),
        invalid(`${results}[0].device`, '"Dev"', LABEL),
        invalid(`${results}[0].shareID`, '"abc"', 'error validating uid: invalid UUID length: 3'),
        invalid(`${results}[1].request`, '"any/zz"', REF),
        invalid(
          `${results}[1].bindingConditions`,
          'null',
          'bindingConditions are required to use bindingFailureConditions',
        ),
        invalid(`${results}[1].shareID`, '"A0000000-0000-0000-0000-000000000000"', NORMALIZED),
        invalid(`${results}[2].shareID`, '"00000000000000000000000000000000"', NORMALIZED),
        requiredValue(`${config}[0].source`),
        requiredValue(`${config}[0].opaque`),
        unsupported(`${config}[1].source`, 'Other', ['FromClaim', 'FromClass']),
        invalid(
          `${config}[1].opaque.parameters`,
          '"<value omitted>"',
          'must be a valid JSON object',
        ),
        requiredValue(
          'status.allocation.nodeSelector.nodeSelectorTerms',
          'must have at least one node selector term',
        ),
      ],
    );
    const conditions = 'status.devices[0].conditions';
    const network = 'status.devices[0].networkData';
    expectInvalid(
      await patchStatus('st', {
        allocation: { devices: { results: [result('d')] } },
        devices: [
          {
            driver: 'dra.example.com',
            pool: 'p',
            device: 'd',
            conditions: [
              { type: 'Ready', status: 'Maybe', reason: 'bad reason' },
              {
                type: 'Ready',
                status: 'True',
                reason: 'R',
                lastTransitionTime: '2024-01-01T00:00:00Z',
                observedGeneration: -1,
              },
            ],
            data: [1],
            networkData: {
              interfaceName: 'x'.repeat(257),
              hardwareAddress: 'y'.repeat(129),
              ips: ['10.0.0.1', '10.0.0.1/24', '10.0.0.1/24'],
            },
          },
          { driver: 'dra.example.com', pool: 'p', device: 'other' },
          {
            driver: 'dra.example.com',
            pool: 'p',
            device: 'other',
            shareID: '00000000-0000-0000-0000-000000000001',
          },
        ],
      }),
      what,
      [
        unsupported(`${conditions}[0].status`, 'Maybe', ['False', 'True', 'Unknown']),
        requiredValue(`${conditions}[0].lastTransitionTime`),
        invalid(`${conditions}[0].reason`, '"bad reason"', REASON),
        duplicateValue(`${conditions}[1].type`, 'Ready'),
        invalid(
          `${conditions}[1].observedGeneration`,
          '-1',
          'must be greater than or equal to zero',
        ),
        invalid('status.devices[0].data', '"<value omitted>"', 'must be a valid JSON object'),
        tooLongBytes(`${network}.interfaceName`, 256),
        tooLongBytes(`${network}.hardwareAddress`, 128),
        invalid(`${network}.ips[0]`, '"10.0.0.1"', LONG_CIDR),
        duplicateValue(`${network}.ips[2]`, '10.0.0.1/24'),
        invalid(
          'status.devices[1]',
          '{"Driver":"dra.example.com","Pool":"p","Device":"other","ShareID":""}',
          DEVICE,
        ),
        invalid(
          'status.devices[2]',
          '{"Driver":"dra.example.com","Pool":"p","Device":"other","ShareID":"00000000-0000-0000-0000-000000000001"}',
          DEVICE,
        ),
      ],
    );
  });

  test('an allocation is fixed; deallocating drops the device statuses', async () => {
    const created = await post(claims(), { metadata: { name: 'alloc' }, ...CLAIM });
    expect(created.status, created.text).toBe(201);
    const allocated = await patchStatus('alloc', {
      allocation: { devices: { results: [result('d')] } },
      devices: [{ driver: 'dra.example.com', pool: 'p', device: 'd', data: { a: 1 } }],
    });
    expect(allocated.status, allocated.text).toBe(200);
    expect(allocated.json().status).toEqual({
      allocation: { devices: { results: [result('d')] } },
      devices: [
        { driver: 'dra.example.com', pool: 'p', device: 'd', conditions: null, data: { a: 1 } },
      ],
    });
    expectInvalid(
      await patchStatus('alloc', { allocation: { devices: { results: [result('e')] } } }),
      'ResourceClaim.resource.k8s.io "alloc"',
      [
        invalid(
          'status.allocation',
          '{"Devices":{"Results":[{"Request":"gpu","Driver":"dra.example.com","Pool":"p","Device":"e","AdminAccess":null,"Tolerations":null,"BindingConditions":null,"BindingFailureConditions":null,"ShareID":null,"ConsumedCapacity":null}],"Config":null},"NodeSelector":null,"AllocationTimestamp":null}',
          'field is immutable',
        ),
      ],
    );
    const released = await patchStatus('alloc', { allocation: null });
    expect(released.status, released.text).toBe(200);
    expect(released.json().status).toEqual({});
  });
});

describe('ResourceClaim status authorization', () => {
  const GROUP = 'resource.k8s.io';
  const DRIVER = 'dra.example.com';
  const as = (user: string, extra: Record<string, string> = {}) => ({
    'Impersonate-User': user,
    ...Object.fromEntries(
      Object.entries(extra).map(([k, v]) => [`Impersonate-Extra-${encodeURIComponent(k)}`, v]),
    ),
  });
  const patchStatusAs = (headers: Record<string, string>, name: string, status: unknown) =>
    raw(kc(), 'PATCH', `${claims(name)}/status`, {
      body: { status },
      contentType: 'application/merge-patch+json',
      headers,
    });
  const CLAIM = {
    spec: { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName: 'gpu' } }] } },
  };
  const results = [{ request: 'gpu', driver: DRIVER, pool: 'p', device: 'd' }];
  const onNode = (node: string) => ({
    nodeSelectorTerms: [
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] },
    ],
  });
  const STATUS_RULE = {
    apiGroups: [GROUP],
    resources: ['resourceclaims/status'],
    verbs: ['get', 'update', 'patch'],
  };
  const bindingRefused = (user: string, verb: string) =>
    forbidden(
      'status.allocation',
      `changing status.allocation or status.reservedFor requires resource="resourceclaims/binding", verb="${verb}" permission: resourceclaims.${GROUP} is forbidden: User "${user}" cannot ${verb} resource "resourceclaims/binding" in API group "${GROUP}" at the cluster scope`,
    );
  const driverRefused = (user: string, verbs: string[]) =>
    forbidden(
      'status.devices',
      `changing status.devices requires resource="resourceclaims/driver", verb="[${verbs.join(' ')}]" permission: resourceclaims.${GROUP} "${DRIVER}" is forbidden: User "${user}" cannot ${verbs[0]} resource "resourceclaims/driver" in API group "${GROUP}" in the namespace "${ns}"`,
    );

  /** A ClusterRole allowing `verbs` on resourceclaims/binding, bound to `user`. */
  async function grantBinding(user: string, verbs: string[]): Promise<void> {
    const RBAC = 'rbac.authorization.k8s.io';
    const name = `${ns}-binding-${uniqueSuffix()}`;
    const role = await post(`/apis/${RBAC}/v1/clusterroles`, {
      metadata: { name },
      rules: [{ apiGroups: [GROUP], resources: ['resourceclaims/binding'], verbs }],
    });
    expect(role.status, role.text).toBe(201);
    cleanup(`/apis/${RBAC}/v1/clusterroles/${name}`);
    const binding = await post(`/apis/${RBAC}/v1/clusterrolebindings`, {
      metadata: { name },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name },
      subjects: [{ kind: 'User', name: user, apiGroup: RBAC }],
    });
    expect(binding.status, binding.text).toBe(201);
    cleanup(`/apis/${RBAC}/v1/clusterrolebindings/${name}`);
  }

  test('the allocation and reservations need resourceclaims/binding, device statuses resourceclaims/driver', async () => {
    const user = `dra-status-${uniqueSuffix()}`;
    await grantInNamespace(kc(), ns, 'dra-status', user, [STATUS_RULE]);
    const created = await post(claims(), { metadata: { name: 'authz' }, ...CLAIM });
    expect(created.status, created.text).toBe(201);
    const what = 'ResourceClaim.resource.k8s.io "authz"';
    const allocation = { devices: { results } };
    expectInvalid(await patchStatusAs(as(user), 'authz', { allocation }), what, [
      bindingRefused(user, 'patch'),
    ]);
    // A PUT asks for `update`; every check is reported beside validation's causes.
    const stored = (await raw(kc(), 'GET', claims('authz'))).json();
    const put = await raw(kc(), 'PUT', `${claims('authz')}/status`, {
      body: {
        ...stored,
        status: {
          allocation,
          reservedFor: [{ resource: 'pods', name: 'p', uid: 'u1' }],
          devices: [{ driver: DRIVER, pool: 'p', device: 'other' }],
        },
      },
      headers: as(user),
    });
    expectInvalid(put, what, [
      bindingRefused(user, 'update'),
      driverRefused(user, ['arbitrary-node:update']),
      invalid(
        'status.devices[0]',
        '{"Driver":"dra.example.com","Pool":"p","Device":"other","ShareID":""}',
        'must be an allocated device in the claim',
      ),
    ]);
    await grantBinding(user, ['patch']);
    const allocated = await patchStatusAs(as(user), 'authz', { allocation });
    expect(allocated.status, allocated.text).toBe(200);
    // Device statuses of an allocated claim need the driver's permission.
    const statuses = { devices: [{ driver: DRIVER, pool: 'p', device: 'd', data: { a: 1 } }] };
    expectInvalid(await patchStatusAs(as(user), 'authz', statuses), what, [
      driverRefused(user, ['arbitrary-node:patch']),
    ]);
    await grantInNamespace(kc(), ns, 'dra-driver', user, [
      {
        apiGroups: [GROUP],
        resources: ['resourceclaims/driver'],
        resourceNames: [DRIVER],
        verbs: ['arbitrary-node:patch'],
      },
    ]);
    const written = await patchStatusAs(as(user), 'authz', statuses);
    expect(written.status, written.text).toBe(200);
    // Deallocating changes the allocation only: the dropped statuses need no driver check.
    const released = await patchStatusAs(as(user), 'authz', { allocation: null });
    expect(released.status, released.text).toBe(200);
    expect(released.json().status).toEqual({});
  });

  test('a ServiceAccount bound to the allocated node asks for associated-node first', async () => {
    const user = `system:serviceaccount:${ns}:dra-driver-${uniqueSuffix()}`;
    const node = { 'authentication.kubernetes.io/node-name': 'node-1' };
    await grantInNamespace(kc(), ns, 'dra-node-status', user, [STATUS_RULE]);
    await grantBinding(user, ['patch']);
    const created = await post(claims(), { metadata: { name: 'on-node' }, ...CLAIM });
    expect(created.status, created.text).toBe(201);
    const what = 'ResourceClaim.resource.k8s.io "on-node"';
    const status = {
      allocation: { devices: { results }, nodeSelector: onNode('node-1') },
      devices: [{ driver: DRIVER, pool: 'p', device: 'd' }],
    };
    expectInvalid(await patchStatusAs(as(user, node), 'on-node', status), what, [
      driverRefused(user, ['associated-node:patch', 'arbitrary-node:patch']),
    ]);
    // Bound to another node: only arbitrary-node is asked for.
    const elsewhere = { 'authentication.kubernetes.io/node-name': 'node-2' };
    expectInvalid(await patchStatusAs(as(user, elsewhere), 'on-node', status), what, [
      driverRefused(user, ['arbitrary-node:patch']),
    ]);
    await grantInNamespace(kc(), ns, 'dra-node-driver', user, [
      {
        apiGroups: [GROUP],
        resources: ['resourceclaims/driver'],
        resourceNames: [DRIVER],
        verbs: ['associated-node:patch'],
      },
    ]);
    const written = await patchStatusAs(as(user, node), 'on-node', status);
    expect(written.status, written.text).toBe(200);
    expectInvalid(await patchStatusAs(as(user, elsewhere), 'on-node', { devices: [] }), what, [
      driverRefused(user, ['arbitrary-node:patch']),
    ]);
  });
});

describe('admin access', () => {
  test('needs the admin-access label on the namespace, for a request and a new allocation', async () => {
    const ADMIN =
      'admin access to devices requires the `resource.kubernetes.io/admin-access: true` label on the containing namespace';
    const request = (adminAccess: boolean) => ({
      name: 'gpu',
      exactly: { deviceClassName: 'gpu.example.com', adminAccess },
    });
    const claim = (name: string, adminAccess: boolean) => ({
      metadata: { name },
      spec: {
        devices: {
          requests: [{ name: 'plain', exactly: { deviceClassName: 'c' } }, request(adminAccess)],
        },
      },
    });
    expectInvalid(
      await post(claims(), claim('admin', true)),
      'ResourceClaim.resource.k8s.io "admin"',
      [forbidden('spec.devices.requests[1].adminAccess', ADMIN)],
    );
    const plain = await post(claims(), claim('plain', false));
    expect(plain.status, plain.text).toBe(201);
    const result = { request: 'gpu', driver: 'dra.example.com', pool: 'p', device: 'd' };
    expectInvalid(
      await patch(`${claims('plain')}/status`, {
        status: { allocation: { devices: { results: [{ ...result, adminAccess: true }] } } },
      }),
      'ResourceClaim.resource.k8s.io "plain"',
      [forbidden('status.allocation.devices.results[0].adminAccess', ADMIN)],
    );
    const admins = await e2e.namespace('e2e-dra-admin');
    const labelled = await patch(`/api/v1/namespaces/${admins}`, {
      metadata: { labels: { 'resource.kubernetes.io/admin-access': 'true' } },
    });
    expect(labelled.status, labelled.text).toBe(200);
    const granted = await post(`${GV}/namespaces/${admins}/resourceclaims`, claim('admin', true));
    expect(granted.status, granted.text).toBe(201);
    expect(granted.json().spec.devices.requests[1].exactly.adminAccess).toBe(true);
    // A template is checked alike, its request named as a claim's (no `spec.spec`).
    const template = (name: string) => ({
      metadata: { name },
      spec: { spec: claim(name, true).spec },
    });
    expectInvalid(
      await post(`${GV}/namespaces/${ns}/resourceclaimtemplates`, template('admin')),
      'ResourceClaimTemplate.resource.k8s.io "admin"',
      [forbidden('spec.devices.requests[1].adminAccess', ADMIN)],
    );
    const allowed = await post(
      `${GV}/namespaces/${admins}/resourceclaimtemplates`,
      template('admin'),
    );
    expect(allowed.status, allowed.text).toBe(201);
  });
});

describe('ResourceClaimTemplate metadata and request capacity', () => {
  test('template metadata has only labels and annotations; capacity quantities are canonical', async () => {
    const templates = `${GV}/namespaces/${ns}/resourceclaimtemplates`;
    const spec = {
      devices: {
        requests: [
          {
            name: 'gpu',
            exactly: {
              deviceClassName: 'gpu.example.com',
              capacity: { requests: { 'dra.example.com/memory': '1.5Gi' } },
            },
          },
        ],
      },
    };
    expectInvalid(
      await post(templates, {
        metadata: { name: 'meta' },
        spec: {
          metadata: {
            name: 'x',
            labels: { 'bad key!': 'v' },
            annotations: { 'bad key!': 'v' },
            finalizers: ['a/b'],
          },
          spec,
        },
      }),
      'ResourceClaimTemplate.resource.k8s.io "meta"',
      [
        invalid('spec.metadata.annotations', '"bad key!"', NAME_PART),
        invalid('spec.metadata.labels', '"bad key!"', NAME_PART),
        forbidden('spec.metadata.name', 'cannot be set'),
        forbidden('spec.metadata.finalizers', 'cannot be set'),
      ],
    );
    const created = await post(templates, {
      metadata: { name: 'meta' },
      spec: { metadata: { labels: { a: 'b' } }, spec },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json().spec.spec.devices.requests[0].exactly.capacity).toEqual({
      requests: { 'dra.example.com/memory': '1536Mi' },
    });
  });
});

describe('device selectors', () => {
  const NESTED =
    'device.attributes.all(a, device.attributes[a].all(b, device.attributes.all(c, device.attributes[c].all(d, device.attributes[a][b] == device.attributes[c][d]))))';
  const compile = (expression: string, detail: string) =>
    `compilation failed: ERROR: <input>:1:${detail}\n | ${expression}\n | `;
  // cel-go's further errors (ANTLR's syntax errors: every lexer error, then the parser's).
  const nextError = (expression: string, detail: string) =>
    `ERROR: <input>:1:${detail}\n | ${expression}\n | `;
  const EXPR =
    "{'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}";
  const BAD: [string, string][] = [
    [
      'device.driver == 1',
      `${compile('device.driver == 1', "15: found no matching overload for '_==_' applied to '(string, int)'")}${'.'.repeat(14)}^`,
    ],
    ['device.nope', `${compile('device.nope', "7: undefined field 'nope'")}${'.'.repeat(6)}^`],
    [
      'nope == 1',
      `${compile('nope == 1', "1: undeclared reference to 'nope' (in container '')")}^`,
    ],
    [
      'device.driver.nope',
      `${compile('device.driver.nope', "14: type 'string' does not support field selection")}${'.'.repeat(13)}^`,
    ],
    [
      'device.driver ==',
      `${compile('device.driver ==', `17: Syntax error: mismatched input '<EOF>' expecting ${EXPR}`)}${'.'.repeat(16)}^`,
    ],
    [
      "device.driver == 'x",
      `${compile("device.driver == 'x", "18: Syntax error: token recognition error at: ''x'")}${'.'.repeat(17)}^\n${nextError("device.driver == 'x", `20: Syntax error: mismatched input '<EOF>' expecting ${EXPR}`)}${'.'.repeat(19)}^`,
    ],
    [
      'device.driver # 1',
      `${compile('device.driver # 1', "15: Syntax error: token recognition error at: '#'")}${'.'.repeat(14)}^\n${nextError('device.driver # 1', "17: Syntax error: extraneous input '1' expecting <EOF>")}${'.'.repeat(16)}^`,
    ],
    [
      '(device.driver',
      `${compile('(device.driver', "15: Syntax error: missing ')' at '<EOF>'")}${'.'.repeat(14)}^`,
    ],
    [
      'device.attributes["a"].b c',
      `${compile('device.attributes["a"].b c', "26: Syntax error: extraneous input 'c' expecting <EOF>")}${'.'.repeat(25)}^`,
    ],
    [
      'device.capacity["x"].y.startsWith("a")',
      `${compile('device.capacity["x"].y.startsWith("a")', "34: found no matching overload for 'startsWith' applied to 'kubernetes.Quantity.(string)'")}${'.'.repeat(33)}^`,
    ],
    [
      'device.driver.startsWith(1)',
      `${compile('device.driver.startsWith(1)', "25: found no matching overload for 'startsWith' applied to 'string.(int)'")}${'.'.repeat(24)}^`,
    ],
    [
      'device.attributes["x"].y.foo()',
      `${compile('device.attributes["x"].y.foo()', "29: undeclared reference to 'foo' (in container '')")}${'.'.repeat(28)}^`,
    ],
    ['1', 'must evaluate to bool or the unknown type, not int'],
    ['dyn(1)', 'must evaluate to bool or the unknown type, not dyn'],
    ['device.attributes["x"].y + 1', 'must evaluate to bool or the unknown type, not int'],
    [
      'device.capacity["x"].y',
      'must evaluate to bool or the unknown type, not kubernetes.Quantity',
    ],
    ['device.driver', 'must evaluate to bool or the unknown type, not string'],
    [
      'device.attributes["dra.example.com"]',
      'must evaluate to bool or the unknown type, not map(string, google.protobuf.Any)',
    ],
  ];
  const GOOD = [
    'device.driver == "gpu.example.com"',
    'device.attributes["dra.example.com"].model',
    'device.attributes["dra.example.com"].cores > 4 && device.allowMultipleAllocations',
    'device.capacity["dra.example.com"].memory.isGreaterThan(quantity("1Gi"))',
    'cel.bind(dra, device.attributes["dra.example.com"], dra.a || "x" in dra)',
    'device.attributes.all(a, device.attributes[a].all(b, device.attributes.all(c, device.attributes[c].size() > 0)))',
  ];
  const selectors = (expressions: string[]) =>
    expressions.map((expression) => ({ cel: { expression } }));
  const causes = (at: string) => [
    ...BAD.map(([e, why], i) => invalid(`${at}[${i}].cel.expression`, JSON.stringify(e), why)),
    forbidden(`${at}[${BAD.length}].cel.expression`, 'too complex, exceeds cost limit'),
  ];
  const all = selectors([...BAD.map(([e]) => e), NESTED, ...GOOD]);

  test('a claim, a template and a class compile their selectors as kube-apiserver does', async () => {
    const request = {
      name: 'gpu',
      exactly: { deviceClassName: 'gpu.example.com', selectors: all },
    };
    expectInvalid(
      await post(claims(), {
        metadata: { name: 'cel' },
        spec: { devices: { requests: [request] } },
      }),
      'ResourceClaim.resource.k8s.io "cel"',
      causes('spec.devices.requests[0].exactly.selectors'),
    );
    const sub = {
      name: 'any',
      firstAvailable: [{ name: 's', deviceClassName: 'c', selectors: all }],
    };
    expectInvalid(
      await post(`${GV}/namespaces/${ns}/resourceclaimtemplates`, {
        metadata: { name: 'cel' },
        spec: { spec: { devices: { requests: [sub] } } },
      }),
      'ResourceClaimTemplate.resource.k8s.io "cel"',
      causes('spec.spec.devices.requests[0].firstAvailable[0].selectors'),
    );
    const name = `dc-${uniqueSuffix()}`;
    expectInvalid(
      await post(`${GV}/deviceclasses`, { metadata: { name }, spec: { selectors: all } }),
      `DeviceClass.resource.k8s.io "${name}"`,
      causes('spec.selectors'),
    );
    const created = await post(`${GV}/deviceclasses`, {
      metadata: { name },
      spec: { selectors: selectors(GOOD) },
    });
    expect(created.status, created.text).toBe(201);
    cleanup(`${GV}/deviceclasses/${name}`);
    expect(created.json().spec.selectors).toEqual(selectors(GOOD));
  });
});

describe('cluster-scoped kinds', () => {
  test('a DeviceClass: selectors, config, extended resource name', async () => {
    const name = `dc-${uniqueSuffix()}`;
    expectInvalid(
      await post(`${GV}/deviceclasses`, {
        metadata: { name },
        spec: {
          selectors: [{}],
          config: [{ opaque: { driver: '', parameters: [1] } }, {}],
          extendedResourceName: 'cpu',
        },
      }),
      `DeviceClass.resource.k8s.io "${name}"`,
      [
        requiredValue('spec.selectors[0].cel'),
        requiredValue('spec.config[0].opaque.driver'),
        invalid(
          'spec.config[0].opaque.parameters',
          '"<value omitted>"',
          'must be a valid JSON object',
        ),
        requiredValue('spec.config[1].opaque'),
        invalid('spec.extendedResourceName', '"cpu"', 'must be a valid extended resource name'),
      ],
    );
  });

  test('a ResourceSlice: pool, node selection, devices; driver, pool and node fixed', async () => {
    const name = `rs-${uniqueSuffix()}`;
    const slices = `${GV}/resourceslices`;
    expectInvalid(
      await post(slices, {
        metadata: { name },
        spec: {
          driver: 'dra.example.com',
          pool: { name: 'Pool_1/x', resourceSliceCount: 0, generation: -1 },
          nodeName: 'node-1',
          allNodes: true,
          perDeviceNodeSelection: false,
          sharedCounters: [{ name: 'c' }],
          devices: [{ name: 'd1', nodeName: 'n' }, { name: 'd1' }, { name: 'Bad' }],
        },
      }),
      `ResourceSlice.resource.k8s.io "${name}"`,
      [
        invalid('spec.pool.name', '"Pool_1"', SUBDOMAIN),
        invalid('spec.pool.resourceSliceCount', '0', 'must be greater than zero'),
        invalid('spec.pool.generation', '-1', 'must be greater than or equal to zero'),
        invalid('spec.perDeviceNodeSelection', 'false', 'must be either unset or set to true'),
        invalid(
          'spec',
          '"{`nodeName`, `allNodes`}"',
          'exactly one of `nodeName`, `nodeSelector`, `allNodes`, `perDeviceNodeSelection` is required, but multiple fields are set',
        ),
        invalid('spec', '""', 'only one of `sharedCounters` or `devices` is allowed'),
        invalid(
          'spec.devices[0]',
          'null',
          '`nodeName`, `nodeSelector` and `allNodes` can only be set if `perDeviceNodeSelection` is set to true in the ResourceSlice spec',
        ),
        invalid('spec.devices[2].name', '"Bad"', LABEL),
        duplicateValue('spec.devices[1]', 'd1'),
        requiredValue('spec.sharedCounters[0].counters'),
      ],
    );
    const PER_DEVICE =
      'exactly one of `nodeName`, `nodeSelector`, or `allNodes` is required when `perDeviceNodeSelection` is set to true in the ResourceSlice spec';
    expectInvalid(
      await post(slices, {
        metadata: { name },
        spec: {
          driver: 'dra.example.com',
          pool: { name: 'p', resourceSliceCount: 1 },
          perDeviceNodeSelection: true,
          devices: [
            { name: 'd1' },
            { name: 'd2', nodeName: '', allNodes: true },
            { name: 'd3', nodeName: 'n1', allNodes: true },
          ],
        },
      }),
      `ResourceSlice.resource.k8s.io "${name}"`,
      [
        requiredValue('spec.devices[0]', PER_DEVICE),
        invalid('spec.devices[1].nodeName', '""', 'must not be empty'),
        invalid('spec.devices[2]', '"{`nodeName`, `allNodes`}"', PER_DEVICE),
      ],
    );
    const created = await post(slices, {
      metadata: { name },
      spec: {
        driver: 'dra.example.com',
        pool: { name: 'p', resourceSliceCount: 1 },
        nodeName: 'node-1',
        devices: [{ name: 'd1' }],
      },
    });
    expect(created.status, created.text).toBe(201);
    cleanup(`${slices}/${name}`);
    expectInvalid(
      await patch(`${slices}/${name}`, {
        spec: { driver: 'other.example.com', pool: { name: 'q' }, nodeName: 'node-2' },
      }),
      `ResourceSlice.resource.k8s.io "${name}"`,
      [
        invalid('spec.pool.name', '"q"', 'field is immutable'),
        invalid('spec.driver', '"other.example.com"', 'field is immutable'),
        invalid('spec.nodeName', '"node-2"', 'field is immutable'),
      ],
    );
  });
});

describe('ResourceSlice devices', () => {
  const slices = `${GV}/resourceslices`;
  const base = {
    driver: 'dra.example.com',
    pool: { name: 'p', resourceSliceCount: 1 },
    nodeName: 'node-1',
  };
  const d = (i: number) => `spec.devices[${i}]`;
  const policy = (i: number) => `${d(i)}.capacity[c].requestPolicy`;
  const multiple = (value: string, requestPolicy: unknown) => ({
    allowMultipleAllocations: true,
    capacity: { c: { value, requestPolicy } },
  });
  // One entry per map: kube-apiserver ranges over Go maps, in no fixed order.
  test('attributes, capacities, taints, counters and binding conditions', async () => {
    const name = `rs-${uniqueSuffix()}`;
    const devices = [
      { attributes: { 'bad name': { int: 1 } } },
      { attributes: { a: {} } },
      { attributes: { a: { int: 1, bool: true } } },
      { attributes: { a: { version: 'v1' } } },
      { attributes: { a: { string: 'x'.repeat(65) } } },
      { capacity: { c: { value: '1', requestPolicy: { default: '1' } } } },
      multiple('10', { default: '3', validValues: ['4', '2', '2', '11'] }),
      multiple('10', { default: '20', validRange: { min: '2', max: '12', step: '3' } }),
      multiple('10Gi', { default: '1Gi', validRange: { min: '1Gi', step: '10Gi' } }),
      multiple('10', { default: '1', validValues: ['1'], validRange: { min: '1' } }),
      multiple('10', { validRange: { min: '1' } }),
      {
        taints: [
          { key: '', effect: '' },
          { key: 'k', value: 'bad value', effect: 'Bad' },
        ],
      },
      {
        consumesCounters: [
          { counterSet: '' },
          { counterSet: 'Bad', counters: { X: { value: '1' } } },
          { counterSet: 'c' },
        ],
      },
      {
        consumesCounters: [
          { counterSet: 'a', counters: { x: { value: '1' } } },
          { counterSet: 'a', counters: { x: { value: '1' } } },
        ],
      },
      { bindingConditions: ['a', 'a'], bindingFailureConditions: ['a'] },
      { bindingFailureConditions: ['b'] },
      { attributes: { [`${'a'.repeat(70)}/${'b'.repeat(40)}`]: { int: 1 } } },
      { attributes: { a: { ints: [1] } } },
    ].map((device, i) => ({ name: `d${i}`, ...device }));
    const ONE = 'exactly one value must be specified';
    const range = (i: number) => `${policy(i)}.validRange`;
    expectInvalid(
      await post(slices, { metadata: { name }, spec: { ...base, devices } }),
      `ResourceSlice.resource.k8s.io "${name}"`,
      [
        invalid(`${d(0)}.attributes`, '"bad name"', C_ID),
        invalid(`${d(1)}.attributes[a]`, '""', ONE),
        invalid(
          `${d(2)}.attributes[a]`,
          '{"IntValue":1,"BoolValue":true,"StringValue":null,"VersionValue":null,"IntValues":null,"BoolValues":null,"StringValues":null,"VersionValues":null}',
          ONE,
        ),
        invalid(
          `${d(3)}.attributes[a].version`,
          '"v1"',
          'must be a string compatible with semver.org spec 2.0.0',
        ),
        tooLongBytes(`${d(4)}.attributes[a].string`, 64),
        forbidden(policy(5), 'allowMultipleAllocations must be true'),
        invalid(`${policy(6)}.validValues[1]`, '"2"', 'values must be sorted in ascending order'),
        invalid(`${policy(6)}.validValues[3]`, '"11"', 'option is larger than capacity value: 10'),
        duplicateValue(`${policy(6)}.validValues[2]`, '2'),
        invalid(
          `${policy(6)}.validValues`,
          '"3"',
          'default value is not valid according to the requestPolicy',
        ),
        invalid(`${range(7)}.max`, '"12"', 'max is larger than capacity value: 10'),
        invalid(`${range(7)}.max`, '"20"', 'default is more than max: 12'),
        invalid(`${range(7)}.step`, '"12"', 'value is not a multiple of a given step (3) from (2)'),
        invalid(`${range(8)}.step`, '"10Gi"', 'one step 11Gi is larger than capacity value: 10Gi'),
        forbidden(
          policy(9),
          'exactly one policy can be specified, cannot specify "validValues" and "validRange" at the same time',
        ),
        requiredValue(`${policy(10)}.default`, 'required when validRange is defined'),
        invalid(`${d(11)}.taints[0].key`, '""', 'name part must be non-empty'),
        invalid(`${d(11)}.taints[0].key`, '""', NAME_PART),
        requiredValue(`${d(11)}.taints[0].effect`),
        invalid(`${d(11)}.taints[1].value`, '"bad value"', LABEL_VALUE),
        unsupported(`${d(11)}.taints[1].effect`, 'Bad', ['NoExecute', 'NoSchedule', 'None']),
        tooMany(`${d(12)}.consumesCounters`, 3, 2),
        duplicateValue(`${d(13)}.consumesCounters[1]`, 'a'),
        duplicateValue(`${d(14)}.bindingConditions[1]`, 'a'),
        invalid(
          `${d(14)}.bindingFailureConditions[0]`,
          '"a"',
          'bindingFailureConditions must not overlap with bindingConditions',
        ),
        invalid(
          `${d(15)}.bindingConditions`,
          'null',
          'bindingConditions are required to use bindingFailureConditions',
        ),
        tooLongBytes(`${d(16)}.attributes`, 63),
        tooLongBytes(`${d(16)}.attributes`, 32),
        invalid(`${d(17)}.attributes[a]`, '""', ONE),
      ],
    );
    const counters = [
      {
        name: 'd0',
        consumesCounters: [
          { counterSet: '' },
          { counterSet: 'Bad', counters: { X: { value: '1' } } },
        ],
      },
    ];
    expectInvalid(
      await post(slices, { metadata: { name }, spec: { ...base, devices: counters } }),
      `ResourceSlice.resource.k8s.io "${name}"`,
      [
        requiredValue(`${d(0)}.consumesCounters[0].counterSet`),
        requiredValue(`${d(0)}.consumesCounters[0].counters`),
        invalid(`${d(0)}.consumesCounters[1].counterSet`, '"Bad"', LABEL),
        invalid(`${d(0)}.consumesCounters[1].counters`, '"X"', LABEL),
      ],
    );
    expectInvalid(
      await post(slices, {
        metadata: { name },
        spec: { ...base, sharedCounters: [{ name: 'c', counters: { Bad: { value: '1' } } }] },
      }),
      `ResourceSlice.resource.k8s.io "${name}"`,
      [invalid('spec.sharedCounters[0].counters', '"Bad"', LABEL)],
    );
    const { nodeName: _, ...noNode } = base;
    expectInvalid(
      await post(slices, {
        metadata: { name },
        spec: {
          ...noNode,
          nodeSelector: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'Bad' }] }],
          },
        },
      }),
      `ResourceSlice.resource.k8s.io "${name}"`,
      [
        invalid(
          'spec.nodeSelector.nodeSelectorTerms[0].matchExpressions[0].operator',
          '"Bad"',
          'not a valid selector operator',
        ),
      ],
    );
    expectInvalid(
      await post(slices, {
        metadata: { name },
        spec: { ...noNode, nodeSelector: { nodeSelectorTerms: [] } },
      }),
      `ResourceSlice.resource.k8s.io "${name}"`,
      [
        requiredValue(
          'spec.nodeSelector.nodeSelectorTerms',
          'must have at least one node selector term',
        ),
        invalid(
          'spec.nodeSelector.nodeSelectorTerms',
          '[]',
          'must have exactly one node selector term',
        ),
      ],
    );
  });

  test('gated fields dropped, quantities and times canonical, generation tracks the spec', async () => {
    const name = `rs-${uniqueSuffix()}`;
    const created = await post(slices, {
      metadata: { name },
      spec: {
        ...base,
        driver: 'DRA.example.com',
        devices: [
          {
            name: 'd',
            attributes: { a: { ints: [1], int: 2 } },
            nodeAllocatableResourceMappings: { cpu: { allocationMultiplier: '1' } },
            capacity: { m: { value: '1.5Gi' } },
            taints: [{ key: 'k', effect: 'NoSchedule', timeAdded: '2024-01-01T00:00:00.5Z' }],
          },
        ],
      },
    });
    expect(created.status, created.text).toBe(201);
    cleanup(`${slices}/${name}`);
    expect(created.warnings).toEqual([
      'spec.driver: driver names should be lowercase; "DRA.example.com" contains uppercase characters',
    ]);
    const stored = created.json();
    expect(stored.metadata.generation).toBe(1);
    expect(stored.spec.devices).toEqual([
      {
        name: 'd',
        attributes: { a: { int: 2 } },
        capacity: { m: { value: '1536Mi' } },
        taints: [{ key: 'k', effect: 'NoSchedule', timeAdded: '2024-01-01T00:00:00Z' }],
      },
    ]);
    const labelled = await patch(`${slices}/${name}`, { metadata: { labels: { a: 'b' } } });
    expect(labelled.json().metadata.generation).toBe(1);
    const bumped = await patch(`${slices}/${name}`, { spec: { pool: { generation: 2 } } });
    expect(bumped.status, bumped.text).toBe(200);
    expect(bumped.json().metadata.generation).toBe(2);
  });

  test('a taint without timeAdded gets the time it is written, to the second', async () => {
    const name = `rs-${uniqueSuffix()}`;
    const taint = (key: string) => ({ key, effect: 'NoSchedule' });
    const created = await post(slices, {
      metadata: { name },
      spec: { ...base, devices: [{ name: 'd', taints: [taint('a')] }] },
    });
    expect(created.status, created.text).toBe(201);
    cleanup(`${slices}/${name}`);
    const SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
    const [first] = created.json().spec.devices[0].taints;
    expect(first.timeAdded).toMatch(SECONDS);
    // The server's clock: within minutes of this one (no sub-second timing).
    expect(Math.abs(Date.parse(first.timeAdded) - Date.now())).toBeLessThan(300_000);
    const added = await patch(`${slices}/${name}`, {
      spec: { devices: [{ name: 'd', taints: [first, taint('b')] }] },
    });
    expect(added.status, added.text).toBe(200);
    const [kept, second] = added.json().spec.devices[0].taints;
    expect(kept).toEqual(first);
    expect(second.timeAdded).toMatch(SECONDS);
  });
});
