import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ControllerGauges, ControllerMetrics } from '../controller/config.js';
import { promClient } from '../prom-client.js';

/** controller-runtime's buckets for `controller_runtime_reconcile_time_seconds`. */
const RECONCILE_TIME_BUCKETS: number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9,
  1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];

/** client-go's work-queue buckets: 10 ns × 10^i, i = 0…11 (10 ns … 1000 s). */
const QUEUE_BUCKETS: number[] = Array.from({ length: 12 }, (_, i) => 1e-8 * 10 ** i);

const RESULTS = ['success', 'error', 'requeue', 'requeue_after'] as const;

/**
 * The metrics a `Manager` serves, registered in a prom-client `Registry`, under the names
 * controller-runtime and client-go use so that existing dashboards and alerts work
 * unchanged (docs/operations.md lists them). Gauges are read from the controllers when
 * the registry is scraped.
 */
export class RuntimeMetrics {
  readonly #controllers = new Map<string, ControllerGauges>();
  readonly #reconcileTotal: Counter<'controller' | 'result'>;
  readonly #reconcileErrors: Counter<'controller'>;
  readonly #reconcileTime: Histogram<'controller'>;
  readonly #timeouts: Counter<'controller'>;
  readonly #queueAdds: Counter<'name'>;
  readonly #queueDuration: Histogram<'name'>;
  readonly #workDuration: Histogram<'name'>;
  readonly #retries: Counter<'name'>;
  /** `leader_election_master_status{name}`: 1 while leading the lease `name`, else 0. */
  readonly leaderStatus: Gauge<'name'>;

  /** Registers the families in `registry`. */
  constructor(registry: Registry) {
    const { Counter, Gauge, Histogram } = promClient();
    const registers = [registry];
    const controllers = this.#controllers;
    /** A gauge per controller, read at scrape time. */
    const live = (
      name: string,
      help: string,
      label: string,
      read: (g: ControllerGauges) => number,
    ) =>
      new Gauge({
        name,
        help,
        labelNames: [label],
        registers,
        collect() {
          for (const [controller, gauges] of controllers)
            this.set({ [label]: controller }, read(gauges));
        },
      });
    this.#reconcileTotal = new Counter({
      name: 'controller_runtime_reconcile_total',
      help: 'Total number of reconciliations per controller',
      labelNames: ['controller', 'result'],
      registers,
    });
    this.#reconcileErrors = new Counter({
      name: 'controller_runtime_reconcile_errors_total',
      help: 'Total number of reconciliation errors per controller',
      labelNames: ['controller'],
      registers,
    });
    this.#reconcileTime = new Histogram({
      name: 'controller_runtime_reconcile_time_seconds',
      help: 'Length of time per reconciliation per controller',
      labelNames: ['controller'],
      buckets: RECONCILE_TIME_BUCKETS,
      registers,
    });
    this.#timeouts = new Counter({
      name: 'kube_ts_reconcile_timeouts_total',
      help: 'Reconciles that exceeded Reconciler.timeoutMs and were abandoned, per controller',
      labelNames: ['controller'],
      registers,
    });
    live(
      'controller_runtime_max_concurrent_reconciles',
      'Maximum number of concurrent reconciles per controller',
      'controller',
      (g) => g.concurrency,
    );
    live(
      'controller_runtime_active_workers',
      'Number of currently used workers per controller',
      'controller',
      (g) => g.activeWorkers(),
    );
    live(
      'kube_ts_reconcile_abandoned',
      'Abandoned (timed-out) reconciles that have not settled yet; their objects stay held',
      'controller',
      (g) => g.inFlight().filter((r) => r.abandoned).length,
    );
    live('workqueue_depth', 'Current depth of workqueue', 'name', (g) => g.queueDepth());
    live(
      'workqueue_unfinished_work_seconds',
      'How many seconds of work has been done that is in progress and has not been ' +
        'observed by work_duration. Large values indicate stuck threads.',
      'name',
      (g) => g.inFlight().reduce((sum, r) => sum + r.runningMs, 0) / 1000,
    );
    live(
      'workqueue_longest_running_processor_seconds',
      'How many seconds has the longest running processor for workqueue been running.',
      'name',
      (g) => g.inFlight().reduce((max, r) => Math.max(max, r.runningMs), 0) / 1000,
    );
    this.#queueAdds = new Counter({
      name: 'workqueue_adds_total',
      help: 'Total number of adds handled by workqueue',
      labelNames: ['name'],
      registers,
    });
    this.#queueDuration = new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds an item stays in workqueue before being requested',
      labelNames: ['name'],
      buckets: QUEUE_BUCKETS,
      registers,
    });
    this.#workDuration = new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds processing an item from workqueue takes',
      labelNames: ['name'],
      buckets: QUEUE_BUCKETS,
      registers,
    });
    this.#retries = new Counter({
      name: 'workqueue_retries_total',
      help: 'Total number of retries handled by workqueue',
      labelNames: ['name'],
      registers,
    });
    this.leaderStatus = new Gauge({
      name: 'leader_election_master_status',
      help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. name is the string used to identify the lease.',
      labelNames: ['name'],
      registers,
    });
  }

  /**
   * The hooks to pass as `ControllerConfig.metrics` for the controller named `name`
   * (label `controller`, and `name` of the workqueue metrics). Every result series
   * starts at 0, as in controller-runtime, so rate() works from the first reconcile.
   */
  forController(name: string): ControllerMetrics {
    // Label children made once: the hooks run on every reconcile.
    const total = Object.fromEntries(
      RESULTS.map((result) => [result, this.#reconcileTotal.labels({ controller: name, result })]),
    ) as Record<(typeof RESULTS)[number], { inc(value?: number): void }>;
    for (const result of RESULTS) total[result].inc(0);
    const errors = this.#reconcileErrors.labels({ controller: name });
    const time = this.#reconcileTime.labels({ controller: name });
    const timeouts = this.#timeouts.labels({ controller: name });
    const adds = this.#queueAdds.labels({ name });
    const queueDuration = this.#queueDuration.labels({ name });
    const workDuration = this.#workDuration.labels({ name });
    const retries = this.#retries.labels({ name });
    for (const counter of [errors, timeouts, adds, retries]) counter.inc(0);
    return {
      started: (gauges) => this.#controllers.set(name, gauges),
      enqueued: () => adds.inc(),
      dequeued: (waitedMs) => queueDuration.observe(waitedMs / 1000),
      reconciled: (result, durationMs) => {
        total[result].inc();
        if (result === 'error') errors.inc();
        time.observe(durationMs / 1000);
        workDuration.observe(durationMs / 1000);
      },
      retried: () => retries.inc(),
      abandoned: () => timeouts.inc(),
    };
  }
}
