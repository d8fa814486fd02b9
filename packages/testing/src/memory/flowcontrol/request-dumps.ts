/**
 * kube-apiserver's `/debug/api_priority_and_fairness/dump_queues` (a row per queue of every
 * priority level that queues: its index, waiting and executing requests, seats in use, the
 * progress meter reading of its next dispatch and the sums of its waiting requests' initial
 * seats, widest seats and work) and `dump_requests` (a row per request waiting or executing
 * in a level: its FlowSchema, queue index and place in the queue, -1 for a request executing
 * or one that took no queue, flow distinguisher, arrival, work estimate and start; with
 * `includeRequestDetails`, also its user, verb, path, namespace, name, group version,
 * resource and subresource), as comma-ended cells laid out by Go's tabwriter. kube-apiserver
 * ranges over a Go map of levels and sets of executing requests, so their rows come in no
 * fixed order there; here levels come by name and requests in the order they started.
 */
import type { RequestAttributes } from '../auth/request-attributes.js';
import { goDuration } from '../protobuf/go-duration.js';
import { totalWork, widthOf } from './fair-queuing.js';
import { row, tabTable } from './tab-table.js';
import type { WorkEstimate } from './work-estimate.js';

/** What the dumps show of one request. */
export interface DumpedRequest {
  readonly flowSchema: string;
  /** Its flow within the FlowSchema ('' unless its level has more than one queue). */
  readonly distinguisher: string;
  /** When it arrived, in wall-clock nanoseconds. */
  readonly arrived: bigint;
  /** When it started executing, in wall-clock nanoseconds (unset while it waits). */
  started?: bigint;
  readonly work: WorkEstimate;
  readonly userName: string;
  readonly attrs: RequestAttributes;
  /** Its URL's path. */
  readonly path: string;
}

/** What the dumps show of one queue. */
export interface QueueDigest {
  /** Its waiting requests, first come first. */
  readonly waiting: readonly DumpedRequest[];
  readonly executing: ReadonlySet<DumpedRequest>;
  readonly seatsInUse: number;
  /** The progress meter's reading (seat-seconds) at which its next request may start. */
  readonly nextDispatchR: number;
}

/** What the dumps show of one priority level. */
export interface LevelQueuesDigest {
  readonly name: string;
  readonly queues: readonly QueueDigest[];
  /** Requests executing that took no queue (levels without queues, `Exempt` ones). */
  readonly queueless: ReadonlySet<DumpedRequest>;
}

/** Hundred-millionths of a seat-second: the unit kube-apiserver counts work in. */
const SEAT_SECONDS_SCALE = 1e8;

/** Seat-seconds as kube-apiserver prints them (whole units): eight decimals and `ss`. */
function seatSeconds(seconds: number): string {
  const n = Math.max(0, Math.round(seconds * SEAT_SECONDS_SCALE));
  const whole = Math.floor(n / SEAT_SECONDS_SCALE);
  return `${whole}.${String(n - whole * SEAT_SECONDS_SCALE).padStart(8, '0')}ss`;
}

/** A wall-clock time as Go's RFC 3339 with nanoseconds (trailing zeros dropped). */
function rfc3339Nano(ns: bigint | undefined): string {
  if (ns === undefined) return '0001-01-01T00:00:00Z';
  const second = ns / 1_000_000_000n;
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  const date = new Date(Number(second) * 1000).toISOString().slice(0, 19);
  return fraction === '' ? `${date}Z` : `${date}.${fraction}Z`;
}

function byName(levels: readonly LevelQueuesDigest[]): LevelQueuesDigest[] {
  return [...levels].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const QUEUE_HEADERS = [
  'PriorityLevelName',
  'Index',
  'PendingRequests',
  'ExecutingRequests',
  'SeatsInUse',
  'NextDispatchR',
  'InitialSeatsSum',
  'MaxSeatsSum',
  'TotalWorkSum',
];

/** The `dump_queues` text. */
export function dumpQueues(levels: readonly LevelQueuesDigest[]): string {
  const lines = [row(QUEUE_HEADERS)];
  for (const level of byName(levels)) {
    level.queues.forEach((q, i) => {
      const sum = (pick: (r: DumpedRequest) => number) =>
        q.waiting.reduce((n, r) => n + pick(r), 0);
      lines.push(
        row([
          level.name,
          String(i),
          String(q.waiting.length),
          String(q.executing.size),
          String(q.seatsInUse),
          seatSeconds(q.nextDispatchR),
          String(sum((r) => r.work.initialSeats)),
          String(sum((r) => widthOf(r.work))),
          seatSeconds(sum((r) => totalWork(r.work))),
        ]),
      );
    });
  }
  return tabTable(lines);
}

const REQUEST_HEADERS = [
  'PriorityLevelName',
  'FlowSchemaName',
  'QueueIndex',
  'RequestIndexInQueue',
  'FlowDistingsher',
  'ArriveTime',
  'InitialSeats',
  'FinalSeats',
  'AdditionalLatency',
  'StartTime',
];

const DETAIL_HEADERS = [
  'UserName',
  'Verb',
  'APIPath',
  'Namespace',
  'Name',
  'APIVersion',
  'Resource',
  'SubResource',
];

/** The details of a request: who asked what (empty resource cells for other paths). */
function details(r: DumpedRequest): string[] {
  const a = r.attrs;
  if (!a.resourceRequest) return [r.userName, a.verb, r.path, '', '', '', '', ''];
  const groupVersion = a.apiGroup === '' ? a.apiVersion : `${a.apiGroup}/${a.apiVersion}`;
  return [r.userName, a.verb, r.path, a.namespace, a.name, groupVersion, a.resource, a.subresource];
}

/** The `dump_requests` text, with each request's details when `includeDetails`. */
export function dumpRequests(
  levels: readonly LevelQueuesDigest[],
  includeDetails: boolean,
): string {
  const lines = [row(includeDetails ? [...REQUEST_HEADERS, ...DETAIL_HEADERS] : REQUEST_HEADERS)];
  const add = (level: string, queue: number, index: number, r: DumpedRequest) => {
    const cells = [
      level,
      r.flowSchema,
      String(queue),
      String(index),
      r.distinguisher,
      rfc3339Nano(r.arrived),
      String(r.work.initialSeats),
      String(r.work.finalSeats),
      goDuration(Math.round(r.work.additionalSeconds * 1e9)),
      rfc3339Nano(r.started),
    ];
    lines.push(row(includeDetails ? [...cells, ...details(r)] : cells));
  };
  for (const level of byName(levels)) {
    level.queues.forEach((q, i) => {
      q.waiting.forEach((r, j) => {
        add(level.name, i, j, r);
      });
      for (const r of q.executing) add(level.name, i, -1, r);
    });
    for (const r of level.queueless) add(level.name, -1, -1, r);
  }
  return tabTable(lines);
}
