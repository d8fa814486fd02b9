/**
 * kube-apiserver's `/debug/api_priority_and_fairness/dump_priority_levels`: one row per
 * priority level, by name, of its active queues (queues with waiting requests), whether it
 * is idle (nothing waits or runs) or quiescing (never here: a deleted level is gone at
 * once), its waiting and executing requests and the requests it dispatched, rejected,
 * timed out (kube-apiserver never counts these) and cancelled, as comma-ended cells laid
 * out by Go's tabwriter.
 */
import { row, tabTable } from './tab-table.js';

/** What the dump shows of one priority level. */
export interface LevelDigest {
  readonly name: string;
  readonly activeQueues: number;
  readonly waiting: number;
  readonly executing: number;
  readonly dispatched: number;
  readonly rejected: number;
  readonly cancelled: number;
}

const HEADERS = [
  'PriorityLevelName',
  'ActiveQueues',
  'IsIdle',
  'IsQuiescing',
  'WaitingRequests',
  'ExecutingRequests',
  'DispatchedRequests',
  'RejectedRequests',
  'TimedoutRequests',
  'CancelledRequests',
];

/** The dump's text. */
export function dumpPriorityLevels(levels: readonly LevelDigest[]): string {
  const sorted = [...levels].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return tabTable([
    row(HEADERS),
    ...sorted.map((l) =>
      row([
        l.name,
        String(l.activeQueues),
        String(l.waiting === 0 && l.executing === 0),
        'false',
        String(l.waiting),
        String(l.executing),
        String(l.dispatched),
        String(l.rejected),
        '0',
        String(l.cancelled),
      ]),
    ),
  ]);
}
