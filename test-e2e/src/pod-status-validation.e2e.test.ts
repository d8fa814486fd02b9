/**
 * Differential: the checks of a Pod's `status` write (`ValidatePodStatusUpdate`):
 * conditions, `nominatedNodeName`, the observed generation, the fixed QoS class, pod and
 * host IPs (one of each family), terminated containers that may not run again; and the v1
 * conversion that keeps `podIP` and `podIPs[0]` one value.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FORBIDDEN, INVALID, NAME_PART, SUBDOMAIN } from './invalid-causes.js';
import { type RawResponse, raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-pod-status');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const pods = () => `/api/v1/namespaces/${ns}/pods`;
const NON_NEGATIVE = 'must be a non-negative integer';

/** Writes `status` over the stored status of the Pod `name` (read first). */
async function rewriteStatus(name: string, status: Record<string, unknown>): Promise<RawResponse> {
  const read = await raw(kc(), 'GET', `${pods()}/${name}`);
  expect(read.status, read.text).toBe(200);
  const stored = read.json();
  return raw(kc(), 'PUT', `${pods()}/${name}/status`, {
    body: { ...stored, status: { ...stored.status, ...status } },
  });
}

/** Creates a Pod with `spec` and writes `status` over its stored status. */
async function writeStatus(
  name: string,
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
): Promise<RawResponse> {
  const created = await raw(kc(), 'POST', pods(), {
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec },
  });
  expect(created.status, created.text).toBe(201);
  return rewriteStatus(name, status);
}

const causesOf = (res: RawResponse) =>
  res
    .json()
    .details.causes.map((c: { field: string; reason: string; message: string }) => [
      c.field,
      c.reason,
      c.message,
    ]);

const CONTAINERS = [{ name: 'c', image: 'i' }];

