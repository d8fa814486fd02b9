import type { AddressInfo } from 'node:net';
import type { KubeObject } from '@kube-ts/core';
import { type Logger, pino } from 'pino';
import type { Registry } from 'prom-client';
import { lastValueFrom, type Observable, type Subscription } from 'rxjs';
import { Cache } from '../cache/cache.js';
import type { ControllerGauges } from '../controller/config.js';
import type { Controller } from '../controller/controller.js';
import { describeError } from '../controller/logging.js';
import type { ReconcileResult } from '../controller/reconciler.js';
import { exitAfterDeadline, type StuckReconcile } from '../controller/shutdown.js';
import type { LeaderElector } from '../leader/leader-elector.js';
import { promClient } from '../prom-client.js';
import { ShardReplica } from '../sharding/replica.js';
import { serveEndpoints } from './endpoints.js';
import { type ManagerOptions, resolveManagerOptions } from './options.js';
import type { ProbeServer } from './probe-server.js';
import type { Runnable } from './runnable.js';
import { RuntimeMetrics } from './runtime-metrics.js';

interface Entry {
  readonly runnable: Runnable;
  done: Promise<void> | undefined;
}

type Phase = 'idle' | 'running' | 'stopping' | 'stopped';

/**
 * Runs an operator's controllers in a cluster: leader election, probes, metrics and
 * graceful shutdown.
 *
 * ```ts
 * const manager = new Manager({ leaderElector, host: '0.0.0.0', port: 8080 });
 * manager.addController('widget', new Controller(widgets), (c) => c.run(reconciler, ctx));
 * await manager.start(); // resolves after SIGTERM; rejects if leadership is lost
 * ```
 *
 * Guarantees:
 * - Leader-only runnables start when the elector first leads and never run on a replica
 *   that does not lead; the others start at once. Without an elector everything starts
 *   at once.
 * - A controller added with {@link addController} starts each reconcile only after the
 *   elector confirmed, on the monotonic clock, that its last renewal is within the renew
 *   deadline; other leader-only runnables should call `elector.confirmLeadership()` before
 *   each piece of leader-only work.
 * - Losing leadership stops every runnable (gracefully) and `start()` rejects: exit the
 *   process and let Kubernetes restart it, as controller-runtime does, so no reconcile
 *   of the old term can overlap the new leader's.
 * - With `sharding`, controllers run on every replica once it holds its shard Lease, on the
 *   objects of its shard only, and confirm that Lease (not leadership) before each
 *   reconcile; the leader runs the sharder. Losing the shard Lease shuts down like losing
 *   leadership; the shard Lease is released after the runnables finished. Losing
 *   leadership stops only the sharder (its shard Lease, not leadership, fences the
 *   replica's reconciles), which starts again when the replica leads again — unless other
 *   leader-only runnables were added: those may not be able to start twice, so the manager
 *   then shuts down as without sharding.
 * - `/healthz` answers 200 while the process serves. `/readyz` answers 200 when every
 *   started runnable is ready (a controller: its main store has its initial list); a
 *   standby replica that runs nothing is ready; 503 with the reasons otherwise and
 *   during shutdown. `/metrics` serves the runtime metrics and the rest of `registry` in the Prometheus format.
 * - Shutdown (SIGTERM/SIGINT, {@link stop}, leadership lost, a failing runnable): abort
 *   the runnables' signal and wait up to `shutdownTimeoutMs` for them to finish
 *   (controllers let their reconciles in progress finish); then stop the elector, which
 *   releases the lease — unless runnables are still running after the deadline: then the
 *   lease is left to expire, so a successor cannot overlap with them; then close the
 *   server. `start()` resolves, or rejects when the shutdown was caused by a failure or
 *   the deadline passed.
 */
