/**
 * kube-apiserver's request metrics: `apiserver_request_total`, a counter of the resource
 * requests its handlers served (counted when the response ends, a watch's when it stops)
 * and of the requests API Priority and Fairness refused (code 429), by verb, dry run,
 * group, version, resource, subresource, scope, component and code (a few non-resource
 * paths too, with labels of their own); `apiserver_request_duration_seconds`, each served
 * request's time from its arrival to its response's end (a watch's until it stops) in
 * kube-apiserver's buckets; and `apiserver_longrunning_requests`, a gauge of the watches
 * streaming now and of the connect requests and logs being served (WebSocket upgrades
 * included: kube-apiserver counts an upgraded exec, attach or port-forward with code 0). Requests refused
 * before a handler (401, a 403 from authorization, an unknown resource's 404) are not
 * counted, as kube-apiserver counts them in other metrics.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestAttributes, ResourceAttributes } from '../auth/request-attributes.js';
import { asksAggregatedDiscovery } from '../discovery.js';
import type { ResourceRoute } from '../router.js';
import { Counter } from './counter.js';
import type { MetricFamily, MetricSample } from './exposition.js';
import { Histogram } from './histogram.js';
import { isMarkedLongRunning } from './long-running.js';
import { nonResourceSeries } from './non-resource-series.js';
import { dryRunLabel, handlerScope, reportedVerb, requestScope } from './request-labels.js';

/** The component label of the requests kube-apiserver's own handlers serve. */
const COMPONENT = 'apiserver';

/** kube-apiserver's buckets of `apiserver_request_duration_seconds`, in seconds. */
const DURATION_BUCKETS = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45,
  60,
];

/** A request in flight and the labels of its long-running series. */
interface InFlight {
  labels(): Readonly<Record<string, string>>;
  /** Whether it counts in `apiserver_longrunning_requests` now. */
  longRunning(): boolean;
}

/** Whether a watch has started: answered 200 (it is long-running from then until it ends). */
function started(res: ServerResponse): boolean {
  return res.headersSent && res.statusCode === 200;
}

/**
 * A WebSocket upgrade's part in the request metrics (it has no HTTP response to watch):
 * long-running from {@link Upgraded.longRunning} until it ends, counted when it ends.
 */
export interface Upgraded {
  /** From now until it ends, the request is long-running (admission let it through). */
  longRunning(): void;
  /**
   * Counts it with `code`: the refusal's, or 0 once upgraded (kube-apiserver's handler
   * hijacks the connection, so its response writer never sees a status).
   */
  end(code: number): void;
}

/** The labels both metrics give a request of the resource `r` in `scope`. */
function seriesLabels(
  req: IncomingMessage,
  url: URL,
  r: ResourceRoute,
  scope: string,
  watchRoute: boolean,
): Record<string, string> {
  const subresource = r.subresource ?? '';
  return {
    verb: reportedVerb(req, url, scope, subresource, watchRoute),
    group: r.t.group,
    version: r.version,
    resource: r.t.plural,
    subresource,
    scope,
    component: COMPONENT,
  };
}

/** The request metrics of one server. */
export class RequestMetrics {
  private readonly totals = new Counter(
    'apiserver_request_total',
    '[STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
  );
  private readonly durations = new Histogram(
    'apiserver_request_duration_seconds',
    '[STABLE] Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
    DURATION_BUCKETS,
  );
  /** When each request arrived (kube-apiserver measures from then). */
  private readonly arrivals = new WeakMap<IncomingMessage, number>();
  private readonly inFlight = new Set<InFlight>();
  /** The labels of every long-running series so far (a gauge's series stays, at 0). */
  private readonly longRunningSeries = new Map<string, Readonly<Record<string, string>>>();

  /** Notes that `req` arrived now (call it before anything else is done with it). */
  received(req: IncomingMessage): void {
    this.arrivals.set(req, performance.now());
  }

  /**
   * Counts a request of the resource `r` that reached its handler when its response ends;
   * a watch is also long-running while it streams, and a request its handler marks
   * (`long-running.ts`) from then until it ends.
   */
  served(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    r: ResourceRoute,
    attrs: ResourceAttributes,
  ): void {
    const labels = this.labels(req, url, r, attrs);
    // Most requests are never long-running: their series' labels are made only if needed.
    let streaming: Readonly<Record<string, string>> | undefined;
    const streamingLabels = () => {
      streaming ??= this.longRunningLabels(req, url, r, attrs);
      return streaming;
    };
    const watch = attrs.verb === 'watch';
    const entry: InFlight = {
      labels: streamingLabels,
      longRunning: () => !res.writableEnded && (watch ? started(res) : isMarkedLongRunning(req)),
    };
    this.inFlight.add(entry);
    res.once('close', () => {
      this.inFlight.delete(entry);
      if (watch ? started(res) : isMarkedLongRunning(req)) this.keepSeries(streamingLabels());
    });
    this.countWhenDone(req, res, labels);
  }

