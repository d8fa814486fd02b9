/** Index of the first element of the sorted array `keys` that is >= `key`. */
export function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A set of strings kept in sorted (byte) order, the order etcd lists keys in: inserts and
 * deletes are a binary search plus a splice, so a LIST page never sorts the keyspace.
 */
export class SortedKeys {
  readonly keys: string[] = [];

  /** Adds `key` (no-op when present). */
  add(key: string): void {
    const i = lowerBound(this.keys, key);
    if (this.keys[i] !== key) this.keys.splice(i, 0, key);
  }

  /** Removes `key` (no-op when absent). */
  delete(key: string): void {
    const i = lowerBound(this.keys, key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }
}
