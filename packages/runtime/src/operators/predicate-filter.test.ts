import type { KubeObject } from '@kube-ts/core';
import fc from 'fast-check';
import { firstValueFrom, from, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { WatcherEvent } from '../watcher/events.js';
import { predicateFilter } from './predicate-filter.js';
import { predicate, predicates } from './predicates.js';

function obj(
  name: string,
  meta: {
    generation?: number;
    rv?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    uid?: string;
  } = {},
): KubeObject {
  return {
    metadata: {
      name,
      namespace: 'ns',
      uid: meta.uid ?? `uid-${name}`,
      ...(meta.generation !== undefined ? { generation: meta.generation } : {}),
      ...(meta.rv !== undefined ? { resourceVersion: meta.rv } : {}),
      ...(meta.labels ? { labels: meta.labels } : {}),
      ...(meta.annotations ? { annotations: meta.annotations } : {}),
      ...(meta.finalizers ? { finalizers: meta.finalizers } : {}),
    },
  };
}

const applied = (o: KubeObject): WatcherEvent<KubeObject> => ({ type: 'Applied', object: o });

async function passed(
  events: WatcherEvent<KubeObject>[],
  pred: Parameters<typeof predicateFilter<KubeObject>>[0],
  capacity?: number,
) {
  const out = await firstValueFrom(
    from(events).pipe(predicateFilter(pred, capacity ? { capacity } : {}), toArray()),
  );
  return out.map((e) => events.indexOf(e));
}

describe('predicateFilter', () => {
  it('generation: passes the first sight and generation changes, drops status-only updates', async () => {
    const events = [
      applied(obj('a', { generation: 1, rv: '1' })),
      applied(obj('a', { generation: 1, rv: '2' })),
      applied(obj('a', { generation: 2, rv: '3' })),
      applied(obj('b', { generation: 2, rv: '4' })),
    ];
    expect(await passed(events, predicates.generation)).toEqual([0, 2, 3]);
  });

  it('objects without the value (no generation) always pass', async () => {
    const events = [applied(obj('a')), applied(obj('a'))];
    expect(await passed(events, predicates.generation)).toEqual([0, 1]);
  });

  it('resourceVersion, labels (order-insensitive), annotations, finalizers', async () => {
    expect(
      await passed(
        [
          applied(obj('a', { rv: '1' })),
          applied(obj('a', { rv: '1' })),
          applied(obj('a', { rv: '2' })),
        ],
        predicates.resourceVersion,
      ),
    ).toEqual([0, 2]);
    expect(
      await passed(
        [
          applied(obj('a', { labels: { x: '1', y: '2' } })),
          applied(obj('a', { labels: { y: '2', x: '1' } })),
          applied(obj('a', { labels: { x: '1' } })),
        ],
        predicates.labels,
      ),
    ).toEqual([0, 2]);
    expect(
      await passed(
        [
          applied(obj('a', { annotations: { k: 'v' } })),
          applied(obj('a', { annotations: { k: 'v' } })),
          applied(obj('a', { annotations: { k: 'w' } })),
        ],
        predicates.annotations,
      ),
    ).toEqual([0, 2]);
    expect(
      await passed(
        [
          applied(obj('a', { finalizers: ['f'] })),
          applied(obj('a', { finalizers: ['f'] })),
          applied(obj('a')),
        ],
        predicates.finalizers,
      ),
    ).toEqual([0, 2]);
  });

  it('any() passes when one part changed; all() only when every part changed', async () => {
    const events = [
      applied(obj('a', { generation: 1, labels: { x: '1' } })),
      applied(obj('a', { generation: 2, labels: { x: '1' } })),
      applied(obj('a', { generation: 2, labels: { x: '2' } })),
      applied(obj('a', { generation: 2, labels: { x: '2' } })),
      applied(obj('a', { generation: 3, labels: { x: '3' } })),
    ];
    expect(await passed(events, predicates.any(predicates.generation, predicates.labels))).toEqual([
      0, 1, 2, 4,
    ]);
    expect(await passed(events, predicates.all(predicates.generation, predicates.labels))).toEqual([
      0, 4,
    ]);
  });

  it('Deleted always passes and forgets the object: a re-created object passes again', async () => {
    const events: WatcherEvent<KubeObject>[] = [
      applied(obj('a', { generation: 1 })),
      { type: 'Deleted', object: obj('a', { generation: 1 }) },
      applied(obj('a', { generation: 1 })),
    ];
    expect(await passed(events, predicates.generation)).toEqual([0, 1, 2]);
  });

  it('Restarted passes whole and resets the memory to the listed objects', async () => {
    const events: WatcherEvent<KubeObject>[] = [
      applied(obj('a', { generation: 1 })),
      applied(obj('b', { generation: 1 })),
      { type: 'Restarted', objects: [obj('a', { generation: 5 })] },
      applied(obj('a', { generation: 5 })),
      applied(obj('b', { generation: 1 })),
    ];
    expect(await passed(events, predicates.generation)).toEqual([0, 1, 2, 4]);
  });

  it('keys by uid: an object re-created under the same name with a new uid passes', async () => {
    const events = [
      applied(obj('a', { generation: 1, uid: 'u1' })),
      applied(obj('a', { generation: 1, uid: 'u2' })),
    ];
    expect(await passed(events, predicates.generation)).toEqual([0, 1]);
  });

  it('memory is bounded: past capacity the least recently seen object is forgotten (and then passes)', async () => {
    const events = [
      applied(obj('a', { generation: 1 })),
      applied(obj('b', { generation: 1 })),
      applied(obj('a', { generation: 1 })),
      applied(obj('c', { generation: 1 })),
      applied(obj('a', { generation: 1 })),
      applied(obj('b', { generation: 1 })),
    ];
    expect(await passed(events, predicates.generation, 2)).toEqual([0, 1, 3, 5]);
  });

  it('custom predicates via predicate(fn); each subscription has its own memory', async () => {
    const byName = predicate<KubeObject>((o) => o.metadata?.annotations?.v);
    const events = [
      applied(obj('a', { annotations: { v: '1' } })),
      applied(obj('a', { annotations: { v: '1' } })),
    ];
    const stream = from(events).pipe(predicateFilter(byName));
    expect(await firstValueFrom(stream.pipe(toArray()))).toHaveLength(1);
    expect(await firstValueFrom(stream.pipe(toArray()))).toHaveLength(1);
  });

  it('rejects a non-positive capacity', () => {
    expect(() => predicateFilter(predicates.generation, { capacity: 0 })).toThrow(/capacity/);
  });

  it('property: with unbounded memory it passes exactly the events whose generation differs from the last one seen', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            name: fc.constantFrom('a', 'b', 'c'),
            gen: fc.integer({ min: 1, max: 3 }),
            del: fc.boolean(),
          }),
          { maxLength: 40 },
        ),
        async (steps) => {
          const events: WatcherEvent<KubeObject>[] = steps.map((s) =>
            s.del
              ? { type: 'Deleted', object: obj(s.name, { generation: s.gen }) }
              : applied(obj(s.name, { generation: s.gen })),
          );
          const last = new Map<string, number>();
          const expected: number[] = [];
          events.forEach((e, i) => {
            if (e.type === 'Deleted') {
              last.delete(e.object.metadata!.name!);
              expected.push(i);
            } else if (e.type === 'Applied') {
              const g = e.object.metadata!.generation!;
              if (last.get(e.object.metadata!.name!) !== g) expected.push(i);
              last.set(e.object.metadata!.name!, g);
            }
          });
          expect(await passed(events, predicates.generation)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