export class Manager {
  /**
   * The prom-client registry served on `/metrics`; register your own metrics in it, e.g.
   * `new Counter({ name, help, registers: [manager.registry] })`.
   */
  readonly registry: Registry;
  /**
   * The shared watches of this manager's controllers (one per resource, namespace,
   * selectors and form, reference-counted) and a reader over them for reconcilers — pass
   * it in the reconcile context (`{ cache: manager.cache }`). Register extra watches with
   * `manager.cache.acquire(api)`; it stops every watch when the manager has shut down.
   */
  readonly cache: Cache;
  readonly #metrics: RuntimeMetrics;
  readonly #controllers = new Map<string, ControllerGauges>();
  readonly #elector: LeaderElector | undefined;
  readonly #shard: ShardReplica | undefined;
  readonly #host: string;
  readonly #port: number;
  readonly #shutdownTimeoutMs: number;
  readonly #handleSignals: boolean;
  readonly #logger: Logger;
  readonly #entries: Entry[] = [];
  readonly #abort = new AbortController();
  readonly #cleanups: (() => void)[] = [];
  #phase: Phase = 'idle';
  #server: ProbeServer | undefined;
  #serving: Promise<ProbeServer> | undefined;
  #leadership: Subscription | undefined;
  /** The current leadership term's stop signal (sharding: the sharder stops with it). */
  #term: AbortController | undefined;
  /** Settles once the runnables of the last ended term have stopped. */
  #termEnded: Promise<void> = Promise.resolve();
  #shutdown: Promise<void> | undefined;
  #failure: Error | undefined;
  #hurry: (() => void) | undefined;
  /** Whether the shutdown was started by SIGTERM/SIGINT (then a missed deadline exits). */
  #bySignal = false;

