/**
 * API Priority and Fairness seats, as kube-apiserver's filter hands them out after
 * classification: a `Limited` level's requests hold at most its current concurrency limit
 * (`concurrency-limits.ts`) of seats, one per request until its response ends (a watch only
 * while it starts); `Exempt` levels have no limit. A request that finds no free seat is
 * refused at once with kube-apiserver's 429 when its level's `limitResponse` is `Reject`;
 * with `Queue` it waits in one of the queues its flow's hand (`handSize` of `queues`)
 * picks, the shortest, and is refused when that queue holds `queueLengthLimit` requests or
 * after kube-apiserver's wait limit of 15 seconds (a quarter of its request timeout). Every
 * level's seat demand (seats held plus seats waiting) is recorded for the limits'
 * adjustments. Our own copy, because the limit a test floods is kube-apiserver's arithmetic.
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Change } from '../history.js';
import { metaOf } from '../object-meta.js';
import type { Storage } from '../storage.js';
import { FLOW_SCHEMAS, PRIORITY_LEVELS } from './bootstrap-configuration.js';
import type { Classification } from './classify.js';
import { ConcurrencyLimits, type LevelLimits } from './concurrency-limits.js';
import { DroppedRequests } from './retry-after.js';

const QUEUE_WAIT_LIMIT_MS = 15_000;

interface Waiting {
  readonly start: () => void;
  readonly timer: NodeJS.Timeout;
}

interface LevelState {
  executing: number;
  queues: Waiting[][];
}

/** The queue indexes a flow may use: `handSize` distinct ones of `queues`, fixed per flow. */
function handOf(flow: string, queues: number, handSize: number): number[] {
  const digest = createHash('sha256').update(flow).digest();
  const hand: number[] = [];
  for (let i = 0; hand.length < Math.min(handSize, queues); i++) {
    const pick = digest.readUInt32BE((i * 4) % 28) % queues;
    const next = hand.includes(pick) ? (pick + i + 1) % queues : pick;
    if (!hand.includes(next)) hand.push(next);
  }
  return hand;
}

/**
 * Whether one more request fits: below the current limit, or alone (kube-apiserver's
 * queue set serves a request when nothing executes, even at a limit of 0).
 */
function fits(state: LevelState, limits: LevelLimits): boolean {
  return state.executing === 0 || state.executing < limits.current;
}

/** The seats of every priority level of one server. */
export class PrioritySeats {
  private readonly levels = new Map<string, LevelState>();
  private readonly dropped = new DroppedRequests();
  private readonly limits: ConcurrencyLimits;

  constructor(storage: Storage) {
    this.limits = new ConcurrencyLimits(storage);
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
    const start = () => {
      state.executing++;
      this.noteDemand(state, limits);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        state.executing--;
        this.next(state, limits);
        this.noteDemand(state, limits);
      };
      res.once('close', release);
      serve(release);
    };
    if (limits.exempt || (fits(state, limits) && state.queues.every((q) => q.length === 0))) {
      start();
      return;
    }
    const q = limits.queuing;
    if (q) {
      const hand = handOf(c.flow, q.queues, q.handSize);
      const index = hand.reduce((best, i) =>
        state.queues[i]!.length < state.queues[best]!.length ? i : best,
      );
      const queue = state.queues[index]!;
      if (queue.length < q.queueLengthLimit) {
        const leave = () => {
          const at = queue.indexOf(waiting);
          if (at < 0) return false;
          queue.splice(at, 1);
          this.noteDemand(state, limits);
          return true;
        };
        const waiting: Waiting = {
          start,
          timer: setTimeout(() => {
            if (leave()) this.refuse(name, res);
          }, QUEUE_WAIT_LIMIT_MS),
        };
        waiting.timer.unref();
        queue.push(waiting);
        this.noteDemand(state, limits);
        // A client that goes away stops waiting.
        res.once('close', () => {
          if (leave()) clearTimeout(waiting.timer);
        });
        return;
      }
    }
    this.refuse(name, res);
  }

  /** Starts waiting requests, queue by queue in turn, while seats are free. */
  private next(state: LevelState, limits: LevelLimits): void {
    let turn = 0;
    while (fits(state, limits)) {
      const queues = state.queues.filter((q) => q.length > 0);
      if (queues.length === 0) return;
      const waiting = queues[turn % queues.length]!.shift()!;
      turn++;
      clearTimeout(waiting.timer);
      waiting.start();
    }
  }

  /** Records the level's seat demand: seats held and seats waiting. */
  private noteDemand(state: LevelState, limits: LevelLimits): void {
    limits.demand.set(state.executing + state.queues.reduce((n, q) => n + q.length, 0));
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
      state = { executing: 0, queues: [] };
      this.levels.set(name, state);
    }
    // Queues are only added: those a smaller configuration no longer picks drain as seats free.
    const queues = limits.queuing?.queues ?? 0;
    while (state.queues.length < queues) state.queues.push([]);
    return state;
  }
}
