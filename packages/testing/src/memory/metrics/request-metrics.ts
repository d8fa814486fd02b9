/**
 * kube-apiserver's request metrics: `apiserver_request_total`, a counter of the resource
 * requests its handlers served (counted when the response ends, a watch's when it stops)
 * and of the requests API Priority and Fairness refused (code 429), by verb, dry run,
 * group, version, resource, subresource, scope, component and code (a few non-resource
 * paths too, with labels of their own); `apiserver_request_duration_seconds`, each served
 * request's time from its arrival to its response's end (a watch's until it stops) in
 * kube-apiserver's buckets; and `apiserver_longrunning_requests`, a gauge of the watches
 * streaming now. Requests refused
 * before a handler (401, a 403 from authorization, an unknown resource's 404) are not
 * counted, as kube-apiserver counts them in other metrics.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestAttributes, ResourceAttributes } from '../auth/request-attributes.js';
import { asksAggregatedDiscovery } from '../discovery.js';
import type { ResourceRoute } from '../router.js';
import type { MetricFamily, MetricSample } from './exposition.js';
import { Histogram } from './histogram.js';
import { nonResourceSeries } from './non-resource-series.js';
import { dryRunLabel, handlerScope, reportedVerb, requestScope } from './request-labels.js';

/** The component label of the requests kube-apiserver's own handlers serve. */
const COMPONENT = 'apiserver';

/** kube-apiserver's buckets of `apiserver_request_duration_seconds`, in seconds. */
const DURATION_BUCKETS = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45,
  60,
];

/** A watch and the labels of its long-running series. */
interface LongRunning {
  readonly res: ServerResponse;
  readonly labels: Readonly<Record<string, string>>;
}

/** Whether a watch has started: answered 200 (it is long-running from then until it ends). */
function started(w: LongRunning): boolean {
  return w.res.headersSent && w.res.statusCode === 200;
}

/** The request metrics of one server. */
export class RequestMetrics {
  private readonly totals = new Map<string, { labels: Record<string, string>; value: number }>();
  private readonly durations = new Histogram(
    'apiserver_request_duration_seconds',
    '[STABLE] Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
    DURATION_BUCKETS,
  );
  /** When each request arrived (kube-apiserver measures from then). */
  private readonly arrivals = new WeakMap<IncomingMessage, number>();
  private readonly watches = new Set<LongRunning>();
  /** The labels of every long-running series so far (a gauge's series stays, at 0). */
  private readonly longRunningSeries = new Map<string, Readonly<Record<string, string>>>();

  /** Notes that `req` arrived now (call it before anything else is done with it). */
  received(req: IncomingMessage): void {
    this.arrivals.set(req, performance.now());
  }

  /**
   * Counts a request of the resource `r` that reached its handler when its response ends;
   * a watch is also long-running while it streams.
   */
  served(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    r: ResourceRoute,
    attrs: ResourceAttributes,
  ): void {
    const scope = handlerScope(r, req.method ?? 'GET', attrs);
    const subresource = r.subresource ?? '';
    // kube-apiserver's routes that only watch, and a custom resource's watch, report WATCH.
    const watchRoute = r.watchPath || (r.t.crdName !== undefined && attrs.verb === 'watch');
    const resource = { group: r.t.group, version: r.version, resource: r.t.plural, subresource };
    const labels = {
      verb: reportedVerb(req, url, scope, subresource, watchRoute),
      dry_run: dryRunLabel(url),
      ...resource,
      scope,
      component: COMPONENT,
    };
    if (attrs.verb === 'watch') {
      const watchScope = requestScope(attrs);
      const watch: LongRunning = {
        res,
        labels: {
          verb: reportedVerb(req, url, watchScope, subresource, false),
          ...resource,
          scope: watchScope,
          component: COMPONENT,
        },
      };
      this.watches.add(watch);
      res.once('close', () => {
        this.watches.delete(watch);
        if (started(watch)) this.longRunningSeries.set(JSON.stringify(watch.labels), watch.labels);
      });
    }
    this.countWhenDone(req, res, labels);
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
    for (const w of this.watches) {
      if (!started(w) || w.res.writableEnded) continue;
      const key = JSON.stringify(w.labels);
      this.longRunningSeries.set(key, w.labels);
      streaming.set(key, { labels: w.labels, value: (streaming.get(key)?.value ?? 0) + 1 });
    }
    return [
      {
        name: 'apiserver_request_total',
        help: '[STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
        type: 'counter',
        samples: [...this.totals.values()],
      },
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
    const key = JSON.stringify(labels);
    const sample = this.totals.get(key);
    if (sample) sample.value++;
    else this.totals.set(key, { labels, value: 1 });
  }
}