  /** A manager; add runnables, then {@link start} it. */
  constructor(options: ManagerOptions = {}) {
    const resolved = resolveManagerOptions(options);
    this.#elector = resolved.leaderElector;
    this.#host = resolved.host;
    this.#port = resolved.port;
    this.#shutdownTimeoutMs = resolved.shutdownTimeoutMs;
    this.#handleSignals = resolved.handleSignals;
    this.registry = options.registry ?? new (promClient().Registry)();
    this.#metrics = new RuntimeMetrics(this.registry);
    const logger = options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
    this.#logger = logger.child({ component: 'manager' });
    this.cache = new Cache({ logger, registry: this.registry });
    if (options.sharding !== undefined) {
      if (this.#elector === undefined) {
        throw new TypeError(
          'Manager: sharding needs a leaderElector (its leader runs the sharder); pass both',
        );
      }
      const deps = {
        cache: this.cache,
        leaderElector: this.#elector,
        logger,
        registry: this.registry,
      };
      this.#shard = new ShardReplica(options.sharding, deps);
      this.add(this.#shard.sharder);
    }
  }

  /** Adds a runnable; before {@link start} only. */
  add(runnable: Runnable): this {
    if (this.#phase !== 'idle') {
      throw new Error(`Manager.add(${runnable.name}): add runnables before start()`);
    }
    if (this.#entries.some((e) => e.runnable.name === runnable.name)) {
      throw new TypeError(`Manager.add: a runnable named '${runnable.name}' was already added`);
    }
    this.#entries.push({ runnable, done: undefined });
    return this;
  }

  /**
   * Adds a controller named `name` (the `controller` label of its metrics; by convention
   * the lower-case kind). When it starts, the manager sets its metrics hooks, its
   * graceful shutdown and its cache ({@link cache}: the controller's main, `owns` and
   * `watches` watches are shared with the other controllers), then subscribes to
   * `run(controller)` — e.g. `(c) => c.run(reconciler, ctx)` — until it completes. Do not also call
   * `shutdownOnSignal()` on it: the manager handles signals. It is ready once all its
   * watches have their initial list, and runs only while leading: before each reconcile it asks
   * the elector to confirm its leadership (`LeaderElector.confirmLeadership`), so a leader
   * paused past its renew deadline steps down instead of reconciling. With `sharding` it
   * runs on every replica once its shard Lease is held, on the objects of its shard only
   * (`Controller.withSharding`), confirming the shard Lease instead. The manager's hooks
   * replace any `metrics` and `mayReconcile` set earlier with `withConfig`.
   */
  addController<K extends KubeObject>(
    name: string,
    controller: Controller<K>,
    run: (controller: Controller<K>) => Observable<ReconcileResult>,
  ): this {
    const hooks = this.#metrics.forController(name);
    const metrics = {
      ...hooks,
      started: (gauges: ControllerGauges) => {
        this.#controllers.set(name, gauges);
        hooks.started?.(gauges);
      },
    };
    const shard = this.#shard;
    if (shard !== undefined) controller.withSharding(shard);
    return this.add({
      name,
      isReady: () => controller.store.isReady,
      ...(shard === undefined ? {} : { needsLeaderElection: false }),
      start: async (signal) => {
        const elector = this.#elector;
        if (shard !== undefined && !(await shard.held(signal))) return;
        const confirm =
          shard !== undefined
            ? () => shard.confirm()
            : elector === undefined
              ? undefined
              : () => elector.confirmLeadership();
        controller
          .withConfig(confirm === undefined ? { metrics } : { metrics, mayReconcile: confirm })
          .withCache(this.cache)
          .gracefulShutdownOn(signal);
        await lastValueFrom(run(controller), { defaultValue: undefined });
      },
    });
  }

  /** The address the probe server listens on, once started. */
  get address(): AddressInfo | undefined {
    return this.#server?.address;
  }

  /**
   * Serves the probes and metrics, competes for leadership (if configured) and runs the
   * runnables; settles once the manager has shut down (see the class guarantees). Call once.
   */
  async start(): Promise<void> {
    if (this.#phase !== 'idle') throw new Error('Manager.start: a manager starts only once');
    this.#phase = 'running';
    const finished = new Promise<void>((resolve, reject) => {
      this.#settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    this.#serving = serveEndpoints(this.#host, this.#port, {
      readinessProblems: () => this.#readinessProblems(),
      registry: this.registry,
    });
    try {
      this.#server = await this.#serving;
    } catch (error) {
      this.#phase = 'stopped';
      throw error;
    }
    this.#logger.info({ address: this.#server.address }, 'serving /healthz, /readyz, /metrics');
    if (this.#shutdown !== undefined) return finished; // stop() was called meanwhile
    if (this.#handleSignals) this.#listenToSignals();
    const elector = this.#elector;
    if (elector === undefined) {
      for (const entry of this.#entries) this.#launch(entry);
    } else {
      this.#followLeadership(elector);
    }
    return finished;
  }

  /** Starts the runnables that every replica runs, then the others once leading. */
  #followLeadership(elector: LeaderElector): void {
    for (const entry of this.#entries) {
      if (entry.runnable.needsLeaderElection === false) this.#launch(entry);
    }
    const status = { name: elector.name };
    this.#metrics.leaderStatus.set(status, 0);
    let led = false;
    const leaderOnly = this.#entries.filter((e) => e.runnable.needsLeaderElection !== false);
    // With sharding, a term ends without a shutdown when the sharder is its only runnable.
    const shard = this.#shard;
    const termsEnd = shard !== undefined && leaderOnly.every((e) => e.runnable === shard.sharder);
    shard?.start((error) => void this.#shutdownFor('shard Lease lost', error));
    this.#leadership = elector.leading.subscribe((leading) => {
      this.#metrics.leaderStatus.set(status, leading ? 1 : 0);
      if (this.#phase !== 'running') return;
      if (leading && !led) {
        led = true;
        this.#logger.info({ identity: elector.identity }, 'leading: starting controllers');
        this.#startTerm(leaderOnly);
      } else if (leading && termsEnd) {
        this.#logger.info({ identity: elector.identity }, 'leading again: starting the sharder');
        void this.#termEnded.then(() => {
          if (this.#phase === 'running' && elector.isLeader && this.#term === undefined) {
            this.#startTerm(leaderOnly);
          }
        });
      } else if (!leading && led && termsEnd) {
        this.#logger.warn(
          { lease: elector.name },
          'lost leadership: stopped the sharder; this replica keeps reconciling its shard and competes again',
        );
        this.#endTerm(leaderOnly);
      } else if (!leading && led) {
        void this.#shutdownFor(
          'leadership lost',
          new Error(
            `lost leadership of lease '${elector.name}'; stopped all controllers. Exit and ` +
              'let the process restart to compete again',
          ),
        );
      }
    });
    elector.start();
  }

