import { type ApiResource, type KubeObject, ObjectRef } from '@kube-ts/core';
import type { Logger } from 'pino';
import { isObservable, merge, Observable, type Subscription, share, tap } from 'rxjs';
import { dropManagedFields } from '../store/ingest.js';
import { createStore, type Store, type StoreWriter } from '../store/store.js';
import type { WatcherEvent } from '../watcher/events.js';
import type { WatchSource } from '../watcher/source.js';
import { typeMetaOf } from '../watcher/type-meta.js';
import { type WatcherConfig, watcher } from '../watcher/watcher.js';
import type { Action } from './action.js';
import { invokeReconciler } from './invoke.js';
import { controllerLogger, describeError, logReconcile } from './logging.js';
import type { ReconcileReason } from './reason.js';
import type { Reconciler } from './reconciler.js';
import { ShutdownSignal, type ShutdownTrigger } from './shutdown.js';
import {
  ownerRequests,
  type ReconcileRequest,
  type RelationMapper,
  relatedRequests,
  selfRequests,
} from './triggers.js';
import { WorkQueue } from './work-queue.js';

/** What a controller needs of its main API handle: list, watch and the resource (an `Api<K>`). */
export type ControllerApi<K extends KubeObject> = WatchSource<K> & {
  readonly resource: ApiResource<K>;
};

/** Options of {@link Controller.withConfig}. */
export interface ControllerConfig {
  /** Most reconciles in progress at once, over all objects. Default 16. */
  readonly concurrency?: number;
  /**
   * Wait this long after a request before reconciling, so that a burst of changes to one
   * object gives one reconcile (see `SchedulerOptions.debounceMs`). Default 0.
   */
  readonly debounceMs?: number;
  /** Your pino logger; the controller logs through `logger.child({ controller: kind })`. */
  readonly logger?: Logger;
  /** Receives counts and timings (the `Manager` passes one to serve `/metrics`). */
  readonly metrics?: ControllerMetrics;
  /**
   * Called right before each reconcile starts; when it returns false the reconcile does not
   * start and its request is dropped. Return false only when this process must stop
   * reconciling for good: the `Manager` sets it to `LeaderElector.confirmLeadership`, so a
   * leader that was paused past its renew deadline steps down before it reconciles.
   */
  readonly mayReconcile?: () => boolean;
}

/**
 * The outcome label of one reconcile, as controller-runtime names it: `error` (it failed),
 * `requeue` (`Action.requeue(0)`), `requeue_after` (`Action.requeue(ms)`, ms > 0),
 * `success` (`Action.awaitChange()`).
 */
export type ReconcileMetricResult = 'success' | 'error' | 'requeue' | 'requeue_after';

/** Live values of a running controller, handed to {@link ControllerMetrics.started}. */
export interface ControllerGauges {
  /** The configured `concurrency`. */
  readonly concurrency: number;
  /** Requests waiting (scheduled, queued or waiting for their object). */
  queueDepth(): number;
  /** Reconciles in progress. */
  activeWorkers(): number;
}

/**
 * Hooks a controller calls while it runs; every method is optional and must not throw
 * (the controller does not catch). Calls happen synchronously on the controller's path.
 */
export interface ControllerMetrics {
  /** Once, when `run()` is subscribed. */
  started?(gauges: ControllerGauges): void;
  /** Each time a request is handed to the work queue (changes, requeues, backoffs). */
  enqueued?(): void;
  /** After each reconcile (not for requests dropped because the object is gone). */
  reconciled?(result: ReconcileMetricResult, durationMs: number): void;
}

/** The {@link ReconcileMetricResult} of an outcome. */
function metricResult(ok: boolean, action: Action): ReconcileMetricResult {
  if (!ok) return 'error';
  const after = action.requeueAfterMs;
  if (after === undefined) return 'success';
  return after > 0 ? 'requeue_after' : 'requeue';
}

/** The outcome of one reconcile, as emitted by {@link Controller.run}. */
export type ReconcileResult =
  | {
      readonly ok: true;
      readonly ref: ObjectRef;
      readonly action: Action;
      readonly reason: ReconcileReason;
    }
  | {
      readonly ok: false;
      readonly ref: ObjectRef;
      readonly error: unknown;
      readonly action: Action;
      readonly reason: ReconcileReason;
    };

