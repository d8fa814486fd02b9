/**
 * Predicates for `predicateFilter`: what part of an object must change for an event to
 * pass. Combine them with `predicates.any(...)` / `predicates.all(...)`.
 */
import type { KubeObject } from '@kube-ts/core';

/** What a predicate remembers of an object, and how it compares two such memories. */
export interface Predicate<K> {
  /** The part of `obj` this predicate looks at (kept in memory between events). */
  readonly extract: (obj: K) => unknown;
  /** Whether going from `before` to `after` (two `extract` results) lets the event pass. */
  readonly changed: (before: unknown, after: unknown) => boolean;
}

/**
 * A predicate from a value function: an event passes when the value differs from the one
 * of the previous event of that object. When `fn` returns `undefined` (the object does not
 * have that value), the event always passes.
 */
export function predicate<K>(fn: (obj: K) => string | number | undefined): Predicate<K> {
  return {
    extract: fn,
    changed: (before, after) => after === undefined || before !== after,
  };
}

function mapKey(map: Readonly<Record<string, string>> | undefined): string {
  if (map === undefined) return '';
  const keys = Object.keys(map).sort();
  return JSON.stringify(keys.map((k) => [k, map[k]]));
}

/** Ready-made predicates and combinators. */
export const predicates = {
  /**
   * `metadata.generation` changed (spec changes, not status/metadata-only ones). Objects
   * without a generation (e.g. ConfigMaps) always pass.
   */
  generation: predicate<KubeObject>((o) => o.metadata?.generation),
  /** `metadata.resourceVersion` changed (any change at all; filters only replays). */
  resourceVersion: predicate<KubeObject>((o) => o.metadata?.resourceVersion),
  /** `metadata.labels` changed (order-insensitive). */
  labels: predicate<KubeObject>((o) => mapKey(o.metadata?.labels)),
  /** `metadata.annotations` changed (order-insensitive). */
  annotations: predicate<KubeObject>((o) => mapKey(o.metadata?.annotations)),
  /** `metadata.finalizers` changed (order-sensitive, as the API server keeps it). */
  finalizers: predicate<KubeObject>((o) => JSON.stringify(o.metadata?.finalizers ?? [])),
  /** Passes when ANY of `preds` would pass. */
  any<K>(...preds: Predicate<K>[]): Predicate<K> {
    return {
      extract: (obj) => preds.map((p) => p.extract(obj)),
      changed: (before, after) =>
        preds.some((p, i) => p.changed((before as unknown[])[i], (after as unknown[])[i])),
    };
  },
  /** Passes only when ALL of `preds` would pass. */
  all<K>(...preds: Predicate<K>[]): Predicate<K> {
    return {
      extract: (obj) => preds.map((p) => p.extract(obj)),
      changed: (before, after) =>
        preds.every((p, i) => p.changed((before as unknown[])[i], (after as unknown[])[i])),
    };
  },
} as const;
