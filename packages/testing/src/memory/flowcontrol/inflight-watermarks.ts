/**
 * kube-apiserver's `apiserver_current_inflight_requests` and
 * `apiserver_current_inqueue_requests`, as its API Priority and Fairness filter keeps them:
 * the requests executing (a watch while it starts) and waiting in queues, read-only (get,
 * list, watch) apart from mutating ones; each change raises the second's high watermark,
 * and every second the watermarks are published and start again from zero (so a gauge
 * falls to 0 after a second without changes, however many requests still run).
 */
import type { ValueFamily } from '../metrics/exposition.js';

/** The kinds of requests the gauges tell apart. */
export type RequestKind = 'readOnly' | 'mutating';

const READ_ONLY_VERBS = new Set(['get', 'list', 'watch']);

/** kube-apiserver's period of the watermarks. */
const PERIOD_MS = 1000;

/** The kind of a request with this verb (as authorization names it). */
export function requestKind(verb: string): RequestKind {
  return READ_ONLY_VERBS.has(verb) ? 'readOnly' : 'mutating';
}

/** Counts of one phase (executing or waiting) and their watermarks. */
class Phase {
  private readonly now = { readOnly: 0, mutating: 0 };
  private readonly mark = { readOnly: 0, mutating: 0 };
  readonly published = { readOnly: 0, mutating: 0 };

  add(kind: RequestKind, delta: number): void {
    this.now[kind] += delta;
    this.mark[kind] = Math.max(this.mark[kind], this.now[kind]);
  }

  publish(): void {
    for (const kind of ['readOnly', 'mutating'] as const) {
      this.published[kind] = this.mark[kind];
      this.mark[kind] = 0;
    }
  }
}

/** The watermarks of one server. */
export class InflightWatermarks {
  private readonly executing = new Phase();
  private readonly waiting = new Phase();
  private timer: NodeJS.Timeout | undefined;

  /** Publishes the watermarks every second until {@link stop}. */
  start(): void {
    this.timer = setInterval(() => {
      this.executing.publish();
      this.waiting.publish();
    }, PERIOD_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Notes a request of `kind` starting (1) or ending (-1) its execution. */
  executingDelta(kind: RequestKind, delta: 1 | -1): void {
    this.executing.add(kind, delta);
  }

  /** Notes a request of `kind` joining (1) or leaving (-1) a queue. */
  waitingDelta(kind: RequestKind, delta: 1 | -1): void {
    this.waiting.add(kind, delta);
  }

  /** The two gauges, as last published. */
  families(): ValueFamily[] {
    const samples = (p: Phase) =>
      (['mutating', 'readOnly'] as const).map((kind) => ({
        labels: { request_kind: kind },
        value: p.published[kind],
      }));
    return [
      {
        name: 'apiserver_current_inflight_requests',
        help: '[STABLE] Maximal number of currently used inflight request limit of this apiserver per request kind in last second.',
        type: 'gauge',
        samples: samples(this.executing),
      },
      {
        name: 'apiserver_current_inqueue_requests',
        help: '[ALPHA] Maximal number of queued requests in this apiserver per request kind in last second.',
        type: 'gauge',
        samples: samples(this.waiting),
      },
    ];
  }
}
