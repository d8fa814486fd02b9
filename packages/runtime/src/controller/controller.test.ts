import { resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import pino from 'pino';
import { Subject } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSource } from '../watcher/fake-source.test-helper.js';
import { Action } from './action.js';
import { capturingLogger } from './capturing-logger.test-helper.js';
import { Controller } from './controller.js';
import { type ReconcileInfo, type ReconcileResult, Reconciler } from './reconciler.js';

/**
 * Controller behaviour in virtual time, over scripted watch sources (no server): readiness,
 * current-object delivery, dropping of vanished objects, requeues, error policy, triggers
 * and graceful shutdown. The same guarantees are exercised over HTTP in
 * controller.integration.test.ts.
 */

const silent = pino({ level: 'silent' });

function cm(name: string, rv: string, data: Record<string, string> = {}): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'ns', resourceVersion: rv, uid: `uid-${name}` },
    data,
  };
}

function mainSource() {
  return Object.assign(new FakeSource<ConfigMap>(), { resource: resources.configMaps });
}

class Recording extends Reconciler<ConfigMap, string> {
  readonly calls: { name: string; rv: string | undefined; reason: string; at: number }[] = [];
  next: (obj: ConfigMap) => Promise<Action> = async () => Action.awaitChange();
  async reconcile(obj: ConfigMap, _ctx: string, info: ReconcileInfo): Promise<Action> {
    this.calls.push({
      name: obj.metadata!.name!,
      rv: obj.metadata?.resourceVersion,
      reason: info.reason.type,
      at: Date.now(),
    });
    return this.next(obj);
  }
}

function start(controller: Controller<ConfigMap>, reconciler: Recording) {
  const results: ReconcileResult[] = [];
  let completed = false;
  const subscription = controller
    .withConfig({ logger: silent })
    .run(reconciler, 'ctx')
    .subscribe({
      next: (r) => results.push(r),
      complete: () => {
        completed = true;
      },
    });
  return { results, subscription, completed: () => completed };
}

