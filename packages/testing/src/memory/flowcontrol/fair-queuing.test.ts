import { afterEach, describe, expect, it, vi } from 'vitest';
import { dealHand, type Queue, QueueSet } from './fair-queuing.js';
import type { DumpedRequest } from './request-dumps.js';

/** A request of one seat. */
function one(): DumpedRequest {
  return {
    flowSchema: 'fs',
    distinguisher: '',
    arrived: 0n,
    work: { initialSeats: 1, finalSeats: 0, additionalSeconds: 0 },
    userName: 'alice',
    attrs: { resourceRequest: false, verb: 'get', path: '/' },
    path: '/',
  };
}

/** Ends the one request executing from `queue` after `serviceSeconds`. */
function finishOne(set: QueueSet, queue: Queue, serviceSeconds: number) {
  const [request] = queue.executing;
  set.finished(queue, request!, serviceSeconds);
}
const always = () => true;

afterEach(() => {
  vi.useRealTimers();
});

describe('dealHand', () => {
  it('deals the hands kube-apiserver’s shuffle sharding deals (checked against Go)', () => {
    expect(dealHand('global-default', 'alice', 128, 6)).toEqual([55, 62, 126, 125, 105, 1]);
    expect(dealHand('e2e-fair', 'bob', 64, 1)).toEqual([6]);
    expect(dealHand('workload-low', 'ns1', 128, 6)).toEqual([88, 104, 81, 121, 91, 103]);
    expect(dealHand('x', '', 8, 8)).toEqual([4, 3, 5, 0, 2, 7, 6, 1]);
  });
});

describe('QueueSet', () => {
  it('serves a queue that waited less before a busy flow’s next request', () => {
    vi.useFakeTimers();
    const set = new QueueSet();
    set.resize(2);
    const [a, b] = set.queues as [Queue, Queue];
    const order: string[] = [];
    const running: Queue[] = [];
    const start = (name: string) => (from: Queue) => {
      order.push(name);
      running.push(from);
    };
    set.sync(1);
    set.enqueue(a, one(), start('a1'));
    expect(set.dispatchNext(always, 1)).toBe(true);
    set.enqueue(a, one(), start('a2'));
    set.enqueue(a, one(), start('a3'));
    vi.advanceTimersByTime(500);
    set.sync(1);
    set.enqueue(b, one(), start('b1'));
    vi.advanceTimersByTime(3500);
    set.sync(1);
    finishOne(set, running.shift()!, 4);
    expect(set.dispatchNext(always, 1)).toBe(true);
    finishOne(set, running.shift()!, 1);
    expect(set.dispatchNext(always, 1)).toBe(true);
    expect(set.dispatchNext(always, 1)).toBe(true);
    expect(set.dispatchNext(always, 1)).toBe(false);
    expect(order).toEqual(['a1', 'b1', 'a2', 'a3']);
  });

  it('joins the hand’s queue with the fewest waiting, from a rotating start', () => {
    const set = new QueueSet();
    set.resize(4);
    const noop = () => {};
    set.enqueue(set.queues[1]!, one(), noop);
    expect(set.choose([1, 2])).toBe(set.queues[2]);
    set.enqueue(set.queues[2]!, one(), noop);
    // Both hold one: the first looked at wins, and the start rotates with each choice.
    expect(set.choose([1, 2])).toBe(set.queues[2]);
    expect(set.choose([1, 2])).toBe(set.queues[1]);
  });

  it('lets a waiting request leave once', () => {
    const set = new QueueSet();
    set.resize(1);
    const w = set.enqueue(set.queues[0]!, one(), () => {});
    expect(set.waitingCount).toBe(1);
    expect(set.leave(w)).toBe(true);
    expect(set.leave(w)).toBe(false);
    expect(set.dispatchNext(always, 1)).toBe(false);
  });

  it('drops an extra queue only when a request leaves it empty', () => {
    const set = new QueueSet();
    set.resize(3);
    const [a, b, c] = set.queues as [Queue, Queue, Queue];
    const running: Queue[] = [];
    const start = (from: Queue) => running.push(from);
    set.enqueue(b, one(), start);
    set.enqueue(b, one(), start);
    set.enqueue(c, one(), start);
    expect(set.dispatchNext(always, 3)).toBe(true);
    expect(set.dispatchNext(always, 3)).toBe(true);
    set.resize(1);
    // Lowering the number takes nothing away: `a` never had a request.
    expect(set.queues).toEqual([a, b, c]);
    // `b` still has a request waiting: it stays.
    finishOne(set, b, 0.001);
    set.release(b, 1);
    expect(set.queues).toHaveLength(3);
    expect(set.dispatchNext(always, 3)).toBe(true);
    finishOne(set, b, 0.001);
    set.release(b, 1);
    expect(set.queues).toEqual([a, c]);
    finishOne(set, c, 0.001);
    set.release(c, 1);
    expect(set.queues).toEqual([a]);
    expect(running).toEqual([b, c, b]);
  });
});
