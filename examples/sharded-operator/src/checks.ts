/**
 * The checks of a sharding run, over the shared log and the server's state. Each returns
 * the problems it found (an empty list when all is well), so a failure says what broke.
 */
import { Api, type Client } from '@kube-ts/client';
import { configMaps } from '@kube-ts/k8s/core/v1';
import { shardLabels } from '@kube-ts/runtime';
import type { LastWrite } from './fleet.js';
import { type LogRecord, RING } from './replica.js';

const SHARD_LABEL = shardLabels(RING).shard;

interface Interval {
  readonly replica: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Reconciles of one object by two different replicas at overlapping times. A start without
 * an end lasts until its replica was SIGKILLed (or forever).
 */
export function overlappingReconciles(
  records: readonly LogRecord[],
  killedAt: ReadonlyMap<string, number>,
): string[] {
  const open = new Map<string, number>();
  const intervals = new Map<string, Interval[]>();
  const add = (object: string, interval: Interval) => {
    const list = intervals.get(object) ?? [];
    list.push(interval);
    intervals.set(object, list);
  };
  for (const r of records) {
    if (r.phase === 'cache') continue;
    const key = `${r.replica}\u0000${r.object}`;
    if (r.phase === 'start') open.set(key, r.t);
    else {
      add(r.object, { replica: r.replica, start: open.get(key) ?? r.t, end: r.t });
      open.delete(key);
    }
  }
  for (const [key, start] of open) {
    const [replica = '', object = ''] = key.split('\u0000');
    add(object, { replica, start, end: killedAt.get(replica) ?? Number.POSITIVE_INFINITY });
  }
  const problems: string[] = [];
  for (const [object, list] of intervals) {
    for (const a of list) {
      for (const b of list) {
        if (a.replica < b.replica && a.start < b.end && b.start < a.end) {
          problems.push(
            `${object}: ${a.replica} [${a.start}, ${a.end}] and ${b.replica} [${b.start}, ${b.end}]`,
          );
        }
      }
    }
  }
  return problems;
}

/**
 * For each live object of `last`: the time, in µs, from its last write to the first
 * reconcile start that saw it (a resourceVersion at least the write's); `undefined` when
 * none did yet.
 */
function reconcileLags(
  records: readonly LogRecord[],
  last: ReadonlyMap<string, LastWrite>,
): Map<string, { readonly written: bigint; readonly lag: number | undefined }> {
  // Index the starts once: the log grows long and this runs in every poll.
  const starts = new Map<string, { rv: bigint; t: number }[]>();
  for (const r of records) {
    if (r.phase !== 'start' || !last.has(r.object)) continue;
    const list = starts.get(r.object) ?? [];
    list.push({ rv: BigInt(r.resourceVersion), t: r.t });
    starts.set(r.object, list);
  }
  const lags = new Map<string, { written: bigint; lag: number | undefined }>();
  for (const [object, write] of last) {
    if (write.deleted) continue;
    const written = BigInt(write.resourceVersion);
    const first = starts.get(object)?.find((r) => r.rv >= written);
    lags.set(object, { written, lag: first === undefined ? undefined : first.t - write.t });
  }
  return lags;
}

/**
 * Live objects not reconciled after their last write within `boundMs`: no reconcile start
 * saw a resourceVersion at least the write's, or the first that did came later than the bound.
 */
export function unreconciledWrites(
  records: readonly LogRecord[],
  last: ReadonlyMap<string, LastWrite>,
  boundMs: number,
): string[] {
  const problems: string[] = [];
  for (const [object, { written, lag }] of reconcileLags(records, last)) {
    if (lag === undefined) problems.push(`${object}: never reconciled after rv ${written}`);
    else if (lag > boundMs * 1000) {
      problems.push(`${object}: reconciled ${lag / 1000} ms after its last write`);
    }
  }
  return problems;
}

/**
 * The longest time, in ms, from the last write of a live object to the first reconcile
 * start that saw it (objects not reconciled yet left out): the figure behind
 * {@link unreconciledWrites}' bound.
 */
export function maxReconcileLagMs(
  records: readonly LogRecord[],
  last: ReadonlyMap<string, LastWrite>,
): number {
  let max = 0;
  for (const { lag } of reconcileLags(records, last).values()) {
    if (lag !== undefined) max = Math.max(max, lag);
  }
  return Math.round(max / 1000);
}

/** The ring's ConfigMaps on the server, by shard label (`''`: unassigned). */
export async function objectsByShard(
  client: Client,
  namespace: string,
): Promise<Map<string, string[]>> {
  // Metadata only: the checks poll this, and on MemoryApiServer the server shares the process.
  const { items } = await Api.namespaced(client, configMaps, namespace).metadata().list();
  const byShard = new Map<string, string[]>();
  for (const cm of items) {
    if (cm.metadata?.name === 'kube-root-ca.crt') continue;
    const shard = cm.metadata?.labels?.[SHARD_LABEL] ?? '';
    byShard.set(shard, [...(byShard.get(shard) ?? []), cm.metadata?.name ?? '']);
  }
  return byShard;
}

/** Shards holding more or less than ±25% of an even share of the objects, and unassigned or foreign objects. */
export function unbalanced(
  byShard: ReadonlyMap<string, readonly string[]>,
  replicas: readonly string[],
): string[] {
  const total = [...byShard.values()].reduce((n, list) => n + list.length, 0);
  const even = total / replicas.length;
  const problems: string[] = [];
  for (const shard of byShard.keys()) {
    if (!replicas.includes(shard))
      problems.push(`${byShard.get(shard)?.length} objects on '${shard}'`);
  }
  for (const replica of replicas) {
    const n = byShard.get(replica)?.length ?? 0;
    if (Math.abs(n - even) > even * 0.25)
      problems.push(`${replica}: ${n} objects, even is ${even}`);
  }
  return problems;
}

/** Replicas whose latest cache snapshot is not exactly their shard on the server. */
export function foreignCaches(
  records: readonly LogRecord[],
  byShard: ReadonlyMap<string, readonly string[]>,
  replicas: readonly string[],
): string[] {
  const problems: string[] = [];
  for (const replica of replicas) {
    let latest: LogRecord | undefined;
    for (let i = records.length - 1; i >= 0 && latest === undefined; i--) {
      const r = records[i];
      if (r?.phase === 'cache' && r.replica === replica) latest = r;
    }
    const expected = [...(byShard.get(replica) ?? [])].sort().join(',');
    const cached = latest?.phase === 'cache' ? [...latest.objects].sort().join(',') : undefined;
    if (cached !== expected) problems.push(`${replica}: caches ${cached ?? 'nothing yet'}`);
  }
  return problems;
}
