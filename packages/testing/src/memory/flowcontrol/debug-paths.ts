/**
 * The paths where kube-apiserver shows what API Priority and Fairness does: `/metrics`
 * (here its `apiserver_flowcontrol_*` metrics, the inflight and in-queue watermarks and the
 * request counts, with the other components' families) and
 * `/debug/api_priority_and_fairness/dump_priority_levels`, `…/dump_queues` and
 * `…/dump_requests` (with each request's details when `includeRequestDetails` has a
 * value). All are non-resource URLs that RBAC authorizes as such before they are answered.
 */
import type { ServerResponse } from 'node:http';
import { exposition, type MetricFamily } from '../metrics/exposition.js';
import type { RequestMetrics } from '../metrics/request-metrics.js';
import type { PrioritySeats } from './seats.js';

/** The Content-Type kube-apiserver answers its metrics with (Prometheus text 0.0.4). */
const METRICS_TYPE = 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores';

const DUMPS = '/debug/api_priority_and_fairness/';

/**
 * Answers `url` when its path is one of these paths; false when it is not. `more`: the
 * metric families of the server's other components (admission's).
 */
export function serveFlowControlPath(
  seats: PrioritySeats,
  requests: RequestMetrics,
  url: URL,
  res: ServerResponse,
  more: () => readonly MetricFamily[],
): boolean {
  let body: string;
  let type = 'text/plain; charset=utf-8';
  const path = url.pathname;
  if (path === '/metrics') {
    body = exposition([...seats.metricFamilies(), ...requests.families(), ...more()]);
    type = METRICS_TYPE;
  } else if (path === `${DUMPS}dump_priority_levels`) body = seats.priorityLevelsDump();
  else if (path === `${DUMPS}dump_queues`) body = seats.queuesDump();
  else if (path === `${DUMPS}dump_requests`) {
    body = seats.requestsDump((url.searchParams.get('includeRequestDetails') ?? '') !== '');
  } else return false;
  res.writeHead(200, { 'Content-Type': type });
  res.end(body);
  return true;
}
