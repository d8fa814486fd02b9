import type { KubeObject } from '@kube-ts/core';

/** One RFC 6902 JSON Patch operation. `path` is a JSON Pointer (`/metadata/labels/app`). */
export type JsonPatchOp =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

/**
 * A patch body and its type. Build one with {@link Patch.merge}, {@link Patch.json},
 * {@link Patch.strategic} or {@link Patch.apply}; `Api.patch` sends it with the matching
 * content type.
 */
export type Patch<K extends KubeObject = KubeObject> =
  | MergePatch
  | JsonPatch
  | StrategicPatch
  | ApplyPatch<K>;

/** A JSON merge patch (RFC 7386); fits an `Api<K>` of any `K`. */
export interface MergePatch {
  readonly type: 'merge';
  readonly body: unknown;
}

/** A JSON patch (RFC 6902); fits an `Api<K>` of any `K`. */
export interface JsonPatch {
  readonly type: 'json';
  readonly body: readonly JsonPatchOp[];
}

/** A strategic merge patch; fits an `Api<K>` of any `K`. */
export interface StrategicPatch {
  readonly type: 'strategic';
  readonly body: unknown;
}

/** A server-side apply of an object of type `K`. */
export interface ApplyPatch<K extends KubeObject = KubeObject> {
  readonly type: 'apply';
  readonly body: K;
}

/** Content types of the four patch types. */
export const PATCH_CONTENT_TYPES = Object.freeze({
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const);

/**
 * Builders of {@link Patch}es. `merge`, `json` and `strategic` accept an (unused) object type
 * argument so that `Patch.json<MyKind>(ops)` reads naturally; their result fits any `Api<K>`.
 */
export const Patch = {
  /** An RFC 7386 JSON merge patch: objects merge, `null` deletes a field, arrays are replaced. */
  merge<_K extends KubeObject = KubeObject>(patch: unknown): MergePatch {
    return { type: 'merge', body: patch };
  },
  /**
   * An RFC 6902 JSON patch: a list of operations applied in order, atomically. A `test`
   * op makes the whole patch fail (422) unless the value at its path equals `value` — a
   * compare-and-swap on part of an object.
   */
  json<_K extends KubeObject = KubeObject>(ops: readonly JsonPatchOp[]): JsonPatch {
    return { type: 'json', body: ops };
  },
  /**
   * A strategic merge patch (built-in types only; the server merges lists by their patch
   * merge key, e.g. containers by name). Custom resources reject it with 415.
   */
  strategic<_K extends KubeObject = KubeObject>(patch: unknown): StrategicPatch {
    return { type: 'strategic', body: patch };
  },
  /**
   * A server-side apply: the full intent of one field manager (`apiVersion`, `kind`,
   * `metadata.name` and the fields it owns). `PatchParams.fieldManager` is required;
   * `force: true` takes over fields other managers own.
   */
  apply<K extends KubeObject>(obj: K): ApplyPatch<K> {
    return { type: 'apply', body: obj };
  },
} as const;

/**
 * Escapes one JSON Pointer segment (`~` → `~0`, `/` → `~1`), e.g. for a label key:
 * `` `/metadata/labels/${jsonPointerEscape('app.kubernetes.io/name')}` ``.
 */
export function jsonPointerEscape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
