import type { KubeObject, ObjectList } from '@kube-ts/core';
import { describe, expect, it } from 'vitest';
import type { StateSettings } from './effects.js';
import {
  INITIAL_EVENTS_END,
  start,
  step,
  type WatcherInput,
  type WatcherState,
  type WatcherTransition,
} from './state.js';

const listSettings: StateSettings = { pageSize: 2, initialList: 'list', labelSelector: 'app=x' };
const streamSettings: StateSettings = { pageSize: 2, initialList: 'stream' };

function obj(name: string, rv: string, ns = 'default'): KubeObject {
  return { metadata: { name, namespace: ns, resourceVersion: rv } };
}

function list(items: KubeObject[], rv: string, cont?: string): ObjectList<KubeObject> {
  return { items, metadata: { resourceVersion: rv, ...(cont ? { continue: cont } : {}) } };
}

function run(
  settings: StateSettings,
  inputs: WatcherInput<KubeObject>[],
): { transitions: WatcherTransition<KubeObject>[]; last: WatcherTransition<KubeObject> } {
  let t = start<KubeObject>(settings);
  const transitions = [t];
  for (const input of inputs) {
    t = step(t.state, input, settings);
    transitions.push(t);
  }
  return { transitions, last: t };
}

const watching = (rv: string): WatcherState<KubeObject> => ({
  kind: 'Watching',
  resourceVersion: rv,
});

describe('watcher state machine: initial list', () => {
  it('starts with a LIST of the first page, with the page size and selectors', () => {
    const t = start<KubeObject>(listSettings);
    expect(t.state).toEqual({ kind: 'Empty' });
    expect(t.backoff).toBe(false);
    expect(t.effect).toEqual({ kind: 'list', params: { labelSelector: 'app=x', limit: 2 } });
  });

  it('follows continue tokens and emits ONE Restarted with every page, then watches from the list rv', () => {
    const { transitions, last } = run(listSettings, [
      { kind: 'Listed', list: list([obj('a', '1'), obj('b', '2')], '10', 'tok1') },
      { kind: 'Listed', list: list([obj('c', '3'), obj('d', '4')], '10', 'tok2') },
      { kind: 'Listed', list: list([obj('e', '5')], '10') },
    ]);
    expect(transitions[1]!.effect).toEqual({
      kind: 'list',
      params: { labelSelector: 'app=x', limit: 2, continue: 'tok1' },
    });
    expect(transitions[2]!.effect).toEqual({
      kind: 'list',
      params: { labelSelector: 'app=x', limit: 2, continue: 'tok2' },
    });
    expect(transitions.slice(0, 3).flatMap((t) => t.outputs)).toEqual([]);
    expect(last.outputs).toEqual([
      {
        type: 'Restarted',
        objects: ['a', 'b', 'c', 'd', 'e'].map((n, i) => obj(n, String(i + 1))),
      },
    ]);
    expect(last.state).toEqual({ kind: 'InitListed', resourceVersion: '10' });
    expect(last.effect).toEqual({
      kind: 'watch',
      params: { labelSelector: 'app=x', resourceVersion: '10', allowWatchBookmarks: true },
    });
  });

  it('an expired continue token (410) restarts the list from the first page after a backoff', () => {
    const { last } = run(listSettings, [
      { kind: 'Listed', list: list([obj('a', '1'), obj('b', '2')], '10', 'tok1') },
      { kind: 'ListFailed', error: { code: 410, message: 'continue expired' } },
    ]);
    expect(last.state).toEqual({ kind: 'Empty' });
    expect(last.backoff).toBe(true);
    expect(last.effect).toEqual({ kind: 'list', params: { labelSelector: 'app=x', limit: 2 } });
    expect(last.outputs).toHaveLength(1);
    expect(last.outputs[0]).toMatchObject({
      type: 'Error',
      error: { phase: 'list', recovery: 'relist' },
    });
  });

  it('another failure of a page retries the same page after a backoff, keeping earlier pages', () => {
    const { last } = run(listSettings, [
      { kind: 'Listed', list: list([obj('a', '1')], '10', 'tok1') },
      { kind: 'ListFailed', error: new Error('boom') },
      { kind: 'Listed', list: list([obj('b', '2')], '10') },
    ]);
    expect(last.outputs).toEqual([{ type: 'Restarted', objects: [obj('a', '1'), obj('b', '2')] }]);
    const { last: failed } = run(listSettings, [
      { kind: 'Listed', list: list([obj('a', '1')], '10', 'tok1') },
      { kind: 'ListFailed', error: new Error('boom') },
    ]);
    expect(failed.backoff).toBe(true);
    expect(failed.effect).toEqual({
      kind: 'list',
      params: { labelSelector: 'app=x', limit: 2, continue: 'tok1' },
    });
    expect(failed.outputs[0]).toMatchObject({
      type: 'Error',
      error: { phase: 'list', recovery: 'retry-page', message: expect.stringContaining('boom') },
    });
  });

  it('a failed first page is retried after a backoff and reported as an Error value', () => {
    const { last } = run(listSettings, [{ kind: 'ListFailed', error: new Error('refused') }]);
    expect(last.state).toEqual({ kind: 'Empty' });
    expect(last.backoff).toBe(true);
    expect(last.effect.kind).toBe('list');
    expect(last.outputs[0]).toMatchObject({ type: 'Error', error: { recovery: 'relist' } });
  });
});

