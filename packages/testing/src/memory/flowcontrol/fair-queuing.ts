/**
 * The queues of one `Queue` priority level, as kube-apiserver's fair queuing for server
 * requests keeps them. A flow (its FlowSchema and distinguisher, hashed with SHA-256 as
 * kube-apiserver hashes it) is dealt a hand of `handSize` of the level's queues by shuffle
 * sharding, and a new request joins the one of them with the least waiting work (looked at
 * from a rotating start). Requests leave the queues by virtual finish time: a progress meter
 * R advances with real time at `min(seats wanted, limit) / active queues` seat-seconds per
 * second; a queue that becomes active starts at R; dispatching a request moves its queue on
 * by its estimated work (3 ms a seat plus its final seats' work), and its completion
 * corrects that by the time it really took; a queue's next dispatch is never before its
 * head request's arrival; the queue whose head would finish first is served next, ties
 * going round robin, once there are seats for it. Requests are as wide as their work
 * estimate (`work-estimate.ts`). Our own copy, because which waiting request
 * a test sees served first is this arithmetic.
 */
import { createHash } from 'node:crypto';
import { seconds } from './clock.js';
import type { DumpedRequest } from './request-dumps.js';
import type { WorkEstimate } from './work-estimate.js';

/** kube-apiserver's estimated service time of a request, in seconds. */
const ESTIMATED_SERVICE_SECONDS = 0.003;

/** The seats a request holds at most: its initial or its final seats. */
export function widthOf(w: WorkEstimate): number {
  return Math.max(w.initialSeats, w.finalSeats);
}

/** A request's work in seat-seconds, as fair queuing charges it. */
export function totalWork(w: WorkEstimate): number {
  return w.initialSeats * ESTIMATED_SERVICE_SECONDS + w.finalSeats * w.additionalSeconds;
}

/** A request waiting in a queue. */
export interface Waiting {
  /** R when it arrived. */
  readonly arrivalR: number;
  readonly request: DumpedRequest;
  /** Starts it with its work (its final seats capped at the limit). */
  readonly start: (queue: Queue, work: WorkEstimate) => void;
}

/** One queue of a level. */
export interface Queue {
  readonly waiting: Waiting[];
  /** Requests dispatched from this queue that have not ended. */
  readonly executing: Set<DumpedRequest>;
  /** Seats held by requests dispatched from this queue. */
  seatsInUse: number;
  /** R at which its next request may start. */
  nextDispatchR: number;
}

/**
 * The `handSize` queue indexes of `queues` that kube-apiserver's shuffle sharding deals the
 * flow of `flowSchema` and `distinguisher`, in the order dealt.
 */
export function dealHand(
  flowSchema: string,
  distinguisher: string,
  queues: number,
  handSize: number,
): number[] {
  const digest = createHash('sha256')
    .update(flowSchema)
    .update(Buffer.of(0))
    .update(distinguisher)
    .digest();
  let hash = digest.readBigUInt64LE(0);
  const remainders: number[] = [];
  for (let i = 0; i < handSize; i++) {
    const deck = BigInt(queues - i);
    remainders.push(Number(hash % deck));
    hash /= deck;
  }
  return remainders.map((remainder, i) => {
    let card = remainder;
    for (let j = i; j > 0; j--) if (card >= remainders[j - 1]!) card++;
    return card;
  });
}

/** The queues of one level and its progress meter. */
export class QueueSet {
  readonly queues: Queue[] = [];
  private currentR = 0;
  private lastReal = seconds();
  private robin = -1;
  private enqueues = 0;
  /** The number of queues the level's configuration asks for now. */
  private desired = 0;

  /**
   * Sets the number of queues the level asks for: more are made at once; fewer, as
   * kube-apiserver does, only by attrition (see {@link release}).
   */
  resize(count: number): void {
    this.desired = count;
    while (this.queues.length < count) {
      this.queues.push({ waiting: [], executing: new Set(), seatsInUse: 0, nextDispatchR: 0 });
    }
  }

  /** The number of waiting requests. */
  get waitingCount(): number {
    return this.queues.reduce((n, q) => n + q.waiting.length, 0);
  }

  /** The seats the waiting requests ask for. */
  get waitingSeats(): number {
    let n = 0;
    for (const q of this.queues) for (const w of q.waiting) n += widthOf(w.request.work);
    return n;
  }

  /** Advances R to now, at the rate the level's last state allowed. */
  sync(limit: number): void {
    const now = seconds();
    const dt = now - this.lastReal;
    this.lastReal = now;
    let wanted = 0;
    let active = 0;
    for (const q of this.queues) {
      wanted += q.seatsInUse;
      for (const w of q.waiting) wanted += widthOf(w.request.work);
      if (q.waiting.length > 0 || q.executing.size > 0) active++;
    }
    if (active > 0) this.currentR += (Math.min(wanted, limit) / active) * dt;
  }

