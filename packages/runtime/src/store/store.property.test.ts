import type { KubeObject } from '@kube-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WatcherEvent } from '../watcher/events.js';
import { createStore } from './store.js';

const names = ['a', 'b', 'c', 'd', 'e'];
const namespaces = [undefined, 'x', 'y'];

const objectArb = fc.record({
  name: fc.constantFrom(...names),
  namespace: fc.constantFrom(...namespaces),
  color: fc.constantFrom('red', 'green', 'blue'),
  n: fc.nat(1000),
});

type Gen = { name: string; namespace: string | undefined; color: string; n: number };

function toObject(g: Gen): KubeObject & { spec: { n: number } } {
  return {
    metadata: {
      name: g.name,
      ...(g.namespace ? { namespace: g.namespace } : {}),
      labels: { color: g.color },
      managedFields: [{ manager: 'm' }],
    },
    spec: { n: g.n },
  };
}

const eventArb: fc.Arbitrary<WatcherEvent<KubeObject>> = fc.oneof(
  objectArb.map((g) => ({ type: 'Applied' as const, object: toObject(g) })),
  objectArb.map((g) => ({ type: 'Deleted' as const, object: toObject(g) })),
  fc.array(objectArb, { maxLength: 8 }).map((gs) => ({
    type: 'Restarted' as const,
    objects: gs.map(toObject),
  })),
);

function key(o: KubeObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
}

describe('store (property)', () => {
  it('after any sequence of events, content and indexes equal a simple model', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 60 }), fc.boolean(), (events, indexFirst) => {
        const { reader, writer } = createStore<KubeObject>();
        if (indexFirst) reader.addIndex('color', (o) => o.metadata?.labels?.color);
        const model = new Map<string, KubeObject>();
        for (const e of events) {
          writer.apply(e);
          if (e.type === 'Applied') model.set(key(e.object), e.object);
          else if (e.type === 'Deleted') model.delete(key(e.object));
          else if (e.type === 'Restarted') {
            model.clear();
            for (const o of e.objects) model.set(key(o), o);
          }
        }
        if (!indexFirst) reader.addIndex('color', (o) => o.metadata?.labels?.color);
        const strip = (o: KubeObject) => {
          const { managedFields: _m, ...meta } = o.metadata ?? {};
          return { ...o, metadata: meta };
        };
        const sortByKey = (os: KubeObject[]) =>
          [...os].sort((a, b) => key(a).localeCompare(key(b)));
        expect(sortByKey(reader.list())).toEqual(sortByKey([...model.values()].map(strip)));
        expect(reader.size).toBe(model.size);
        for (const [k, o] of model) {
          const [ns, name] = k.split('/');
          expect(reader.get({ namespace: ns || undefined, name: name! })).toEqual(strip(o));
        }
        for (const color of ['red', 'green', 'blue']) {
          const expected = [...model.values()].filter((o) => o.metadata?.labels?.color === color);
          expect(sortByKey(reader.byIndex('color', color))).toEqual(sortByKey(expected.map(strip)));
        }
        expect(reader.isReady).toBe(events.some((e) => e.type === 'Restarted'));
      }),
      { numRuns: 500 },
    );
  });
});