describe('pod status writes', () => {
  test('each status field checked, in kube-apiserver order', async () => {
    const res = await writeStatus(
      'checked',
      { containers: CONTAINERS },
      {
        conditions: [
          { type: 'bad type', status: 'True', observedGeneration: -1 },
          { type: 'Ready', status: 'True' },
        ],
        nominatedNodeName: 'Bad_Node',
        observedGeneration: -1,
        qosClass: 'Guaranteed',
        podIPs: [{ ip: 'nope' }],
        hostIP: '10.0.0.1',
        hostIPs: [{ ip: '10.0.0.2' }],
      },
    );
    expect(res.status, res.text).toBe(422);
    expect(causesOf(res)).toEqual([
      ['status.conditions[0].observedGeneration', INVALID, `Invalid value: -1: ${NON_NEGATIVE}`],
      ['status.conditions[0].Type', INVALID, `Invalid value: "bad type": ${NAME_PART}`],
      ['status.nominatedNodeName', INVALID, `Invalid value: "Bad_Node": ${SUBDOMAIN}`],
      ['status.observedGeneration', INVALID, `Invalid value: -1: ${NON_NEGATIVE}`],
      ['status.qosClass', INVALID, 'Invalid value: "Guaranteed": field is immutable'],
      [
        'status.podIPs[0]',
        INVALID,
        'Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ],
      ['status.hostIPs[0].ip', INVALID, 'Invalid value: "10.0.0.2": must be equal to `hostIP`'],
    ]);
  });

  test('a bound Pod gets no nominated node', async () => {
    const res = await writeStatus(
      'bound',
      { nodeName: 'n1', containers: CONTAINERS },
      { nominatedNodeName: 'n2' },
    );
    expect(res.status, res.text).toBe(422);
    expect(causesOf(res)).toEqual([
      [
        'status.nominatedNodeName',
        FORBIDDEN,
        'Forbidden: may not be set on pods that are already bound to a node',
      ],
    ]);
  });

  test('valid values are stored', async () => {
    const res = await writeStatus(
      'valid',
      { containers: CONTAINERS },
      {
        conditions: [{ type: 'example.com/Custom', status: 'True' }],
        nominatedNodeName: 'node-1',
        podIPs: [{ ip: '10.0.0.5' }],
        hostIP: '10.0.0.9',
        hostIPs: [{ ip: '10.0.0.9' }],
      },
    );
    expect(res.status, res.text).toBe(200);
    const status = res.json().status;
    expect(status.nominatedNodeName).toBe('node-1');
    expect(status.hostIPs).toEqual([{ ip: '10.0.0.9' }]);
    expect(status.conditions.map((c: { type: string }) => c.type)).toEqual(['example.com/Custom']);
  });
});

/** The family check's refusal of a list, quoting it as kube-apiserver's internal structs. */
const oneOfEach = (field: string, ips: string[]): [string, string, string] => [
  field,
  INVALID,
  `Invalid value: ${JSON.stringify(ips.map((ip) => ({ IP: ip })))}: may specify no more than one IP for each IP family`,
];

describe('pod and host IP lists', () => {
  test('hold at most one IP of each family', async () => {
    const res = await writeStatus(
      'families',
      { containers: CONTAINERS },
      {
        podIPs: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }],
        hostIP: 'fd00::1',
        hostIPs: [{ ip: 'fd00::1' }, { ip: '10.1.0.1' }, { ip: '10.1.0.2' }],
      },
    );
    expect(res.status, res.text).toBe(422);
    expect(causesOf(res)).toEqual([
      oneOfEach('status.podIPs', ['10.0.0.1', '10.0.0.2']),
      oneOfEach('status.hostIPs', ['fd00::1', '10.1.0.1', '10.1.0.2']),
    ]);
  });

  test('an address that does not parse fails the family check too', async () => {
    const res = await writeStatus(
      'unparsed',
      { containers: CONTAINERS },
      { podIPs: [{ ip: '10.0.0.1' }, { ip: 'nope' }] },
    );
    expect(res.status, res.text).toBe(422);
    expect(causesOf(res)).toEqual([
      [
        'status.podIPs[1]',
        INVALID,
        'Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ],
      [
        'status.podIPs',
        'InternalError',
        'Internal error: failed to check for dual stack with error:invalid IP[1]: nope',
      ],
      oneOfEach('status.podIPs', ['10.0.0.1', 'nope']),
    ]);
  });

  test('a dual-stack pair is stored', async () => {
    const res = await writeStatus(
      'dual',
      { containers: CONTAINERS },
      {
        podIPs: [{ ip: 'fd00::5' }, { ip: '10.0.0.5' }],
        hostIP: '10.1.0.5',
        hostIPs: [{ ip: '10.1.0.5' }, { ip: 'fd00:1::5' }],
      },
    );
    expect(res.status, res.text).toBe(200);
    const status = res.json().status;
    expect(status.podIPs).toEqual([{ ip: 'fd00::5' }, { ip: '10.0.0.5' }]);
    expect(status.hostIPs).toEqual([{ ip: '10.1.0.5' }, { ip: 'fd00:1::5' }]);
  });
});