describe('watcher state machine: watching', () => {
  const listed: WatcherInput<KubeObject>[] = [
    { kind: 'Listed', list: list([obj('a', '1')], '10') },
  ];

  it('maps ADDED/MODIFIED to Applied and DELETED to Deleted, tracking the resourceVersion', () => {
    const { transitions, last } = run(listSettings, [
      ...listed,
      { kind: 'Event', event: { type: 'ADDED', object: obj('b', '11') } },
      { kind: 'Event', event: { type: 'MODIFIED', object: obj('b', '12') } },
      { kind: 'Event', event: { type: 'DELETED', object: obj('a', '13') } },
    ]);
    expect(transitions.slice(2).flatMap((t) => t.outputs)).toEqual([
      { type: 'Applied', object: obj('b', '11') },
      { type: 'Applied', object: obj('b', '12') },
      { type: 'Deleted', object: obj('a', '13') },
    ]);
    expect(last.state).toEqual(watching('13'));
    expect(last.effect).toEqual({ kind: 'next' });
    expect(transitions.some((t, i) => i > 1 && t.backoff)).toBe(false);
  });

  it('a bookmark advances the resourceVersion and emits nothing', () => {
    const { last } = run(listSettings, [
      ...listed,
      {
        kind: 'Event',
        event: { type: 'BOOKMARK', object: { metadata: { resourceVersion: '50' } } },
      },
    ]);
    expect(last.outputs).toEqual([]);
    expect(last.state).toEqual(watching('50'));
  });

  it('a watch that delivered and then ended (its timeout) is reopened at once from the last resourceVersion, without an Error', () => {
    const { last } = run(listSettings, [
      ...listed,
      {
        kind: 'Event',
        event: { type: 'BOOKMARK', object: { metadata: { resourceVersion: '50' } } },
      },
      { kind: 'WatchEnded' },
    ]);
    expect(last.outputs).toEqual([]);
    expect(last.backoff).toBe(false);
    expect(last.state).toEqual({ kind: 'InitListed', resourceVersion: '50' });
    expect(last.effect).toEqual({
      kind: 'watch',
      params: { labelSelector: 'app=x', resourceVersion: '50', allowWatchBookmarks: true },
    });
  });

  it('a watch that ended before delivering anything is reopened after a backoff', () => {
    const { last } = run(listSettings, [...listed, { kind: 'WatchEnded' }]);
    expect(last.outputs).toEqual([]);
    expect(last.backoff).toBe(true);
    expect(last.state).toEqual({ kind: 'InitListed', resourceVersion: '10' });
    expect(last.effect).toMatchObject({ kind: 'watch', params: { resourceVersion: '10' } });
  });

  it.each([
    ['an HTTP error', { kind: 'WatchFailed', error: { code: 500, message: 'internal' } }],
    ['a 429', { kind: 'WatchFailed', error: { code: 429, message: 'slow down' } }],
    ['a reset connection', { kind: 'WatchFailed', error: new Error('ECONNRESET') }],
    ['a malformed line', { kind: 'WatchFailed', error: new SyntaxError('Unexpected token') }],
    ['a silent connection', { kind: 'WatchSilent', silentMs: 330_000 }],
    [
      'an ERROR event that is not 410',
      { kind: 'Event', event: { type: 'ERROR', object: { code: 500 } } },
    ],
  ] as [string, WatcherInput<KubeObject>][])(
    '%s re-watches from the last resourceVersion after a backoff',
    (_, input) => {
      const { last } = run(listSettings, [
        ...listed,
        { kind: 'Event', event: { type: 'ADDED', object: obj('b', '11') } },
        input,
      ]);
      expect(last.backoff).toBe(true);
      expect(last.state).toEqual({ kind: 'InitListed', resourceVersion: '11' });
      expect(last.effect).toMatchObject({ kind: 'watch', params: { resourceVersion: '11' } });
      expect(last.outputs).toHaveLength(1);
      expect(last.outputs[0]).toMatchObject({
        type: 'Error',
        error: { phase: 'watch', recovery: 'rewatch' },
      });
    },
  );

  it('a failure right after opening the watch (before any event) re-watches from the list rv', () => {
    const { last } = run(listSettings, [
      ...listed,
      { kind: 'WatchFailed', error: new Error('refused') },
    ]);
    expect(last.state).toEqual({ kind: 'InitListed', resourceVersion: '10' });
    expect(last.backoff).toBe(true);
  });

  it.each([
    ['an HTTP 410', { kind: 'WatchFailed', error: { code: 410, message: 'too old' } }],
    [
      'an ERROR event with code 410',
      { kind: 'Event', event: { type: 'ERROR', object: { code: 410, reason: 'Expired' } } },
    ],
  ] as [string, WatcherInput<KubeObject>][])(
    '%s relists and the relist is ONE Restarted',
    (_, input) => {
      const { transitions, last } = run(listSettings, [
        ...listed,
        { kind: 'Event', event: { type: 'ADDED', object: obj('b', '11') } },
        input,
        { kind: 'Listed', list: list([obj('b', '11'), obj('c', '20')], '30', 't') },
        { kind: 'Listed', list: list([obj('d', '21')], '30') },
      ]);
      const gone = transitions[3]!;
      expect(gone.state).toEqual({ kind: 'Empty' });
      expect(gone.backoff).toBe(true);
      expect(gone.effect).toEqual({ kind: 'list', params: { labelSelector: 'app=x', limit: 2 } });
      expect(gone.outputs[0]).toMatchObject({ type: 'Error', error: { recovery: 'relist' } });
      expect(transitions[4]!.outputs).toEqual([]);
      expect(last.outputs).toEqual([
        { type: 'Restarted', objects: [obj('b', '11'), obj('c', '20'), obj('d', '21')] },
      ]);
      expect(last.state).toEqual({ kind: 'InitListed', resourceVersion: '30' });
    },
  );

  it('an unknown event type re-watches and reports it', () => {
    const { last } = run(listSettings, [
      ...listed,
      { kind: 'Event', event: { type: 'WEIRD', object: obj('x', '1') } as never },
    ]);
    expect(last.outputs[0]).toMatchObject({ type: 'Error', error: { recovery: 'rewatch' } });
    expect(last.backoff).toBe(true);
  });
});

