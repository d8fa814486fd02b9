import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { KubeObject, ObjectList } from '@kube-ts/core';
import { describe, expect, it, vi } from 'vitest';
import { WAIT } from '../cache/memory-server.test-helper.js';
import { dropManagedFields } from '../store/ingest.js';
import { reflect } from '../store/reflector.js';
import { createStore } from '../store/store.js';
import { PagingFakeSource } from './fake-source.test-helper.js';
import { watcher } from './watcher.js';

setFlagsFromString('--expose-gc');
/** V8's `gc()`, exposed for this test only (as `node --expose-gc` would). */
const gc = runInNewContext('gc') as () => void;

const COUNT = 200;

/** A list page of objects with managedFields, and weak references to each object of it. */
function listWithManagedFields(continueToken?: string): {
  list: ObjectList<KubeObject>;
  refs: WeakRef<object>[];
} {
  const items: KubeObject[] = [];
  for (let i = 0; i < COUNT; i++) {
    items.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: `cm-${i}`,
        namespace: 'ns',
        resourceVersion: String(i + 1),
        managedFields: [{ manager: 'kubectl', operation: 'Update', fieldsV1: { 'f:data': {} } }],
      },
    });
  }
  return {
    list: {
      apiVersion: 'v1',
      kind: 'ConfigMapList',
      metadata: { resourceVersion: '500', ...(continueToken ? { continue: continueToken } : {}) },
      items,
    },
    refs: items.map((item) => new WeakRef(item)),
  };
}

async function collect(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
}

describe('watcher retention', () => {
  it('keeps no listed object alive once the store holds its copies, while the watch is open', async () => {
    const source = new PagingFakeSource<KubeObject>();
    const { reader, writer } = createStore<KubeObject>();
    const sub = watcher(source, { timeoutSeconds: 300 }).pipe(reflect(writer)).subscribe();
    const refs = (() => {
      const { list, refs } = listWithManagedFields();
      source.answerList(list);
      return refs;
    })();
    await vi.waitFor(() => {
      expect(reader.isReady).toBe(true);
      expect(source.watches.length).toBe(1);
    }, WAIT);
    expect(reader.list()).toHaveLength(COUNT);
    // The store's copies have no managedFields: the listed objects are garbage now.
    expect(reader.get({ namespace: 'ns', name: 'cm-0' })?.metadata?.managedFields).toBeUndefined();
    await collect();
    const alive = refs.filter((ref) => ref.deref() !== undefined).length;
    expect(alive).toBe(0);
    expect(source.current.closed).toBe(false); // the watch is still open, waiting
    sub.unsubscribe();
  });

  it('with the store transform in the watcher, the listed objects of a page are garbage before the list ends', async () => {
    const source = new PagingFakeSource<KubeObject>();
    const { reader, writer } = createStore<KubeObject>();
    const sub = watcher(source, { timeoutSeconds: 300, transform: dropManagedFields })
      .pipe(reflect(writer))
      .subscribe();
    const refs = (() => {
      const { list, refs } = listWithManagedFields('next');
      source.answerList(list);
      return refs;
    })();
    // The first page was read and the second is asked for; it has not arrived.
    await vi.waitFor(() => expect(source.lists).toHaveLength(2), WAIT);
    await collect();
    expect(reader.isReady).toBe(false);
    const alive = refs.filter((ref) => ref.deref() !== undefined).length;
    expect(alive).toBe(0);
    sub.unsubscribe();
  });
});
