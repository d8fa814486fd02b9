import { fieldSelector, type KubeObject, labelSelector } from '@kube-ts/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackoffPolicy } from './backoff.js';
import type { WatcherEvent } from './events.js';
import { BatchingFakeSource, FakeSource, PagingFakeSource } from './fake-source.test-helper.js';
import { watchObject } from './watch-object.js';
import { watcher } from './watcher.js';

function obj(name: string, rv: string): KubeObject {
  return { metadata: { name, namespace: 'ns', resourceVersion: rv } };
}

/** A backoff that always waits `ms` and counts its calls. */
function fixedBackoff(ms: number): BackoffPolicy & { calls: number } {
  const b = {
    calls: 0,
    next() {
      b.calls++;
      return ms;
    },
    reset() {},
  };
  return b;
}

const tick = () => vi.advanceTimersByTimeAsync(0);

describe('watcher (driver, virtual time)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function subscribe(source: FakeSource<KubeObject>, config: Parameters<typeof watcher>[1] = {}) {
    const events: WatcherEvent<KubeObject>[] = [];
    let completed = false;
    let errored: unknown;
    const sub = watcher(source, {
      timeoutSeconds: 10,
      silenceMarginSeconds: 5,
      ...config,
    }).subscribe({
      next: (e) => events.push(e),
      complete: () => {
        completed = true;
      },
      error: (e: unknown) => {
        errored = e;
      },
    });
    return { events, sub, done: () => ({ completed, errored }) };
  }

  it('lists, emits Restarted, then watches from the list rv with bookmarks and the timeout', async () => {
    const source = new FakeSource<KubeObject>();
    const { events, sub } = subscribe(source, {
      labelSelector: 'a=b',
      fieldSelector: 'x=y',
      pageSize: 7,
    });
    await tick();
    expect(source.lists[0]).toMatchObject({ labelSelector: 'a=b', fieldSelector: 'x=y', limit: 7 });
    source.answerList({ items: [obj('a', '1')], metadata: { resourceVersion: '5' } });
    await tick();
    expect(events).toEqual([{ type: 'Restarted', objects: [obj('a', '1')] }]);
    expect(source.current.params).toMatchObject({
      labelSelector: 'a=b',
      fieldSelector: 'x=y',
      resourceVersion: '5',
      allowWatchBookmarks: true,
      timeoutSeconds: 10,
    });
    source.current.push({ type: 'MODIFIED', object: obj('a', '6') });
    await tick();
    expect(events.at(-1)).toEqual({ type: 'Applied', object: obj('a', '6') });
    sub.unsubscribe();
  });

  it('fills in apiVersion and kind of list items from the list (the API server omits them)', async () => {
    const source = new FakeSource<KubeObject>();
    const { events, sub } = subscribe(source);
    source.answerList({
      apiVersion: 'apps/v1',
      kind: 'DeploymentList',
      items: [obj('a', '1'), { ...obj('b', '2'), apiVersion: 'apps/v1', kind: 'Deployment' }],
      metadata: { resourceVersion: '5' },
    });
    await tick();
    expect(events[0]).toEqual({
      type: 'Restarted',
      objects: [
        { ...obj('a', '1'), apiVersion: 'apps/v1', kind: 'Deployment' },
        { ...obj('b', '2'), apiVersion: 'apps/v1', kind: 'Deployment' },
      ],
    });
    sub.unsubscribe();
  });

  it('waits the backoff before re-watching, and re-watches from the last rv', async () => {
    const source = new FakeSource<KubeObject>();
    const backoff = fixedBackoff(1000);
    const { events, sub } = subscribe(source, { backoff });
    source.answerList({ items: [], metadata: { resourceVersion: '5' } });
    await tick();
    source.current.push({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '9' } } });
    source.current.fail(Object.assign(new Error('server error'), { code: 500 }));
    await tick();
    expect(events.at(-1)).toMatchObject({ type: 'Error', error: { recovery: 'rewatch' } });
    expect(source.watches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(source.watches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(source.watches).toHaveLength(2);
    expect(source.current.params.resourceVersion).toBe('9');
    expect(backoff.calls).toBe(1);
    sub.unsubscribe();
  });

  it('drops a watch silent for timeoutSeconds + margin and reconnects; events reset the silence clock', async () => {
    const source = new FakeSource<KubeObject>();
    const { events, sub } = subscribe(source, { backoff: fixedBackoff(100) });
    source.answerList({ items: [], metadata: { resourceVersion: '5' } });
    await tick();
    const first = source.current;
    await vi.advanceTimersByTimeAsync(14_000);
    first.push({ type: 'ADDED', object: obj('a', '6') });
    await vi.advanceTimersByTimeAsync(14_999);
    expect(first.closed).toBe(false);
    expect(events.filter((e) => e.type === 'Error')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(first.closed).toBe(true);
    expect(events.at(-1)).toMatchObject({
      type: 'Error',
      error: { phase: 'watch', recovery: 'rewatch', message: expect.stringContaining('15000 ms') },
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(source.watches).toHaveLength(2);
    expect(source.current.params.resourceVersion).toBe('6');
    sub.unsubscribe();
  });

  it('never completes nor errors, whatever fails, and relists on 410 as one Restarted', async () => {
    const source = new FakeSource<KubeObject>();
    const { events, sub, done } = subscribe(source, { backoff: fixedBackoff(10) });
    source.answerList({ error: new Error('refused') });
    await vi.advanceTimersByTimeAsync(10);
    source.answerList({ items: [obj('a', '1')], metadata: { resourceVersion: '5' } });
    await tick();
    source.current.end();
    await vi.advanceTimersByTimeAsync(10);
    source.current.push({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
    await vi.advanceTimersByTimeAsync(10);
    source.answerList({
      items: [obj('b', '2')],
      metadata: { resourceVersion: '8', continue: 'c' },
    });
    source.answerList({ items: [obj('c', '3')], metadata: { resourceVersion: '8' } });
    await tick();
    source.current.fail(new SyntaxError('malformed line'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(events.filter((e) => e.type === 'Restarted')).toEqual([
      { type: 'Restarted', objects: [obj('a', '1')] },
      { type: 'Restarted', objects: [obj('b', '2'), obj('c', '3')] },
    ]);
    expect(source.lists.map((l) => l.continue)).toEqual([undefined, undefined, undefined, 'c']);
    expect(done()).toEqual({ completed: false, errored: undefined });
    sub.unsubscribe();
  });

  it('uses watchBatches when the source has it: a batch is emitted in order, and after an ERROR 410 in a batch the rest of it is dropped and it relists', async () => {
    const source = new BatchingFakeSource<KubeObject>();
    const { events, sub } = subscribe(source, { backoff: fixedBackoff(10) });
    source.answerList({ items: [], metadata: { resourceVersion: '1' } });
    await tick();
    source.current.pushBatch([
      { type: 'ADDED', object: obj('a', '2') },
      { type: 'BOOKMARK', object: { metadata: { resourceVersion: '3' } } },
      { type: 'DELETED', object: obj('a', '4') },
      { type: 'ADDED', object: obj('b', '5') },
    ]);
    await tick();
    expect(events).toEqual([
      { type: 'Restarted', objects: [] },
      { type: 'Applied', object: obj('a', '2') },
      { type: 'Deleted', object: obj('a', '4') },
      { type: 'Applied', object: obj('b', '5') },
    ]);
    const first = source.current;
    first.pushBatch([
      { type: 'ADDED', object: obj('c', '6') },
      { type: 'ERROR', object: { code: 410, reason: 'Expired' } },
      { type: 'ADDED', object: obj('d', '7') },
    ]);
    await tick();
    expect(first.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(10);
    source.answerList({ items: [obj('e', '9')], metadata: { resourceVersion: '9' } });
    await tick();
    expect(events.slice(4).map((e) => e.type)).toEqual(['Applied', 'Error', 'Restarted']);
    expect(events[4]).toEqual({ type: 'Applied', object: obj('c', '6') });
    expect(events.at(-1)).toEqual({ type: 'Restarted', objects: [obj('e', '9')] });
    expect(events.some((e) => e.type === 'Applied' && e.object.metadata?.name === 'd')).toBe(false);
    // The new watch starts from the relist, not from the dropped event.
    expect(source.current.params.resourceVersion).toBe('9');
    sub.unsubscribe();
  });

  it('pages through one listPages iterator when the source has one; a failed page is retried from its token by a new one', async () => {
    const source = new PagingFakeSource<KubeObject>();
    const { events, sub } = subscribe(source, { pageSize: 2, backoff: fixedBackoff(10) });
    source.answerList({
      items: [obj('a', '1')],
      metadata: { resourceVersion: '5', continue: 'c1' },
    });
    source.answerList({
      items: [obj('b', '2')],
      metadata: { resourceVersion: '5', continue: 'c2' },
    });
    source.answerList({ error: new Error('connection reset') });
    await tick();
    expect(source.pagers.map((p) => [p.params.continue, p.params.limit, p.closed])).toEqual([
      [undefined, 2, true],
    ]);
    await vi.advanceTimersByTimeAsync(10);
    source.answerList({ items: [obj('c', '3')], metadata: { resourceVersion: '5' } });
    await tick();
    // The retry starts a new pager at the failed page; it is closed after the last page.
    expect(source.pagers.map((p) => [p.params.continue, p.closed])).toEqual([
      [undefined, true],
      ['c2', true],
    ]);
    expect(events.filter((e) => e.type === 'Restarted')).toEqual([
      { type: 'Restarted', objects: [obj('a', '1'), obj('b', '2'), obj('c', '3')] },
    ]);
    expect(source.current.params.resourceVersion).toBe('5');
    // A 410 later relists with a fresh pager from the start.
    source.current.push({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
    await vi.advanceTimersByTimeAsync(10);
    expect(source.pagers.at(-1)?.params.continue).toBeUndefined();
    expect(source.pagers).toHaveLength(3);
    sub.unsubscribe();
  });

  it('unsubscribing while paging closes the pager', async () => {
    const source = new PagingFakeSource<KubeObject>();
    const { sub } = subscribe(source);
    source.answerList({
      items: [obj('a', '1')],
      metadata: { resourceVersion: '5', continue: 'c1' },
    });
    await tick();
    expect(source.pagers[0]?.closed).toBe(false);
    sub.unsubscribe();
    await tick();
    source.answerList({ items: [], metadata: { resourceVersion: '5' } });
    await tick();
    expect(source.pagers[0]?.closed).toBe(true);
    expect(source.pagers).toHaveLength(1);
  });

  it('unsubscribing in the middle of a batch emits nothing more', async () => {
    const source = new BatchingFakeSource<KubeObject>();
    const events: WatcherEvent<KubeObject>[] = [];
    const sub = watcher(source, { timeoutSeconds: 10 }).subscribe((e) => {
      events.push(e);
      if (e.type === 'Applied' && e.object.metadata?.name === 'b') sub.unsubscribe();
    });
    source.answerList({ items: [], metadata: { resourceVersion: '1' } });
    await tick();
    source.current.pushBatch([
      { type: 'ADDED', object: obj('a', '2') },
      { type: 'ADDED', object: obj('b', '3') },
      { type: 'ADDED', object: obj('c', '4') },
    ]);
    await tick();
    expect(events.map((e) => (e.type === 'Applied' ? e.object.metadata?.name : e.type))).toEqual([
      'Restarted',
      'a',
      'b',
    ]);
    expect(source.current.closed).toBe(true);
  });

  it('unsubscribing aborts the list in flight and closes the open watch', async () => {
    const source = new FakeSource<KubeObject>();
    const first = subscribe(source);
    await tick();
    expect(source.listSignals[0]?.aborted).toBe(false);
    first.sub.unsubscribe();
    expect(source.listSignals[0]?.aborted).toBe(true);

    const second = subscribe(source);
    source.answerList({ items: [], metadata: { resourceVersion: '1' } });
    await tick();
    expect(source.current.closed).toBe(false);
    second.sub.unsubscribe();
    await tick();
    expect(source.current.closed).toBe(true);
    expect(source.current.params.signal?.aborted).toBe(true);
  });

  it('unsubscribing during a backoff stops the watcher: nothing is requested afterwards', async () => {
    const source = new FakeSource<KubeObject>();
    const { sub } = subscribe(source, { backoff: fixedBackoff(1000) });
    source.answerList({ error: new Error('refused') });
    await tick();
    sub.unsubscribe();
    await vi.advanceTimersByTimeAsync(5000);
    expect(source.lists).toHaveLength(1);
  });

  it('uses a random timeoutSeconds between 35 and 45 per watch by default', async () => {
    const source = new FakeSource<KubeObject>();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const sub = watcher(source).subscribe();
    source.answerList({ items: [], metadata: { resourceVersion: '1' } });
    await tick();
    expect(source.current.params.timeoutSeconds).toBe(40);
    sub.unsubscribe();
  });

  it('by default a frozen watch is dropped after 50 s of silence at most (timeout 40 s + 5 s here)', async () => {
    const source = new FakeSource<KubeObject>();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const events: WatcherEvent<KubeObject>[] = [];
    const sub = watcher(source).subscribe((e) => events.push(e));
    source.answerList({ items: [], metadata: { resourceVersion: '1' } });
    await tick();
    const frozen = source.current;
    await vi.advanceTimersByTimeAsync(44_999);
    expect(frozen.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(frozen.closed).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'Error', error: { recovery: 'rewatch' } });
    sub.unsubscribe();
  });

  it('with a long timeoutSeconds, silence beyond the 60 s bookmark interval + margin is a dead watch', async () => {
    const source = new FakeSource<KubeObject>();
    const sub = watcher(source, { timeoutSeconds: 600 }).subscribe();
    source.answerList({ items: [], metadata: { resourceVersion: '1' } });
    await tick();
    const frozen = source.current;
    await vi.advanceTimersByTimeAsync(50_000);
    frozen.push({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '2' } } });
    await vi.advanceTimersByTimeAsync(64_999);
    expect(frozen.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(frozen.closed).toBe(true);
    sub.unsubscribe();
  });

  it('a backoff factory gives each subscription its own policy', async () => {
    const source = new FakeSource<KubeObject>();
    const made: BackoffPolicy[] = [];
    const w = watcher(source, {
      backoff: () => {
        const b = fixedBackoff(1);
        made.push(b);
        return b;
      },
    });
    const a = w.subscribe();
    const b = w.subscribe();
    expect(made).toHaveLength(2);
    a.unsubscribe();
    b.unsubscribe();
  });

  it('streams the initial list when asked, and emits it as one Restarted', async () => {
    const source = new FakeSource<KubeObject>();
    const { events, sub } = subscribe(source, { initialList: 'stream' });
    await tick();
    expect(source.lists).toHaveLength(0);
    expect(source.current.params).toMatchObject({
      sendInitialEvents: true,
      resourceVersionMatch: 'NotOlderThan',
      allowWatchBookmarks: true,
    });
    source.current.push({ type: 'ADDED', object: obj('a', '1') });
    source.current.push({ type: 'ADDED', object: obj('b', '2') });
    await tick();
    expect(events).toEqual([]);
    source.current.push({
      type: 'BOOKMARK',
      object: {
        metadata: { resourceVersion: '3', annotations: { 'k8s.io/initial-events-end': 'true' } },
      },
    });
    await tick();
    expect(events).toEqual([{ type: 'Restarted', objects: [obj('a', '1'), obj('b', '2')] }]);
    sub.unsubscribe();
  });

  it('accepts selector builders and renders them into the list and watch requests', async () => {
    const source = new FakeSource<KubeObject>();
    const { sub } = subscribe(source, {
      labelSelector: labelSelector({ app: 'web' }),
      fieldSelector: fieldSelector().notEq('status.phase', 'Failed'),
    });
    await tick();
    expect(source.lists[0]).toMatchObject({
      labelSelector: 'app=web',
      fieldSelector: 'status.phase!=Failed',
    });
    source.answerList({ items: [], metadata: { resourceVersion: '1' } });
    await tick();
    expect(source.current.params).toMatchObject({
      labelSelector: 'app=web',
      fieldSelector: 'status.phase!=Failed',
    });
    sub.unsubscribe();
  });

  it('a watch() that throws at once is a watch failure: Error value, then a re-watch after the backoff', async () => {
    const source = new FakeSource<KubeObject>();
    const realWatch = source.watch.bind(source);
    let calls = 0;
    source.watch = (params) => {
      calls++;
      if (calls === 1) throw new Error('cannot open');
      return realWatch(params);
    };
    const { events, sub } = subscribe(source, { backoff: fixedBackoff(50) });
    source.answerList({ items: [], metadata: { resourceVersion: '4' } });
    await tick();
    expect(events.at(-1)).toMatchObject({ type: 'Error', error: { recovery: 'rewatch' } });
    await vi.advanceTimersByTimeAsync(50);
    expect(calls).toBe(2);
    expect(source.current.params.resourceVersion).toBe('4');
    sub.unsubscribe();
  });

  /** A transform that marks its result with a label and records the names it saw. */
  function marking() {
    const seen: string[] = [];
    const transform = (o: KubeObject): KubeObject => {
      seen.push(o.metadata?.name ?? '?');
      return { ...o, metadata: { ...o.metadata, labels: { t: 'y' } } };
    };
    return { seen, transform };
  }
  const marked = (name: string, rv: string): KubeObject => ({
    metadata: { ...obj(name, rv).metadata, labels: { t: 'y' } },
  });

  it('transform: applied to each listed page as it arrives and to watch events, not bookmarks', async () => {
    const source = new PagingFakeSource<KubeObject>();
    const { seen, transform } = marking();
    const { events, sub } = subscribe(source, { pageSize: 1, transform });
    source.answerList({
      items: [obj('a', '1')],
      metadata: { resourceVersion: '5', continue: 'c' },
    });
    await tick();
    // The first page is transformed before the list is complete.
    expect(events).toEqual([]);
    expect(seen).toEqual(['a']);
    source.answerList({ items: [obj('b', '2')], metadata: { resourceVersion: '5' } });
    await tick();
    expect(events).toEqual([{ type: 'Restarted', objects: [marked('a', '1'), marked('b', '2')] }]);
    source.current.pushBatch([
      { type: 'MODIFIED', object: obj('a', '6') },
      { type: 'BOOKMARK', object: { metadata: { name: 'bookmark', resourceVersion: '7' } } },
      { type: 'DELETED', object: obj('b', '8') },
    ]);
    await tick();
    expect(events.slice(1)).toEqual([
      { type: 'Applied', object: marked('a', '6') },
      { type: 'Deleted', object: marked('b', '8') },
    ]);
    expect(seen).toEqual(['a', 'b', 'a', 'b']);
    sub.unsubscribe();
  });

  it('transform: applied to the events of a streamed initial list', async () => {
    const source = new FakeSource<KubeObject>();
    const { transform } = marking();
    const { events, sub } = subscribe(source, { initialList: 'stream', transform });
    await tick();
    source.current.push({ type: 'ADDED', object: obj('a', '1') });
    source.current.push({
      type: 'BOOKMARK',
      object: {
        metadata: { resourceVersion: '3', annotations: { 'k8s.io/initial-events-end': 'true' } },
      },
    });
    await tick();
    expect(events).toEqual([{ type: 'Restarted', objects: [marked('a', '1')] }]);
    sub.unsubscribe();
  });

  it('transform: a transform that throws errors the Observable with what it threw', async () => {
    const source = new FakeSource<KubeObject>();
    const boom = new Error('boom');
    const { events, done } = subscribe(source, {
      transform: () => {
        throw boom;
      },
    });
    source.answerList({ items: [obj('a', '1')], metadata: { resourceVersion: '5' } });
    await tick();
    expect(events).toEqual([]);
    expect(done().errored).toBe(boom);
  });

  it('rejects an invalid pageSize or timeoutSeconds up front', () => {
    const source = new FakeSource<KubeObject>();
    expect(() => watcher(source, { pageSize: 0 })).toThrow(/pageSize/);
    expect(() => watcher(source, { timeoutSeconds: -1 })).toThrow(/timeoutSeconds/);
  });
});

describe('watchObject', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('selects by name and emits the object or undefined', async () => {
    const source = new FakeSource<KubeObject>();
    const seen: (KubeObject | undefined)[] = [];
    const sub = watchObject(source, 'a').subscribe((o) => seen.push(o));
    await tick();
    expect(source.lists[0]?.fieldSelector).toBe('metadata.name=a');
    source.answerList({ items: [], metadata: { resourceVersion: '1' } });
    await tick();
    source.current.push({ type: 'ADDED', object: obj('a', '2') });
    source.current.push({ type: 'DELETED', object: obj('a', '3') });
    source.current.push({ type: 'ERROR', object: { code: 500 } });
    await tick();
    expect(seen).toEqual([undefined, obj('a', '2'), undefined]);
    sub.unsubscribe();
  });

  it('ANDs an extra field selector with the name', async () => {
    const source = new FakeSource<KubeObject>();
    const sub = watchObject(source, 'a', { fieldSelector: 'metadata.namespace=ns' }).subscribe();
    await tick();
    expect(source.lists[0]?.fieldSelector).toBe('metadata.name=a,metadata.namespace=ns');
    sub.unsubscribe();
  });
});