describe('watcher state machine: streaming initial list', () => {
  const end = (rv: string): WatcherInput<KubeObject> => ({
    kind: 'Event',
    event: {
      type: 'BOOKMARK',
      object: { metadata: { resourceVersion: rv, annotations: { [INITIAL_EVENTS_END]: 'true' } } },
    },
  });

  it('opens a watch with sendInitialEvents=true and resourceVersionMatch=NotOlderThan', () => {
    const t = start<KubeObject>(streamSettings);
    expect(t.state.kind).toBe('InitStreaming');
    expect(t.effect).toEqual({
      kind: 'watch',
      params: {
        sendInitialEvents: true,
        resourceVersionMatch: 'NotOlderThan',
        allowWatchBookmarks: true,
      },
    });
  });

  it('buffers events until the initial-events-end bookmark, then emits ONE Restarted and keeps watching', () => {
    const { transitions, last } = run(streamSettings, [
      { kind: 'Event', event: { type: 'ADDED', object: obj('a', '1') } },
      { kind: 'Event', event: { type: 'ADDED', object: obj('b', '2') } },
      {
        kind: 'Event',
        event: { type: 'BOOKMARK', object: { metadata: { resourceVersion: '3' } } },
      },
      { kind: 'Event', event: { type: 'MODIFIED', object: obj('a', '4') } },
      { kind: 'Event', event: { type: 'ADDED', object: obj('c', '5') } },
      { kind: 'Event', event: { type: 'DELETED', object: obj('c', '6') } },
      end('7'),
      { kind: 'Event', event: { type: 'ADDED', object: obj('d', '8') } },
    ]);
    expect(transitions.slice(0, 7).flatMap((t) => t.outputs)).toEqual([]);
    expect(transitions[7]!.outputs).toEqual([
      { type: 'Restarted', objects: [obj('a', '4'), obj('b', '2')] },
    ]);
    expect(transitions[7]!.state).toEqual(watching('7'));
    expect(transitions[7]!.effect).toEqual({ kind: 'next' });
    expect(last.outputs).toEqual([{ type: 'Applied', object: obj('d', '8') }]);
  });

  it.each([
    ['ends', { kind: 'WatchEnded' }],
    ['fails', { kind: 'WatchFailed', error: new Error('reset') }],
    ['is silent', { kind: 'WatchSilent', silentMs: 1000 }],
    ['sends a 410', { kind: 'Event', event: { type: 'ERROR', object: { code: 410 } } }],
  ] as [string, WatcherInput<KubeObject>][])(
    'starts over (after a backoff) when the stream %s before the end bookmark',
    (_, input) => {
      const { last } = run(streamSettings, [
        { kind: 'Event', event: { type: 'ADDED', object: obj('a', '1') } },
        input,
      ]);
      expect(last.state).toEqual({ kind: 'InitStreaming', objects: new Map() });
      expect(last.backoff).toBe(true);
      expect(last.effect).toMatchObject({ kind: 'watch', params: { sendInitialEvents: true } });
      expect(last.outputs[0]).toMatchObject({ type: 'Error', error: { recovery: 'relist' } });
    },
  );

  it('after the initial list, a failure re-watches from the last rv without sendInitialEvents', () => {
    const { last } = run(streamSettings, [
      end('7'),
      { kind: 'WatchFailed', error: new Error('reset') },
    ]);
    expect(last.state).toEqual({ kind: 'InitListed', resourceVersion: '7' });
    expect(last.effect).toEqual({
      kind: 'watch',
      params: { resourceVersion: '7', allowWatchBookmarks: true },
    });
  });
});

