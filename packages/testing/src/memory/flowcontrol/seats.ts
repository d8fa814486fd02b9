/**
 * API Priority and Fairness limits, as kube-apiserver applies them after classification:
 * each `Limited` priority level gets `ceil(600 × nominalConcurrencyShares / sum of all
 * levels' shares)` seats (600 being kube-apiserver's default server concurrency limit,
 * `--max-requests-inflight` 400 plus `--max-mutating-requests-inflight` 200), one seat per
 * request until its response ends (a watch only while it starts); `Exempt` levels have
 * no limit. A request that finds no free seat is refused at once with kube-apiserver's
 * 429 when its level's `limitResponse` is `Reject`; with `Queue` it waits in one of the
 * queues its flow's hand (`handSize` of `queues`) picks, the shortest, and is refused when
 * that queue holds `queueLengthLimit` requests or after kube-apiserver's wait limit of
 * 15 seconds (a quarter of its request timeout). Our own copy, because the
 * limit a test floods is kube-apiserver's arithmetic.
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { Storage } from '../storage.js';
import { PRIORITY_LEVELS } from './bootstrap-configuration.js';
import type { Classification } from './classify.js';
import { DroppedRequests } from './retry-after.js';

const SERVER_CONCURRENCY_LIMIT = 600;
const QUEUE_WAIT_LIMIT_MS = 15_000;

interface Waiting {
  readonly start: () => void;
  readonly timer: NodeJS.Timeout;
}

interface LevelState {
  executing: number;
  queues: Waiting[][];
}

/** A level's spec members that decide its seats and what happens without one. */
function limitsOf(level: JsonObject): {
  shares: number;
  exempt: boolean;
  queuing?: { queues: number; handSize: number; queueLengthLimit: number };
} {
  const spec = isObject(level.spec) ? level.spec : {};
  if (spec.type === 'Exempt') {
    const exempt = isObject(spec.exempt) ? spec.exempt : {};
    return { shares: Number(exempt.nominalConcurrencyShares ?? 0), exempt: true };
  }
  const limited = isObject(spec.limited) ? spec.limited : {};
  const response = isObject(limited.limitResponse) ? limited.limitResponse : {};
  const q = isObject(response.queuing) ? response.queuing : undefined;
  return {
    shares: Number(limited.nominalConcurrencyShares ?? 30),
    exempt: false,
    ...(response.type === 'Queue' && q
      ? {
          queuing: {
            queues: Number(q.queues ?? 64),
            handSize: Number(q.handSize ?? 8),
            queueLengthLimit: Number(q.queueLengthLimit ?? 50),
          },
        }
      : {}),
  };
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

/** The seats of every priority level of one server. */
export class PrioritySeats {
  private readonly levels = new Map<string, LevelState>();
  private readonly dropped = new DroppedRequests();

  constructor(private readonly storage: Storage) {}

  /**
   * Runs `serve` once the request classified as `c` has a seat (at once if one is free),
   * and frees the seat when `res` ends, or earlier when `serve` calls the `release` it is
   * given (a watch, once started); answers 429 instead when it gets none.
   */
  dispatch(c: Classification, res: ServerResponse, serve: (release: () => void) => void): void {
    const limits = limitsOf(c.level);
    if (limits.exempt) {
      serve(() => {});
      return;
    }
    const name = String(metaOf(c.level).name);
    const state = this.stateOf(name, limits.queuing?.queues ?? 0);
    const limit = this.nominalLimit(limits.shares);
    const start = () => {
      state.executing++;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        state.executing--;
        this.next(state, limit);
      };
      res.once('close', release);
      serve(release);
    };
    if (state.executing < limit && state.queues.every((q) => q.length === 0)) {
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
        const waiting: Waiting = {
          start,
          timer: setTimeout(() => {
            queue.splice(queue.indexOf(waiting), 1);
            this.refuse(name, res);
          }, QUEUE_WAIT_LIMIT_MS),
        };
        waiting.timer.unref();
        queue.push(waiting);
        // A client that goes away stops waiting.
        res.once('close', () => {
          const at = queue.indexOf(waiting);
          if (at < 0) return;
          queue.splice(at, 1);
          clearTimeout(waiting.timer);
        });
        return;
      }
    }
    this.refuse(name, res);
  }

  /** Starts waiting requests, queue by queue in turn, while seats are free. */
  private next(state: LevelState, limit: number): void {
    let turn = 0;
    while (state.executing < limit) {
      const queues = state.queues.filter((q) => q.length > 0);
      if (queues.length === 0) return;
      const waiting = queues[turn % queues.length]!.shift()!;
      turn++;
      clearTimeout(waiting.timer);
      waiting.start();
    }
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

  private stateOf(name: string, queues: number): LevelState {
    let state = this.levels.get(name);
    if (!state || state.queues.length !== queues) {
      state = {
        executing: state?.executing ?? 0,
        queues: Array.from({ length: queues }, (_, i) => state?.queues[i] ?? []),
      };
      this.levels.set(name, state);
    }
    return state;
  }

  /** The level's nominal concurrency limit, from its shares and every level's. */
  private nominalLimit(shares: number): number {
    let sum = 0;
    for (const [, level] of this.storage.scan(PRIORITY_LEVELS)) sum += limitsOf(level).shares;
    return sum > 0
      ? Math.ceil((SERVER_CONCURRENCY_LIMIT * shares) / sum)
      : SERVER_CONCURRENCY_LIMIT;
  }
}
