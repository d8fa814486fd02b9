/**
 * The requests the watcher's state machine (`state.ts`) asks the driver to make, built from
 * the watcher's settings: list a page, open a watch (from a resourceVersion, or streaming
 * the initial list), read on.
 */
import type { ListParams, WatchParams } from '@kube-ts/core';

/** What the state machine needs to know of the watcher's configuration. */
export interface StateSettings {
  /** Label selector sent with every LIST and WATCH. */
  labelSelector?: string;
  /** Field selector sent with every LIST and WATCH. */
  fieldSelector?: string;
  /** Page size of the initial list. */
  pageSize: number;
  /** `'list'`: paginated LIST then WATCH; `'stream'`: WATCH with `sendInitialEvents`. */
  initialList: 'list' | 'stream';
}

/** A request for the driver to make. */
export type WatcherEffect =
  /** List one page. */
  | { readonly kind: 'list'; readonly params: ListParams }
  /** Close any open watch, open a new one with these params and read its first event. */
  | { readonly kind: 'watch'; readonly params: WatchParams }
  /** Read the next event of the open watch. */
  | { readonly kind: 'next' };

/** The effect of reading on: one shared value (effects are never changed). */
export const NEXT: WatcherEffect = Object.freeze({ kind: 'next' });

function selectors(settings: StateSettings): { labelSelector?: string; fieldSelector?: string } {
  const out: { labelSelector?: string; fieldSelector?: string } = {};
  if (settings.labelSelector !== undefined) out.labelSelector = settings.labelSelector;
  if (settings.fieldSelector !== undefined) out.fieldSelector = settings.fieldSelector;
  return out;
}

/** List one page of the initial list: the first, or the one `continueToken` names. */
export function listPage(settings: StateSettings, continueToken?: string): WatcherEffect {
  const params: ListParams = { ...selectors(settings), limit: settings.pageSize };
  if (continueToken !== undefined) params.continue = continueToken;
  return { kind: 'list', params };
}

/** The first request from nothing: list the first page, or stream the initial list. */
export function initialEffect(settings: StateSettings): WatcherEffect {
  if (settings.initialList === 'stream') {
    return {
      kind: 'watch',
      params: {
        ...selectors(settings),
        sendInitialEvents: true,
        resourceVersionMatch: 'NotOlderThan',
        allowWatchBookmarks: true,
      },
    };
  }
  return listPage(settings);
}

/** Watch from `resourceVersion`, with bookmarks. */
export function watchFrom(resourceVersion: string, settings: StateSettings): WatcherEffect {
  return {
    kind: 'watch',
    params: { ...selectors(settings), resourceVersion, allowWatchBookmarks: true },
  };
}