describe('watcher state machine: a batch of events (Events)', () => {
  const ev = (type: 'ADDED' | 'MODIFIED' | 'DELETED', name: string, rv: string) =>
    ({ type, object: obj(name, rv) }) as const;
  const events = [
    ev('ADDED', 'b', '11'),
    { type: 'BOOKMARK' as const, object: { metadata: { resourceVersion: '12' } } },
    ev('MODIFIED', 'b', '13'),
    ev('DELETED', 'a', '14'),
  ];

  it('is one transition with the outputs and final state of stepping its events one by one', () => {
    const listed: WatcherInput<KubeObject> = {
      kind: 'Listed',
      list: list([obj('a', '1')], '10'),
    };
    const one = run(listSettings, [
      listed,
      ...events.map((event): WatcherInput<KubeObject> => ({ kind: 'Event', event })),
    ]);
    const batch = run(listSettings, [listed, { kind: 'Events', events }]);
    expect(batch.last.outputs).toEqual(one.transitions.slice(2).flatMap((t) => t.outputs));
    expect(batch.last.state).toEqual(one.last.state);
    expect(batch.last.effect).toEqual({ kind: 'next' });
    expect(batch.last.backoff).toBe(false);
  });

  it('stops at an ERROR: the outputs before it, then its Error; the events after it are dropped', () => {
    const { last } = run(listSettings, [
      { kind: 'Listed', list: list([], '10') },
      {
        kind: 'Events',
        events: [
          ev('ADDED', 'b', '11'),
          { type: 'ERROR', object: { code: 410, reason: 'Expired' } },
          ev('ADDED', 'c', '12'),
        ],
      },
    ]);
    expect(last.outputs.map((o) => o.type)).toEqual(['Applied', 'Error']);
    expect(last.backoff).toBe(true);
    expect(last.effect.kind).toBe('list');
  });

  it('during a streaming initial list, turns into the watch at the initial-events-end bookmark', () => {
    const { last } = run(streamSettings, [
      {
        kind: 'Events',
        events: [
          ev('ADDED', 'a', '1'),
          {
            type: 'BOOKMARK',
            object: {
              metadata: { resourceVersion: '2', annotations: { [INITIAL_EVENTS_END]: 'true' } },
            },
          },
          ev('ADDED', 'b', '3'),
        ],
      },
    ]);
    expect(last.outputs).toEqual([
      { type: 'Restarted', objects: [obj('a', '1')] },
      { type: 'Applied', object: obj('b', '3') },
    ]);
    expect(last.state).toEqual(watching('3'));
  });
});
