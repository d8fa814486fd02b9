/** Which requests a {@link Faults.failNext} rule applies to. */
export interface FaultMatch {
  /** HTTP method (case-insensitive); any when absent. */
  method?: string;
  /** Exact path (without query) or a RegExp tested against the path; any when absent. */
  path?: string | RegExp;
}

/** Options of a failure injected by {@link Faults.failNext}. */
export interface FaultOptions {
  /** Sent as the `Retry-After` header and `details.retryAfterSeconds` (e.g. with 429). */
  retryAfterSeconds?: number;
  /** The Status message (a default naming the injected fault otherwise). */
  message?: string;
}

interface FailRule {
  remaining: number;
  match: FaultMatch;
  status: number;
  opts: FaultOptions;
}

/** What the server must do with one request, as decided by the fault injector. */
export interface InjectedFailure {
  status: number;
  message: string;
  retryAfterSeconds?: number;
}

/** The hooks the server gives the fault injector. */
export interface FaultHooks {
  dropWatches(): void;
  compact(): void;
  silence(on: boolean): void;
}

/**
 * Fault injection on a running MemoryApiServer, for tests of clients and controllers:
 * dropped watches, compacted history (410 Gone), failing requests, latency and silent
 * watch connections. Every fault applies to requests that arrive after the call.
 */
export class Faults {
  private rules: FailRule[] = [];
  private delayMs = 0;

  /** @internal built by the server. */
  constructor(private readonly hooks: FaultHooks) {}

  /** Ends every open watch response now (clients see the stream end and must re-watch). */
  dropWatches(): void {
    this.hooks.dropWatches();
  }

  /**
   * Forgets the change history up to the current resourceVersion: a watch from an older
   * resourceVersion then gets an ERROR event with a 410 Status, and a list with
   * `resourceVersionMatch=Exact` at an older version or an older continue token gets
   * HTTP 410, as kube-apiserver answers after an etcd compaction.
   */
  compact(): void {
    this.hooks.compact();
  }

  /**
   * Fails the next `n` requests that match with HTTP `status` and a Status body (reason
   * derived from the code, e.g. 429 TooManyRequests, 500 InternalError, 503
   * ServiceUnavailable), with a `Retry-After` header when `retryAfterSeconds` is given.
   */
  failNext(n: number, match: FaultMatch, status: number, opts: FaultOptions = {}): void {
    if (n > 0) this.rules.push({ remaining: n, match, status, opts });
  }

  /** Delays every request by `ms` milliseconds before it is handled (0 turns it off). */
  latency(ms: number): void {
    this.delayMs = Math.max(0, ms);
  }

  /**
   * `true` freezes every watch connection open now, as a frozen network path would: it
   * stays open and receives nothing — no event, no bookmark, not even its end at
   * `timeoutSeconds` or {@link dropWatches} — so a client must notice the silence by itself.
   * `false` thaws them: each gets what it was sent meanwhile, in order (nothing is lost).
   * Watches opened while frozen (a client that gave up and re-watched) are served normally,
   * with their history replay. For silent-connection tests.
   */
  silenceWatches(on: boolean): void {
    this.hooks.silence(on);
  }

  /** Removes every pending failure and the latency. */
  reset(): void {
    this.rules = [];
    this.delayMs = 0;
    this.hooks.silence(false);
  }

  /** @internal the current latency. */
  get delay(): number {
    return this.delayMs;
  }

  /** @internal consumes a matching failure rule for a request, if any. */
  take(method: string, path: string): InjectedFailure | undefined {
    for (const r of this.rules) {
      if (r.match.method && r.match.method.toUpperCase() !== method.toUpperCase()) continue;
      const p = r.match.path;
      if (p !== undefined && (typeof p === 'string' ? p !== path : !p.test(path))) continue;
      r.remaining--;
      if (r.remaining <= 0) this.rules = this.rules.filter((x) => x !== r);
      const f: InjectedFailure = {
        status: r.status,
        message:
          r.opts.message ??
          `injected failure: the server answered ${r.status} to ${method} ${path}`,
      };
      if (r.opts.retryAfterSeconds !== undefined) f.retryAfterSeconds = r.opts.retryAfterSeconds;
      return f;
    }
    return undefined;
  }
}
