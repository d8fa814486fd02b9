import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from './json.js';
import { Storage } from './storage.js';

const obj = (name: string, v: number): JsonObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data: { v: String(v) },
});

/** The table content as a map, for comparing against pages. */
function snapshot(s: Storage): Map<string, JsonObject> {
  return new Map([...s.scan('configmaps')]);
}

/** `gap`: a compaction round that compacts nothing but takes a revision, as etcd's does. */
type Op = { kind: 'put' | 'del' | 'gap'; name: string; v: number };
const op = fc.record({
  kind: fc.constantFrom<Op['kind']>('put', 'put', 'del', 'gap'),
  name: fc.constantFrom(...'abcdefghijklmnop'.split('').map((c) => `ns${c < 'h' ? 1 : 2}/${c}`)),
  v: fc.nat(100),
});

function apply(s: Storage, o: Op): void {
  const [ns] = o.name.split('/');
  if (o.kind === 'gap') s.compactionRound(0);
  else if (o.kind === 'put') s.commit('configmaps', o.name, ns!, obj(o.name, o.v));
  else if (s.get('configmaps', o.name)) s.commit('configmaps', o.name, ns!, null, obj(o.name, o.v));
}

describe('Storage.page', () => {
  it('pages read at one resourceVersion see exactly the state at that version, whatever changes in between', () => {
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 40 }),
        fc.array(fc.array(op, { maxLength: 5 }), { maxLength: 10 }),
        fc.integer({ min: 1, max: 4 }),
        (before, between, limit) => {
          const s = new Storage(1000);
          for (const o of before) apply(s, o);
          const atRv = s.rv;
          const expected = [...snapshot(s).entries()];
          const seen: [string, JsonObject][] = [];
          let afterKey: string | undefined;
          for (let i = 0; ; i++) {
            const opts: Parameters<Storage['page']>[2] = {
              limit,
              accept: () => true,
              countRemaining: 'scan',
            };
            if (afterKey !== undefined) opts.afterKey = afterKey;
            const page = s.page('configmaps', atRv, opts);
            for (const item of page.items)
              seen.push([String((item.metadata as JsonObject).name), item]);
            for (const o of between[i] ?? []) apply(s, o);
            if (page.lastKey === undefined) break;
            expect(page.remaining).toBe(expected.length - seen.length);
            afterKey = page.lastKey;
          }
          expect(seen).toEqual(expected);
        },
      ),
    );
  });

  it('a namespace page never leaks other namespaces and equals a filtered scan', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const s = new Storage(1000);
        for (const o of ops) apply(s, o);
        const page = s.page('configmaps', s.rv, { namespace: 'ns1', accept: () => true });
        const want = [...s.scan('configmaps', 'ns1')].map(([, o]) => o);
        expect(page.items).toEqual(want);
        expect(
          page.items.every((o) => String((o.metadata as JsonObject).name).startsWith('ns1/')),
        ).toBe(true);
      }),
    );
  });

  it('reading before the kept history is 410', () => {
    const s = new Storage(2);
    for (let i = 0; i < 5; i++) s.commit('configmaps', `n${i}`, '', obj(`n${i}`, i));
    expect(() => s.page('configmaps', 2, { accept: () => true })).toThrow(
      /too old resource version/,
    );
    expect(s.page('configmaps', s.rv, { accept: () => true }).items).toHaveLength(5);
  });
});
