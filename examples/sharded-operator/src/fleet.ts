/**
 * The replicas of a test run as separate processes, and the workload and log they share.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { Api, type Client, Patch } from '@kube-ts/client';
import { type ConfigMap, configMaps } from '@kube-ts/k8s/core/v1';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { type LogRecord, monotonicMicros, SHARDED } from './replica.js';

/** The compiled entry point. */
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Where the replicas run. */
export interface ShardingTarget {
  readonly client: Client;
  /** A kubeconfig file the replica processes use. */
  readonly kubeconfigPath: string;
  /** Holds the Leases and the ConfigMaps. */
  readonly namespace: string;
  /** The shared log file (created empty by the caller). */
  readonly logPath: string;
  /** Aborted when the test ends early (a timeout): the replicas are killed then. */
  readonly signal?: AbortSignal;
}

/**
 * Lease timing of the test replicas. A replica survives a stall (of itself or of the API
 * server) of up to about D − R = 8 s without losing its Leases: on a loaded 2-core machine
 * stalls of several seconds happen, and with 6 s − 1 s replicas of the in-process
 * MemoryApiServer lost their Leases and restarted. A dead replica is fenced after L = 12 s.
 * A replica that does lose a Lease exits and is started again, which the checks tolerate.
 */
export const TIMING = { leaseDurationMs: 12_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

/**
 * The replica processes of one run. Like a Deployment, it starts a replica again when it
 * exits on its own (e.g. after losing its shard Lease on a loaded machine); a replica it
 * was told to stop or kill, or to {@link forget}, stays down.
 */
export class Fleet {
  readonly #target: ShardingTarget;
  readonly #children = new Map<string, ChildProcess>();
  readonly #wanted = new Set<string>();
  readonly #all = new Set<ChildProcess>();
  #stopped = false;
  /** When each replica was SIGKILLed (µs): its unfinished reconciles end there. */
  readonly killedAt = new Map<string, number>();

  constructor(target: ShardingTarget) {
    this.#target = target;
    target.signal?.addEventListener('abort', () => void this.stopAll(), { once: true });
  }

  /** Starts replica `identity` (and again whenever it exits on its own). */
  start(identity: string): void {
    if (this.#stopped) return;
    this.#wanted.add(identity);
    const out = openSync(this.outputOf(identity), 'a');
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        KUBECONFIG: this.#target.kubeconfigPath,
        POD_NAME: identity,
        POD_NAMESPACE: this.#target.namespace,
        SHARD_LOG: this.#target.logPath,
        PORT: '0',
        LOG_LEVEL: 'info',
        LEASE_DURATION_MS: String(TIMING.leaseDurationMs),
        RENEW_DEADLINE_MS: String(TIMING.renewDeadlineMs),
        RETRY_PERIOD_MS: String(TIMING.retryPeriodMs),
        // Short, so that the scale scenario sees the stopped replicas' Leases deleted.
        DEAD_LEASE_TTL_MS: '2000',
      },
      // The IPC channel: a replica exits when this process (its parent) goes away.
      stdio: ['ignore', out, out, 'ipc'],
    });
    closeSync(out);
    this.#children.set(identity, child);
    this.#all.add(child);
    child.once('exit', (code) => {
      this.#all.delete(child);
      if (!this.#wanted.has(identity)) return;
      process.stderr.write(
        `sharding e2e: ${identity} exited (${code}); starting it again. Its last warnings:\n` +
          `${warnings(this.outputOf(identity)).slice(-4).join('\n')}\n`,
      );
      setTimeout(() => {
        if (this.#wanted.has(identity)) this.start(identity);
      }, 500);
    });
  }

  /** The file that collects the output (pino's JSON lines) of replica `identity`. */
  outputOf(identity: string): string {
    return `${this.#target.logPath}.${identity}.out`;
  }

  /** Stops restarting `identity` (e.g. before resuming a paused replica that must exit). */
  forget(identity: string): void {
    this.#wanted.delete(identity);
  }

  /** The replicas started and not exited. */
  get running(): string[] {
    return [...this.#children]
      .filter(([, c]) => c.exitCode === null && c.signalCode === null)
      .map(([id]) => id);
  }

  /** Sends `signal`; for SIGKILL and SIGTERM waits for the exit and resolves with its code. */
  async signal(identity: string, signal: NodeJS.Signals): Promise<number | null> {
    const child = this.#children.get(identity);
    if (child === undefined) throw new Error(`no replica ${identity}`);
    if (signal === 'SIGKILL' || signal === 'SIGTERM') this.forget(identity);
    if (signal === 'SIGKILL') this.killedAt.set(identity, monotonicMicros());
    child.kill(signal);
    if (signal !== 'SIGKILL' && signal !== 'SIGTERM') return null;
    return this.exited(identity);
  }

  /** Resolves with the exit code of `identity` once it has exited. */
  async exited(identity: string): Promise<number | null> {
    const child = this.#children.get(identity);
    if (child === undefined) throw new Error(`no replica ${identity}`);
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    const [code] = (await once(child, 'exit')) as [number | null];
    return code;
  }

  /** Kills every replica process still running, restarted ones included. */
  async stopAll(): Promise<void> {
    this.#stopped = true;
    this.#wanted.clear();
    await Promise.all(
      [...this.#all].map(async (child) => {
        const exit = once(child, 'exit');
        child.kill('SIGCONT');
        child.kill('SIGKILL');
        await exit;
      }),
    );
  }
}

/** The last write of the workload to one object. */
export interface LastWrite {
  readonly deleted: boolean;
  readonly resourceVersion: string;
  /** When its response arrived (µs, monotonic). */
  readonly t: number;
}

/** A deterministic random source (pure-rand's xoroshiro128+), so that a run is reproducible from its seed. */
export function seeded(seed: number): () => number {
  const generator = xoroshiro128plus(seed);
  return () => uniformFloat64(generator);
}

/** Creates, updates and deletes ConfigMaps of the ring, and remembers each one's last write. */
export class Workload {
  readonly last = new Map<string, LastWrite>();
  readonly #api: Api<ConfigMap>;
  readonly #random: () => number;
  #version = 0;

  constructor(target: ShardingTarget, seed: number) {
    this.#api = Api.namespaced(target.client, configMaps, target.namespace);
    this.#random = seeded(seed);
  }

  /** Creates `obj-0` … `obj-<count-1>`, `parallel` at a time. */
  async createMany(count: number, parallel = 20): Promise<void> {
    const names = Array.from({ length: count }, (_, i) => `obj-${i}`);
    for (let i = 0; i < names.length; i += parallel) {
      await Promise.all(names.slice(i, i + parallel).map((name) => this.#create(name)));
    }
  }

  /** `ops` random operations on a pool of names (create, update or delete), one after the other. */
  async churn(ops: number, pool: number): Promise<void> {
    for (let i = 0; i < ops; i++) {
      const name = `obj-${Math.floor(this.#random() * pool)}`;
      const live = this.last.get(name)?.deleted === false;
      const dice = this.#random();
      if (!live) await this.#create(name);
      else if (dice < 0.7) await this.#update(name);
      else await this.#delete(name);
    }
  }

  async #create(name: string): Promise<void> {
    const created = await this.#api.create({
      metadata: { name, labels: { [SHARDED]: 'true' } },
      data: { v: String(this.#version++) },
    });
    this.#wrote(name, false, created);
  }

  async #update(name: string): Promise<void> {
    const patched = await this.#api.patch(
      name,
      Patch.merge({ data: { v: String(this.#version++) } }),
    );
    this.#wrote(name, false, patched);
  }

  async #delete(name: string): Promise<void> {
    await this.#api.delete(name);
    this.last.set(name, { deleted: true, resourceVersion: '', t: monotonicMicros() });
  }

  #wrote(name: string, deleted: boolean, obj: ConfigMap): void {
    this.last.set(name, {
      deleted,
      resourceVersion: obj.metadata?.resourceVersion ?? '',
      t: monotonicMicros(),
    });
  }
}

/** The warn and error lines (pino level ≥ 40) of a replica's output file. */
function warnings(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => /"level":(4|5|6)0/.test(line));
}

/**
 * The shared log, read incrementally: each {@link read} parses only the lines appended
 * since the last one (the checks poll it every second while it grows to megabytes).
 */
export class LogReader {
  readonly #path: string;
  readonly #records: LogRecord[] = [];
  readonly #decoder = new StringDecoder('utf8');
  #offset = 0;
  #partial = '';

  constructor(path: string) {
    this.#path = path;
  }

  /** Every record so far. */
  read(): readonly LogRecord[] {
    const fd = openSync(this.#path, 'r');
    try {
      const chunk = Buffer.alloc(1 << 20);
      for (;;) {
        const n = readSync(fd, chunk, 0, chunk.length, this.#offset);
        if (n === 0) break;
        this.#offset += n;
        const lines = (this.#partial + this.#decoder.write(chunk.subarray(0, n))).split('\n');
        this.#partial = lines.pop() ?? '';
        for (const line of lines)
          if (line !== '') this.#records.push(JSON.parse(line) as LogRecord);
      }
    } finally {
      closeSync(fd);
    }
    return this.#records;
  }
}
