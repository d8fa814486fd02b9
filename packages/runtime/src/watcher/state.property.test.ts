/**
 * The pure state machine against a simulated API server (history, pagination, compaction),
 * over thousands of random schedules of changes and faults: once faults stop, the objects
 * the watcher emitted (applied to a store) equal the server's objects.
 */
import type { WatchEvent } from '@kube-ts/client';
import type { KubeObject } from '@kube-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createStore } from '../store/store.js';
import type { StateSettings } from './effects.js';
import { start, step, type WatcherInput, type WatcherTransition } from './state.js';

interface Change {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

/** A tiny API server model: objects, a change history, compaction, list snapshots. */
class SimServer {
  rv = 1;
  objects = new Map<string, KubeObject>();
  history: Change[] = [];
  compactedRv = 0;
  snapshots = new Map<string, { rv: number; items: KubeObject[]; offset: number }>();
  tokens = 0;

  mutate(name: string, del: boolean): void {
    const existing = this.objects.get(name);
    if (del && !existing) return;
    this.rv++;
    const object: KubeObject = {
      metadata: { name, namespace: 'ns', resourceVersion: String(this.rv) },
    };
    if (del) {
      this.objects.delete(name);
      this.history.push({ rv: this.rv, type: 'DELETED', object });
    } else {
      this.objects.set(name, object);
      this.history.push({ rv: this.rv, type: existing ? 'MODIFIED' : 'ADDED', object });
    }
  }

  compact(): void {
    this.compactedRv = this.rv;
  }

  list(limit: number, token: string | undefined): WatcherInput<KubeObject> {
    let snap: { rv: number; items: KubeObject[]; offset: number };
    if (token !== undefined) {
      const s = this.snapshots.get(token);
      if (s === undefined || s.rv < this.compactedRv) {
        return { kind: 'ListFailed', error: { code: 410, message: 'continue expired' } };
      }
      snap = s;
    } else {
      snap = { rv: this.rv, items: [...this.objects.values()], offset: 0 };
    }
    const items = snap.items.slice(snap.offset, snap.offset + limit);
    const rest = snap.offset + limit < snap.items.length;
    const metadata: { resourceVersion: string; continue?: string } = {
      resourceVersion: String(snap.rv),
    };
    if (rest) {
      const t = `t${this.tokens++}`;
      this.snapshots.set(t, { ...snap, offset: snap.offset + limit });
      metadata.continue = t;
    }
    return { kind: 'Listed', list: { items, metadata } };
  }
}

/** An open watch: the resourceVersion it has delivered up to. */
interface SimWatch {
  from: number;
  gone: boolean;
}

/** What goes wrong (or not) when the watcher's next request is served. */
type Fault = 'none' | 'fail500' | 'end' | 'silent' | 'bookmark' | 'goneHttp';

type Action =
  | { kind: 'mutate'; name: string; del: boolean }
  | { kind: 'compact' }
  | { kind: 'step'; fault: Fault };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('mutate' as const),
      name: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
      del: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'compact' as const }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('step' as const),
      fault: fc.constantFrom<Fault>(
        'none',
        'none',
        'none',
        'none',
        'fail500',
        'end',
        'silent',
        'bookmark',
        'goneHttp',
      ),
    }),
  },
);

function perform(
  server: SimServer,
  t: WatcherTransition<KubeObject>,
  watch: { current: SimWatch | undefined },
  fault: Fault,
): WatcherInput<KubeObject> {
  const effect = t.effect;
  if (effect.kind === 'list') {
    if (fault === 'fail500') return { kind: 'ListFailed', error: { code: 500 } };
    return server.list(effect.params.limit ?? 500, effect.params.continue);
  }
  if (effect.kind === 'watch') {
    const from = Number(effect.params.resourceVersion ?? server.rv);
    if (fault === 'fail500') return { kind: 'WatchFailed', error: { code: 500 } };
    if (from < server.compactedRv && fault === 'goneHttp') {
      return { kind: 'WatchFailed', error: { code: 410 } };
    }
    watch.current = { from, gone: from < server.compactedRv };
  }
  const w = watch.current;
  if (w === undefined) return { kind: 'WatchEnded' };
  if (w.gone) {
    watch.current = undefined;
    return { kind: 'Event', event: { type: 'ERROR', object: { code: 410, reason: 'Expired' } } };
  }
  if (fault === 'fail500' || fault === 'end' || fault === 'silent') {
    watch.current = undefined;
    if (fault === 'end') return { kind: 'WatchEnded' };
    if (fault === 'silent') return { kind: 'WatchSilent', silentMs: 1000 };
    return { kind: 'WatchFailed', error: new Error('connection reset') };
  }
  const next = server.history.find((c) => c.rv > w.from);
  if (next === undefined || fault === 'bookmark') {
    if (next !== undefined)
      return {
        kind: 'Event',
        event: { type: 'BOOKMARK', object: { metadata: { resourceVersion: String(w.from) } } },
      };
    const event: WatchEvent<KubeObject> = {
      type: 'BOOKMARK',
      object: { metadata: { resourceVersion: String(server.rv) } },
    };
    w.from = server.rv;
    return { kind: 'Event', event };
  }
  w.from = next.rv;
  return { kind: 'Event', event: { type: next.type, object: next.object } };
}

