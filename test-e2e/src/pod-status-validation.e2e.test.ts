/**
 * Differential: the checks of a Pod's `status` write (`ValidatePodStatusUpdate`):
 * conditions, `nominatedNodeName`, the observed generation, the fixed QoS class, pod and
 * host IPs.
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
  const stored = created.json();
  return raw(kc(), 'PUT', `${pods()}/${name}/status`, {
    body: { ...stored, status: { ...stored.status, ...status } },
  });
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
