import type { V1ConfigMap } from '@kubernetes/client-node';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Action } from './action.js';
import { invokeReconciler } from './invoke.js';
import type { ReconcileReason } from './reason.js';
import { type ReconcileInfo, Reconciler, ReconcileTimeoutError } from './reconciler.js';

const logger = pino({ level: 'silent' });
const reason: ReconcileReason = { type: 'objectUpdated' };
const cm: V1ConfigMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'a', namespace: 'ns' },
};

class Fn extends Reconciler<V1ConfigMap, string> {
  constructor(
    readonly fn: (obj: V1ConfigMap, ctx: string, info: ReconcileInfo) => Promise<Action>,
  ) {
    super();
  }
  reconcile(obj: V1ConfigMap, ctx: string, info: ReconcileInfo): Promise<Action> {
    return this.fn(obj, ctx, info);
  }
}

describe('invokeReconciler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('makes the per-object logger only when the reconciler uses it, and once', async () => {
    let made = 0;
    const makeLogger = () => {
      made++;
      return logger.child({ object: 'ns/a' });
    };
    await invokeReconciler(new Fn(async () => Action.awaitChange()), cm, 'c', reason, makeLogger);
    expect(made).toBe(0);
    const bound: unknown[] = [];
    const uses = new Fn(async (_obj, _ctx, info) => {
      const first = info.logger;
      bound.push(first.bindings(), first === info.logger);
      return Action.awaitChange();
    });
    await invokeReconciler(uses, cm, 'c', reason, makeLogger);
    expect(made).toBe(1);
    expect(bound).toEqual([{ object: 'ns/a' }, true]);
  });

  it('passes the object, the context and the reason, and returns the action', async () => {
    const seen: unknown[] = [];
    const r = new Fn(async (obj, ctx, info) => {
      seen.push(obj.metadata?.name, ctx, info.reason);
      return Action.requeue(10);
    });
    const outcome = await invokeReconciler(r, cm, 'ctx', reason, () => logger);
    expect(outcome).toEqual({ ok: true, action: Action.requeue(10) });
    expect(seen).toEqual(['a', 'ctx', reason]);
  });

  it.each([
    ['an Error', new Error('boom')],
    ['a string', 'just a string'],
    ['undefined', undefined],
    ['an object', { code: 42 }],
  ])('sends %s thrown by reconcile to errorPolicy', async (_label, thrown) => {
    const r = new Fn(async () => {
      throw thrown;
    });
    const policy = vi.spyOn(r, 'errorPolicy');
    const outcome = await invokeReconciler(r, cm, 'ctx', reason, () => logger);
    expect(outcome).toEqual({ ok: false, error: thrown, action: Action.requeue(500) });
    expect(policy).toHaveBeenCalledWith(cm, thrown, 'ctx');
  });

  it('treats a synchronous throw like a rejection', async () => {
    const r = new Fn(() => {
      throw new Error('sync');
    });
    const outcome = await invokeReconciler(r, cm, 'ctx', reason, () => logger);
    expect(outcome.ok).toBe(false);
  });

  it('backs off per object and resets after a success', async () => {
    let fail = true;
    const r = new Fn(async () => {
      if (fail) throw new Error('boom');
      return Action.awaitChange();
    });
    const delays: (number | undefined)[] = [];
    for (let i = 0; i < 3; i++) {
      delays.push(
        (await invokeReconciler(r, cm, 'ctx', reason, () => logger)).action.requeueAfterMs,
      );
    }
    fail = false;
    await invokeReconciler(r, cm, 'ctx', reason, () => logger);
    fail = true;
    delays.push((await invokeReconciler(r, cm, 'ctx', reason, () => logger)).action.requeueAfterMs);
    expect(delays).toEqual([500, 1000, 2000, 500]);
  });

  it('uses a custom errorPolicy, and falls back to the default backoff if it throws', async () => {
    class Custom extends Fn {
      override errorPolicy(): Action {
        return Action.requeue(42);
      }
    }
    const failing = async (): Promise<Action> => {
      throw new Error('boom');
    };
    expect(
      (await invokeReconciler(new Custom(failing), cm, 'c', reason, () => logger)).action,
    ).toEqual(Action.requeue(42));
    class Broken extends Fn {
      override errorPolicy(): Action {
        throw new Error('policy broke');
      }
    }
    expect(
      (await invokeReconciler(new Broken(failing), cm, 'c', reason, () => logger)).action,
    ).toEqual(Action.requeue(500));
  });

  it('fails a reconcile that resolves to something else than an Action', async () => {
    const r = new Fn(async () => undefined as unknown as Action);
    const outcome = await invokeReconciler(r, cm, 'ctx', reason, () => logger);
    expect(outcome.ok).toBe(false);
    expect(outcome.ok === false && String(outcome.error)).toMatch(/instead of an Action/);
  });

  it('abandons a reconcile that exceeds timeoutMs and aborts its signal (virtual time)', async () => {
    vi.useFakeTimers();
    let signal: AbortSignal | undefined;
    const r = new Fn((_obj, _ctx, info) => {
      signal = info.signal;
      return new Promise<Action>(() => {});
    });
    r.timeoutMs = 1000;
    const pending = invokeReconciler(r, cm, 'ctx', reason, () => logger);
    await vi.advanceTimersByTimeAsync(999);
    expect(signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const outcome = await pending;
    expect(outcome.ok).toBe(false);
    expect(outcome.ok === false && outcome.error).toBeInstanceOf(ReconcileTimeoutError);
    expect(signal?.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears the timeout timer when the reconcile finishes in time', async () => {
    vi.useFakeTimers();
    const r = new Fn(async () => Action.awaitChange());
    r.timeoutMs = 1000;
    const outcome = await invokeReconciler(r, cm, 'ctx', reason, () => logger);
    expect(outcome.ok).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
