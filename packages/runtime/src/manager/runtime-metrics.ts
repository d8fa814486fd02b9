import type { ControllerMetrics } from '../controller/controller.js';
import { Counter, Gauge, Histogram, MetricsRegistry } from './metrics-registry.js';

/** controller-runtime's buckets for `controller_runtime_reconcile_time_seconds`. */
export const RECONCILE_TIME_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9,
  1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];

const RESULTS = ['success', 'error', 'requeue', 'requeue_after'] as const;

/**
 * The metrics a `Manager` serves, under the names controller-runtime and client-go use,
 * so that existing dashboards and alerts work unchanged:
 * `controller_runtime_reconcile_total{controller,result}`,
 * `controller_runtime_reconcile_errors_total{controller}`,
 * `controller_runtime_reconcile_time_seconds{controller}` (histogram),
 * `controller_runtime_max_concurrent_reconciles{controller}`,
 * `controller_runtime_active_workers{controller}`, `workqueue_depth{name}`,
 * `workqueue_adds_total{name}` and `leader_election_master_status{name}`.
 */
export class RuntimeMetrics {
  /** The registry holding these families (add your own metrics to it). */
  readonly registry: MetricsRegistry;
  /** `controller_runtime_reconcile_total{controller,result}`. */
  readonly reconcileTotal: Counter;
  /** `controller_runtime_reconcile_errors_total{controller}`. */
  readonly reconcileErrors: Counter;
  /** `controller_runtime_reconcile_time_seconds{controller}`. */
  readonly reconcileTime: Histogram;
  /** `controller_runtime_max_concurrent_reconciles{controller}`. */
  readonly maxConcurrentReconciles: Gauge;
  /** `controller_runtime_active_workers{controller}`. */
  readonly activeWorkers: Gauge;
  /** `workqueue_depth{name}`. */
  readonly queueDepth: Gauge;
  /** `workqueue_adds_total{name}`. */
  readonly queueAdds: Counter;
  /** `leader_election_master_status{name}`: 1 while leading the lease `name`, else 0. */
  readonly leaderStatus: Gauge;

  /** Registers the families in `registry` (a new one by default). */
  constructor(registry: MetricsRegistry = new MetricsRegistry()) {
    this.registry = registry;
    this.reconcileTotal = registry.add(
      new Counter(
        'controller_runtime_reconcile_total',
        'Total number of reconciliations per controller.',
      ),
    );
    this.reconcileErrors = registry.add(
      new Counter(
        'controller_runtime_reconcile_errors_total',
        'Total number of reconciliation errors per controller.',
      ),
    );
    this.reconcileTime = registry.add(
      new Histogram(
        'controller_runtime_reconcile_time_seconds',
        'Length of time per reconciliation per controller.',
        RECONCILE_TIME_BUCKETS,
      ),
    );
    this.maxConcurrentReconciles = registry.add(
      new Gauge(
        'controller_runtime_max_concurrent_reconciles',
        'Maximum number of concurrent reconciles per controller.',
      ),
    );
    this.activeWorkers = registry.add(
      new Gauge(
        'controller_runtime_active_workers',
        'Number of currently used workers (reconciles in progress) per controller.',
      ),
    );
    this.queueDepth = registry.add(
      new Gauge('workqueue_depth', 'Current depth of the work queue.'),
    );
    this.queueAdds = registry.add(
      new Counter('workqueue_adds_total', 'Total number of adds handled by the work queue.'),
    );
    this.leaderStatus = registry.add(
      new Gauge(
        'leader_election_master_status',
        'Whether this process is the leader of the named lease (1) or not (0).',
      ),
    );
  }

  /**
   * The hooks to pass as `ControllerConfig.metrics` for the controller named `name`
   * (label `controller`, and `name` of the workqueue metrics). Every result series
   * starts at 0, as in controller-runtime, so rate() works from the first reconcile.
   */
  forController(name: string): ControllerMetrics {
    const controller = { controller: name };
    for (const result of RESULTS) this.reconcileTotal.inc({ controller: name, result }, 0);
    this.reconcileErrors.inc(controller, 0);
    this.queueAdds.inc({ name }, 0);
    return {
      started: (gauges) => {
        this.maxConcurrentReconciles.set(controller, gauges.concurrency);
        this.activeWorkers.track(controller, gauges.activeWorkers);
        this.queueDepth.track({ name }, gauges.queueDepth);
      },
      enqueued: () => this.queueAdds.inc({ name }),
      reconciled: (result, durationMs) => {
        this.reconcileTotal.inc({ controller: name, result });
        if (result === 'error') this.reconcileErrors.inc(controller);
        this.reconcileTime.observe(controller, durationMs / 1000);
      },
    };
  }
}
