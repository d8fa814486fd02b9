/**
 * One chaos run: a controller on ConfigMaps of its own namespace, reached through a TCP
 * proxy, while a seeded random workload writes and every fault the backend offers is
 * injected. Then the faults are healed and the run checks the controller's guarantees:
 * its store equals a fresh LIST, every live object was reconciled at its last
 * resourceVersion, no two reconciles of one object overlapped, nothing crashed, no promise
 * rejection went unhandled. The same seed replays the same decisions.
 */
import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { Action, Controller, Reconciler } from '@kube-ts/runtime';
import { pino } from 'pino';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Backend } from '../backend.js';
import { faultProxy } from '../fault-proxy.js';

/** What one run did and found. */
export interface ChaosResult {
  readonly seed: number;
  readonly backend: string;
  readonly passed: boolean;
  /** Why it failed (undefined when it passed). */
  readonly failure?: string;
  /** Faults injected, by kind. */
  readonly faults: Record<string, number>;
  /** From healing the faults to every check passing, in ms (undefined when it never did). */
  readonly settleMs?: number;
}

/** Settings of {@link chaosRun}. */
export interface ChaosOptions {
  /** Workload steps (a write or a fault each). */
  readonly steps: number;
  /** How long the run may take to settle after healing before it counts as failed. */
  readonly settleTimeoutMs: number;
}

