/**
 * API Priority and Fairness seats, as kube-apiserver's filter hands them out after
 * classification: a `Limited` level's requests hold at most its current concurrency limit
 * (`concurrency-limits.ts`) of seats, each request as many as the work estimator gives it
 * (`work-estimate.ts`) until its response ends (a watch only while it starts), and its
 * final seats a little longer; `Exempt` levels have no limit. With `Reject`, a request that
 * finds too few free seats is refused at once with kube-apiserver's 429, but one is served
 * when nothing of its level runs and it asks for more than the limit. With `Queue` every
 * request joins a queue of its flow's hand and leaves it by fair queuing (`fair-queuing.ts`)
 * once its seats are free; it is refused when its queue is full and no seat is free, or
 * after kube-apiserver's wait limit of 15 seconds (a quarter of its request timeout).
 * Every level's seat demand (seats held plus seats waiting) is recorded for the limits'
 * adjustments. Our own copy, because the limit a test floods is kube-apiserver's
 * arithmetic.
 */
import type { ServerResponse } from 'node:http';
import type { RequestAttributes } from '../auth/request-attributes.js';
import type { Change } from '../history.js';
import type { MetricFamily } from '../metrics/exposition.js';
import { metaOf } from '../object-meta.js';
import type { Storage } from '../storage.js';
import { FLOW_SCHEMAS, PRIORITY_LEVELS } from './bootstrap-configuration.js';
import type { Classification } from './classify.js';
import { seconds, wallNanos } from './clock.js';
import { ConcurrencyLimits, type LevelLimits } from './concurrency-limits.js';
import { dealHand, type Queue, QueueSet, widthOf } from './fair-queuing.js';
import { FlowDurations } from './flow-durations.js';
import { flowControlFamilies } from './flow-metrics.js';
import { FlowStats, type RejectReason } from './flow-stats.js';
import { InflightWatermarks, requestKind } from './inflight-watermarks.js';
import { type CountTiming, ObjectCounts } from './object-counts.js';
import { dumpPriorityLevels } from './priority-level-dump.js';
import {
  type DumpedRequest,
  dumpQueues,
  dumpRequests,
  type LevelQueuesDigest,
} from './request-dumps.js';
import { DroppedRequests } from './retry-after.js';
import { WatchCounts } from './watch-count.js';
import { estimateWork, type WorkEstimate } from './work-estimate.js';

const QUEUE_WAIT_LIMIT_MS = 15_000;
const CUSTOM_RESOURCE_DEFINITIONS = 'customresourcedefinitions.apiextensions.k8s.io';
const ONE_SEAT: WorkEstimate = { initialSeats: 1, finalSeats: 0, additionalSeconds: 0 };

interface LevelState {
  /** Requests of the level running. */
  executing: number;
  /** Seats held by the level's requests (final seats included). */
  seatsInUse: number;
  readonly queues: QueueSet;
  /** Requests executing that took no queue (the level has none). */
  readonly queueless: Set<DumpedRequest>;
}

/** A request to dispatch: who asks what, with its URL's path and query. */
export interface SeatRequest {
  readonly classification: Classification;
  readonly userName: string;
  readonly attrs: RequestAttributes;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Called when it is refused (429, or its client left while it waited). */
  readonly refused: () => void;
}

/** The seats of every priority level of one server. */
export class PrioritySeats {
  private readonly levels = new Map<string, LevelState>();
  private readonly dropped = new DroppedRequests();
  private readonly limits: ConcurrencyLimits;
  private readonly counts: ObjectCounts;
  private readonly watches = new WatchCounts();
  private readonly stats = new FlowStats();
  private readonly durations = new FlowDurations();
  private readonly watermarks = new InflightWatermarks();

