import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { isAlreadyExists, isConflict } from '@kube-ts/core';
import type { Lease } from '@kube-ts/k8s/coordination/v1';
import { type Logger, pino } from 'pino';
import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import { describeError } from '../controller/logging.js';
import {
  claimRecord,
  type LeaseRecord,
  readRecord,
  releasedRecord,
  sameRecord,
  withRecord,
} from './lease-record.js';

/** What a {@link LeaderElector} needs of its Lease handle (an `Api<Lease>` in one namespace). */
export interface LeaseApi {
  /** Reads the lease, `undefined` when it does not exist. */
  getOpt(name: string): Promise<Lease | undefined>;
  /** Creates the lease (409 when it already exists). */
  create(lease: Lease): Promise<Lease>;
  /** Replaces the lease; 409 when `metadata.resourceVersion` is outdated. */
  replace(name: string, lease: Lease): Promise<Lease>;
}

/** Options of a {@link LeaderElector}. */
export interface LeaderElectorOptions {
  /** The Lease's name, e.g. `my-operator-leader` (one per operator, shared by its replicas). */
  readonly name: string;
  /** This candidate's identity; default `<hostname>_<random uuid>` (unique per process). */
  readonly identity?: string;
  /**
   * How long others wait, after they last saw the lease change, before taking it over.
   * Written to the Lease in whole seconds (rounded up). Default 15 000 ms.
   */
  readonly leaseDurationMs?: number;
  /** The leader steps down when it has not renewed for this long. Default 10 000 ms. */
  readonly renewDeadlineMs?: number;
  /** Time between attempts to acquire or renew. Default 2 000 ms (plus up to 120 % jitter while acquiring). */
  readonly retryPeriodMs?: number;
  /** Clear the holder on {@link LeaderElector.stop} so a successor need not wait. Default true. */
  readonly releaseOnStop?: boolean;
  /** Your pino logger; the elector logs through `logger.child({ lease: name })`. */
  readonly logger?: Logger;
  /**
   * Labels the elector keeps on the Lease (set when it creates or writes it), e.g. the
   * ring label of a shard Lease. Default none.
   */
  readonly labels?: Readonly<Record<string, string>>;
}

const JITTER_FACTOR = 1.2;

/** The last version of the lease this elector saw, and when (local clock) it saw it change. */
interface Observed {
  readonly lease: Lease;
  readonly record: LeaseRecord;
  readonly atMs: number;
}

/**
 * Leader election on a coordination.k8s.io/v1 Lease, compatible with client-go's
 * leaderelection (the same fields, defaults and rules), so kube-ts and Go replicas can
 * share one lease.
 *
 * ```ts
 * const elector = new LeaderElector(Api.namespaced(client, resources.leases, ns), {
 *   name: 'my-operator-leader',
 * });
 * elector.leading.subscribe((leading) => log.info({ leading }));
 * elector.start();
 * // ... later
 * await elector.stop(); // releases the lease if held
 * ```
 *
 * Guarantees:
 * - Acquires the lease only when it does not exist, has no holder, is already ours, or
 *   has not changed for its `leaseDurationSeconds` as measured on this process's clock
 *   since this elector first saw its current version (clock skew between nodes does not
 *   matter). Retries every `retryPeriodMs` with jitter.
 * - Every write is guarded by `metadata.resourceVersion`: when two candidates race, the
 *   API server accepts one and answers 409 to the other, which simply retries later.
 * - A leader renews every `retryPeriodMs` and steps down (`leading` emits `false`) once
 *   `renewDeadlineMs` has passed since its last successful renewal, which is before any
 *   other candidate may take over (`renewDeadlineMs` < `leaseDurationMs`). It then
 *   competes again like any candidate.
 * - That time is measured on the monotonic clock (`performance.now()`) from when the
 *   successful request was sent, and checked again synchronously by {@link isLeader},
 *   {@link confirmLeadership} and before each renewal: a process that was paused (SIGSTOP,
 *   a frozen cgroup, a long GC pause) longer than the renew deadline steps down as soon as
 *   anything asks, before its overdue timers could start leader-only work.
 * - `stop()` stops all attempts, waits for the request in flight, and, when leading,
 *   emits `false` and releases the lease (empty holder) unless `releaseOnStop` is false.
 *   Each of the two waits lasts at most the renew deadline, so `stop()` always settles.
 * - Failed requests are logged and retried; they never throw out of the elector.
 */
