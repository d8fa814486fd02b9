/**
 * API Priority and Fairness seats, as kube-apiserver's filter hands them out after
 * classification: a `Limited` level's requests hold at most its current concurrency limit
 * (`concurrency-limits.ts`) of seats, one per request until its response ends (a watch only
 * while it starts); `Exempt` levels have no limit. With `Reject`, a request that finds no
 * free seat is refused at once with kube-apiserver's 429, but one is served when nothing of
 * its level runs, even at a limit of 0. With `Queue` every request joins a queue of its
 * flow's hand and leaves it by fair queuing (`fair-queuing.ts`) while seats are free; it is
 * refused when its queue is full and no seat is free, or after kube-apiserver's wait limit
 * of 15 seconds (a quarter of its request timeout). Every level's seat demand (seats held
 * plus seats waiting) is recorded for the limits' adjustments. Our own copy, because the
 * limit a test floods is kube-apiserver's arithmetic.
 */
import type { ServerResponse } from 'node:http';
import type { Change } from '../history.js';
import { metaOf } from '../object-meta.js';
import type { Storage } from '../storage.js';
import { FLOW_SCHEMAS, PRIORITY_LEVELS } from './bootstrap-configuration.js';
import type { Classification } from './classify.js';
import { ConcurrencyLimits, type LevelLimits } from './concurrency-limits.js';
import { dealHand, type Queue, QueueSet } from './fair-queuing.js';
import { DroppedRequests } from './retry-after.js';

const QUEUE_WAIT_LIMIT_MS = 15_000;

interface LevelState {
  /** Seats held by the level's requests. */
  executing: number;
  readonly queues: QueueSet;
}

/** The seats of every priority level of one server. */
export class PrioritySeats {
  private readonly levels = new Map<string, LevelState>();
  private readonly dropped = new DroppedRequests();
  private readonly limits: ConcurrencyLimits;

  constructor(storage: Storage) {
    this.limits = new ConcurrencyLimits(storage, () => this.dispatchAll());
    this.limits.start();
  }

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey === PRIORITY_LEVELS || c.resKey === FLOW_SCHEMAS) this.limits.reconfigure();
  }

  /** Stops adjusting the limits. */
  stop(): void {
    this.limits.stop();
  }

  /**
   * Runs `serve` once the request classified as `c` has a seat (at once if one is free),
   * and frees the seat when `res` ends, or earlier when `serve` calls the `release` it is
   * given (a watch, once started); answers 429 instead when it gets none.
   */
  dispatch(c: Classification, res: ServerResponse, serve: (release: () => void) => void): void {
    const name = String(metaOf(c.level).name);
    const limits = this.limits.of(name);
    if (!limits) {
      serve(() => {});
      return;
    }
    const state = this.stateOf(name, limits);
    const start = (queue?: Queue) => {
      state.executing++;
      this.noteDemand(state, limits);
      const started = performance.now();
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        state.queues.sync(limits.current);
        state.executing--;
        if (queue) state.queues.finished(queue, (performance.now() - started) / 1000);
        this.dispatchQueued(state, limits);
        this.noteDemand(state, limits);
      };
      res.once('close', release);
      serve(release);
    };
    const q = limits.queuing;
    if (limits.exempt || !q) {
      if (limits.exempt || state.executing === 0 || state.executing < limits.current) start();
      else this.refuse(name, res);
      return;
    }
    state.queues.sync(limits.current);
    const queue = state.queues.choose(
      dealHand(c.flowSchema, c.distinguisher, q.queues, q.handSize),
    );
    if (state.executing >= limits.current && queue.waiting.length >= q.queueLengthLimit) {
      this.refuse(name, res);
      return;
    }
    const timer = setTimeout(() => {
      if (state.queues.leave(waiting)) {
        this.noteDemand(state, limits);
        this.refuse(name, res);
      }
    }, QUEUE_WAIT_LIMIT_MS);
    timer.unref();
    const waiting = state.queues.enqueue(queue, (from) => {
      clearTimeout(timer);
      start(from);
    });
    // A client that goes away stops waiting.
    res.once('close', () => {
      if (!state.queues.leave(waiting)) return;
      clearTimeout(timer);
      this.noteDemand(state, limits);
    });
    this.noteDemand(state, limits);
    this.dispatchQueued(state, limits);
  }

  /** Starts waiting requests of every level that has free seats (after an adjustment). */
  private dispatchAll(): void {
    for (const [name, state] of this.levels) {
      const limits = this.limits.of(name);
      if (limits) this.dispatchQueued(state, limits);
    }
  }

  /** Starts waiting requests, by fair queuing, while seats are free. */
  private dispatchQueued(state: LevelState, limits: LevelLimits): void {
    while (state.executing < limits.current && state.queues.dispatchNext()) {
      // Each dispatch started one request.
    }
  }

  /** Records the level's seat demand: seats held and seats waiting. */
  private noteDemand(state: LevelState, limits: LevelLimits): void {
    limits.demand.set(state.executing + state.queues.waitingCount);
  }

  private refuse(level: string, res: ServerResponse): void {
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
      state = { executing: 0, queues: new QueueSet() };
      this.levels.set(name, state);
    }
    state.queues.resize(limits.queuing?.queues ?? 0);
    return state;
  }
}
