/**
 * The watcher as a pure state machine: `start(settings)` gives the first transition and
 * `step(state, input, settings)` the next one. A transition says which events to emit,
 * whether to wait a backoff first, and which request to make next (the effect). No IO, no
 * clock, no randomness here: `driver.ts` performs the effects and feeds their results back.
 * For speed on large initial lists, `step` may add to the buffer of the state it is given
 * (`InitPage.objects`, `InitStreaming.objects`); a state must not be used again after it
 * was stepped.
 *
 * States:
 * - `Empty`: nothing listed yet (or a relist is needed). Effect: list the first page, or
 *   (`initialList: 'stream'`) open a watch with `sendInitialEvents=true`.
 * - `InitPage`: some pages listed, `continueToken` names the next one.
 * - `InitStreaming`: a streaming initial list is in progress; objects are buffered until
 *   the `k8s.io/initial-events-end` bookmark, then emitted as one `Restarted`.
 * - `InitListed`: the list is complete (or a watch ended); a watch from `resourceVersion`
 *   is being opened.
 * - `Watching`: a watch is open; `resourceVersion` is the last one seen (bookmarks included).
 */
import type { WatchEvent } from '@kube-ts/client';
import type { KubeObject, ObjectList } from '@kube-ts/core';
import {
  initialEffect,
  listPage,
  NEXT,
  type StateSettings,
  type WatcherEffect,
  watchFrom,
} from './effects.js';
import type { WatcherEvent } from './events.js';
import { describe, failure, isGone } from './failures.js';
import { objectKey } from './object-key.js';

/** The annotation of the bookmark that ends a streaming initial list. */
export const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

/** The watcher's state (see the module comment). */
export type WatcherState<K> =
  | { readonly kind: 'Empty' }
  | { readonly kind: 'InitPage'; readonly continueToken: string; readonly objects: K[] }
  | { readonly kind: 'InitStreaming'; readonly objects: Map<string, K> }
  | { readonly kind: 'InitListed'; readonly resourceVersion: string }
  | { readonly kind: 'Watching'; readonly resourceVersion: string };

/** The result of an effect, fed back into `step`. */
export type WatcherInput<K extends KubeObject> =
  | { readonly kind: 'Listed'; readonly list: ObjectList<K> }
  | { readonly kind: 'ListFailed'; readonly error: unknown }
  | { readonly kind: 'Event'; readonly event: WatchEvent<K> }
  /**
   * The events of the open watch received together (one network chunk), in order; the
   * same as stepping them one `Event` at a time, in one transition.
   */
  | { readonly kind: 'Events'; readonly events: readonly WatchEvent<K>[] }
  /** Opening the watch or reading it threw (HTTP error, reset connection, malformed line). */
  | { readonly kind: 'WatchFailed'; readonly error: unknown }
  /** The server ended the watch response. */
  | { readonly kind: 'WatchEnded' }
  /** Nothing arrived on the watch for `silentMs`. */
  | { readonly kind: 'WatchSilent'; readonly silentMs: number };

/** No events to emit: one shared, frozen array. */
const NO_OUTPUTS: readonly never[] = Object.freeze([]);

/** What to do after a step. */
export interface WatcherTransition<K> {
  readonly state: WatcherState<K>;
  /** Events to emit, in order. */
  readonly outputs: readonly WatcherEvent<K>[];
  /** Whether to wait a backoff delay before performing `effect`. */
  readonly backoff: boolean;
  readonly effect: WatcherEffect;
}

function emptyState<K>(settings: StateSettings): WatcherState<K> {
  return settings.initialList === 'stream'
    ? { kind: 'InitStreaming', objects: new Map() }
    : { kind: 'Empty' };
}

/** The first transition: start listing (or streaming the initial list). */
export function start<K>(settings: StateSettings): WatcherTransition<K> {
  return {
    state: emptyState(settings),
    outputs: [],
    backoff: false,
    effect: initialEffect(settings),
  };
}

/** Back to the beginning: relist after a backoff, emitting `outputs` first. */
function relist<K>(settings: StateSettings, outputs: WatcherEvent<K>[]): WatcherTransition<K> {
  return { state: emptyState(settings), outputs, backoff: true, effect: initialEffect(settings) };
}

/** A new watch from `resourceVersion`, emitting `outputs` first; after a backoff unless told not to. */
function rewatch<K>(
  resourceVersion: string,
  settings: StateSettings,
  outputs: WatcherEvent<K>[],
  backoff = true,
): WatcherTransition<K> {
  return {
    state: { kind: 'InitListed', resourceVersion },
    outputs,
    backoff,
    effect: watchFrom(resourceVersion, settings),
  };
}

function resourceVersionOf(obj: KubeObject): string | undefined {
  return obj.metadata?.resourceVersion;
}