/** Where triggers report what goes wrong (the controller logs it). */
interface TriggerReport {
  /** A watch failed (an `Error` value of a watcher stream; the watcher retries). */
  watchError(source: string, event: WatcherEvent<unknown>): void;
  /** A relation mapper threw. */
  mapperError(error: unknown): void;
}

type TriggerFactory = (report: TriggerReport) => Observable<ReconcileRequest>;

/** The stream, with its `Error` values handed to `report` on the way. */
function reportingErrors<T>(
  events: Observable<WatcherEvent<T>>,
  source: string,
  report: TriggerReport,
): Observable<WatcherEvent<T>> {
  return events.pipe(
    tap((event) => {
      if (event.type === 'Error') report.watchError(source, event);
    }),
  );
}

/**
 * Runs a {@link Reconciler} over every object of one resource: watches it (and related
 * resources), caches it in a store, and calls `reconcile` for each object that changed.
 *
 * ```ts
 * new Controller(Api.all(client, generators))
 *   .owns(Api.all(client, resources.configMaps))
 *   .withConfig({ concurrency: 4 })
 *   .shutdownOnSignal()
 *   .run(new MyReconciler(), ctx)
 *   .subscribe();
 * ```
 *
 * Guarantees:
 * - Requests are deduplicated per object and delayed by a `Scheduler` (earliest time wins,
 *   its reason is recorded) and run by a `Runner`: never two reconciles of one object at
 *   once; a request during a reconcile runs after it; `concurrency` bounds the total.
 * - Objects in the store (and handed to `reconcile`) are frozen, have no
 *   `metadata.managedFields`, and always carry `apiVersion` and `kind`.
 * - Reconciles wait until the main store has its initial list. A request for an object no
 *   longer in the store is dropped (not an error). `reconcile` receives the CURRENT object
 *   from the store, not the one that triggered the request.
 * - `Action.requeue(ms)` (or the errorPolicy's action after a failure) schedules the next
 *   reconcile; `Action.awaitChange()` waits for a change.
 * - Anything a reconciler throws goes to its errorPolicy and is reported as an `ok: false`
 *   result; errors of the watches are values (logged, retried by the watcher); a throwing
 *   relation mapper is logged and skipped. None of them errors the Observable or crashes
 *   the process.
 * - Graceful shutdown (`gracefulShutdownOn`, `shutdownOnSignal`): stop watching and taking
 *   new work, drop pending requests, let reconciles in progress finish (their results are
 *   still emitted), then complete. Unsubscribing instead stops at once without waiting.
 */
export class Controller<K extends KubeObject> {
  readonly #api: ControllerApi<K>;
  readonly #watcherConfig: WatcherConfig;
  readonly #reader: Store<K>;
  readonly #writer: StoreWriter<K>;
  readonly #triggers: TriggerFactory[] = [];
  readonly #shutdownTriggers: ShutdownTrigger[] = [];
  #config: ControllerConfig = {};
  #onSignals = false;
  #running = false;

  /** A controller for the objects of `api` (an `Api<K>`), watched with `watcherConfig`. */
  constructor(api: ControllerApi<K>, watcherConfig: WatcherConfig = {}) {
    this.#api = api;
    this.#watcherConfig = watcherConfig;
    const withTypeMeta = typeMetaOf(api.resource);
    const transform = (obj: K) => withTypeMeta(dropManagedFields(obj));
    const { reader, writer } = createStore<K>({ transform });
    this.#reader = reader;
    this.#writer = writer;
  }

  /** The cache of the main resource, filled while the controller runs (read-only objects). */
  get store(): Store<K> {
    return this.#reader;
  }

