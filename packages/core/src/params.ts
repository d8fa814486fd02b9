import type { FieldSelector, LabelSelector } from './selectors.js';

/**
 * Per-call control, accepted by every method of the client's `Api` (directly, or as part
 * of its params).
 */
export interface CallOptions {
  /**
   * Aborting it cancels the call: the promise rejects with the signal's reason (the
   * `AbortError` of `AbortController.abort()`, or the reason you gave); a signal made by
   * `AbortSignal.timeout()` rejects with the client's `RequestTimeoutError` instead.
   * Watches and followed logs end quietly instead.
   */
  signal?: AbortSignal;
  /**
   * Time limit of the call in ms, retries included: until the whole response has arrived
   * (for watches and followed logs, until the response starts). Running out rejects with
   * the client's `RequestTimeoutError`. Replaces the client's `timeoutMs` for this call;
   * `0` disables the limit.
   */
  timeoutMs?: number;
}

/** How `resourceVersion` is interpreted by list and watch requests. */
export type ResourceVersionMatch = 'Exact' | 'NotOlderThan';

/** Parameters of a LIST request. */
export interface ListParams extends CallOptions {
  /** Only objects whose labels match; a string in the API syntax or a {@link LabelSelector}. */
  labelSelector?: string | LabelSelector;
  /** Only objects whose fields match; a string in the API syntax or a {@link FieldSelector}. */
  fieldSelector?: string | FieldSelector;
  /** The page size; the server returns a `continue` token when more remain. */
  limit?: number;
  /** The `continue` token of the previous page. */
  continue?: string;
  /** List at (or not older than) this resourceVersion; `'0'` allows a cached list. */
  resourceVersion?: string;
  /** How `resourceVersion` is interpreted. */
  resourceVersionMatch?: ResourceVersionMatch;
  /** Server-side timeout of the request, in seconds. */
  timeoutSeconds?: number;
}

/** Parameters of a WATCH request. */
export interface WatchParams extends CallOptions {
  /** Only objects whose labels match. */
  labelSelector?: string | LabelSelector;
  /** Only objects whose fields match. */
  fieldSelector?: string | FieldSelector;
  /** Start after this resourceVersion (usually the one of the preceding list). */
  resourceVersion?: string;
  /** Ask the server for BOOKMARK events that advance the resourceVersion. */
  allowWatchBookmarks?: boolean;
  /** The server ends the watch after this many seconds. */
  timeoutSeconds?: number;
  /** Streaming list: first send the current objects as ADDED events, then a bookmark. */
  sendInitialEvents?: boolean;
  /** How `resourceVersion` is interpreted (`NotOlderThan` with `sendInitialEvents`). */
  resourceVersionMatch?: ResourceVersionMatch;
}

/** `dryRun=All`: validate and admit the request but do not persist it. */
export type DryRun = 'All';

/** Parameters of a create or replace. */
export interface PostParams extends CallOptions {
  /** The field manager recorded in `managedFields`. */
  fieldManager?: string;
  /** Validate without persisting. */
  dryRun?: DryRun;
}

/** Parameters of a PATCH. */
export interface PatchParams extends CallOptions {
  /** The field manager; required for server-side apply. */
  fieldManager?: string;
  /** Server-side apply only: take ownership of conflicting fields. */
  force?: boolean;
  /** Validate without persisting. */
  dryRun?: DryRun;
}

/** Preconditions of a delete: it fails with 409 unless they hold. */
export interface Preconditions {
  /** The object must have this UID. */
  uid?: string;
  /** The object must be at this resourceVersion. */
  resourceVersion?: string;
}

/** Parameters of a DELETE (and a delete-collection). */
export interface DeleteParams extends CallOptions {
  /** What happens to dependents: cascade in the foreground/background, or orphan them. */
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  /** Seconds the object may take to terminate; `0` deletes at once. */
  gracePeriodSeconds?: number;
  /** Delete only if these hold. */
  preconditions?: Preconditions;
  /** Validate without persisting. */
  dryRun?: DryRun;
}