  /** Starts the leader-only runnables for a leadership term. */
  #startTerm(leaderOnly: readonly Entry[]): void {
    const term = new AbortController();
    this.#term = term;
    const signal = AbortSignal.any([this.#abort.signal, term.signal]);
    for (const entry of leaderOnly) this.#launch(entry, signal);
  }

  /** Stops the leader-only runnables of the current term; they may start again once stopped. */
  #endTerm(leaderOnly: readonly Entry[]): void {
    this.#term?.abort(new Error('leadership lost'));
    this.#term = undefined;
    const running = leaderOnly.flatMap((e) => (e.done === undefined ? [] : [e.done]));
    this.#termEnded = Promise.all(running).then(() => {
      for (const entry of leaderOnly) entry.done = undefined;
    });
  }

  /** Shuts down gracefully (see the class guarantees); resolves when done. */
  async stop(): Promise<void> {
    if (this.#phase === 'idle') {
      this.#phase = 'stopped';
      return;
    }
    await this.#shutdownFor('stop requested');
  }

  #settle: (error?: Error) => void = () => {};

  #readinessProblems(): string[] {
    if (this.#phase !== 'running') return ['shutting down'];
    const problems: string[] = [];
    for (const { runnable, done } of this.#entries) {
      if (done !== undefined && runnable.isReady !== undefined && !runnable.isReady()) {
        problems.push(runnable.name);
      }
    }
    for (const watch of this.cache.watches()) {
      if (!watch.ready) problems.push(`cache: ${watch.description} has not synced`);
    }
    return problems;
  }

  #launch(entry: Entry, signal: AbortSignal = this.#abort.signal): void {
    if (entry.done !== undefined) return;
    const { runnable } = entry;
    this.#logger.debug({ runnable: runnable.name }, 'starting');
    entry.done = Promise.resolve()
      .then(() => runnable.start(signal))
      .then(
        () => this.#logger.info({ runnable: runnable.name }, 'stopped'),
        (error: unknown) => {
          this.#logger.error({ runnable: runnable.name, error: describeError(error) }, 'failed');
          void this.#shutdownFor(
            `${runnable.name} failed`,
            new Error(`runnable '${runnable.name}' failed: ${describeError(error)}`, {
              cause: error,
            }),
          );
        },
      );
  }

  #shutdownFor(why: string, failure?: Error): Promise<void> {
    if (failure !== undefined && this.#failure === undefined && this.#phase === 'running') {
      this.#failure = failure;
    }
    this.#shutdown ??= this.#runShutdown(why);
    return this.#shutdown;
  }

  async #runShutdown(why: string): Promise<void> {
    this.#phase = 'stopping';
    this.#logger.info({ reason: why }, 'shutting down');
    this.#abort.abort(new Error(`manager shutting down: ${why}`));
    const running = this.#entries.flatMap((e) => (e.done === undefined ? [] : [e.done]));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ending = await Promise.race([
      Promise.all(running).then(() => 'done' as const),
      new Promise<'deadline' | 'hurried'>((resolve) => {
        timer = setTimeout(() => resolve('deadline'), this.#shutdownTimeoutMs);
        this.#hurry = () => resolve('hurried');
      }),
    ]);
    clearTimeout(timer);
    const allDone = ending === 'done';
    if (ending === 'deadline') {
      const stuck = this.#stuckReconciles();
      if (this.#bySignal) exitAfterDeadline(this.#logger, this.#shutdownTimeoutMs, stuck);
      for (const s of stuck)
        this.#logger.error(s, 'reconcile still running at the shutdown deadline');
    }
    if (!allDone) {
      this.#logger.error(
        { shutdownTimeoutMs: this.#shutdownTimeoutMs, ending },
        'runnables still running; leaving the lease to expire',
      );
      this.#failure ??= new Error(
        ending === 'deadline'
          ? `shutdown deadline of ${this.#shutdownTimeoutMs} ms passed with runnables still running`
          : 'a second signal ended the shutdown with runnables still running',
      );
    }
    this.#leadership?.unsubscribe();
    if (this.#elector !== undefined) {
      await this.#elector.stop({ release: allDone });
      this.#metrics.leaderStatus.set({ name: this.#elector.name }, 0);
    }
    await this.#shard?.stop(allDone);
    this.cache.stop();
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    const server = await this.#serving?.catch(() => undefined);
    await server?.close();
    this.#phase = 'stopped';
    this.#logger.info('stopped');
    this.#settle(this.#failure);
  }

  /** The reconciles in progress in every controller, for the shutdown deadline's log. */
  #stuckReconciles(): StuckReconcile[] {
    return [...this.#controllers].flatMap(([controller, gauges]) =>
      gauges.inFlight().map((r) => ({ controller, ...r })),
    );
  }

  #listenToSignals(): void {
    for (const name of ['SIGTERM', 'SIGINT'] as const) {
      const onSignal = () => {
        if (this.#shutdown === undefined) {
          this.#bySignal = true;
          void this.#shutdownFor(name);
        } else {
          this.#logger.warn({ signal: name }, 'second signal: not waiting for runnables');
          this.#hurry?.();
        }
      };
      process.on(name, onSignal);
      this.#cleanups.push(() => process.off(name, onSignal));
    }
  }
}