export class LeaderElector {
  /** This candidate's identity, as written to `spec.holderIdentity`. */
  readonly identity: string;
  /** The Lease's name. */
  readonly name: string;
  readonly #api: LeaseApi;
  readonly #leaseDurationMs: number;
  readonly #leaseDurationSeconds: number;
  readonly #renewDeadlineMs: number;
  readonly #retryPeriodMs: number;
  readonly #releaseOnStop: boolean;
  readonly #labels: Readonly<Record<string, string>> | undefined;
  readonly #logger: Logger;
  readonly #leading = new BehaviorSubject<boolean>(false);
  #observed: Observed | undefined;
  /** `performance.now()` when the last successful acquire or renew was sent. */
  #renewedAt: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #deadline: ReturnType<typeof setTimeout> | undefined;
  #inFlight: Promise<void> | undefined;
  /** `performance.now()` when the attempt in flight was sent. */
  #inFlightSince: number | undefined;
  #generation = 0;
  #started = false;
  #stopped = false;

  /** A candidate for the lease `options.name` through `api`; call {@link start} to compete. */
  constructor(api: LeaseApi, options: LeaderElectorOptions) {
    if (!options.name)
      throw new TypeError('LeaderElector: options.name (the Lease name) is required');
    this.#api = api;
    this.name = options.name;
    this.identity = options.identity ?? `${hostname()}_${randomUUID()}`;
    this.#leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.#renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.#retryPeriodMs = options.retryPeriodMs ?? 2_000;
    this.#releaseOnStop = options.releaseOnStop ?? true;
    this.#labels = options.labels;
    this.#leaseDurationSeconds = Math.max(1, Math.ceil(this.#leaseDurationMs / 1000));
    if (!(this.#leaseDurationMs > this.#renewDeadlineMs)) {
      throw new TypeError(
        `LeaderElector: leaseDurationMs (${this.#leaseDurationMs}) must be greater than renewDeadlineMs (${this.#renewDeadlineMs})`,
      );
    }
    if (!(this.#renewDeadlineMs > JITTER_FACTOR * this.#retryPeriodMs)) {
      throw new TypeError(
        `LeaderElector: renewDeadlineMs (${this.#renewDeadlineMs}) must be greater than 1.2 × retryPeriodMs (${this.#retryPeriodMs})`,
      );
    }
    if (!(this.#retryPeriodMs > 0)) {
      throw new TypeError('LeaderElector: retryPeriodMs must be greater than 0');
    }
    this.#logger = (options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' })).child({
      lease: options.name,
    });
  }

  /**
   * Whether this candidate leads: emits the current value on subscription, then each
   * change; completes after {@link stop}.
   */
  get leading(): Observable<boolean> {
    return this.#leading.pipe(distinctUntilChanged());
  }

  /**
   * Whether this candidate leads now: it leads and its last successful renewal is less
   * than `renewDeadlineMs` old on the monotonic clock. Has no side effect; use
   * {@link confirmLeadership} before starting leader-only work.
   */
  get isLeader(): boolean {
    return this.#leading.value && this.#fresh();
  }

  /**
   * Call right before starting leader-only work: true when this candidate leads and its
   * last successful renewal is less than `renewDeadlineMs` old on the monotonic clock.
   * When it leads but that renewal is older (the process was paused, or renewals failed
   * and the deadline timer has not run yet), it steps down first — `leading` emits
   * `false` synchronously — and returns false. The `Manager` calls it before every
   * reconcile of its controllers.
   */
  confirmLeadership(): boolean {
    if (!this.#leading.value) return false;
    if (this.#fresh()) return true;
    this.#stepDown();
    return false;
  }

  /** Whether the last successful renewal is younger than the renew deadline. */
  #fresh(): boolean {
    return (
      this.#renewedAt !== undefined && performance.now() - this.#renewedAt < this.#renewDeadlineMs
    );
  }

  /** The holder of the lease when this elector last read or wrote it (`undefined`: none seen). */
  get leaderIdentity(): string | undefined {
    const holder = this.#observed?.record.holderIdentity;
    return holder ? holder : undefined;
  }

  /**
   * Starts competing for the lease (at once, then every retry period). Idempotent; does
   * nothing after {@link stop}.
   */
  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    this.#logger.info({ identity: this.identity }, 'leader election started');
    this.#schedule(0);
  }

  /**
   * Stops competing: no more attempts; waits for the request in flight; when leading,
   * emits `false` and releases the lease (unless `releaseOnStop` or `options.release` is
   * false: then the lease expires on its own). Never rejects (a failed release is logged).
   */
  async stop(options: { readonly release?: boolean } = {}): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#generation++;
    this.#clearTimers();
    await this.#settleInFlight();
    const wasLeading = this.#leading.value;
    this.#leading.next(false);
    const release = options.release ?? this.#releaseOnStop;
    if (wasLeading && release && this.#observed !== undefined) {
      await this.#bounded(this.#release(this.#observed));
    }
    this.#leading.complete();
  }

