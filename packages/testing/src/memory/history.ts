import type { JsonObject } from './json.js';

/** The type of a stored change, as watch events name it. */
export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One committed change. Every commit takes the next resourceVersion (a compaction round takes one too). */
export interface Change {
  rv: number;
  type: ChangeType;
  resKey: string;
  /** `ns/name` or `name`. */
  key: string;
  namespace: string;
  /** The object after the change (for DELETED: the last state, carrying the delete's rv). */
  object: JsonObject;
  /** The object before the change (absent for ADDED). */
  prev?: JsonObject;
}

/**
 * A bounded ring of the most recent changes: the server's "etcd history". Changes older
 * than the ring (or dropped by {@link compact}) are gone, so reads and watches from
 * before {@link compactedRv} get 410 Gone.
 */
export class History {
  private readonly ring: (Change | undefined)[];
  private start = 0;
  private size = 0;
  /** Watches and lists from a resourceVersion below this one are too old. */
  compactedRv = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array(Math.max(1, capacity));
  }

  /** Appends a change (its rv must be above the previous one's). */
  push(c: Change): void {
    const cap = this.ring.length;
    if (this.size === cap) {
      const dropped = this.ring[this.start]!;
      this.ring[this.start] = undefined;
      this.start = (this.start + 1) % cap;
      this.size--;
      this.compactedRv = dropped.rv;
    }
    this.ring[(this.start + this.size) % cap] = c;
    this.size++;
  }

  /** Forgets every change up to and including `rv`. */
  compact(rv: number): void {
    while (this.size > 0 && this.ring[this.start]!.rv <= rv) {
      this.ring[this.start] = undefined;
      this.start = (this.start + 1) % this.ring.length;
      this.size--;
    }
    this.compactedRv = Math.max(this.compactedRv, rv);
  }

  /** The changes with rv > `after`, oldest first (caller checks `after >= compactedRv`). */
  *since(after: number): Generator<Change> {
    for (let i = this.indexAfter(after); i < this.size; i++) yield this.at(i);
  }

  /** The changes with rv > `after`, newest first. */
  *sinceReversed(after: number): Generator<Change> {
    const lo = this.indexAfter(after);
    for (let i = this.size - 1; i >= lo; i--) yield this.at(i);
  }

  /** The `i`-th kept change, oldest first. */
  private at(i: number): Change {
    return this.ring[(this.start + i) % this.ring.length]!;
  }

  /**
   * The position of the first kept change with rv > `after`. A binary search, not
   * `after + 1 - first`: resourceVersions are increasing but not contiguous, since a
   * compaction round takes a revision that is no change (as etcd's compaction key does).
   */
  private indexAfter(after: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).rv <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
