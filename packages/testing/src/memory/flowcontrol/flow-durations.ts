/**
 * API Priority and Fairness's latency histograms, as kube-apiserver keeps them:
 * `apiserver_flowcontrol_request_wait_duration_seconds`, each request of a level that is
 * not `Exempt` observed once, from its classification until it starts (`execute="true"`)
 * or is refused or stops waiting (`execute="false"`); and
 * `apiserver_flowcontrol_request_execution_seconds`, each request that started observed
 * when it ends (a watch once it has started, `type="watch"`; the others `type="regular"`).
 */
import type { HistogramFamily } from '../metrics/exposition.js';
import { Histogram } from '../metrics/histogram.js';

/** kube-apiserver's buckets of both, in seconds. */
const BUCKETS = [0, 0.005, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30];

/** The two histograms of one server. */
export class FlowDurations {
  private readonly waits = new Histogram(
    'apiserver_flowcontrol_request_wait_duration_seconds',
    '[BETA] Length of time a request spent waiting in its queue',
    BUCKETS,
  );
  private readonly executions = new Histogram(
    'apiserver_flowcontrol_request_execution_seconds',
    '[ALPHA] Duration of initial stage (for a WATCH) or any (for a non-WATCH) stage of request execution in the API Priority and Fairness subsystem',
    BUCKETS,
  );

  /** A request of a level that is not `Exempt` waited `seconds`, then started or not. */
  waited(level: string, flowSchema: string, executed: boolean, seconds: number): void {
    const labels = { priority_level: level, flow_schema: flowSchema, execute: String(executed) };
    this.waits.observe(labels, seconds);
  }

  /** A request that started ran `seconds` (a watch: until it had started). */
  executed(level: string, flowSchema: string, watch: boolean, seconds: number): void {
    const labels = {
      priority_level: level,
      flow_schema: flowSchema,
      type: watch ? 'watch' : 'regular',
    };
    this.executions.observe(labels, seconds);
  }

  families(): HistogramFamily[] {
    return [this.waits.family(), this.executions.family()];
  }
}
