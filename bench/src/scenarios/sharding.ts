import { setTimeout as delay } from 'node:timers/promises';
import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { shardLabels } from '@kube-ts/runtime';
import { KubeConfig } from '@kubernetes/client-node';
import type { Figure } from '../figure.js';
import { BENCH_SELECTOR } from '../fixtures.js';
import { figureOf, progress, type SubjectRuns } from '../measure.js';
import type { Measurements } from '../protocol.js';
import { prepareWorker, type WorkerResult } from '../worker-host.js';
import type { ScenarioContext } from './context.js';

/** The ring of the benchmark's replicas. */
const RING = 'bench';
/** Full passes of the reconciler timed in each replica (the median counts). */
const PASSES = 5;

/**
 * Scenario 10, a controller sharded across replicas (issue 17): for 1, 2 and 4 replica
 * processes of a sharded Manager over the same ConfigMaps, once the sharder has assigned
 * every object: the objects and the retained heap of each replica, and the reconciles/s
 * of full passes of a no-op reconciler, all replicas at once on this one machine. The
 * figure that matters is per-replica heap and objects falling as 1/N; the replica that
 * leads also runs the sharder, which watches the metadata of every object, so its heap is
 * a figure of its own. kube-ts only: no peer shards a controller.
 */
export async function shardingScenario(ctx: ScenarioContext): Promise<Figure[]> {
  const objects = ctx.sizes.shardingObjects;
  const namespace = await ctx.dataset('sharding', objects);
  const figures: Figure[] = [];
  for (const replicas of ctx.sizes.shardingReplicas) {
    const scenario = `10 sharded controller (${objects}), ${replicas} replica${replicas > 1 ? 's' : ''}`;
    const label = `[${ctx.backend.name}] ${scenario}`;
    const runs: SubjectRuns = { results: [], errors: [] };
    for (let run = 0; run < ctx.runs; run++) {
      try {
        runs.results.push(await shardedRun(ctx, namespace, objects, replicas));
      } catch (err) {
        runs.errors.push(err instanceof Error ? err.message : String(err));
        progress(`  ${label}: run ${run + 1} failed: ${String(err).split('\n')[0]}`);
      }
      progress(`  ${label}: run ${run + 1}/${ctx.runs} done`);
    }
    const base = { backend: ctx.backend.name, scenario };
    const metric = (
      name: string,
      unit: string,
      better: 'higher' | 'lower',
      key: string,
      note?: string,
    ) => figureOf(base, { metric: name, unit, better, key }, runs, undefined, note);
    figures.push(
      metric('reconciles/s, all replicas', 'reconciles/s', 'higher', 'reconcilesPerSecond'),
      metric('objects per replica, largest', 'objects', 'lower', 'maxObjects'),
      metric('heap per replica, largest', 'MiB', 'lower', 'maxHeapMiB'),
      metric(
        'heap of a replica without the sharder, largest',
        'MiB',
        'lower',
        'shardHeapMiB',
        replicas === 1 ? 'the only replica runs the sharder' : undefined,
      ),
      metric('heap of the replica running the sharder', 'MiB', 'lower', 'sharderHeapMiB'),
    );
  }
  return figures;
}

/**
 * One run: starts `replicas` replica processes, waits until every object carries the
 * shard label of one of them (and no drain label), has them measure at once, and folds
 * their reports into one result. When one replica fails (it reports an error, exits or is
 * killed), the run fails at once with that replica's error and the others are killed: a
 * replica left running would hold its shard (and maybe the sharder) into the next run,
 * whose objects would then never all be assigned to its own replicas.
 */
