/**
 * Differential: resource.k8s.io/v1 (dynamic resource allocation) kinds as kube-apiserver
 * validates them: ResourceClaim and ResourceClaimTemplate device requests with their
 * defaults and an immutable spec, DeviceClass selectors and config, and ResourceSlice
 * pools, node selection, devices and immutable fields.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LABEL, SUBDOMAIN } from './invalid-causes.js';
import {
  duplicateValue,
  expectInvalid,
  forbidden,
  invalid,
  requiredValue,
  unsupported,
} from './invalid-status.js';
import { raw } from './raw-http.js';
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
    // The value quoted is the server's internal spec struct: only its place is compared.
    expect(changed.status).toBe(422);
    const causes = changed.json().details.causes;
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatchObject({ reason: 'FieldValueInvalid', field: 'spec' });
    expect(causes[0].message).toMatch(/^Invalid value: .*: field is immutable$/s);
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

describe('device selectors', () => {
  const NESTED =
    'device.attributes.all(a, device.attributes[a].all(b, device.attributes.all(c, device.attributes[c].all(d, device.attributes[a][b] == device.attributes[c][d]))))';
  const compile = (expression: string, detail: string) =>
    `compilation failed: ERROR: <input>:1:${detail}\n | ${expression}\n | `;
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