/** A seeded random source (pure-rand's xoroshiro128+): the same seed gives the same run. */
export function prng(seed: number): () => number {
  const generator = xoroshiro128plus(seed);
  return () => uniformFloat64(generator);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Records each reconcile: the last resourceVersion seen per object, and overlaps. */
class RecordingReconciler extends Reconciler<ConfigMap> {
  readonly reconciled = new Map<string, string | undefined>();
  readonly active = new Set<string>();
  overlaps = 0;
  constructor(private readonly random: () => number) {
    super();
  }
  async reconcile(cm: ConfigMap): Promise<Action> {
    const key = `${cm.metadata?.namespace}/${cm.metadata?.name}`;
    if (this.active.has(key)) this.overlaps++;
    this.active.add(key);
    try {
      await sleep(Math.floor(this.random() * 5));
      this.reconciled.set(key, cm.metadata?.resourceVersion);
      return Action.awaitChange();
    } finally {
      this.active.delete(key);
    }
  }
}

type Fault = { name: string; apply: () => Promise<void> | void };

/** The faults this backend and the proxy can inject. */
function faultsFor(
  backend: Backend,
  proxy: Awaited<ReturnType<typeof faultProxy>>,
  random: () => number,
): Fault[] {
  const list: Fault[] = [
    { name: 'proxy-freeze', apply: () => void proxy.freeze() },
    { name: 'proxy-reset', apply: () => void proxy.reset() },
    {
      name: 'proxy-refuse',
      apply: async () => {
        proxy.refuse(true);
        await sleep(50 + Math.floor(random() * 300));
        proxy.refuse(false);
      },
    },
  ];
  const f = backend.memoryFaults;
  if (f !== undefined) {
    const path = /configmaps$/;
    list.push(
      { name: 'drop-watches', apply: () => f.dropWatches() },
      { name: 'compact', apply: () => f.compact() },
      {
        name: '429-retry-after',
        apply: () => f.failNext(3, { path }, 429, { retryAfterSeconds: 1 }),
      },
      { name: '429', apply: () => f.failNext(3, { path }, 429) },
      { name: '500', apply: () => f.failNext(2, { path }, 500) },
      { name: '503', apply: () => f.failNext(2, { path }, 503) },
      {
        name: 'silence',
        apply: async () => {
          f.silenceWatches(true);
          await sleep(100 + Math.floor(random() * 400));
          f.silenceWatches(false);
        },
      },
      {
        name: 'latency',
        apply: async () => {
          f.latency(20 + Math.floor(random() * 80));
          await sleep(200);
          f.latency(0);
        },
      },
    );
  }
  const kill = backend.killApiServer;
  if (kill !== undefined) list.push({ name: 'apiserver-sigkill', apply: kill });
  return list;
}

/** Runs one seeded chaos run in namespace `namespace` (which must exist). */
export async function chaosRun(
  backend: Backend,
  direct: Client,
  namespace: string,
  seed: number,
  options: ChaosOptions,
): Promise<ChaosResult> {
  const random = prng(seed);
  const counts: Record<string, number> = {};
  let unhandled = 0;
  const onUnhandled = () => {
    unhandled++;
  };
  process.on('unhandledRejection', onUnhandled);
  const proxy = await faultProxy(backend.kubeConfig);
  const client = Client.fromKubeConfig(proxy.kubeConfig);
  const writes = Api.namespaced(direct, resources.configMaps, namespace);
  const reconciler = new RecordingReconciler(prng(seed + 1));
  // Short watch timeouts keep each run short: a frozen watch is given up after 5 + 2 s
  // (with the defaults it takes up to 50 s; test-e2e/src/watch-half-open.e2e.test.ts).
  const controller = new Controller(Api.namespaced(client, resources.configMaps, namespace), {
    timeoutSeconds: 5,
    silenceMarginSeconds: 2,
  }).withConfig({ logger: pino({ level: 'silent' }), concurrency: 4 });
  let crashed: unknown;
  const sub = controller.run(reconciler).subscribe({ error: (e: unknown) => (crashed = e) });
  const faults = faultsFor(backend, proxy, random);
  let apiServerKills = 0;
  try {
    await controller.store.waitUntilReady();
    const names = Array.from({ length: 12 }, (_, i) => `obj-${i}`);
    for (let step = 0; step < options.steps; step++) {
      if (random() < 0.6) {
        const name = names[Math.floor(random() * names.length)] as string;
        const kind = random();
        const body: ConfigMap = {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name },
          data: { step: String(step) },
        };
        // Writes go straight to the backend: the workload, not the system under test.
        if (kind < 0.75)
          await writes.apply(name, body, { fieldManager: 'chaos', force: true }).catch(() => {});
        else await writes.delete(name).catch(() => {});
      } else {
        let fault = faults[Math.floor(random() * faults.length)] as Fault;
        // A real kube-apiserver restart takes seconds: at most two per run.
        if (fault.name === 'apiserver-sigkill' && apiServerKills++ >= 2) fault = faults[0] as Fault;
        counts[fault.name] = (counts[fault.name] ?? 0) + 1;
        await fault.apply();
      }
      await sleep(Math.floor(random() * 30));
    }
    // Heal: frozen proxy connections stay frozen; the watcher must give up on them itself.
    backend.memoryFaults?.reset();
    proxy.refuse(false);
    const healedAt = performance.now();
    const deadline = healedAt + options.settleTimeoutMs;
    let problem = 'not checked';
    while (performance.now() < deadline) {
      problem = await check(writes, controller, reconciler);
      if (problem === '') break;
      await sleep(100);
    }
    const settleMs = problem === '' ? performance.now() - healedAt : undefined;
    const failures = [
      problem !== '' ? `did not settle within ${options.settleTimeoutMs} ms: ${problem}` : '',
      reconciler.overlaps > 0 ? `${reconciler.overlaps} overlapping reconciles` : '',
      crashed !== undefined ? `the controller stream failed: ${String(crashed)}` : '',
      unhandled > 0 ? `${unhandled} unhandled rejections` : '',
    ].filter(Boolean);
    return {
      seed,
      backend: backend.name,
      passed: failures.length === 0,
      ...(failures.length > 0 ? { failure: failures.join('; ') } : {}),
      faults: counts,
      ...(settleMs !== undefined ? { settleMs } : {}),
    };
  } finally {
    sub.unsubscribe();
    client.close();
    await proxy.close();
    process.off('unhandledRejection', onUnhandled);
  }
}

/** '' when the store equals a fresh LIST and each object was reconciled at its last rv. */
async function check(
  api: Api<ConfigMap>,
  controller: Controller<ConfigMap>,
  reconciler: RecordingReconciler,
): Promise<string> {
  let list: Awaited<ReturnType<Api<ConfigMap>['list']>>;
  try {
    list = await api.list();
  } catch (error) {
    return `LIST failed: ${String(error)}`;
  }
  const expected = new Map(
    list.items.map((o) => [
      `${o.metadata?.namespace}/${o.metadata?.name}`,
      o.metadata?.resourceVersion,
    ]),
  );
  const cached = controller.store.list();
  if (cached.length !== expected.size)
    return `store has ${cached.length} objects, LIST ${expected.size}`;
  for (const o of cached) {
    const key = `${o.metadata?.namespace}/${o.metadata?.name}`;
    if (expected.get(key) !== o.metadata?.resourceVersion) {
      return `store has ${key} at ${o.metadata?.resourceVersion}, LIST at ${expected.get(key)}`;
    }
  }
  for (const [key, rv] of expected) {
    if (reconciler.reconciled.get(key) !== rv) {
      return `${key} last reconciled at ${reconciler.reconciled.get(key)}, current ${rv}`;
    }
  }
  return '';
}
