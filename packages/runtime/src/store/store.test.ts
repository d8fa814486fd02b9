import type { KubeObject } from '@kube-ts/core';
import { describe, expect, it } from 'vitest';
import { keepAll } from './ingest.js';
import { createStore } from './store.js';

interface Obj extends KubeObject {
  spec?: { n: number };
}

function obj(
  name: string,
  ns: string | undefined,
  n = 0,
  labels: Record<string, string> = {},
): Obj {
  return {
    metadata: {
      name,
      ...(ns ? { namespace: ns } : {}),
      labels,
      managedFields: [{ manager: 'kubectl', operation: 'Update' }],
    },
    spec: { n },
  };
}

describe('createStore', () => {
  it('is not ready until the first Restarted, then waitUntilReady resolves', async () => {
    const { reader, writer } = createStore<Obj>();
    let resolved = false;
    const ready = reader.waitUntilReady().then(() => {
      resolved = true;
    });
    writer.apply({ type: 'Applied', object: obj('a', 'ns') });
    await Promise.resolve();
    expect(reader.isReady).toBe(false);
    expect(resolved).toBe(false);
    writer.apply({ type: 'Restarted', objects: [] });
    await ready;
    expect(reader.isReady).toBe(true);
    await expect(reader.waitUntilReady()).resolves.toBeUndefined();
  });

  it('waitUntilReady rejects with the abort reason when its signal aborts first', async () => {
    const { reader, writer } = createStore<Obj>();
    const ac = new AbortController();
    const waiting = reader.waitUntilReady(ac.signal);
    ac.abort(new Error('shutting down'));
    await expect(waiting).rejects.toThrow('shutting down');
    await expect(reader.waitUntilReady(ac.signal)).rejects.toThrow('shutting down');
    writer.apply({ type: 'Restarted', objects: [] });
    expect(reader.isReady).toBe(true);
  });

  it('keys objects by namespace/name: same name in two namespaces and cluster-scoped are distinct', () => {
    const { reader, writer } = createStore<Obj>();
    writer.apply({
      type: 'Restarted',
      objects: [obj('a', 'x', 1), obj('a', 'y', 2), obj('a', undefined, 3)],
    });
    expect(reader.size).toBe(3);
    expect(reader.get({ namespace: 'x', name: 'a' })?.spec?.n).toBe(1);
    expect(reader.get({ namespace: 'y', name: 'a' })?.spec?.n).toBe(2);
    expect(reader.get({ name: 'a' })?.spec?.n).toBe(3);
    expect(reader.get({ namespace: 'z', name: 'a' })).toBeUndefined();
  });

  it('Applied replaces, Deleted removes, Error is ignored', () => {
    const { reader, writer } = createStore<Obj>();
    writer.apply({ type: 'Applied', object: obj('a', 'ns', 1) });
    writer.apply({ type: 'Applied', object: obj('a', 'ns', 2) });
    expect(reader.get({ namespace: 'ns', name: 'a' })?.spec?.n).toBe(2);
    writer.apply({ type: 'Error', error: new Error('x') as never });
    expect(reader.size).toBe(1);
    writer.apply({ type: 'Deleted', object: obj('a', 'ns') });
    writer.apply({ type: 'Deleted', object: obj('missing', 'ns') });
    expect(reader.size).toBe(0);
    expect(reader.list()).toEqual([]);
  });

  it('Restarted replaces the whole content: objects missing from it are gone', () => {
    const { reader, writer } = createStore<Obj>();
    writer.apply({ type: 'Restarted', objects: [obj('a', 'ns'), obj('b', 'ns')] });
    writer.apply({ type: 'Restarted', objects: [obj('c', 'ns')] });
    expect(reader.list().map((o) => o.metadata?.name)).toEqual(['c']);
  });

  it('Restarted is atomic: when the transform throws midway, the old content and indexes stay', () => {
    let calls = 0;
    const { reader, writer } = createStore<Obj>({
      transform: (o) => {
        if (o.metadata?.name === 'bad') throw new Error('cannot ingest');
        calls++;
        return o;
      },
    });
    writer.apply({ type: 'Restarted', objects: [obj('a', 'ns', 0, { app: 'x' })] });
    reader.addIndex('app', (o) => o.metadata?.labels?.app);
    expect(() =>
      writer.apply({
        type: 'Restarted',
        objects: [obj('b', 'ns', 0, { app: 'x' }), obj('bad', 'ns')],
      }),
    ).toThrow('cannot ingest');
    expect(calls).toBe(2);
    expect(reader.list().map((o) => o.metadata?.name)).toEqual(['a']);
    expect(reader.byIndex('app', 'x').map((o) => o.metadata?.name)).toEqual(['a']);
  });

  it('find returns the first match or undefined', () => {
    const { reader, writer } = createStore<Obj>();
    writer.apply({ type: 'Restarted', objects: [obj('a', 'ns', 1), obj('b', 'ns', 2)] });
    expect(reader.find((o) => o.spec?.n === 2)?.metadata?.name).toBe('b');
    expect(reader.find((o) => o.spec?.n === 3)).toBeUndefined();
  });

  it('drops metadata.managedFields by default without mutating the event object', () => {
    const { reader, writer } = createStore<Obj>();
    const input = obj('a', 'ns');
    writer.apply({ type: 'Applied', object: input });
    expect(reader.get({ namespace: 'ns', name: 'a' })?.metadata?.managedFields).toBeUndefined();
    expect(input.metadata?.managedFields).toHaveLength(1);
  });

  it('keepAll keeps managedFields; a custom transform can strip more', () => {
    const kept = createStore<Obj>({ transform: keepAll });
    kept.writer.apply({ type: 'Applied', object: obj('a', 'ns') });
    expect(kept.reader.get({ namespace: 'ns', name: 'a' })?.metadata?.managedFields).toHaveLength(
      1,
    );
    const stripped = createStore<Obj>({ transform: ({ spec: _spec, ...rest }) => rest });
    stripped.writer.apply({ type: 'Applied', object: obj('a', 'ns') });
    expect(stripped.reader.get({ namespace: 'ns', name: 'a' })?.spec).toBeUndefined();
  });

  it('hands out frozen objects: top level and all metadata by default, everything with deep', () => {
    const { reader, writer } = createStore<Obj>();
    writer.apply({ type: 'Applied', object: obj('a', 'ns', 1, { app: 'x' }) });
    const got = reader.get({ namespace: 'ns', name: 'a' })!;
    expect(Object.isFrozen(got)).toBe(true);
    expect(Object.isFrozen(got.metadata)).toBe(true);
    expect(Object.isFrozen(got.metadata?.labels)).toBe(true);
    expect(() => {
      (got.metadata!.labels as Record<string, string>).app = 'y';
    }).toThrow(TypeError);
    expect(Object.isFrozen(got.spec)).toBe(false);

    const deep = createStore<Obj>({ freeze: 'deep' });
    deep.writer.apply({ type: 'Applied', object: obj('a', 'ns', 1) });
    const d = deep.reader.get({ namespace: 'ns', name: 'a' })!;
    expect(Object.isFrozen(d.spec)).toBe(true);
    expect(() => {
      d.spec!.n = 5;
    }).toThrow(TypeError);
  });

  it('freezes an object when it is first handed out: by list, find, byIndex and to index functions', () => {
    const { reader, writer } = createStore<Obj>();
    const seenByIndex: boolean[] = [];
    writer.apply({ type: 'Restarted', objects: [obj('a', 'ns', 1, { app: 'x' })] });
    writer.apply({ type: 'Applied', object: obj('b', 'ns', 1, { app: 'x' }) });
    for (const o of reader.list()) {
      expect(Object.isFrozen(o)).toBe(true);
      expect(Object.isFrozen(o.metadata?.labels)).toBe(true);
    }
    writer.apply({ type: 'Applied', object: obj('c', 'ns', 1, { app: 'x' }) });
    const found = reader.find((o) => o.metadata?.name === 'c');
    expect(Object.isFrozen(found)).toBe(true);
    writer.apply({ type: 'Applied', object: obj('d', 'ns', 1, { app: 'x' }) });
    reader.addIndex('app', (o) => {
      seenByIndex.push(Object.isFrozen(o) && Object.isFrozen(o.metadata));
      return o.metadata?.labels?.app;
    });
    writer.apply({ type: 'Applied', object: obj('e', 'ns', 1, { app: 'x' }) });
    expect(seenByIndex.length).toBeGreaterThanOrEqual(5);
    expect(seenByIndex.every((f) => f)).toBe(true);
    expect(reader.byIndex('app', 'x').every((o) => Object.isFrozen(o))).toBe(true);
  });

  it('indexes follow Applied (value changes), Deleted and Restarted, and accept several values', () => {
    const { reader, writer } = createStore<Obj>();
    writer.apply({ type: 'Applied', object: obj('a', 'ns', 0, { app: 'x' }) });
    reader.addIndex('app', (o) => o.metadata?.labels?.app);
    reader.addIndex('labels', (o) => Object.keys(o.metadata?.labels ?? {}));
    const names = (objs: Obj[]) => objs.map((o) => o.metadata?.name).sort();
    expect(names(reader.byIndex('app', 'x'))).toEqual(['a']);
    writer.apply({ type: 'Applied', object: obj('b', 'ns', 0, { app: 'x', tier: 'fe' }) });
    writer.apply({ type: 'Applied', object: obj('a', 'ns', 0, { app: 'y' }) });
    expect(names(reader.byIndex('app', 'x'))).toEqual(['b']);
    expect(names(reader.byIndex('app', 'y'))).toEqual(['a']);
    expect(names(reader.byIndex('labels', 'tier'))).toEqual(['b']);
    writer.apply({ type: 'Deleted', object: obj('b', 'ns') });
    expect(reader.byIndex('app', 'x')).toEqual([]);
    expect(reader.byIndex('labels', 'tier')).toEqual([]);
    writer.apply({ type: 'Restarted', objects: [obj('c', 'ns', 0, { app: 'y' })] });
    expect(names(reader.byIndex('app', 'y'))).toEqual(['c']);
    expect(reader.byIndex('app', 'nope')).toEqual([]);
  });

  it('refuses duplicate and unknown index names with a message saying what to do', () => {
    const { reader } = createStore<Obj>();
    reader.addIndex('app', () => undefined);
    expect(() => reader.addIndex('app', () => undefined)).toThrow(/already exists/);
    expect(() => reader.byIndex('nope', 'x')).toThrow(/call addIndex\('nope', fn\) first/);
  });
});
