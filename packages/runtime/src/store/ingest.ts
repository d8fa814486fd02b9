/**
 * How objects enter a store: the ingest transform (default: drop `metadata.managedFields`,
 * which is often the largest part of an object and rarely read by controllers) and freezing.
 */
import type { KubeObject } from '@kube-ts/core';

/** A function applied to every object before it is stored. Must not mutate its argument. */
export type IngestTransform<K> = (obj: K) => K;

/**
 * The default ingest transform: a copy without `metadata.managedFields` (top level and
 * metadata are copied; everything else is shared with the input). Returns the input itself
 * when it has no managedFields, so nothing is copied needlessly. Never mutates the input.
 */
export function dropManagedFields<K extends KubeObject>(obj: K): K {
  const meta = obj.metadata;
  if (meta === undefined || meta.managedFields === undefined) return obj;
  const { managedFields: _dropped, ...rest } = meta;
  // Object.assign, not `{ ...obj, metadata: rest }`: V8 gives a spread copy a map outside
  // its transition tree, so freezing it later makes a new map for each object (~220 B per
  // stored object, and a slower freeze); Object.assign copies share their maps, frozen too.
  const copy: KubeObject = Object.assign({}, obj);
  copy.metadata = rest;
  return copy as K;
}

/** Keeps objects as they are (use as `transform` to keep managedFields). */
export function keepAll<K>(obj: K): K {
  return obj;
}

/**
 * Freezes `value` and everything reachable from it (plain objects and arrays), so that no
 * consumer can change what the store holds. Already-frozen sub-objects are not walked
 * again, so re-ingesting objects that share frozen parts is cheap.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    if (typeof child === 'object' && child !== null) deepFreeze(child);
  }
  return value;
}

/** How deeply stored objects are frozen: `shallow` freezes the object itself, `deep` every nested object and array too. */
export type FreezeMode = 'shallow' | 'deep';

/**
 * Freezes a stored object. `'shallow'` (the default): the object itself and all of its
 * `metadata` (labels, annotations, finalizers, ownerReferences, …) — the top-level fields
 * cannot be replaced and metadata cannot change at all, but nested `spec`/`status`
 * contents stay writable. `'deep'`: everything, at several times the cost (see
 * docs/watcher.md for the measurement).
 */
export function freezeObject<K extends KubeObject>(obj: K, mode: FreezeMode): K {
  if (mode === 'deep') return deepFreeze(obj);
  if (obj.metadata !== undefined) deepFreeze(obj.metadata);
  return Object.freeze(obj);
}