  /** Waits for the request in flight, but no longer than the renew deadline. */
  async #settleInFlight(): Promise<void> {
    if (this.#inFlight !== undefined) await this.#bounded(this.#inFlight);
  }

  /** Waits for `work` (which must not reject) at most the renew deadline. */
  async #bounded(work: Promise<void>): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      work,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.#renewDeadlineMs);
      }),
    ]);
    clearTimeout(timer);
  }

  #schedule(delayMs: number): void {
    const generation = this.#generation;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (generation !== this.#generation) return;
      // Overdue after a pause: never renew a lease another candidate may already hold.
      if (this.#leading.value && !this.#fresh()) return this.#stepDown();
      this.#inFlightSince = performance.now();
      const attempt: Promise<void> = this.#attempt(generation).finally(() => {
        if (this.#inFlight === attempt) {
          this.#inFlight = undefined;
          this.#inFlightSince = undefined;
        }
      });
      this.#inFlight = attempt;
    }, delayMs);
  }

  async #attempt(generation: number): Promise<void> {
    const sentAt = performance.now();
    let ok = false;
    try {
      ok = await this.#tryAcquireOrRenew();
    } catch (error) {
      this.#logger.warn(
        { error: describeError(error) },
        this.#leading.value
          ? 'failed to renew the lease; retrying'
          : 'failed to acquire the lease; retrying',
      );
    }
    if (generation !== this.#generation || this.#stopped) return;
    if (ok && performance.now() - sentAt >= this.#renewDeadlineMs) {
      // Answered after the renew deadline (a slow server, or this process was paused):
      // another candidate may take over before this one could act, so it does not count.
      this.#logger.warn(
        { renewDeadlineMs: this.#renewDeadlineMs },
        'the lease write was answered after the renew deadline; not counting it',
      );
      ok = false;
    }
    if (ok) {
      if (!this.#leading.value) this.#logger.info({ identity: this.identity }, 'became leader');
      this.#renewedAt = sentAt;
      this.#armDeadline();
      this.#leading.next(true);
      this.#schedule(this.#retryPeriodMs);
    } else if (this.#leading.value) {
      if (!this.#fresh()) return this.#stepDown();
      this.#schedule(this.#retryPeriodMs);
    } else {
      this.#schedule(this.#retryPeriodMs * (1 + Math.random() * JITTER_FACTOR));
    }
  }

  /** One attempt; true when the lease is ours afterwards, false when someone else holds it. */
  async #tryAcquireOrRenew(): Promise<boolean> {
    const now = Date.now();
    const lease = await this.#api.getOpt(this.name);
    if (lease === undefined) {
      const created = await this.#write(() =>
        this.#api.create(
          withRecord(
            undefined,
            this.name,
            claimRecord(undefined, this.identity, this.#leaseDurationSeconds, now),
            this.#labels,
          ),
        ),
      );
      if (created === undefined) return false;
      this.#observe(created, Date.now());
      return true;
    }
    const record = readRecord(lease);
    this.#observe(lease, now);
    const observed = this.#observed as Observed;
    const mine = record.holderIdentity === this.identity;
    if (record.holderIdentity !== '' && !mine) {
      const durationMs = (record.leaseDurationSeconds || this.#leaseDurationSeconds) * 1000;
      if (now < observed.atMs + durationMs) return false;
    }
    const claimed = claimRecord(record, this.identity, this.#leaseDurationSeconds, Date.now());
    const written = await this.#write(() =>
      this.#api.replace(this.name, withRecord(lease, this.name, claimed, this.#labels)),
    );
    if (written === undefined) return false;
    this.#observe(written, Date.now());
    return true;
  }

  /** Runs a guarded write; `undefined` when another writer won (409 Conflict, or AlreadyExists on create). */
  async #write(send: () => Promise<Lease>): Promise<Lease | undefined> {
    try {
      return await send();
    } catch (error) {
      if (isConflict(error) || isAlreadyExists(error)) {
        this.#logger.debug('lease changed concurrently (409); retrying later');
        return undefined;
      }
      throw error;
    }
  }

  /** Remembers `lease`; the observation time moves only when its record changed. */
  #observe(lease: Lease, nowMs: number): void {
    const record = readRecord(lease);
    const previous = this.#observed;
    const same = previous !== undefined && sameRecord(previous.record, record);
    this.#observed = { lease, record, atMs: same ? previous.atMs : nowMs };
  }

  #armDeadline(): void {
    if (this.#deadline !== undefined) clearTimeout(this.#deadline);
    const left = (this.#renewedAt ?? performance.now()) + this.#renewDeadlineMs - performance.now();
    this.#deadline = setTimeout(() => this.#stepDown(), Math.max(0, left));
  }

  /** The renew deadline passed: stop leading and compete again. */
  #stepDown(): void {
    if (this.#deadline !== undefined) clearTimeout(this.#deadline);
    this.#deadline = undefined;
    if (this.#stopped || !this.#leading.value) return;
    const now = performance.now();
    const sinceRenewalMs =
      this.#renewedAt === undefined ? undefined : Math.round(now - this.#renewedAt);
    const renewalInFlightMs =
      this.#inFlightSince === undefined ? undefined : Math.round(now - this.#inFlightSince);
    this.#logger.warn(
      {
        renewDeadlineMs: this.#renewDeadlineMs,
        sinceRenewalMs,
        renewalInFlightMs,
        why: this.#whyLate(sinceRenewalMs, renewalInFlightMs),
      },
      'could not renew the lease within the renew deadline; no longer leader',
    );
    this.#generation++;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#leading.next(false);
    this.#schedule(this.#retryPeriodMs * (1 + Math.random() * JITTER_FACTOR));
  }

  /**
   * Why the deadline passed, for the step-down warning: the deadline timer ran more than a
   * retry period late (this process's event loop was blocked, or the process paused), a
   * renewal was still waiting for its answer (a slow API server or network), or renewals
   * failed or were refused.
   */
  #whyLate(sinceRenewalMs: number | undefined, renewalInFlightMs: number | undefined): string {
    if (
      sinceRenewalMs !== undefined &&
      sinceRenewalMs - this.#renewDeadlineMs > this.#retryPeriodMs
    ) {
      return 'timers ran late: the event loop was blocked or the process paused';
    }
    if (renewalInFlightMs !== undefined) return 'a renewal was still waiting for the API server';
    return 'renewals failed or were refused';
  }

  async #release(observed: Observed): Promise<void> {
    if (observed.record.holderIdentity !== this.identity) return;
    try {
      await this.#api.replace(
        this.name,
        withRecord(observed.lease, this.name, releasedRecord(observed.record, Date.now())),
      );
      this.#logger.info('released the lease');
    } catch (error) {
      this.#logger.warn(
        { error: describeError(error) },
        'could not release the lease; another candidate takes over once it expires',
      );
    }
  }

  #clearTimers(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#deadline !== undefined) clearTimeout(this.#deadline);
    this.#timer = undefined;
    this.#deadline = undefined;
  }
}