/** Computes the next transition from the current state and the result of the last effect. */
export function step<K extends KubeObject>(
  state: WatcherState<K>,
  input: WatcherInput<K>,
  settings: StateSettings,
): WatcherTransition<K> {
  if (input.kind === 'Events' && state.kind !== 'InitListed' && state.kind !== 'Watching') {
    return stepEach(state, input.events, settings);
  }
  switch (state.kind) {
    case 'Empty':
    case 'InitPage':
      return stepListing(state, input, settings);
    case 'InitStreaming':
      return stepStreaming(state, input, settings);
    case 'InitListed':
    case 'Watching':
      return stepWatching(state, input, settings);
  }
}

/**
 * `events` stepped one `Event` at a time from `state` (outside `Watching`: a streaming
 * initial list, which may turn into a watch within the batch), as one transition. Stops at
 * the first transition that leaves the open watch; the events after it are dropped with it.
 */
function stepEach<K extends KubeObject>(
  state: WatcherState<K>,
  events: readonly WatchEvent<K>[],
  settings: StateSettings,
): WatcherTransition<K> {
  const outputs: WatcherEvent<K>[] = [];
  let transition: WatcherTransition<K> = { state, outputs, backoff: false, effect: NEXT };
  for (const event of events) {
    transition = step(transition.state, { kind: 'Event', event }, settings);
    for (const output of transition.outputs) outputs.push(output);
    if (transition.effect !== NEXT || transition.backoff) break;
  }
  return { ...transition, outputs };
}

function stepListing<K extends KubeObject>(
  state: Extract<WatcherState<K>, { kind: 'Empty' | 'InitPage' }>,
  input: WatcherInput<K>,
  settings: StateSettings,
): WatcherTransition<K> {
  if (input.kind === 'Listed') {
    const objects = state.kind === 'InitPage' ? state.objects : [];
    for (const item of input.list.items) objects.push(item);
    const next = input.list.metadata?.continue;
    if (next) {
      return {
        state: { kind: 'InitPage', continueToken: next, objects },
        outputs: [],
        backoff: false,
        effect: listPage(settings, next),
      };
    }
    const resourceVersion = input.list.metadata?.resourceVersion ?? '';
    return {
      state: { kind: 'InitListed', resourceVersion },
      outputs: [{ type: 'Restarted', objects }],
      backoff: false,
      effect: watchFrom(resourceVersion, settings),
    };
  }
  if (input.kind === 'ListFailed') {
    if (state.kind === 'InitPage' && !isGone(input.error)) {
      return {
        state,
        outputs: [
          failure(
            `listing a page failed, retrying it: ${describe(input.error)}`,
            'list',
            'retry-page',
            input.error,
          ),
        ],
        backoff: true,
        effect: listPage(settings, state.continueToken),
      };
    }
    const why = isGone(input.error)
      ? 'the list continue token expired (410 Gone), listing again from the start'
      : `listing failed, retrying: ${describe(input.error)}`;
    return relist(settings, [failure(why, 'list', 'relist', input.error)]);
  }
  // A watch input while listing cannot happen (no watch is open); start over.
  return relist(settings, []);
}

function stepStreaming<K extends KubeObject>(
  state: Extract<WatcherState<K>, { kind: 'InitStreaming' }>,
  input: WatcherInput<K>,
  settings: StateSettings,
): WatcherTransition<K> {
  if (input.kind !== 'Event') {
    const why =
      input.kind === 'WatchEnded'
        ? 'the watch ended before the initial events were complete'
        : input.kind === 'WatchSilent'
          ? `the initial-events watch sent nothing for ${input.silentMs} ms`
          : `the initial-events watch failed: ${describe('error' in input ? input.error : input)}`;
    return relist(settings, [
      failure(`${why}; starting over`, 'watch', 'relist', 'error' in input ? input.error : why),
    ]);
  }
  const event = input.event;
  switch (event.type) {
    case 'ADDED':
    case 'MODIFIED': {
      state.objects.set(objectKey(event.object), event.object);
      return { state, outputs: NO_OUTPUTS, backoff: false, effect: NEXT };
    }
    case 'DELETED': {
      state.objects.delete(objectKey(event.object));
      return { state, outputs: NO_OUTPUTS, backoff: false, effect: NEXT };
    }
    case 'BOOKMARK': {
      const rv = resourceVersionOf(event.object);
      if (event.object.metadata?.annotations?.[INITIAL_EVENTS_END] === 'true' && rv !== undefined) {
        return {
          state: { kind: 'Watching', resourceVersion: rv },
          outputs: [{ type: 'Restarted', objects: [...state.objects.values()] }],
          backoff: false,
          effect: NEXT,
        };
      }
      return { state, outputs: NO_OUTPUTS, backoff: false, effect: NEXT };
    }
    case 'ERROR':
      return relist(settings, [
        failure(
          `the initial-events watch sent an error: ${describe(event.object)}; starting over`,
          'watch',
          'relist',
          event.object,
        ),
      ]);
    default:
      return relist(settings, [
        failure(
          `the initial-events watch sent an unknown event type ${JSON.stringify((event as { type: unknown }).type)}; starting over`,
          'watch',
          'relist',
          event,
        ),
      ]);
  }
}

