import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Action } from './action.js';
import { callReconciler, Info } from './invoke.js';
import type { ReconcileReason } from './reason.js';
import { type ReconcileInfo, Reconciler, ReconcileTimeoutError } from './reconciler.js';

const logger = pino({ level: 'silent' });
const reason: ReconcileReason = { type: 'objectUpdated' };
const cm: ConfigMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'a', namespace: 'ns' },
};

class Fn extends Reconciler<ConfigMap, string> {
  constructor(readonly fn: (obj: ConfigMap, ctx: string, info: ReconcileInfo) => Promise<Action>) {
    super();
  }
  reconcile(obj: ConfigMap, ctx: string, info: ReconcileInfo): Promise<Action> {
    return this.fn(obj, ctx, info);
  }
}

/** One call with the test's object; the outcome, and whether the call was abandoned. */
async function invoke(
  r: Reconciler<ConfigMap, string>,
  ctx = 'ctx',
  makeLogger: () => pino.Logger = () => logger,
) {
  const call = await callReconciler(r, cm, ctx, new Info(reason, makeLogger), () => 'ns/a');
  return call.outcome;
}

describe('callReconciler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('makes the per-object logger only when the reconciler uses it, and once', async () => {
    let made = 0;
    const makeLogger = () => {
      made++;
      return logger.child({ object: 'ns/a' });
    };
    await invoke(new Fn(async () => Action.awaitChange()), 'c', makeLogger);
    expect(made).toBe(0);
    const bound: unknown[] = [];
    const uses = new Fn(async (_obj, _ctx, info) => {
      const first = info.logger;
      bound.push(first.bindings(), first === info.logger);
      return Action.awaitChange();
    });
    await invoke(uses, 'c', makeLogger);
    expect(made).toBe(1);
    expect(bound).toEqual([{ object: 'ns/a' }, true]);
  });

  it('passes the object, the context and the reason, and returns the action', async () => {
    const seen: unknown[] = [];
    const r = new Fn(async (obj, ctx, info) => {
      seen.push(obj.metadata?.name, ctx, info.reason);
      return Action.requeue(10);
    });
    const outcome = await invoke(r, 'ctx');
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
    const outcome = await invoke(r, 'ctx');
    expect(outcome).toEqual({ ok: false, error: thrown, action: Action.backoff() });
    expect(policy).toHaveBeenCalledWith(cm, thrown, 'ctx');
  });

  it('treats a synchronous throw like a rejection', async () => {
    const r = new Fn(() => {
      throw new Error('sync');
    });
    const outcome = await invoke(r, 'ctx');
    expect(outcome.ok).toBe(false);
  });

  it('uses a custom errorPolicy, and falls back to Action.backoff() if it throws', async () => {
    class Custom extends Fn {
      override errorPolicy(): Action {
        return Action.requeue(42);
      }
    }
    const failing = async (): Promise<Action> => {
      throw new Error('boom');
    };
    expect((await invoke(new Custom(failing), 'c')).action).toEqual(Action.requeue(42));
    class Broken extends Fn {
      override errorPolicy(): Action {
        throw new Error('policy broke');
      }
    }
    expect((await invoke(new Broken(failing), 'c')).action).toBe(Action.backoff());
  });

  it('fails a reconcile that resolves to something else than an Action', async () => {
    const r = new Fn(async () => undefined as unknown as Action);
    const outcome = await invoke(r, 'ctx');
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
    const pending = invoke(r, 'ctx');
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
    const outcome = await invoke(r, 'ctx');
    expect(outcome.ok).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