describe("podIP and podIPs[0], as kube-apiserver's v1 conversion keeps them", () => {
  const ipsOf = (status: { podIP?: string; podIPs?: unknown }) => [status.podIP, status.podIPs];

  test('podIP fills podIPs, is filled from it and wins when they differ', async () => {
    const alone = await writeStatus('conv', { containers: CONTAINERS }, { podIP: '10.0.0.5' });
    expect(alone.status, alone.text).toBe(200);
    expect(ipsOf(alone.json().status)).toEqual(['10.0.0.5', [{ ip: '10.0.0.5' }]]);
    // The stored podIP differs from the new list's first IP: it replaces the whole list.
    const pair = [{ ip: '10.0.0.6' }, { ip: 'fd00::6' }];
    const differ = await rewriteStatus('conv', { podIPs: pair });
    expect(differ.status, differ.text).toBe(200);
    expect(ipsOf(differ.json().status)).toEqual(['10.0.0.5', [{ ip: '10.0.0.5' }]]);
    // Without podIP the list stays, and podIP is its first IP, on the write and on reads.
    const list = await rewriteStatus('conv', { podIP: undefined, podIPs: pair });
    expect(list.status, list.text).toBe(200);
    expect(ipsOf(list.json().status)).toEqual(['10.0.0.6', pair]);
    const read = await raw(kc(), 'GET', `${pods()}/conv`);
    expect(ipsOf(read.json().status)).toEqual(['10.0.0.6', pair]);
    // A merge patch of the list alone meets the stored podIP, which wins again.
    const patched = await raw(kc(), 'PATCH', `${pods()}/conv/status`, {
      body: { status: { podIPs: [{ ip: '10.0.0.7' }] } },
      contentType: 'application/merge-patch+json',
    });
    expect(patched.status, patched.text).toBe(200);
    expect(ipsOf(patched.json().status)).toEqual(['10.0.0.6', [{ ip: '10.0.0.6' }]]);
  });

  test('hostIP is a field of its own: it does not fill hostIPs', async () => {
    const res = await writeStatus('host', { containers: CONTAINERS }, { hostIP: '10.1.0.9' });
    expect(res.status, res.text).toBe(200);
    const status = res.json().status;
    expect([status.hostIP, status.hostIPs]).toEqual(['10.1.0.9', undefined]);
  });
});

/** A container status in `state` (`running` or `terminated` with `exitCode`). */
const containerStatus = (name: string, exitCode?: number) => ({
  name,
  ready: false,
  restartCount: 0,
  image: 'i',
  imageID: '',
  state:
    exitCode === undefined
      ? { running: { startedAt: '2026-01-01T00:00:00Z' } }
      : {
          terminated: {
            exitCode,
            startedAt: '2026-01-01T00:00:00Z',
            finishedAt: '2026-01-01T00:00:01Z',
          },
        },
});

describe('terminated containers', () => {
  test('may run again only where the restart policies would restart them', async () => {
    const spec = {
      restartPolicy: 'OnFailure',
      initContainers: [
        { name: 'init', image: 'i' },
        { name: 'sidecar', image: 'i', restartPolicy: 'Always' },
      ],
      containers: [
        { name: 'done', image: 'i' },
        { name: 'failed', image: 'i' },
        {
          name: 'ruled',
          image: 'i',
          restartPolicy: 'Never',
          restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'In', values: [0] } }],
        },
      ],
    };
    const ended = await writeStatus('states', spec, {
      initContainerStatuses: [containerStatus('init', 0), containerStatus('sidecar', 0)],
      containerStatuses: [
        containerStatus('done', 0),
        containerStatus('failed', 1),
        containerStatus('ruled', 0),
      ],
      ephemeralContainerStatuses: [containerStatus('debug', 0)],
    });
    expect(ended.status, ended.text).toBe(200);
    const res = await rewriteStatus('states', {
      // Listed in another order: causes name the stored status's index.
      initContainerStatuses: [containerStatus('sidecar'), containerStatus('init')],
      containerStatuses: [
        containerStatus('ruled'),
        containerStatus('failed'),
        containerStatus('done'),
      ],
      ephemeralContainerStatuses: [containerStatus('debug')],
    });
    expect(res.status, res.text).toBe(422);
    const back = 'Forbidden: may not be transitioned to non-terminated state';
    expect(causesOf(res)).toEqual([
      ['status.containerStatuses[0].state', FORBIDDEN, back],
      ['status.initContainerStatuses[0].state', FORBIDDEN, back],
      ['status.ephemeralContainerStatuses[0].state', FORBIDDEN, back],
    ]);
  });

  test('a RestartAllContainers rule lets every container run again', async () => {
    const spec = {
      restartPolicy: 'Never',
      containers: [
        { name: 'a', image: 'i' },
        {
          name: 'b',
          image: 'i',
          restartPolicy: 'Never',
          restartPolicyRules: [
            { action: 'RestartAllContainers', exitCodes: { operator: 'In', values: [9] } },
          ],
        },
      ],
    };
    const ended = await writeStatus('all', spec, {
      containerStatuses: [containerStatus('a', 0), containerStatus('b', 0)],
    });
    expect(ended.status, ended.text).toBe(200);
    const res = await rewriteStatus('all', {
      containerStatuses: [containerStatus('a'), containerStatus('b')],
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json().status.containerStatuses[0].state.running).toBeDefined();
  });
});