function stepWatching<K extends KubeObject>(
  state: Extract<WatcherState<K>, { kind: 'InitListed' | 'Watching' }>,
  input: WatcherInput<K>,
  settings: StateSettings,
): WatcherTransition<K> {
  const { resourceVersion } = state;
  switch (input.kind) {
    case 'Event':
      return stepWatchEvents(resourceVersion, [input.event], settings);
    case 'Events':
      return stepWatchEvents(resourceVersion, input.events, settings);
    case 'WatchEnded':
      // The server ended a watch that delivered (a change or a bookmark: `Watching`): its
      // timeout, as every watch ends. Reopened at once, as client-go's reflector does;
      // waiting the backoff there stalled every change for ~1 s every 35–45 s (bench
      // scenario 8's p99 on kube-apiserver). A watch that ended before delivering anything
      // waits the backoff, so a server or proxy that ends every watch at once is not
      // asked again in a tight loop.
      return rewatch(resourceVersion, settings, [], state.kind === 'InitListed');
    case 'WatchSilent':
      return rewatch(resourceVersion, settings, [
        failure(
          `the watch sent nothing for ${input.silentMs} ms (no event, bookmark or end: a frozen connection); reconnecting`,
          'watch',
          'rewatch',
          new Error(`watch silent for ${input.silentMs} ms`),
        ),
      ]);
    case 'WatchFailed':
      return watchError(resourceVersion, input.error, 'the watch failed', settings);
    default:
      // A list result while watching cannot happen; start over.
      return relist(settings, []);
  }
}

/**
 * A failed watch (a thrown error, or an ERROR event): 410 Gone means the resourceVersion
 * is no longer served, so list again; anything else re-watches from the same version.
 */
function watchError<K>(
  resourceVersion: string,
  error: unknown,
  what: string,
  settings: StateSettings,
): WatcherTransition<K> {
  if (isGone(error)) {
    return relist(settings, [
      failure(
        `resourceVersion ${resourceVersion} is too old (410 Gone); listing again`,
        'watch',
        'relist',
        error,
      ),
    ]);
  }
  return rewatch(resourceVersion, settings, [
    failure(`${what}, reconnecting: ${describe(error)}`, 'watch', 'rewatch', error),
  ]);
}

/**
 * The events of the open watch in one step: one transition and one state per batch, not
 * per event. ADDED/MODIFIED become `Applied`, DELETED `Deleted`, and every event advances
 * the resourceVersion (bookmarks only do that). The first event that ends the watch (ERROR,
 * an unknown type) ends the step after the outputs before it; the events after it are
 * dropped with the watch.
 */
function stepWatchEvents<K extends KubeObject>(
  resourceVersion: string,
  events: readonly WatchEvent<K>[],
  settings: StateSettings,
): WatcherTransition<K> {
  let rv = resourceVersion;
  const outputs: WatcherEvent<K>[] = [];
  for (const event of events) {
    if (event.type === 'ADDED' || event.type === 'MODIFIED') {
      outputs.push({ type: 'Applied', object: event.object });
    } else if (event.type === 'DELETED') {
      outputs.push({ type: 'Deleted', object: event.object });
    } else if (event.type !== 'BOOKMARK') {
      const ended = watchEnding<K>(rv, event, settings);
      return outputs.length === 0 ? ended : { ...ended, outputs: [...outputs, ...ended.outputs] };
    }
    rv = resourceVersionOf(event.object) ?? rv;
  }
  return {
    state: { kind: 'Watching', resourceVersion: rv },
    outputs: outputs.length === 0 ? NO_OUTPUTS : outputs,
    backoff: false,
    effect: NEXT,
  };
}

/** A watch event that ends the watch: an ERROR, or a type the watcher does not know. */
function watchEnding<K>(
  resourceVersion: string,
  event: { readonly type: string; readonly object: unknown },
  settings: StateSettings,
): WatcherTransition<K> {
  if (event.type === 'ERROR') {
    return watchError(resourceVersion, event.object, 'the watch sent an error', settings);
  }
  return rewatch(resourceVersion, settings, [
    failure(
      `the watch sent an unknown event type ${JSON.stringify(event.type)}; reconnecting`,
      'watch',
      'rewatch',
      event,
    ),
  ]);
}
