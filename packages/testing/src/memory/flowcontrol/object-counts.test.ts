import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { encodeProtobuf } from '../protobuf/encode.js';
import { Storage } from '../storage.js';
import { ObjectCounts } from './object-counts.js';

/** An object whose JSON is about twice its protobuf (`"` is escaped in JSON). */
const quoted = (apiVersion: string, kind: string, name: string): JsonObject => ({
  apiVersion,
  kind,
  metadata: {
    name,
    namespace: 'ns',
    resourceVersion: '12345',
    annotations: { q: '"'.repeat(1000) },
  },
});

describe('ObjectCounts', () => {
  it('sizes built-in objects as the protobuf etcd holds, custom resources as JSON', () => {
    const storage = new Storage(100);
    const template = quoted('v1', 'PodTemplate', 'a');
    const widget = quoted('example.com/v1', 'Widget', 'a');
    storage.commit('podtemplates', 'ns/a', '', template);
    storage.commit('widgets.example.com', 'ns/a', '', widget);
    const counts = new ObjectCounts(storage, 60, (resource) => resource === 'podtemplates');
    counts.start();
    counts.stop();
    // Stored without the resourceVersion, as kube-apiserver writes to etcd.
    const unversioned = (o: JsonObject) => ({
      ...o,
      metadata: { ...(o.metadata as object), resourceVersion: '' },
    });
    expect(counts.of('podtemplates')).toEqual({
      count: 1,
      averageSize: encodeProtobuf(unversioned(template)).length,
    });
    expect(counts.of('widgets.example.com')).toEqual({
      count: 1,
      averageSize: Buffer.byteLength(JSON.stringify(unversioned(widget))),
    });
    expect(counts.of('podtemplates')!.averageSize).toBeLessThan(1200);
    expect(counts.of('widgets.example.com')!.averageSize).toBeGreaterThan(2000);
  });
});
