import { setFlagsFromString } from 'node:v8';
import type { KubeObject } from '@kube-ts/core';
import { describe, expect, it } from 'vitest';
import type { FreezeMode } from './ingest.js';
import { createStore } from './store.js';

setFlagsFromString('--allow-natives-syntax');
/**
 * V8's `%HaveSameMap(a, b)`: whether two objects share their hidden class (map). Compiled
 * after the flag is set, for this test only (as `node --allow-natives-syntax` would).
 */
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (
  a: object,
  b: object,
) => boolean;

const COUNT = 64;

/** A ConfigMap as it comes off the wire: parsed JSON, managedFields included. */
function wireObject(i: number, rv: number): KubeObject {
  return JSON.parse(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: `cm-${i}`,
        namespace: 'ns',
        uid: `uid-${i}`,
        resourceVersion: String(rv),
        labels: { app: 'bench' },
        annotations: { note: `n-${i}` },
        managedFields: [{ manager: 'kubectl', operation: 'Update', fieldsV1: { 'f:data': {} } }],
      },
      data: { key: `value-${i}` },
    }),
  ) as KubeObject;
}

/**
 * Regression test for a per-object memory cost that no timing shows: objects of one shape
 * must share V8's hidden classes in the store. A copy made by spread syntax got a map of its
 * own, and freezing it made another one for every object (~220 B each, issue 14); so the
 * objects a reader gets, and their metadata, must all have the first object's map.
 */
describe('store object shapes', () => {
  for (const freeze of ['shallow', 'deep'] satisfies FreezeMode[]) {
    it(`stored objects share one map per shape (freeze: '${freeze}')`, () => {
      const { reader, writer } = createStore<KubeObject>({ freeze });
      writer.apply({
        type: 'Restarted',
        objects: Array.from({ length: COUNT }, (_, i) => wireObject(i, i + 1)),
      });
      // Replace half of them from the watch, as MODIFIED events would.
      for (let i = 0; i < COUNT; i += 2) {
        writer.apply({ type: 'Applied', object: wireObject(i, COUNT + i + 1) });
      }
      const objects = reader.list();
      expect(objects).toHaveLength(COUNT);
      const [first] = objects as [KubeObject];
      expect(Object.isFrozen(first)).toBe(true);
      expect(first.metadata?.managedFields).toBeUndefined();
      const otherMaps = objects.filter(
        (obj) =>
          !haveSameMap(obj, first) ||
          !haveSameMap(obj.metadata as object, first.metadata as object) ||
          !haveSameMap(obj.metadata?.labels as object, first.metadata?.labels as object),
      );
      expect(otherMaps).toEqual([]);
    });
  }
});
