import { describe, expect, it } from 'vitest';
import { Action } from './action.js';
import { ErrorBackoff } from './error-backoff.js';
import { decide } from './worker.js';

const boom = new Error('boom');

describe('decide (outcome → next request and metric)', () => {
  it('maps each outcome to controller-runtime’s result label and the next request', () => {
    const backoff = new ErrorBackoff();
    expect(decide({ ok: true, action: Action.awaitChange() }, 'a', backoff)).toMatchObject({
      metric: 'success',
      requeue: undefined,
      retried: false,
    });
    expect(decide({ ok: true, action: Action.requeue(0) }, 'a', backoff)).toMatchObject({
      metric: 'requeue',
      requeue: { type: 'requeue', afterMs: 0 },
    });
    expect(decide({ ok: true, action: Action.requeue(60_000) }, 'a', backoff)).toMatchObject({
      metric: 'requeue_after',
      requeue: { type: 'requeue', afterMs: 60_000 },
    });
    expect(
      decide({ ok: false, error: boom, action: Action.requeue(42) }, 'a', backoff),
    ).toMatchObject({
      metric: 'error',
      requeue: { type: 'errorBackoff', afterMs: 42 },
      retried: false,
    });
    expect(
      decide({ ok: false, error: boom, action: Action.awaitChange() }, 'a', backoff),
    ).toMatchObject({ metric: 'error', requeue: undefined });
  });

  it('resolves Action.backoff() per object, and forgets an object’s backoff after a success', () => {
    const backoff = new ErrorBackoff();
    const fail = (key: string) =>
      decide({ ok: false, error: boom, action: Action.backoff() }, key, backoff);
    expect([fail('a'), fail('a'), fail('b'), fail('a')].map((d) => d.requeue?.afterMs)).toEqual([
      500, 1000, 500, 2000,
    ]);
    const retry = fail('a');
    expect(retry.retried).toBe(true);
    // The emitted result carries the resolved delay, not the sentinel.
    expect(retry.outcome.action).toEqual(Action.requeue(4000));
    decide({ ok: true, action: Action.awaitChange() }, 'a', backoff);
    expect(fail('a').requeue?.afterMs).toBe(500);
    expect(fail('b').requeue?.afterMs).toBe(1000);
  });
});