describe('container statuses', () => {
  const ID_RANGE = 'must be between 0 and 2147483647, inclusive';

  test("users and allocated resources' statuses are checked", async () => {
    const spec = {
      containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '1' } } }],
    };
    const res = await writeStatus('statuses', spec, {
      containerStatuses: [
        {
          ...containerStatus('c'),
          user: { linux: { uid: -1, gid: 2147483648, supplementalGroups: [1, -2] } },
          allocatedResourcesStatus: [
            {
              name: 'memory',
              resources: [
                { resourceID: 'a', health: 'Bad' },
                { resourceID: 'a', health: 'Healthy', message: '' },
              ],
            },
            { name: 'claim:x', resources: [{ resourceID: 'b', health: 'Unknown' }] },
            { name: 'cpu', resources: [{ resourceID: 'c', health: 'Healthy', message: 'ok' }] },
          ],
        },
      ],
      ephemeralContainerStatuses: [
        {
          ...containerStatus('e'),
          allocatedResourcesStatus: [
            { name: 'cpu', resources: [{ resourceID: 'r', health: 'Healthy' }] },
          ],
        },
      ],
    });
    expect(res.status, res.text).toBe(422);
    const c = 'status.containerStatuses[0]';
    const a = `${c}.allocatedResourcesStatus`;
    expect(causesOf(res)).toEqual([
      [`${c}.user.linux.uid`, INVALID, `Invalid value: -1: ${ID_RANGE}`],
      [`${c}.user.linux.gid`, INVALID, `Invalid value: 2147483648: ${ID_RANGE}`],
      [`${c}.user.linux.supplementalGroups[1]`, INVALID, `Invalid value: -2: ${ID_RANGE}`],
      [
        `${a}[0].name`,
        INVALID,
        `Invalid value: "memory": must match one of the container's resource requests`,
      ],
      [
        `${a}[0].resources[0].health`,
        'FieldValueNotSupported',
        'Unsupported value: "Bad": supported values: "Healthy", "Unhealthy", "Unknown"',
      ],
      [
        `${a}[0].resources[1].message`,
        'FieldValueRequired',
        'Required value: must be non-empty if specified',
      ],
      [`${a}[0].resources[1].resourceID`, 'FieldValueDuplicate', 'Duplicate value: "a"'],
      [
        `${a}[1].name`,
        INVALID,
        `Invalid value: "claim:x": must match one of the container's resource claims in a format 'claim:<claimName>/<request>' or 'claim:<claimName>' if request is empty`,
      ],
      [
        'status.ephemeralContainerStatuses[0].allocatedResourcesStatus',
        FORBIDDEN,
        'Forbidden: must not be specified in container status',
      ],
    ]);
  });

  test("a Windows Pod's container runs as no Linux user", async () => {
    const res = await writeStatus(
      'windows',
      { os: { name: 'windows' }, containers: CONTAINERS },
      { containerStatuses: [{ ...containerStatus('c'), user: { linux: { uid: 1, gid: 1 } } }] },
    );
    expect(res.status, res.text).toBe(422);
    expect(causesOf(res)).toEqual([
      [
        'status.containerStatuses[0].user.linux',
        FORBIDDEN,
        'Forbidden: cannot be set for a windows pod',
      ],
    ]);
  });
});