function names(objs: readonly KubeObject[]): string[] {
  return objs.map((o) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`).sort();
}

describe('watcher state machine against a simulated server (property)', () => {
  it.each([
    ['list', { pageSize: 2, initialList: 'list' }],
    ['stream', { pageSize: 2, initialList: 'stream' }],
  ] as [string, StateSettings][])(
    'initialList %s: after faults stop, the emitted events rebuild the server state',
    (_, settings) => {
      fc.assert(
        fc.property(fc.array(actionArb, { maxLength: 80 }), (actions) => {
          const server = new SimServer();
          const { reader, writer } = createStore<KubeObject>();
          const watch: { current: SimWatch | undefined } = { current: undefined };
          let t = start<KubeObject>(settings);
          let restarts = 0;
          const apply = () => {
            for (const e of t.outputs) {
              if (e.type === 'Restarted') restarts++;
              writer.apply(e);
            }
          };
          const serve = (fault: Fault) => {
            const input =
              settings.initialList === 'stream' &&
              t.state.kind === 'InitStreaming' &&
              t.effect.kind !== 'list'
                ? streamInput(server, t, watch, fault)
                : perform(server, t, watch, fault);
            t = step(t.state, input, settings);
            apply();
          };
          for (const a of actions) {
            if (a.kind === 'mutate') server.mutate(a.name, a.del);
            else if (a.kind === 'compact') server.compact();
            else serve(a.fault);
          }
          // Faults stop: step until the watcher has delivered everything up to the server's rv.
          for (let i = 0; i < 500; i++) {
            serve('none');
            if (t.state.kind === 'Watching' && watch.current?.from === server.rv) break;
          }
          expect(t.state.kind).toBe('Watching');
          expect(reader.isReady).toBe(true);
          expect(names(reader.list())).toEqual(names([...server.objects.values()]));
          expect(restarts).toBeGreaterThanOrEqual(1);
        }),
        { numRuns: 1000 },
      );
    },
  );
});

/** The `sendInitialEvents` watch: the current objects as ADDED, then the end bookmark. */
function streamInput(
  server: SimServer,
  t: WatcherTransition<KubeObject>,
  watch: { current: SimWatch | undefined; pending?: WatchEvent<KubeObject>[] },
  fault: Fault,
): WatcherInput<KubeObject> {
  if (t.effect.kind === 'watch') {
    watch.current = undefined;
    if (fault === 'fail500') return { kind: 'WatchFailed', error: { code: 500 } };
    watch.pending = [
      ...[...server.objects.values()].map((object) => ({ type: 'ADDED' as const, object })),
      {
        type: 'BOOKMARK' as const,
        object: {
          metadata: {
            resourceVersion: String(server.rv),
            annotations: { 'k8s.io/initial-events-end': 'true' },
          },
        },
      },
    ];
    watch.current = { from: server.rv, gone: false };
  }
  if (fault === 'end' || fault === 'silent' || fault === 'fail500') {
    watch.current = undefined;
    watch.pending = [];
    if (fault === 'end') return { kind: 'WatchEnded' };
    if (fault === 'silent') return { kind: 'WatchSilent', silentMs: 1 };
    return { kind: 'WatchFailed', error: new Error('connection reset') };
  }
  const event = watch.pending?.shift();
  if (event === undefined) return { kind: 'WatchEnded' };
  return { kind: 'Event', event };
}