  /** The labels of `apiserver_request_total` for a request of the resource `r`, but its code. */
  private labels(
    req: IncomingMessage,
    url: URL,
    r: ResourceRoute,
    attrs: ResourceAttributes,
  ): Readonly<Record<string, string>> {
    // kube-apiserver's routes that only watch, and a custom resource's watch, report WATCH.
    const watchRoute = r.watchPath || (r.t.crdName !== undefined && attrs.verb === 'watch');
    const scope = handlerScope(r, req.method ?? 'GET', attrs);
    return { ...seriesLabels(req, url, r, scope, watchRoute), dry_run: dryRunLabel(url) };
  }

  /** The labels of a request's `apiserver_longrunning_requests` series. */
  private longRunningLabels(
    req: IncomingMessage,
    url: URL,
    r: ResourceRoute,
    attrs: ResourceAttributes,
  ): Readonly<Record<string, string>> {
    return seriesLabels(req, url, r, requestScope(attrs), false);
  }

  /** Keeps a long-running series (a gauge's series stays, at 0, once it was there). */
  private keepSeries(labels: Readonly<Record<string, string>>): void {
    this.longRunningSeries.set(JSON.stringify(labels), labels);
  }

  /**
   * The metrics of a WebSocket upgrade of the resource `r` (an exec, attach or
   * port-forward), which bypasses {@link served}.
   */
  upgrading(req: IncomingMessage, url: URL, r: ResourceRoute, attrs: ResourceAttributes): Upgraded {
    const labels = this.labels(req, url, r, attrs);
    const streaming = this.longRunningLabels(req, url, r, attrs);
    let active = false;
    let ended = false;
    const entry: InFlight = { labels: () => streaming, longRunning: () => active };
    return {
      longRunning: () => {
        if (active || ended) return;
        active = true;
        this.inFlight.add(entry);
        this.keepSeries(streaming);
      },
      end: (code) => {
        if (ended) return;
        ended = true;
        active = false;
        this.inFlight.delete(entry);
        this.count({ ...labels, code: String(code) });
        const arrived = this.arrivals.get(req);
        if (arrived !== undefined)
          this.durations.observe(labels, (performance.now() - arrived) / 1000);
      },
    };
  }

  /**
   * Counts a request for a path that is no resource when its response ends, if
   * kube-apiserver counts requests for that path (see {@link nonResourceSeries}).
   */
  servedNonResource(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const series = nonResourceSeries(url.pathname, asksAggregatedDiscovery(req.headers.accept));
    if (!series) return;
    const labels = {
      verb: reportedVerb(req, url, '', '', false),
      dry_run: dryRunLabel(url),
      group: '',
      version: '',
      resource: '',
      subresource: series.subresource,
      scope: '',
      component: series.component,
    };
    this.countWhenDone(req, res, labels);
  }

  /** Counts the request by `labels` and its code, and its duration, when its response ends. */
  private countWhenDone(
    req: IncomingMessage,
    res: ServerResponse,
    labels: Readonly<Record<string, string>>,
  ): void {
    res.once('close', () => {
      this.count({ ...labels, code: String(res.statusCode) });
      const arrived = this.arrivals.get(req);
      if (arrived !== undefined)
        this.durations.observe(labels, (performance.now() - arrived) / 1000);
    });
  }

  /** Counts a request API Priority and Fairness refused (429). */
  dropped(req: IncomingMessage, url: URL, attrs: RequestAttributes): void {
    const scope = attrs.resourceRequest ? requestScope(attrs) : '';
    const subresource = attrs.resourceRequest ? attrs.subresource : '';
    this.count({
      verb: reportedVerb(req, url, scope, subresource, false),
      dry_run: dryRunLabel(url),
      group: attrs.resourceRequest ? attrs.apiGroup : '',
      version: attrs.resourceRequest ? attrs.apiVersion : '',
      resource: attrs.resourceRequest ? attrs.resource : '',
      subresource,
      scope,
      component: COMPONENT,
      code: '429',
    });
  }

  /**
   * `apiserver_request_total`, `apiserver_request_duration_seconds` (the requests a handler
   * served, not those API Priority and Fairness refused) and `apiserver_longrunning_requests`.
   */
  families(): MetricFamily[] {
    const streaming = new Map<string, MetricSample>();
    for (const [key, labels] of this.longRunningSeries) streaming.set(key, { labels, value: 0 });
    for (const w of this.inFlight) {
      if (!w.longRunning()) continue;
      const labels = w.labels();
      const key = JSON.stringify(labels);
      this.longRunningSeries.set(key, labels);
      streaming.set(key, { labels, value: (streaming.get(key)?.value ?? 0) + 1 });
    }
    return [
      this.totals.family(),
      this.durations.family(),
      {
        name: 'apiserver_longrunning_requests',
        help: '[STABLE] Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component. Not all requests are tracked this way.',
        type: 'gauge',
        samples: [...streaming.values()],
      },
    ];
  }

  private count(labels: Record<string, string>): void {
    this.totals.inc(labels);
  }
}
