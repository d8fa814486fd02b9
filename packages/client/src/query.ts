import {
  type ListParams,
  type PatchParams,
  type PostParams,
  renderSelector,
  type WatchParams,
} from '@kube-ts/core';
import type { QueryParams } from './client-options.js';

/** Query parameters of a LIST. */
export function listQuery(p: ListParams = {}): QueryParams {
  return {
    labelSelector: renderSelector(p.labelSelector) || undefined,
    fieldSelector: renderSelector(p.fieldSelector) || undefined,
    limit: p.limit,
    continue: p.continue || undefined,
    resourceVersion: p.resourceVersion,
    resourceVersionMatch: p.resourceVersionMatch,
    timeoutSeconds: p.timeoutSeconds,
  };
}

/** Query parameters of a WATCH (`watch=true` plus the params). */
export function watchQuery(p: WatchParams = {}): QueryParams {
  return {
    watch: true,
    labelSelector: renderSelector(p.labelSelector) || undefined,
    fieldSelector: renderSelector(p.fieldSelector) || undefined,
    resourceVersion: p.resourceVersion,
    resourceVersionMatch: p.resourceVersionMatch,
    allowWatchBookmarks: p.allowWatchBookmarks,
    sendInitialEvents: p.sendInitialEvents,
    timeoutSeconds: p.timeoutSeconds,
  };
}

/** Query parameters of a create or replace. */
export function postQuery(p: PostParams = {}): QueryParams {
  return { fieldManager: p.fieldManager, dryRun: p.dryRun };
}

/** Query parameters of a patch. */
export function patchQuery(p: PatchParams = {}): QueryParams {
  return { fieldManager: p.fieldManager, force: p.force, dryRun: p.dryRun };
}