  /**
   * `served` lists the storage keys of the resources served now; `countTiming` says how
   * often (before jitter) each one's object counts are taken and when they are stale;
   * `builtin` tells a built-in resource by its storage key (its objects are sized as
   * protobuf).
   */
  constructor(
    storage: Storage,
    served: () => Iterable<string>,
    countTiming: CountTiming,
    builtin: (resource: string) => boolean,
  ) {
    this.limits = new ConcurrencyLimits(storage, () => this.dispatchAll());
    this.limits.start();
    this.counts = new ObjectCounts(storage, served, countTiming, builtin);
    this.counts.start();
    this.watermarks.start();
  }

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey === PRIORITY_LEVELS || c.resKey === FLOW_SCHEMAS) this.limits.reconfigure();
    // A custom resource's counts start when it is served and stop when it is no longer.
    if (c.resKey === CUSTOM_RESOURCE_DEFINITIONS) this.counts.sync();
  }

  /** Stops adjusting the limits and taking counts. */
  stop(): void {
    this.limits.stop();
    this.counts.stop();
    this.watermarks.stop();
  }

  /**
   * Runs `serve` once the request `r` has its seats (at once if they are free), and frees
   * them when `res` ends, or earlier when `serve` calls the `release` it is given (a watch,
   * once started); answers 429 instead when it gets none.
   */
  dispatch(r: SeatRequest, res: ServerResponse, serve: (release: () => void) => void): void {
    const name = String(metaOf(r.classification.level).name);
    const limits = this.limits.of(name);
    if (!limits) {
      serve(() => {});
      return;
    }
    const arrived = seconds();
    const state = this.stateOf(name, limits);
    const work = this.estimate(r, limits);
    const series = this.stats.series(name, r.classification.flowSchema);
    const kind = requestKind(r.attrs.verb);
    const q = limits.queuing;
    const request: DumpedRequest = {
      flowSchema: r.classification.flowSchema,
      // kube-apiserver tells flows apart only in a level of more than one queue.
      distinguisher: !limits.exempt && q && q.queues > 1 ? r.classification.distinguisher : '',
      arrived: wallNanos(),
      work,
      userName: r.userName,
      attrs: r.attrs,
      path: r.path,
    };
    const start = (w: WorkEstimate, queue?: Queue) => {
      const seats = widthOf(w);
      request.started = queue ? wallNanos() : request.arrived;
      if (!queue) state.queueless.add(request);
      state.executing++;
      this.watermarks.executingDelta(kind, 1);
      state.seatsInUse += seats;
      this.stats.dispatch(name, series.flowSchema);
      series.executing++;
      series.executingSeats += seats;
      this.noteDemand(state, limits);
      const started = seconds();
      if (!limits.exempt) this.durations.waited(name, series.flowSchema, true, started - arrived);
      const forgetWatch =
        r.attrs.resourceRequest && r.attrs.verb === 'watch'
          ? this.watches.register(r.attrs, r.query)
          : undefined;
      res.once('close', () => forgetWatch?.());
      let released = false;
      const giveBack = () => {
        state.queues.sync(limits.current);
        state.seatsInUse -= seats;
        series.executingSeats -= seats;
        if (queue) state.queues.release(queue, seats);
        this.dispatchQueued(state, limits);
        this.noteDemand(state, limits);
      };
      const release = () => {
        if (released) return;
        released = true;
        state.queues.sync(limits.current);
        state.executing--;
        this.watermarks.executingDelta(kind, -1);
        series.executing--;
        const ran = seconds() - started;
        this.durations.executed(name, series.flowSchema, r.attrs.verb === 'watch', ran);
        if (queue) state.queues.finished(queue, request, ran);
        else state.queueless.delete(request);
        if (w.additionalSeconds > 0) setTimeout(giveBack, w.additionalSeconds * 1000).unref();
        else giveBack();
      };
      res.once('close', release);
      serve(release);
    };
    const fits = (seats: number) => this.fits(state, limits, seats);
    if (limits.exempt || !q) {
      if (fits(widthOf(work))) start(work);
      else this.refuse(r, name, series.flowSchema, arrived, 'concurrency-limit', res);
      return;
    }
    state.queues.sync(limits.current);
    const c = r.classification;
    const queue = state.queues.choose(
      dealHand(c.flowSchema, c.distinguisher, q.queues, q.handSize),
    );
    if (state.seatsInUse >= limits.current && queue.waiting.length >= q.queueLengthLimit) {
      this.refuse(r, name, series.flowSchema, arrived, 'queue-full', res);
      return;
    }
    /** Takes the request out of its queue when it still waits; false when it does not. */
    const stopWaiting = () => {
      if (!state.queues.leave(waiting)) return false;
      clearTimeout(timer);
      series.waiting--;
      this.watermarks.waitingDelta(kind, -1);
      this.noteDemand(state, limits);
      return true;
    };
    const timer = setTimeout(() => {
      if (stopWaiting()) this.refuse(r, name, series.flowSchema, arrived, 'time-out', res);
    }, QUEUE_WAIT_LIMIT_MS);
    timer.unref();
    const waiting = state.queues.enqueue(queue, request, (from, w) => {
      clearTimeout(timer);
      series.waiting--;
      this.watermarks.waitingDelta(kind, -1);
      start(w, from);
    });
    series.waiting++;
    this.watermarks.waitingDelta(kind, 1);
    series.waited = true;
    // A client that goes away stops waiting: kube-apiserver counts it as timed out and
    // dropped.
    res.once('close', () => {
      if (stopWaiting()) this.refuse(r, name, series.flowSchema, arrived, 'time-out', res);
    });
    this.noteDemand(state, limits);
    this.dispatchQueued(state, limits);
  }

  /**
   * The `apiserver_flowcontrol_*` metrics (the wait and execution histograms too) and the
   * inflight and in-queue watermarks.
   */
  metricFamilies(): MetricFamily[] {
    const levels = [...this.limits.all()].map(([name, l]) => ({
      name,
      nominal: l.nominal,
      lower: l.min,
      upper: l.max,
      current: l.current,
    }));
    return [
      ...flowControlFamilies(levels, this.stats),
      ...this.durations.families(),
      ...this.watermarks.families(),
    ];
  }

  /** kube-apiserver's `dump_priority_levels` text. */
  priorityLevelsDump(): string {
    const digests = [...this.limits.all()].map(([name]) => {
      const state = this.levels.get(name);
      const totals = this.stats.totals(name);
      return {
        name,
        activeQueues: state ? state.queues.queues.filter((q) => q.waiting.length > 0).length : 0,
        waiting: state?.queues.waitingCount ?? 0,
        executing: state?.executing ?? 0,
        dispatched: totals.dispatched,
        rejected: totals.rejected,
        cancelled: totals.cancelled,
      };
    });
    return dumpPriorityLevels(digests);
  }

  /** kube-apiserver's `dump_queues` text. */
  queuesDump(): string {
    return dumpQueues(this.queueDigests());
  }

  /** kube-apiserver's `dump_requests` text, with who asked what when `includeDetails`. */
  requestsDump(includeDetails: boolean): string {
    return dumpRequests(this.queueDigests(), includeDetails);
  }

  /** Every level's queues and requests (a level's queues exist once it is configured). */
  private queueDigests(): LevelQueuesDigest[] {
    return [...this.limits.all()].map(([name, limits]) => {
      const state = this.stateOf(name, limits);
      return {
        name,
        queues: state.queues.queues.map((queue) => ({
          waiting: queue.waiting.map((w) => w.request),
          executing: queue.executing,
          seatsInUse: queue.seatsInUse,
          nextDispatchR: queue.nextDispatchR,
        })),
        queueless: state.queueless,
      };
    });
  }

  /** The request's work; one seat for what is not a resource request. */
  private estimate(r: SeatRequest, limits: LevelLimits): WorkEstimate {
    if (!r.attrs.resourceRequest) return ONE_SEAT;
    return estimateWork(r.attrs, r.query, {
      levelMaxSeats: limits.maxSeats,
      stats: (resource) => this.counts.of(resource),
      interestedWatches: (a) => this.watches.interested(a),
    });
  }

  /**
   * Whether a request of `seats` may start: always in an `Exempt` level; otherwise when
   * they are free, or when it asks for more than the limit and nothing of the level runs.
   */
  private fits(state: LevelState, limits: LevelLimits, seats: number): boolean {
    if (limits.exempt) return true;
    if (seats > limits.current) return state.executing === 0;
    return state.seatsInUse + seats <= limits.current;
  }

  /** Starts waiting requests of every level that has free seats (after an adjustment). */
  private dispatchAll(): void {
    // No level has requests yet while the limits are first read (in their constructor).
    if (this.levels.size === 0) return;
    // By the configured levels: a deleted level's name must not make the limits read the
    // levels again (which adjusts them, which calls this again).
    for (const [name, limits] of this.limits.all()) {
      const state = this.levels.get(name);
      if (state) this.dispatchQueued(state, limits);
    }
  }

  /** Starts waiting requests, by fair queuing, while their seats are free. */
  private dispatchQueued(state: LevelState, limits: LevelLimits): void {
    const fits = (seats: number) => this.fits(state, limits, seats);
    while (
      state.queues.waitingCount > 0 &&
      state.seatsInUse < limits.current &&
      state.queues.dispatchNext(fits, limits.current)
    ) {
      // Each dispatch started one request.
    }
  }

  /** Records the level's seat demand: seats held and seats waiting. */
  private noteDemand(state: LevelState, limits: LevelLimits): void {
    limits.demand.set(state.seatsInUse + state.queues.waitingSeats);
  }

  /** Answers 429; `arrived` is when the request was classified (its wait is observed). */
  private refuse(
    r: SeatRequest,
    level: string,
    flowSchema: string,
    arrived: number,
    reason: RejectReason,
    res: ServerResponse,
  ) {
    r.refused();
    this.stats.reject(level, flowSchema, reason);
    this.durations.waited(level, flowSchema, false, seconds() - arrived);
    this.dropped.record(level);
    if (res.destroyed || res.headersSent) {
      res.end();
      return;
    }
    // Go's http.Error, as kube-apiserver's filter answers.
    res.setHeader('Retry-After', String(this.dropped.retryAfter(level)));
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.writeHead(429);
    res.end('Too many requests, please try again later.\n');
  }

  /** The level's seats and queues (at least as many queues as its configuration has now). */
  private stateOf(name: string, limits: LevelLimits): LevelState {
    let state = this.levels.get(name);
    if (!state) {
      state = { executing: 0, seatsInUse: 0, queues: new QueueSet(), queueless: new Set() };
      this.levels.set(name, state);
    }
    state.queues.resize(limits.queuing?.queues ?? 0);
    return state;
  }
}
