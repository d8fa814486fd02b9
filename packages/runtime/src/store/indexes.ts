/**
 * Secondary indexes of a store: for each index, a map from index value to the objects
 * (by key) that have it. Kept up to date incrementally on each apply.
 */

/** Computes the index values of an object: one value, several, or none (`undefined`). */
export type IndexFunction<K> = (obj: K) => string | readonly string[] | undefined;

function valuesOf<K>(fn: IndexFunction<K>, obj: K): readonly string[] {
  const v = fn(obj);
  if (v === undefined) return [];
  return typeof v === 'string' ? [v] : v;
}

/** One secondary index: value → (key → object). */
export class SecondaryIndex<K> {
  readonly fn: IndexFunction<K>;
  private readonly byValue = new Map<string, Map<string, K>>();

  constructor(fn: IndexFunction<K>) {
    this.fn = fn;
  }

  /** Adds `obj` under each of its values. */
  add(key: string, obj: K): void {
    for (const value of valuesOf(this.fn, obj)) {
      let bucket = this.byValue.get(value);
      if (bucket === undefined) {
        bucket = new Map();
        this.byValue.set(value, bucket);
      }
      bucket.set(key, obj);
    }
  }

  /** Removes `obj` (the object currently stored under `key`) from each of its values. */
  remove(key: string, obj: K): void {
    for (const value of valuesOf(this.fn, obj)) {
      const bucket = this.byValue.get(value);
      if (bucket === undefined) continue;
      bucket.delete(key);
      if (bucket.size === 0) this.byValue.delete(value);
    }
  }

  /** The objects with `value`. */
  get(value: string): K[] {
    const bucket = this.byValue.get(value);
    return bucket === undefined ? [] : [...bucket.values()];
  }

  /** A new index with the same function over `objects`. */
  rebuilt(objects: ReadonlyMap<string, K>): SecondaryIndex<K> {
    const index = new SecondaryIndex(this.fn);
    for (const [key, obj] of objects) index.add(key, obj);
    return index;
  }
}