async function shardedRun(
  ctx: ScenarioContext,
  namespace: string,
  objects: number,
  replicas: number,
): Promise<WorkerResult> {
  // Identities of their own per replica count: the objects of the previous count's shards
  // (released Leases) move at once, without the drain handshake.
  const identities = Array.from({ length: replicas }, (_, i) => `n${replicas}-replica-${i}`);
  let onAssigned: () => void = () => {};
  const failed = new AbortController();
  const assigned = new Promise<void>((resolve, reject) => {
    onAssigned = resolve;
    failed.signal.addEventListener('abort', () => reject(failed.signal.reason), { once: true });
  });
  assigned.catch(() => {});
  const prepared = await Promise.allSettled(
    identities.map((identity) =>
      prepareWorker(
        'kube-ts',
        {
          kind: 'sharded',
          kubeconfig: ctx.backend.kubeconfigPath,
          namespace,
          objects,
          ring: RING,
          identity,
          passes: PASSES,
        },
        {
          timeoutMs: 1_200_000,
          onReady: async (_child, stop) => {
            await assigned;
            stop();
          },
        },
      ).catch((error: unknown) => {
        throw new Error(`replica ${identity}: ${asError(error).message}`);
      }),
    ),
  );
  const workers = prepared.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
  const cancelAll = (reason: Error) => Promise.all(workers.map((w) => w.cancel(reason)));
  const unprepared = prepared.find((p) => p.status === 'rejected');
  if (unprepared !== undefined) {
    const reason = asError(unprepared.reason);
    // Prepared replicas wait, idle, for a start that will not come.
    failed.abort(reason);
    await cancelAll(new Error(`another replica failed to start: ${reason.message}`));
    throw reason;
  }
  const results = Promise.all(
    workers.map((w, i) =>
      w.start().catch((error: unknown) => {
        const reason = new Error(`replica ${identities[i]}: ${asError(error).message}`);
        failed.abort(reason);
        throw reason;
      }),
    ),
  );
  const watching = waitForAssignment(ctx, namespace, identities, failed.signal).then(onAssigned);
  let reports: WorkerResult[];
  try {
    [reports] = await Promise.all([results, watching]);
  } catch (error) {
    const reason = failed.signal.aborted ? asError(failed.signal.reason) : asError(error);
    failed.abort(reason);
    await cancelAll(new Error(`stopped: ${reason.message}`));
    await Promise.allSettled([results, watching]);
    throw reason;
  }
  const values = reports.map((r) => r.values as Measurements);
  const heaps = values.map((v) => v.heapMiB ?? Number.NaN);
  const shardHeaps = values.filter((v) => v.sharder !== 1).map((v) => v.heapMiB ?? Number.NaN);
  const sharder = values.find((v) => v.sharder === 1);
  return {
    values: {
      reconcilesPerSecond: values.reduce((sum, v) => sum + (v.reconcilesPerSecond ?? 0), 0),
      maxObjects: Math.max(...values.map((v) => v.objects ?? Number.NaN)),
      maxHeapMiB: Math.max(...heaps),
      shardHeapMiB: shardHeaps.length > 0 ? Math.max(...shardHeaps) : Number.NaN,
      sharderHeapMiB: sharder?.heapMiB ?? Number.NaN,
    },
  };
}

/**
 * Resolves once every benchmark object is labelled with one of `identities` and none is
 * draining. Two selector lists of at most one object each, every 2 s: listing the 20k
 * objects themselves that often would load the server the replicas are measured against.
 */
async function waitForAssignment(
  ctx: ScenarioContext,
  namespace: string,
  identities: readonly string[],
  signal: AbortSignal,
): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(ctx.backend.kubeconfigPath);
  const client = Client.fromKubeConfig(kc);
  const api = Api.namespaced(client, resources.configMaps, namespace).metadata();
  const { shard, drain } = shardLabels(RING);
  // `notin` also selects the objects without the label (unassigned).
  const elsewhere = `${BENCH_SELECTOR},${shard} notin (${identities.join(',')})`;
  const draining = `${BENCH_SELECTOR},${drain}`;
  const started = performance.now();
  try {
    for (;;) {
      signal.throwIfAborted();
      const [a, b] = await Promise.all(
        [elsewhere, draining].map((labelSelector) => api.list({ labelSelector, limit: 1, signal })),
      );
      if (a?.items.length === 0 && b?.items.length === 0) break;
      if (performance.now() - started > 900_000) {
        throw new Error('objects still unassigned or draining after 900 s');
      }
      await delay(2_000, undefined, { signal });
    }
  } finally {
    client.close();
  }
}

/** `value` as an Error (a thrown non-Error described by its type). */
function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(`thrown ${typeof value}`);
}