  /** The queue of the flow's hand a new request joins: the least waiting work. */
  choose(hand: readonly number[]): Queue {
    const offset = this.enqueues % hand.length;
    this.enqueues++;
    let best: Queue | undefined;
    let bestWork = Number.POSITIVE_INFINITY;
    for (let i = 0; i < hand.length; i++) {
      const queue = this.queues[hand[(offset + i) % hand.length]!]!;
      const work = queue.waiting.reduce((sum, w) => sum + totalWork(w.request.work), 0);
      if (work < bestWork) {
        best = queue;
        bestWork = work;
      }
    }
    return best!;
  }

  /** Puts `request` into `queue`; the waiting entry is returned so it can leave. */
  enqueue(
    queue: Queue,
    request: DumpedRequest,
    start: (queue: Queue, work: WorkEstimate) => void,
  ): Waiting {
    if (queue.waiting.length === 0 && queue.executing.size === 0) {
      queue.nextDispatchR = this.currentR;
    }
    const waiting: Waiting = { arrivalR: this.currentR, request, start };
    queue.waiting.push(waiting);
    this.boundNextDispatch(queue);
    return waiting;
  }

  /** Takes a waiting request out (it timed out or its client left); false if it was not there. */
  leave(waiting: Waiting): boolean {
    for (const queue of this.queues) {
      const at = queue.waiting.indexOf(waiting);
      if (at >= 0) {
        queue.waiting.splice(at, 1);
        return true;
      }
    }
    return false;
  }

  /**
   * Starts the waiting request whose virtual finish comes first, if `fits` its seats and
   * its final seats are capped at `limit`; false when none waits or it does not fit.
   */
  dispatchNext(fits: (seats: number) => boolean, limit: number): boolean {
    let best: Queue | undefined;
    let bestIndex = -1;
    let bestFinish = Number.POSITIVE_INFINITY;
    const n = this.queues.length;
    for (let k = 0; k < n; k++) {
      this.robin = (this.robin + 1) % n;
      const queue = this.queues[this.robin]!;
      const head = queue.waiting[0];
      if (!head) continue;
      const finish = queue.nextDispatchR + totalWork(head.request.work);
      if (finish < bestFinish) {
        bestFinish = finish;
        best = queue;
        bestIndex = this.robin;
      }
    }
    if (!best || !fits(widthOf(best.waiting[0]!.request.work))) return false;
    const waiting = best.waiting.shift()!;
    let work = waiting.request.work;
    // Final seats beyond the limit are fewer seats for longer: the same final work.
    if (work.finalSeats > limit) {
      const finalSeats = limit;
      const finalWork = work.finalSeats * work.additionalSeconds;
      work = { ...work, finalSeats, additionalSeconds: finalWork / finalSeats };
    }
    this.robin = bestIndex;
    best.executing.add(waiting.request);
    best.seatsInUse += widthOf(work);
    best.nextDispatchR += totalWork(waiting.request.work);
    this.boundNextDispatch(best);
    waiting.start(best, work);
    return true;
  }

  /**
   * Notes that `request`, dispatched from `queue`, ended after `serviceSeconds` (its seats
   * are given back by {@link release}).
   */
  finished(queue: Queue, request: DumpedRequest, serviceSeconds: number): void {
    queue.executing.delete(request);
    queue.nextDispatchR -= request.work.initialSeats * (ESTIMATED_SERVICE_SECONDS - serviceSeconds);
    this.boundNextDispatch(queue);
  }

  /**
   * Gives back `seats` held by a request of `queue`. While there are more queues than the
   * level asks for, the queue goes if that left it empty, the later ones moving up an index
   * (kube-apiserver drops an extra queue only so, never one no request leaves).
   */
  release(queue: Queue, seats: number): void {
    queue.seatsInUse -= seats;
    if (this.queues.length <= this.desired) return;
    if (queue.waiting.length > 0 || queue.executing.size > 0) return;
    const index = this.queues.indexOf(queue);
    if (index < 0) return;
    this.queues.splice(index, 1);
    // The robin still names the queue after the one last served.
    if (this.robin >= index) this.robin--;
  }

  /** kube-apiserver's anti-windup: a queue's next dispatch is not before its head's arrival. */
  private boundNextDispatch(queue: Queue): void {
    const head = queue.waiting[0];
    if (head && queue.nextDispatchR < head.arrivalR) queue.nextDispatchR = head.arrivalR;
  }
}
