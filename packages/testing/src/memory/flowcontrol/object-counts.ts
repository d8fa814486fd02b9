/**
 * The object counts and average object sizes API Priority and Fairness estimates a LIST's
 * seats by, as kube-apiserver's storage reports them to its object count tracker: for
 * each resource, when its storage starts and then every `--etcd-count-metric-poll-period`
 * (a minute by default), so a LIST is estimated by the objects there were at the last
 * poll. The size is each stored object's length as kube-apiserver writes it to etcd
 * (without its resourceVersion): the protobuf encoding for built-in kinds, JSON for custom
 * resources.
 */
import type { JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { encodeProtobuf, hasProtobuf } from '../protobuf/encode.js';
import type { Storage } from '../storage.js';

/** What the storage last reported of one resource. */
export interface ObjectStats {
  readonly count: number;
  /** The average object size in bytes (0 when there are no objects). */
  readonly averageSize: number;
}

/**
 * The stored objects' sizes. Stored objects are never mutated, so each is measured once,
 * when a poll first meets it (not when it is written: most are replaced before a poll).
 */
const sizes = new WeakMap<JsonObject, number>();

function sizeOf(o: JsonObject, builtin: boolean): number {
  let size = sizes.get(o);
  if (size === undefined) {
    const stored = { ...o, metadata: { ...metaOf(o), resourceVersion: '' } };
    size =
      builtin && hasProtobuf(o)
        ? encodeProtobuf(stored).length
        : Buffer.byteLength(JSON.stringify(stored));
    sizes.set(o, size);
  }
  return size;
}

/** The resources' counts as of the last poll, polled every `periodSeconds`. */
export class ObjectCounts {
  private stats = new Map<string, ObjectStats>();
  private timer: NodeJS.Timeout | undefined;

  /** `builtin` tells a built-in resource (stored in protobuf) by its storage key. */
  constructor(
    private readonly storage: Storage,
    private readonly periodSeconds: number,
    private readonly builtin: (resource: string) => boolean,
  ) {}

  /** Takes the counts now and then every period, until {@link stop}. */
  start(): void {
    this.poll();
    this.timer ??= setInterval(() => this.poll(), this.periodSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The last counts of `resource` (`plural` or `plural.group`), if it was polled. */
  of(resource: string): ObjectStats | undefined {
    return this.stats.get(resource);
  }

  private poll(): void {
    const next = new Map<string, ObjectStats>();
    for (const resource of this.storage.resources()) {
      let count = 0;
      let total = 0;
      const builtin = this.builtin(resource);
      for (const [, o] of this.storage.scan(resource)) {
        count++;
        total += sizeOf(o, builtin);
      }
      next.set(resource, { count, averageSize: count > 0 ? Math.floor(total / count) : 0 });
    }
    this.stats = next;
  }
}
