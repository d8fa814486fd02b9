/**
 * The concurrency limits of the priority levels, as kube-apiserver's API Priority and
 * Fairness config controller keeps them. Each level has a nominal limit, `ceil(600 ×
 * nominalConcurrencyShares / all levels' shares)` (600 being kube-apiserver's default
 * server concurrency limit, `--max-requests-inflight` 400 plus
 * `--max-mutating-requests-inflight` 200); it may lend `lendablePercent` of it and borrow
 * up to `borrowingLimitPercent` of it (the whole server's limit when unset). Its current
 * limit starts at the nominal less half the lendable part and is set again whenever the
 * configuration changes and every 10 seconds: each `Limited` level gets at least its
 * nominal less what it lends (more when its seat demand's high watermark was higher, up to
 * the nominal), at most its nominal plus what it may borrow, and the nominal limits' sum
 * is divided among the levels in proportion to their smoothed seat demand
 * (`concurrency-allocation.ts`). Our own copy, because how many requests a flooded level
 * serves at once is this arithmetic.
 */
import { isObject, type JsonObject, optNum } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { Storage } from '../storage.js';
import { PRIORITY_LEVELS } from './bootstrap-configuration.js';
import { allocateConcurrency } from './concurrency-allocation.js';
import { SeatDemand } from './seat-demand.js';
import { queueLevelMaxSeats } from './work-estimate.js';

const SERVER_CONCURRENCY_LIMIT = 600;
const ADJUSTMENT_PERIOD_MS = 10_000;

/** How a `Queue` level queues. */
export interface Queuing {
  readonly queues: number;
  readonly handSize: number;
  readonly queueLengthLimit: number;
}

/** One priority level's limits. */
export interface LevelLimits {
  exempt: boolean;
  queuing: Queuing | undefined;
  readonly demand: SeatDemand;
  /** The number of seats its requests may hold now. */
  current: number;
  /** The most seats one request may take (`Queue` levels), 0 for no cap of its own. */
  maxSeats: number;
  nominal: number;
  min: number;
  max: number;
}

/** What a level's spec says about its limits. */
function specOf(level: JsonObject) {
  const spec = isObject(level.spec) ? level.spec : {};
  const exempt = spec.type === 'Exempt';
  const config = isObject(exempt ? spec.exempt : spec.limited)
    ? ((exempt ? spec.exempt : spec.limited) as JsonObject)
    : {};
  const response = isObject(config.limitResponse) ? config.limitResponse : {};
  const q = isObject(response.queuing) ? response.queuing : undefined;
  return {
    exempt,
    shares: Number(config.nominalConcurrencyShares ?? (exempt ? 0 : 30)),
    lendable: optNum(config.lendablePercent),
    borrowing: exempt ? undefined : optNum(config.borrowingLimitPercent),
    queuing:
      !exempt && response.type === 'Queue' && q
        ? {
            queues: Number(q.queues ?? 64),
            handSize: Number(q.handSize ?? 8),
            queueLengthLimit: Number(q.queueLengthLimit ?? 50),
          }
        : undefined,
  };
}

/** The priority levels' concurrency limits of one server. */
export class ConcurrencyLimits {
  private levels = new Map<string, LevelLimits>();
  private nominalSum = 0;
  private timer: NodeJS.Timeout | undefined;

  /** `adjusted` is called after every adjustment (waiting requests may now fit). */
  constructor(
    private readonly storage: Storage,
    private readonly adjusted: () => void = () => {},
  ) {
    this.reconfigure();
  }

  /** Adjusts the limits every 10 seconds from now on, as kube-apiserver's controller does. */
  start(): void {
    this.timer ??= setInterval(() => this.adjust(), ADJUSTMENT_PERIOD_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The limits of the level named `name` (read again from storage if it is new). */
  of(name: string): LevelLimits | undefined {
    if (!this.levels.has(name)) this.reconfigure();
    return this.levels.get(name);
  }

  /** Every level's name and limits. */
  all(): IterableIterator<[string, LevelLimits]> {
    return this.levels.entries();
  }

  /** Reads the levels again after a PriorityLevelConfiguration or FlowSchema changed. */
  reconfigure(): void {
    const specs = [...this.storage.scan(PRIORITY_LEVELS)].map(([, level]) => ({
      name: String(metaOf(level).name),
      ...specOf(level),
    }));
    const shareSum = specs.reduce((sum, s) => sum + s.shares, 0);
    const next = new Map<string, LevelLimits>();
    this.nominalSum = 0;
    for (const s of specs) {
      const nominal =
        shareSum > 0 ? Math.ceil((SERVER_CONCURRENCY_LIMIT * s.shares) / shareSum) : 0;
      const lendable = s.lendable === undefined ? 0 : Math.round((nominal * s.lendable) / 100);
      const borrowing =
        s.borrowing === undefined
          ? SERVER_CONCURRENCY_LIMIT
          : Math.round((nominal * s.borrowing) / 100);
      this.nominalSum += nominal;
      const maxSeats = s.queuing ? queueLevelMaxSeats(nominal, s.queuing.handSize) : 0;
      const limits = {
        exempt: s.exempt,
        queuing: s.queuing,
        nominal,
        min: nominal - lendable,
        maxSeats,
      };
      const old = this.levels.get(s.name);
      // A level keeps its object (requests in flight read it) and its current limit.
      next.set(
        s.name,
        old
          ? Object.assign(old, limits, { max: nominal + borrowing })
          : {
              ...limits,
              max: nominal + borrowing,
              demand: new SeatDemand(),
              current: nominal - Math.floor(lendable / 2),
            },
      );
    }
    this.levels = next;
    this.adjust();
  }

  /** Sets every level's current limit from the demand seen since the last adjustment. */
  adjust(): void {
    this.divide();
    this.adjusted();
  }

  private divide(): void {
    let remaining = this.nominalSum;
    let minSum = 0;
    let minCurrentSum = 0;
    const limited: LevelLimits[] = [];
    const floors = new Map<LevelLimits, number>();
    for (const level of this.levels.values()) {
      level.demand.endPeriod();
      const watermark = level.demand.highWatermark;
      if (level.exempt) {
        level.current = Math.max(level.min, watermark);
        remaining -= level.current;
        continue;
      }
      const floor = Math.max(level.min, Math.min(level.nominal, watermark));
      floors.set(level, floor);
      limited.push(level);
      minSum += level.min;
      minCurrentSum += floor;
    }
    if (remaining <= minSum) {
      for (const level of limited) level.current = level.min;
      return;
    }
    if (remaining <= minCurrentSum) {
      const share = (remaining - minSum) / (minCurrentSum - minSum);
      for (const level of limited) {
        level.current = level.min + Math.round((floors.get(level)! - level.min) * share);
      }
      return;
    }
    const allocs = allocateConcurrency(
      this.nominalSum,
      limited.map((level) => ({
        lowerBound: floors.get(level)!,
        upperBound: level.max,
        target: Math.max(floors.get(level)!, level.demand.smoothed),
      })),
    );
    if (!allocs) return;
    limited.forEach((level, i) => {
      level.current = Math.round(allocs[i]!);
    });
  }
}
