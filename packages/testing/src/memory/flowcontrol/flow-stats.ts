/**
 * What API Priority and Fairness counts of its requests, as kube-apiserver counts it for
 * its `apiserver_flowcontrol_*` metrics (per priority level and FlowSchema) and its debug
 * dumps (per priority level): requests dispatched, rejected (with the reason:
 * `concurrency-limit` in a `Reject` level, `queue-full`, `time-out` for a request that
 * stopped waiting, which also counts as cancelled), executing (and their seats) and
 * waiting.
 */

/** Why a request was refused. */
export type RejectReason = 'concurrency-limit' | 'queue-full' | 'time-out';

/** The counts of one FlowSchema's requests in one priority level. */
export interface FlowSeries {
  readonly level: string;
  readonly flowSchema: string;
  dispatched: number;
  executing: number;
  executingSeats: number;
  waiting: number;
  /** Whether one of its requests ever waited in a queue. */
  waited: boolean;
  readonly rejected: Map<RejectReason, number>;
}

/** The counts of one priority level's requests since it was first used. */
export interface LevelTotals {
  dispatched: number;
  rejected: number;
  cancelled: number;
}

/** The counts of one server. */
export class FlowStats {
  private readonly flows = new Map<string, FlowSeries>();
  private readonly levels = new Map<string, LevelTotals>();

  /** The series of `flowSchema` in `level` (created at its first use). */
  series(level: string, flowSchema: string): FlowSeries {
    const key = JSON.stringify([level, flowSchema]);
    let s = this.flows.get(key);
    if (!s) {
      s = {
        level,
        flowSchema,
        dispatched: 0,
        executing: 0,
        executingSeats: 0,
        waiting: 0,
        waited: false,
        rejected: new Map(),
      };
      this.flows.set(key, s);
    }
    return s;
  }

  /** The totals of `level` (created at its first use). */
  totals(level: string): LevelTotals {
    let t = this.levels.get(level);
    if (!t) {
      t = { dispatched: 0, rejected: 0, cancelled: 0 };
      this.levels.set(level, t);
    }
    return t;
  }

  /** Counts a request of `flowSchema` in `level` refused for `reason`. */
  reject(level: string, flowSchema: string, reason: RejectReason): void {
    const s = this.series(level, flowSchema);
    s.rejected.set(reason, (s.rejected.get(reason) ?? 0) + 1);
    const t = this.totals(level);
    t.rejected++;
    if (reason === 'time-out') t.cancelled++;
  }

  /** Counts a request dispatched. */
  dispatch(level: string, flowSchema: string): void {
    this.series(level, flowSchema).dispatched++;
    this.totals(level).dispatched++;
  }

  /** Every series, by priority level then FlowSchema. */
  allSeries(): FlowSeries[] {
    return [...this.flows.values()].sort(
      (a, b) => compare(a.level, b.level) || compare(a.flowSchema, b.flowSchema),
    );
  }
}

/** Byte order, as Go sorts strings. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
