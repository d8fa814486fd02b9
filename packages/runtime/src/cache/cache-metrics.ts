/**
 * The shared cache's metrics, in a prom-client `Registry` (the Manager's): how many watches
 * are open, what each holds, and how often each listed, failed and was started again.
 */
import type { Counter, Registry } from 'prom-client';
import { promClient } from '../prom-client.js';
import type { WatcherRecovery } from '../watcher/events.js';
import type { SharedWatchState } from './shared-watch.js';

/** What one shared watch reports as it runs (see {@link CacheMetrics.forWatch}). */
export interface SharedWatchCounters {
  /** The watcher delivered a complete list (the initial one or a relist). */
  listed(): void;
  /** The watcher met a failure it recovers from (errors are values). */
  failed(recovery: WatcherRecovery): void;
  /** The watch's stream failed and is started again with a fresh list. */
  restarted(): void;
}

/**
 * The metric families of a {@link Cache}. Gauges are read from the open watches when the
 * registry is scraped; the `watch` label is the watch's description (e.g.
 * `configmaps (v1) in all namespaces, metadata only`).
 */
export class CacheMetrics {
  readonly #started: Counter;
  readonly #lists: Counter<'watch'>;
  readonly #errors: Counter<'watch' | 'recovery'>;
  readonly #restarts: Counter<'watch'>;

  /** Registers the families in `registry`; `watches` lists the open watches at scrape time. */
  constructor(registry: Registry, watches: () => readonly SharedWatchState[]) {
    const { Counter, Gauge } = promClient();
    const registers = [registry];
    new Gauge({
      name: 'kube_ts_cache_watches',
      help: 'Shared cache watches open (one LIST+WATCH each, however many holders)',
      registers,
      collect() {
        this.set(watches().length);
      },
    });
    /** A gauge per watch; two watches with one description (two clients) add up. */
    const perWatch = (name: string, help: string, read: (w: SharedWatchState) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['watch'],
        registers,
        collect() {
          this.reset();
          for (const w of watches()) this.inc({ watch: w.description }, read(w));
        },
      });
    perWatch(
      'kube_ts_cache_objects',
      'Objects in the store of a shared cache watch',
      (w) => w.size,
    );
    perWatch(
      'kube_ts_cache_watch_holders',
      'Leases held on a shared cache watch (controllers and readers sharing it)',
      (w) => w.users,
    );
    perWatch(
      'kube_ts_cache_watch_synced',
      '1 once a shared cache watch has its initial list, else 0',
      (w) => (w.ready ? 1 : 0),
    );
    this.#started = new Counter({
      name: 'kube_ts_cache_watches_started_total',
      help: 'Shared cache watches started (first holder of a watch nobody held)',
      registers,
    });
    this.#lists = new Counter({
      name: 'kube_ts_cache_lists_total',
      help: 'Complete lists a shared cache watch received: the initial one and every relist',
      labelNames: ['watch'],
      registers,
    });
    this.#errors = new Counter({
      name: 'kube_ts_cache_watch_errors_total',
      help: 'Failures a shared cache watch recovered from, by what it did next (relist, rewatch, retry-page)',
      labelNames: ['watch', 'recovery'],
      registers,
    });
    this.#restarts = new Counter({
      name: 'kube_ts_cache_watch_restarts_total',
      help: 'Times a shared cache watch stream failed and was started again with a fresh list',
      labelNames: ['watch'],
      registers,
    });
  }

  /** Counts a watch that started (call once it exists: a watch whose creation threw is not counted). */
  watchStarted(): void {
    this.#started.inc();
  }

  /** The counters of a watch that starts now. */
  forWatch(description: string): SharedWatchCounters {
    const lists = this.#lists.labels({ watch: description });
    const restarts = this.#restarts.labels({ watch: description });
    lists.inc(0);
    restarts.inc(0);
    return {
      listed: () => lists.inc(),
      failed: (recovery) => this.#errors.inc({ watch: description, recovery }),
      restarted: () => restarts.inc(),
    };
  }
}