describe('Controller (virtual time, scripted sources)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits for the main store to be ready before any reconcile', async () => {
    const main = mainSource();
    const related = new FakeSource<ConfigMap>();
    const reconciler = new Recording();
    const controller = new Controller(main).watches(related, {}, () => ({
      namespace: 'ns',
      name: 'a',
    }));
    const { subscription } = start(controller, reconciler);
    related.answerList({ metadata: { resourceVersion: '1' }, items: [cm('rel', '1')] });
    await vi.advanceTimersByTimeAsync(1000);
    expect(reconciler.calls).toEqual([]);
    main.answerList({ metadata: { resourceVersion: '5' }, items: [cm('a', '5')] });
    await vi.advanceTimersByTimeAsync(10);
    expect(reconciler.calls.map((c) => c.name)).toEqual(['a']);
    subscription.unsubscribe();
  });

  it('runs a reconciler that takes no context without one', async () => {
    const main = mainSource();
    const seen: unknown[] = [];
    class NoContext extends Reconciler<ConfigMap> {
      async reconcile(_obj: ConfigMap, ctx: undefined): Promise<Action> {
        seen.push(ctx);
        return Action.awaitChange();
      }
    }
    const subscription = new Controller(main)
      .withConfig({ logger: silent })
      .run(new NoContext())
      .subscribe();
    main.answerList({ metadata: { resourceVersion: '1' }, items: [cm('a', '1')] });
    await vi.advanceTimersByTimeAsync(10);
    expect(seen).toEqual([undefined]);
    subscription.unsubscribe();
  });

  it('hands reconcile the current object from the store, not the triggering one', async () => {
    const main = mainSource();
    const reconciler = new Recording();
    const controller = new Controller(main).withConfig({ debounceMs: 100 });
    const { subscription } = start(controller, reconciler);
    main.answerList({ metadata: { resourceVersion: '1' }, items: [cm('a', '1')] });
    await vi.advanceTimersByTimeAsync(10);
    main.current.push({ type: 'MODIFIED', object: cm('a', '2') });
    main.current.push({ type: 'MODIFIED', object: cm('a', '3') });
    await vi.advanceTimersByTimeAsync(500);
    expect(reconciler.calls.map((c) => c.rv)).toEqual(['3']);
    subscription.unsubscribe();
  });

  it('fills in apiVersion and kind that list items lack, and drops managedFields', async () => {
    const main = mainSource();
    const seen: ConfigMap[] = [];
    const reconciler = new Recording();
    reconciler.next = async (obj) => {
      seen.push(obj);
      return Action.awaitChange();
    };
    const { subscription } = start(new Controller(main), reconciler);
    const bare: ConfigMap = {
      metadata: { name: 'a', namespace: 'ns', managedFields: [{ manager: 'kubectl' }] },
    };
    main.answerList({ metadata: { resourceVersion: '1' }, items: [bare] });
    await vi.advanceTimersByTimeAsync(10);
    expect(seen[0]).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
    expect(seen[0]?.metadata?.managedFields).toBeUndefined();
    expect(Object.isFrozen(seen[0])).toBe(true);
    subscription.unsubscribe();
  });

  it('drops a request for an object that is gone by the time it runs', async () => {
    const main = mainSource();
    const reconciler = new Recording();
    const controller = new Controller(main).withConfig({ debounceMs: 100 });
    const { subscription, results } = start(controller, reconciler);
    main.answerList({ metadata: { resourceVersion: '1' }, items: [] });
    await vi.advanceTimersByTimeAsync(10);
    main.current.push({ type: 'ADDED', object: cm('brief', '2') });
    main.current.push({ type: 'DELETED', object: cm('brief', '3') });
    await vi.advanceTimersByTimeAsync(500);
    expect(reconciler.calls).toEqual([]);
    expect(results).toEqual([]);
    subscription.unsubscribe();
  });

  it('requeues after Action.requeue and reports the reason', async () => {
    const main = mainSource();
    const reconciler = new Recording();
    reconciler.next = async () => Action.requeue(1000);
    const { subscription, results } = start(new Controller(main), reconciler);
    main.answerList({ metadata: { resourceVersion: '1' }, items: [cm('a', '1')] });
    await vi.advanceTimersByTimeAsync(2500);
    expect(reconciler.calls.map((c) => [c.at, c.reason])).toEqual([
      [0, 'objectUpdated'],
      [1000, 'requeue'],
      [2000, 'requeue'],
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    subscription.unsubscribe();
  });

  it('retries failures with the default per-object backoff and reports them as results', async () => {
    const main = mainSource();
    const reconciler = new Recording();
    reconciler.next = async () => {
      throw 'not an Error';
    };
    const { subscription, results } = start(new Controller(main), reconciler);
    main.answerList({ metadata: { resourceVersion: '1' }, items: [cm('a', '1')] });
    await vi.advanceTimersByTimeAsync(4000);
    expect(reconciler.calls.map((c) => [c.at, c.reason])).toEqual([
      [0, 'objectUpdated'],
      [500, 'errorBackoff'],
      [1500, 'errorBackoff'],
      [3500, 'errorBackoff'],
    ]);
    expect(results[0]).toMatchObject({ ok: false, error: 'not an Error', ref: { name: 'a' } });
    subscription.unsubscribe();
  });

  it('maps owned children to their controller owner of the same kind and group', async () => {
    const main = Object.assign(new FakeSource<ConfigMap>(), {
      resource: { ...resources.configMaps, group: 'example.com', kind: 'Generator' },
    });
    const children = new FakeSource<ConfigMap>();
    const reconciler = new Recording();
    const { subscription } = start(new Controller(main).owns(children), reconciler);
    main.answerList({ metadata: { resourceVersion: '1' }, items: [cm('owner', '1')] });
    children.answerList({ metadata: { resourceVersion: '1' }, items: [] });
    await vi.advanceTimersByTimeAsync(10);
    const owned = (apiVersion: string, kind: string, controller: boolean): ConfigMap => ({
      ...cm('child', '2'),
      metadata: {
        ...cm('child', '2').metadata,
        ownerReferences: [{ apiVersion, kind, name: 'owner', uid: 'uid-owner', controller }],
      },
    });
    children.current.push({ type: 'ADDED', object: owned('other.io/v1', 'Generator', true) });
    children.current.push({ type: 'MODIFIED', object: owned('example.com/v1', 'Other', true) });
    children.current.push({
      type: 'MODIFIED',
      object: owned('example.com/v1', 'Generator', false),
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(reconciler.calls.map((c) => c.reason)).toEqual(['objectUpdated']);
    children.current.push({ type: 'DELETED', object: owned('example.com/v2', 'Generator', true) });
    await vi.advanceTimersByTimeAsync(10);
    expect(reconciler.calls.map((c) => [c.name, c.reason])).toEqual([
      ['owner', 'objectUpdated'],
      ['owner', 'relatedObjectUpdated'],
    ]);
    subscription.unsubscribe();
  });

  it('skips objects whose relation mapper throws and keeps going', async () => {
    const main = mainSource();
    const related = new FakeSource<ConfigMap>();
    const reconciler = new Recording();
    const controller = new Controller(main).watches(related, {}, (obj) => {
      if (obj.metadata?.name === 'bad') throw new Error('mapper bug');
      return { namespace: 'ns', name: 'a' };
    });
    const { subscription } = start(controller, reconciler);
    main.answerList({ metadata: { resourceVersion: '1' }, items: [cm('a', '1')] });
    related.answerList({ metadata: { resourceVersion: '1' }, items: [cm('bad', '1')] });
    await vi.advanceTimersByTimeAsync(10);
    related.current.push({ type: 'ADDED', object: cm('good', '2') });
    await vi.advanceTimersByTimeAsync(10);
    expect(reconciler.calls.map((c) => c.reason)).toEqual([
      'objectUpdated',
      'relatedObjectUpdated',
    ]);
    subscription.unsubscribe();
  });

  it('reconcileAllOn reconciles every object in the store on each emission', async () => {
    const main = mainSource();
    const trigger = new Subject<void>();
    const reconciler = new Recording();
    const { subscription } = start(new Controller(main).reconcileAllOn(trigger), reconciler);
    main.answerList({ metadata: { resourceVersion: '1' }, items: [cm('a', '1'), cm('b', '1')] });
    await vi.advanceTimersByTimeAsync(10);
    trigger.next();
    await vi.advanceTimersByTimeAsync(10);
    expect(
      reconciler.calls
        .filter((c) => c.reason === 'reconcileAll')
        .map((c) => c.name)
        .sort(),
    ).toEqual(['a', 'b']);
    subscription.unsubscribe();
  });

  it('shuts down gracefully: no new work, in-flight reconciles finish, then completes', async () => {
    const main = mainSource();
    const reconciler = new Recording();
    let release: (() => void) | undefined;
    reconciler.next = (obj) =>
      obj.metadata?.name === 'slow'
        ? new Promise<Action>((resolve) => {
            release = () => resolve(Action.requeue(10));
          })
        : Promise.resolve(Action.awaitChange());
    const stop = new AbortController();
    const controller = new Controller(main)
      .withConfig({ concurrency: 1, debounceMs: 0 })
      .gracefulShutdownOn(stop.signal);
    const { results, completed } = start(controller, reconciler);
    main.answerList({
      metadata: { resourceVersion: '1' },
      items: [cm('slow', '1'), cm('queued', '1')],
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(reconciler.calls.map((c) => c.name)).toEqual(['slow']);
    stop.abort();
    await vi.advanceTimersByTimeAsync(1000);
    expect(completed()).toBe(false);
    expect(main.current.closed).toBe(true);
    release?.();
    await vi.advanceTimersByTimeAsync(1000);
    expect(completed()).toBe(true);
    expect(results.map((r) => r.ref.name)).toEqual(['slow']);
    // Neither the queued object nor the requeue of the in-flight one ran.
    expect(reconciler.calls.map((c) => c.name)).toEqual(['slow']);
  });

  it('accepts a Promise or an Observable as the shutdown signal', async () => {
    for (const make of [
      () => {
        const s = new Subject<void>();
        return { signal: s, fire: () => s.next() };
      },
      () => {
        let fire = () => {};
        const signal = new Promise<void>((resolve) => {
          fire = resolve;
        });
        return { signal, fire };
      },
    ]) {
      const main = mainSource();
      const { signal, fire } = make();
      const { completed } = start(new Controller(main).gracefulShutdownOn(signal), new Recording());
      main.answerList({ metadata: { resourceVersion: '1' }, items: [] });
      await vi.advanceTimersByTimeAsync(10);
      expect(completed()).toBe(false);
      fire();
      await vi.advanceTimersByTimeAsync(10);
      expect(completed()).toBe(true);
    }
  });

  it('shutdownOnSignal: SIGTERM shuts down gracefully and the handlers are removed', async () => {
    const before = process.listenerCount('SIGTERM');
    const main = mainSource();
    const { completed } = start(new Controller(main).shutdownOnSignal(), new Recording());
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    main.answerList({ metadata: { resourceVersion: '1' }, items: [] });
    await vi.advanceTimersByTimeAsync(10);
    process.emit('SIGTERM');
    await vi.advanceTimersByTimeAsync(10);
    expect(completed()).toBe(true);
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('shutdownOnSignal: a second signal completes at once without waiting', async () => {
    const main = mainSource();
    const reconciler = new Recording();
    reconciler.next = () => new Promise<Action>(() => {}); // hangs forever
    const { completed } = start(new Controller(main).shutdownOnSignal(), reconciler);
    main.answerList({ metadata: { resourceVersion: '1' }, items: [cm('a', '1')] });
    await vi.advanceTimersByTimeAsync(10);
    process.emit('SIGINT');
    await vi.advanceTimersByTimeAsync(1000);
    expect(completed()).toBe(false);
    process.emit('SIGINT');
    await vi.advanceTimersByTimeAsync(10);
    expect(completed()).toBe(true);
  });

  it('keeps a timed-out object held until its abandoned reconcile settles: never two at once', async () => {
    const main = mainSource();
    let running = 0;
    let overlap = 0;
    const signals: AbortSignal[] = [];
    const starts: number[] = [];
    class Slow extends Reconciler<ConfigMap, string> {
      override timeoutMs = 100;
      async reconcile(_obj: ConfigMap, _ctx: string, info: ReconcileInfo): Promise<Action> {
        signals.push(info.signal);
        starts.push(Date.now());
        running++;
        if (running > 1) overlap++;
        // Ignores its signal and takes 1 s, ten times its timeout.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        running--;
        return Action.awaitChange();
      }
    }
    const results: ReconcileResult[] = [];
    const subscription = new Controller(main)
      .withConfig({ logger: silent })
      .run(new Slow(), 'ctx')
      .subscribe((r) => results.push(r));
    main.answerList({ metadata: { resourceVersion: '1' }, items: [cm('a', '1')] });
    await vi.advanceTimersByTimeAsync(150);
    // Timed out at 100 ms: the signal is aborted and the failure is reported at once.
    expect(signals[0]?.aborted).toBe(true);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ok: false, error: { name: 'ReconcileTimeoutError' } });
    // A change during the abandoned call must wait for it.
    main.current.push({ type: 'MODIFIED', object: cm('a', '2') });
    await vi.advanceTimersByTimeAsync(5000);
    expect(overlap).toBe(0);
    expect(starts[1]).toBeGreaterThanOrEqual(1000);
    subscription.unsubscribe();
  });

  it('forgets the error backoff of an object that is gone when its retry comes', async () => {
    const main = mainSource();
    const reconciler = new Recording();
    reconciler.next = async () => {
      throw new Error('boom');
    };
    const { subscription, results } = start(new Controller(main), reconciler);
    main.answerList({ metadata: { resourceVersion: '1' }, items: [cm('a', '1')] });
    await vi.advanceTimersByTimeAsync(600); // fails at 0 (retry in 500) and 500 (in 1000)
    main.current.push({ type: 'DELETED', object: cm('a', '2') });
    await vi.advanceTimersByTimeAsync(2000); // the retry at 1500 finds it gone
    main.current.push({ type: 'ADDED', object: cm('a', '3') });
    await vi.advanceTimersByTimeAsync(10);
    expect(results.map((r) => r.action.requeueAfterMs)).toEqual([500, 1000, 500]);
    subscription.unsubscribe();
  });

  it('keeps the error backoff per controller: one reconciler in two controllers', async () => {
    const reconciler = new Recording();
    reconciler.next = async () => {
      throw new Error('boom');
    };
    const first = mainSource();
    const second = mainSource();
    const a = start(new Controller(first), reconciler);
    const b = start(new Controller(second), reconciler);
    first.answerList({ metadata: { resourceVersion: '1' }, items: [cm('a', '1')] });
    second.answerList({ metadata: { resourceVersion: '1' }, items: [cm('a', '1')] });
    await vi.advanceTimersByTimeAsync(600);
    expect(a.results.map((r) => r.action.requeueAfterMs)).toEqual([500, 1000]);
    expect(b.results.map((r) => r.action.requeueAfterMs)).toEqual([500, 1000]);
    a.subscription.unsubscribe();
    b.subscription.unsubscribe();
  });

  it('never logs Secret data thrown by reconcile or errorPolicy, nor thrown strings', async () => {
    const main = mainSource();
    const { lines, logger } = capturingLogger('debug');
    const secret = { kind: 'Secret', data: { password: 'aHVudGVyMg==' } };
    class Leaky extends Reconciler<ConfigMap, string> {
      calls = 0;
      async reconcile(): Promise<Action> {
        this.calls++;
        if (this.calls === 1) throw secret;
        if (this.calls === 2) throw 'password=hunter2';
        throw Object.assign(new Error('failed'), { secret });
      }
      override errorPolicy(_obj: ConfigMap, error: unknown): Action {
        throw error; // rethrows whatever it got, Secret included
      }
    }
    const subscription = new Controller(main)
      .withConfig({ logger })
      .run(new Leaky(), 'ctx')
      .subscribe();
    main.answerList({ metadata: { resourceVersion: '1' }, items: [cm('a', '1')] });
    await vi.advanceTimersByTimeAsync(5000);
    const text = JSON.stringify(lines);
    expect(lines.filter((l) => l.msg === 'reconcile failed').length).toBeGreaterThanOrEqual(3);
    expect(
      lines.filter((l) => String(l.msg).startsWith('errorPolicy threw')).length,
    ).toBeGreaterThanOrEqual(3);
    expect(text).toContain('thrown object (not an Error)');
    expect(text).toContain('thrown string (not an Error, 16 characters)');
    expect(text).toContain('Error: failed');
    expect(text).not.toContain('aHVudGVyMg');
    expect(text).not.toContain('hunter2');
    subscription.unsubscribe();
  });

  it('logs each reconcile with object, reason and duration, and watch errors at warn', async () => {
    const main = mainSource();
    const { lines, logger } = capturingLogger('debug');
    const reconciler = new Recording();
    const subscription = new Controller(main)
      .withConfig({ logger })
      .run(reconciler, 'ctx')
      .subscribe();
    main.answerList({ error: new Error('list exploded') });
    await vi.advanceTimersByTimeAsync(5000);
    main.answerList({ metadata: { resourceVersion: '1' }, items: [cm('a', '1')] });
    await vi.advanceTimersByTimeAsync(5000);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        controller: 'ConfigMap',
        watch: 'main',
        msg: 'watch failed; the watcher retries',
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 20,
        controller: 'ConfigMap',
        msg: 'reconciled',
        object: 'ns/a',
        reason: 'object updated',
        durationMs: expect.any(Number),
      }),
    );
    subscription.unsubscribe();
  });

  it('serves a flood of thousands of events without losing or duplicating work', async () => {
    const main = mainSource();
    const reconciler = new Recording();
    reconciler.next = async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return Action.awaitChange();
    };
    const { subscription } = start(new Controller(main).withConfig({ concurrency: 4 }), reconciler);
    main.answerList({ metadata: { resourceVersion: '1' }, items: [] });
    await vi.advanceTimersByTimeAsync(10);
    // 5000 events for 500 objects, all at once.
    for (let version = 2; version <= 11; version++) {
      for (let i = 0; i < 500; i++) {
        main.current.push({ type: 'MODIFIED', object: cm(`o${i}`, String(version)) });
      }
    }
    await vi.advanceTimersByTimeAsync(60_000);
    const last = new Map<string, string | undefined>();
    for (const call of reconciler.calls) last.set(call.name, call.rv);
    expect(last.size).toBe(500);
    expect([...last.values()].every((rv) => rv === '11')).toBe(true);
    // Deduplicated: far fewer reconciles than events.
    expect(reconciler.calls.length).toBeLessThan(5000);
    subscription.unsubscribe();
  });

  it('keeps making progress when requeues pile up', async () => {
    const main = mainSource();
    const reconciler = new Recording();
    reconciler.next = async () => Action.requeue(10);
    const { subscription } = start(new Controller(main).withConfig({ concurrency: 2 }), reconciler);
    const items = Array.from({ length: 1000 }, (_, i) => cm(`o${i}`, '1'));
    main.answerList({ metadata: { resourceVersion: '1' }, items });
    await vi.advanceTimersByTimeAsync(35);
    const perObject = new Map<string, number>();
    for (const call of reconciler.calls)
      perObject.set(call.name, (perObject.get(call.name) ?? 0) + 1);
    // Every object got reconciled again and again: no starvation, no deadlock.
    expect(perObject.size).toBe(1000);
    expect(Math.min(...perObject.values())).toBeGreaterThan(1);
    subscription.unsubscribe();
  });

  it('warns once about objects without a name and ignores them', async () => {
    const main = mainSource();
    const { lines, logger } = capturingLogger('warn');
    const reconciler = new Recording();
    const subscription = new Controller(main)
      .withConfig({ logger })
      .run(reconciler, 'ctx')
      .subscribe();
    main.answerList({
      metadata: { resourceVersion: '1' },
      items: [{ metadata: {} }, cm('a', '1')],
    });
    await vi.advanceTimersByTimeAsync(10);
    main.current.push({ type: 'ADDED', object: { metadata: { resourceVersion: '2' } } });
    await vi.advanceTimersByTimeAsync(10);
    expect(reconciler.calls.map((c) => c.name)).toEqual(['a']);
    expect(lines.filter((l) => String(l.msg).includes('without metadata.name'))).toHaveLength(1);
    subscription.unsubscribe();
  });

  it('refuses to run twice', async () => {
    const controller = new Controller(mainSource());
    const first = start(controller, new Recording());
    let error: unknown;
    controller.run(new Recording(), 'ctx').subscribe({ error: (e) => (error = e) });
    expect(String(error)).toMatch(/already running; create a new Controller/);
    first.subscription.unsubscribe();
  });
});
