import { describe, expect, it } from 'vitest';
import { requestAttributes } from '../auth/request-attributes.js';
import { type DumpedRequest, dumpQueues, dumpRequests } from './request-dumps.js';

const ARRIVED = 1_796_000_000_123_456_789n;

function request(method: string, path: string, started?: bigint): DumpedRequest {
  return {
    flowSchema: 'fs',
    distinguisher: 'alice',
    arrived: ARRIVED,
    ...(started === undefined ? {} : { started }),
    work: { initialSeats: 1, finalSeats: 2, additionalSeconds: 0.005 },
    userName: 'alice',
    attrs: requestAttributes(method, new URL(path, 'http://localhost')),
    path,
  };
}

const waiting = request('POST', '/apis/apps/v1/namespaces/ns/deployments');
const executing = request('POST', '/api/v1/namespaces/ns/configmaps', ARRIVED + 1_000_000_000n);
const levels = [
  {
    name: 'zz',
    queues: [
      {
        waiting: [waiting, waiting],
        executing: new Set([executing]),
        seatsInUse: 2,
        nextDispatchR: 1.5,
      },
    ],
    queueless: new Set<DumpedRequest>(),
  },
  { name: 'a', queues: [], queueless: new Set([request('GET', '/healthz', ARRIVED)]) },
];

describe('dumpQueues', () => {
  it('writes a row per queue of every level by name, with its waiting requests’ sums', () => {
    expect(dumpQueues(levels)).toBe(
      'PriorityLevelName, Index,  PendingRequests, ExecutingRequests, SeatsInUse, NextDispatchR, InitialSeatsSum, MaxSeatsSum, TotalWorkSum\n' +
        'zz,                0,      2,               1,                 2,          1.50000000ss,  2,               4,           0.02600000ss\n',
    );
  });
});

describe('dumpRequests', () => {
  it('writes waiting, then executing, then queueless requests, times as RFC 3339 with nanoseconds', () => {
    expect(dumpRequests(levels, false).split('\n')).toEqual([
      'PriorityLevelName, FlowSchemaName, QueueIndex, RequestIndexInQueue, FlowDistingsher, ArriveTime,                     InitialSeats, FinalSeats, AdditionalLatency, StartTime',
      'a,                 fs,             -1,         -1,                  alice,           2026-11-30T00:53:20.123456789Z, 1,            2,          5ms,               2026-11-30T00:53:20.123456789Z',
      'zz,                fs,             0,          0,                   alice,           2026-11-30T00:53:20.123456789Z, 1,            2,          5ms,               0001-01-01T00:00:00Z',
      'zz,                fs,             0,          1,                   alice,           2026-11-30T00:53:20.123456789Z, 1,            2,          5ms,               0001-01-01T00:00:00Z',
      'zz,                fs,             0,          -1,                  alice,           2026-11-30T00:53:20.123456789Z, 1,            2,          5ms,               2026-11-30T00:53:21.123456789Z',
      '',
    ]);
  });

  it('adds who asked what with includeRequestDetails', () => {
    const lines = dumpRequests(levels, true).split('\n');
    expect(lines[0]).toMatch(
      /StartTime, +UserName, Verb, +APIPath, +Namespace, Name, +APIVersion, Resource, +SubResource$/,
    );
    expect(lines[1]).toMatch(/, alice, +get, +\/healthz, +, +, +, +, +$/);
    expect(lines[2]).toMatch(
      /, +alice, +create, \/apis\/apps\/v1\/namespaces\/ns\/deployments, ns, +, +apps\/v1, +deployments, $/,
    );
    expect(lines[4]).toMatch(/, +ns, +, +v1, +configmaps, +$/);
  });
});