  /**
   * Also reconciles the owner of each changed child of `childApi`: the child's
   * ownerReference with `controller: true` that names this controller's kind and group
   * (as set by `ownerRefTo(owner)`), looked up in the child's namespace.
   */
  owns<C extends KubeObject>(childApi: WatchSource<C>, config: WatcherConfig = {}): this {
    const { group, kind, namespaced } = this.#api.resource;
    this.#triggers.push((report) =>
      ownerRequests(
        reportingErrors(watcher(childApi, config), `owned ${childKind(childApi)}`, report),
        {
          group,
          kind,
          namespaced,
        },
      ),
    );
    return this;
  }

  /**
   * Also reconciles the objects that `mapper` names for each changed object of `api`
   * (e.g. every generator that references a changed Secret).
   */
  watches<W extends KubeObject>(
    api: WatchSource<W>,
    config: WatcherConfig,
    mapper: RelationMapper<W>,
  ): this {
    this.#triggers.push((report) =>
      relatedRequests(
        reportingErrors(watcher(api, config), `watched ${childKind(api)}`, report),
        mapper,
        (error) => report.mapperError(error),
      ),
    );
    return this;
  }

  /** Reconciles every object in the store each time `trigger` emits (reason `reconcileAll`). */
  reconcileAllOn(trigger: Observable<unknown>): this {
    this.#triggers.push(
      () =>
        new Observable<ReconcileRequest>((subscriber) =>
          trigger.subscribe({
            next: () => {
              for (const obj of this.#reader.list()) {
                subscriber.next({ ref: ObjectRef.from(obj), reason: { type: 'reconcileAll' } });
              }
            },
          }),
        ),
    );
    return this;
  }

  /**
   * Shuts down gracefully when `signal` fires: an `AbortSignal` aborts, a `Promise`
   * settles (resolves or rejects), or an `Observable` emits or completes. May be called
   * several times; the first one that fires wins.
   */
  gracefulShutdownOn(signal: AbortSignal | PromiseLike<unknown> | Observable<unknown>): this {
    if (isObservable(signal)) {
      this.#shutdownTriggers.push({ kind: 'observable', observable: signal });
    } else if (signal instanceof AbortSignal) {
      this.#shutdownTriggers.push({ kind: 'abort', signal });
    } else {
      this.#shutdownTriggers.push({ kind: 'promise', promise: signal });
    }
    return this;
  }

  /**
   * Shuts down gracefully on the first SIGINT or SIGTERM; a second one stops at once
   * (in-flight reconciles are no longer awaited). The handlers are removed when the
   * controller stops.
   */
  shutdownOnSignal(): this {
    this.#onSignals = true;
    return this;
  }

  /** Sets concurrency, debounce and the logger (merged with earlier calls). */
  withConfig(config: ControllerConfig): this {
    this.#config = { ...this.#config, ...config };
    return this;
  }

  /**
   * Starts the controller when subscribed and emits one {@link ReconcileResult} per
   * reconcile. Completes after a graceful shutdown; never errors. Subscribe once: a
   * controller runs at most one time. `ctx` is handed to every reconcile and error
   * policy call; it may be left out when the reconciler takes no context.
   */
  run(reconciler: Reconciler<K, undefined>): Observable<ReconcileResult>;
  run<Ctx>(reconciler: Reconciler<K, Ctx>, ctx: Ctx): Observable<ReconcileResult>;
  run<Ctx>(reconciler: Reconciler<K, Ctx>, ctx?: Ctx): Observable<ReconcileResult> {
    return new Observable<ReconcileResult>((subscriber) => {
      if (this.#running) {
        subscriber.error(
          new Error('Controller.run: this controller is already running; create a new Controller'),
        );
        return;
      }
      this.#running = true;
      const logger = controllerLogger(this.#config.logger, this.#api.resource.kind);
      const metrics = this.#config.metrics;
      const stopping = new AbortController();
      const subscriptions: Subscription[] = [];
      let stopped = false;

      const queue: WorkQueue<ObjectRef> = new WorkQueue<ObjectRef>({
        concurrency: this.#config.concurrency ?? 16,
        ...(this.#config.debounceMs === undefined ? {} : { debounceMs: this.#config.debounceMs }),
        run: async (entry) => {
          if (!this.#reader.isReady) {
            try {
              await this.#reader.waitUntilReady(stopping.signal);
            } catch {
              return; // shut down before the store was ready
            }
          }
          const obj = this.#reader.get(entry.value);
          if (obj === undefined) {
            reconciler.errorBackoff.reset(entry.key);
            logger.debug({ object: entry.key }, 'dropped request: object no longer exists');
            return;
          }
          if (this.#config.mayReconcile?.() === false) {
            logger.debug({ object: entry.key }, 'dropped request: reconciling is not allowed');
            return;
          }
          const started = Date.now();
          const outcome = await invokeReconciler(reconciler, obj, ctx, entry.reason, () =>
            logger.child({ object: entry.key }),
          );
          const durationMs = Date.now() - started;
          metrics?.reconciled?.(metricResult(outcome.ok, outcome.action), durationMs);
          logReconcile(logger, { object: entry.key, reason: entry.reason, durationMs, ...outcome });
          const after = outcome.action.requeueAfterMs;
          if (after !== undefined) {
            const reason: ReconcileReason = outcome.ok
              ? { type: 'requeue', afterMs: after }
              : { type: 'errorBackoff', afterMs: after };
            metrics?.enqueued?.();
            queue.schedule(entry.key, entry.value, reason, after);
          }
          if (!stopped) {
            subscriber.next({ ...outcome, ref: entry.value, reason: entry.reason });
          }
        },
      });

      let warnedNameless = false;
      const report: TriggerReport = {
        watchError: (source, event) => {
          if (event.type !== 'Error') return;
          logger.warn(
            {
              watch: source,
              phase: event.error.phase,
              recovery: event.error.recovery,
              error: describeError(event.error),
            },
            'watch failed; the watcher retries',
          );
        },
        mapperError: (error) =>
          logger.error({ error: describeError(error) }, 'relation mapper threw; object skipped'),
      };

      const main = reportingErrors(watcher(this.#api, this.#watcherConfig), 'main', report).pipe(
        tap({
          next: (event) => {
            this.#writer.apply(event);
            if (event.type === 'Deleted' && event.object.metadata?.name) {
              reconciler.errorBackoff.reset(ObjectRef.key(ObjectRef.from(event.object)));
            }
            if (!warnedNameless && hasNamelessObject(event)) {
              warnedNameless = true;
              logger.warn(
                'the API server sent an object without metadata.name; it cannot be reconciled ' +
                  'and is ignored (a CRD schema that prunes metadata causes this)',
              );
            }
          },
        }),
        share(),
      );
      const requests = merge(selfRequests(main), ...this.#triggers.map((t) => t(report)));
      // Until the main store is ready, requests are held (one per object) rather than
      // queued, so they neither occupy the runner nor run twice once the list arrives.
      let held: Map<string, ReconcileRequest> | undefined = new Map();
      const schedule = ({ ref, reason }: ReconcileRequest) => {
        const key = ObjectRef.key(ref);
        if (held !== undefined) {
          if (!held.has(key)) held.set(key, { ref, reason });
        } else {
          metrics?.enqueued?.();
          queue.schedule(key, ref, reason);
        }
      };
      this.#reader.waitUntilReady(stopping.signal).then(
        () => {
          const pending = held ?? new Map<string, ReconcileRequest>();
          held = undefined;
          for (const request of pending.values()) schedule(request);
        },
        () => {}, // shut down before the store was ready
      );
      subscriptions.push(
        requests.subscribe({
          next: schedule,
          error: (error: unknown) =>
            logger.error({ error: describeError(error) }, 'trigger failed'),
        }),
      );
      metrics?.started?.({
        concurrency: this.#config.concurrency ?? 16,
        queueDepth: () => queue.backlog,
        activeWorkers: () => queue.running,
      });
      logger.info('controller started');

      const stopTriggers = () => {
        for (const s of subscriptions) s.unsubscribe();
        subscriptions.length = 0;
        stopping.abort(new Error('controller shutting down'));
      };
      let graceful: Promise<void> | undefined;
      const shutdown = (why: string) => {
        if (graceful !== undefined) return;
        logger.info({ reason: why, inFlight: queue.running }, 'shutting down gracefully');
        stopTriggers();
        graceful = queue.shutdown().then(() => {
          signals.dispose();
          logger.info('controller stopped');
          stopped = true;
          subscriber.complete();
        });
      };
      const signals = new ShutdownSignal(this.#shutdownTriggers, this.#onSignals, {
        graceful: shutdown,
        immediate: (why) => {
          logger.warn({ reason: why }, 'second signal: stopping without waiting for reconciles');
          stopped = true;
          subscriber.complete();
        },
      });

      return () => {
        stopped = true;
        signals.dispose();
        stopTriggers();
        void queue.shutdown();
      };
    });
  }
}

/** The kind of a watch source for logs, when it carries its resource (an `Api<K>`). */
function childKind(api: object): string {
  const resource = (api as { resource?: { kind?: unknown } }).resource;
  return typeof resource?.kind === 'string' ? resource.kind : 'objects';
}

/** Whether an object event carries an object without `metadata.name`. */
function hasNamelessObject(event: WatcherEvent<KubeObject>): boolean {
  switch (event.type) {
    case 'Applied':
      return !event.object.metadata?.name;
    case 'Restarted':
      return event.objects.some((o) => !o.metadata?.name);
    default:
      return false;
  }
}
