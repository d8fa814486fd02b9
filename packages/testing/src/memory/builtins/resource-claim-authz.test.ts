import { describe, expect, test } from 'vitest';
import type { ResourceAttributes } from '../auth/request-attributes.js';
import type { JsonObject } from '../json.js';
import type { RequestAccess } from './kind-rules.js';
import { statusAuthorizationCauses } from './resource-claim-authz.js';

/** A request by `username` that the authorizer refuses for every attribute set it is asked. */
function refusing(username: string, extra: Record<string, string[]> = {}) {
  const asked: ResourceAttributes[] = [];
  const request: RequestAccess = {
    user: { username, groups: [], extra },
    attrs: {
      resourceRequest: true,
      verb: 'patch',
      apiGroup: 'resource.k8s.io',
      apiVersion: 'v1',
      resource: 'resourceclaims',
      subresource: 'status',
      namespace: 'ns',
      name: 'c',
    },
    forbidden(attrs) {
      asked.push(attrs);
      return 'no';
    },
  };
  return { request, asked };
}

const allocation = (nodeSelector?: JsonObject): JsonObject => ({
  devices: { results: [{ request: 'r', driver: 'b.example.com', pool: 'p', device: 'd' }] },
  ...(nodeSelector ? { nodeSelector } : {}),
});
const device = (driver: string, data?: JsonObject): JsonObject => ({
  driver,
  pool: 'p',
  device: 'd',
  ...(data ? { data } : {}),
});

describe('statusAuthorizationCauses', () => {
  test('nothing is asked for the server’s own writes nor for an unchanged status', () => {
    const status = {
      allocation: allocation(),
      reservedFor: [],
      devices: [device('a.example.com')],
    };
    expect(statusAuthorizationCauses({ status }, { status }, undefined)).toEqual([]);
    const { request, asked } = refusing('u');
    // An empty list is Go's nil for semantic equality.
    const prev = { status: { allocation: allocation(), devices: [device('a.example.com')] } };
    expect(statusAuthorizationCauses({ status }, prev, request)).toEqual([]);
    expect(asked).toEqual([]);
  });

  test('one binding check, then one driver check per changed driver, sorted', () => {
    const { request, asked } = refusing('u');
    const next = {
      status: {
        allocation: allocation(),
        devices: [device('b.example.com', { x: 1 }), device('a.example.com')],
      },
    };
    const prev = { status: { devices: [device('b.example.com'), device('c.example.com')] } };
    const causes = statusAuthorizationCauses(next, prev, request);
    expect(causes.map((c) => c.field)).toEqual([
      'status.allocation',
      'status.devices',
      'status.devices',
      'status.devices',
    ]);
    expect(asked.map((a) => [a.verb, a.subresource, a.namespace, a.name])).toEqual([
      ['patch', 'binding', '', ''],
      ['arbitrary-node:patch', 'driver', 'ns', 'a.example.com'],
      ['arbitrary-node:patch', 'driver', 'ns', 'b.example.com'],
      ['arbitrary-node:patch', 'driver', 'ns', 'c.example.com'],
    ]);
  });

  test('a ServiceAccount bound to the allocated node is asked associated-node first', () => {
    const pinned = {
      nodeSelectorTerms: [
        { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] },
      ],
    };
    const status = { allocation: allocation(pinned), devices: [device('a.example.com')] };
    const prev = { status: { allocation: allocation(pinned) } };
    const extra = { 'authentication.kubernetes.io/node-name': ['n1'] };
    const sa = refusing('system:serviceaccount:ns:sa', extra);
    expect(statusAuthorizationCauses({ status }, prev, sa.request).map((c) => c.message)).toEqual([
      'Forbidden: changing status.devices requires resource="resourceclaims/driver", verb="[associated-node:patch arbitrary-node:patch]" permission: no',
    ]);
    // Not a ServiceAccount: arbitrary-node only.
    const user = refusing('sa', extra);
    statusAuthorizationCauses({ status }, prev, user.request);
    expect(user.asked.map((a) => a.verb)).toEqual(['arbitrary-node:patch']);
  });

  test('device statuses of an unallocated claim are not authorized', () => {
    const { request, asked } = refusing('u');
    const next = { status: { devices: [device('a.example.com')] } };
    expect(statusAuthorizationCauses(next, { status: {} }, request)).toEqual([]);
    expect(asked).toEqual([]);
  });
});
