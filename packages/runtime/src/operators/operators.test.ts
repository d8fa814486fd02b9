import type { KubeObject } from '@kube-ts/core';
import { firstValueFrom, from, Observable, toArray } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reflect } from '../store/reflector.js';
import { createStore } from '../store/store.js';
import type { BackoffPolicy } from '../watcher/backoff.js';
import { WatcherError, type WatcherEvent } from '../watcher/events.js';
import { backoff } from './backoff.js';
import { modify } from './modify.js';
import { appliedObjects, touchedObjects } from './objects.js';

function obj(name: string): KubeObject {
  return { metadata: { name, namespace: 'ns' } };
}

const events: WatcherEvent<KubeObject>[] = [
  { type: 'Restarted', objects: [obj('a'), obj('b')] },
  { type: 'Applied', object: obj('c') },
  { type: 'Error', error: new WatcherError('x', 'watch', 'rewatch', null) },
  { type: 'Deleted', object: obj('a') },
];

const run = <T>(o: Observable<T>) => firstValueFrom(o.pipe(toArray()));
const names = (os: KubeObject[]) => os.map((o) => o.metadata?.name);

describe('appliedObjects / touchedObjects', () => {
  it('appliedObjects: Applied objects and each Restarted object; no Deleted, no Error', async () => {
    expect(names(await run(from(events).pipe(appliedObjects())))).toEqual(['a', 'b', 'c']);
  });

  it('touchedObjects: also the Deleted objects; no Error', async () => {
    expect(names(await run(from(events).pipe(touchedObjects())))).toEqual(['a', 'b', 'c', 'a']);
  });
});

describe('modify', () => {
  it('changes every object of every event, in place or by returning a new one; Error unchanged', async () => {
    const inPlace = await run(
      from(events).pipe(
        modify((o) => {
          o.metadata!.labels = { seen: 'yes' };
        }),
      ),
    );
    const returned = await run(from(events).pipe(modify((o) => ({ ...o, kind: 'X' }))));
    expect(inPlace[0]).toMatchObject({
      type: 'Restarted',
      objects: [{ metadata: { labels: { seen: 'yes' } } }, {}],
    });
    expect(inPlace[1]).toMatchObject({
      type: 'Applied',
      object: { metadata: { labels: { seen: 'yes' } } },
    });
    expect(returned[3]).toMatchObject({ type: 'Deleted', object: { kind: 'X' } });
    expect(returned[2]).toBe(events[2]);
  });
});

describe('reflect', () => {
  it('applies each event to the store BEFORE passing it on, unchanged', async () => {
    const { reader, writer } = createStore<KubeObject>();
    const sizes: number[] = [];
    const out = await run(
      from(events).pipe(
        reflect(writer),
        (s) =>
          new Observable<WatcherEvent<KubeObject>>((sub) =>
            s.subscribe({
              next: (e) => {
                sizes.push(reader.size);
                sub.next(e);
              },
              complete: () => sub.complete(),
            }),
          ),
      ),
    );
    expect(out).toEqual(events);
    expect(sizes).toEqual([2, 3, 3, 2]);
    expect(reader.isReady).toBe(true);
  });
});

describe('backoff operator (virtual time)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resubscribes to an erroring source after policy.next() ms each time', async () => {
    let subscriptions = 0;
    const failing = new Observable<number>((sub) => {
      subscriptions++;
      if (subscriptions < 3) sub.error(new Error('flaky'));
      else {
        sub.next(subscriptions);
        sub.complete();
      }
    });
    const delays = [1000, 2000];
    const policy: BackoffPolicy = { next: () => delays.shift() ?? 0, reset: () => {} };
    const got: number[] = [];
    failing.pipe(backoff(policy)).subscribe((v) => got.push(v));
    expect(subscriptions).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(subscriptions).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(subscriptions).toBe(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(subscriptions).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(got).toEqual([3]);
  });
});
