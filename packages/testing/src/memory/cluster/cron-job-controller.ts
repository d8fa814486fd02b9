/**
 * kube-controller-manager's CronJob controller (`pkg/controller/cronjob`): at each
 * scheduled time it creates the Job `<cronjob>-<scheduled minutes since the epoch>` from
 * the job template (its labels and annotations, the
 * `batch.kubernetes.io/cronjob-scheduled-timestamp` annotation in the CronJob's zone, the
 * CronJob as controller), lists it in `status.active` and sets `lastScheduleTime`; it
 * honours `suspend`, `startingDeadlineSeconds`, `concurrencyPolicy` (Forbid skips while a
 * Job is active, Replace deletes the active ones first) and `timeZone`, drops finished
 * Jobs from `active` (`lastSuccessfulTime` from the latest completed one), deletes the
 * oldest finished Jobs beyond the history limits, and records the real controller's
 * Events. It wakes at the next scheduled time, as the controller's queue does.
 */
import { type CronSpec, parseSchedule } from '../builtins/cron-schedule.js';
import { HttpStatusError } from '../errors.js';
import type { Change } from '../history.js';
import { isObject, type JsonObject, objAt } from '../json.js';
import { metaOf } from '../object-meta.js';
import { type ApiState, timestamp } from '../state.js';
import { objectKey } from '../storage.js';
import { nextFiring, rfc3339In } from './cron-next.js';
import { recordEvent, referenceTo } from './events.js';
import {
  CRON_JOBS,
  controllerOf,
  createAs,
  deleteAs,
  JOBS,
  ownerReference,
  tableOf,
  writeStatus,
} from './writes.js';

const MANAGER = 'kube-controller-manager';
const COMPONENT = 'cronjob-controller';
const SCHEDULED = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** The controller wakes this long after a scheduled time (`nextScheduleDelta`). */
const DELTA_MS = 100;
const MAX_TIMER_MS = 2 ** 31 - 1;

/** `Complete` or `Failed` when a Job has finished (that condition `True`). */
function finishedAs(job: JsonObject): string | undefined {
  const conditions = objAt(job, 'status').conditions;
  const list = Array.isArray(conditions) ? conditions.filter(isObject) : [];
  const done = list.find(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
  return done === undefined ? undefined : String(done.type);
}

function timeOf(value: unknown): number | undefined {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

/** The most recent unmet scheduled time at `now`, and how many were missed. */
interface Unmet {
  earliest: number;
  mostRecent: number | undefined;
  missed: 'none' | 'few' | 'many';
}

/**
 * `mostRecentScheduleTime`: the latest scheduled time in (earliest, now]; `undefined` for
 * its error (less than a second between two scheduled times).
 */
function mostRecent(
  cronJob: JsonObject,
  spec: CronSpec,
  now: number,
  withDeadline: boolean,
): Unmet | undefined {
  const zone = objAt(cronJob, 'spec').timeZone;
  const tz = typeof zone === 'string' ? zone : undefined;
  const deadline = objAt(cronJob, 'spec').startingDeadlineSeconds;
  let earliest =
    timeOf(objAt(cronJob, 'status').lastScheduleTime) ??
    timeOf(metaOf(cronJob).creationTimestamp) ??
    now;
  if (withDeadline && typeof deadline === 'number')
    earliest = Math.max(earliest, now - deadline * 1000);
  const t1 = nextFiring(spec, tz, earliest);
  // No firing within five years (February 31) is robfig/cron's zero time, long past: for
  // t1 (and then t2, none in the five years after year 1 either) or for t2 alone, less
  // than a second after t1, which the real controller takes as an invalid schedule.
  if (t1 === undefined) return undefined;
  if (now < t1) return { earliest, mostRecent: undefined, missed: 'none' };
  const t2 = nextFiring(spec, tz, t1);
  if (t2 === undefined) return undefined;
  if (now < t2) return { earliest, mostRecent: t1, missed: 'none' };
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) return undefined;
  const missed = Math.floor(Math.floor((now - t1) / 1000) / between) + 1;
  let latest: number | undefined;
  for (
    let t = nextFiring(spec, tz, t1 + (missed - 2) * between * 1000);
    t !== undefined && t <= now;
    t = nextFiring(spec, tz, t)
  ) {
    latest = t;
  }
  return { earliest, mostRecent: latest, missed: missed > 100 ? 'many' : 'few' };
}

/** Creates each CronJob's Jobs at their scheduled times and keeps its status. */
export class CronJobController {
  /** When each CronJob's next wake-up is due (ms), so a timer is set once per time. */
  readonly #wakeups = new Map<string, number>();

  constructor(
    private readonly s: ApiState,
    /** Calls back after `ms`; the server clears these on stop. */
    private readonly later: (ms: number, task: () => void) => void,
  ) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey === tableOf(CRON_JOBS)) {
      const name = String(metaOf(c.object).name);
      // `updateCronJob`: a new schedule or time zone is looked at when it next fires (at
      // once when it never does), not at once as any other change.
      const spec = objAt(c.object, 'spec');
      const before = c.prev && objAt(c.prev, 'spec');
      if (before && (before.schedule !== spec.schedule || before.timeZone !== spec.timeZone)) {
        const schedule = parseSchedule(String(spec.schedule));
        if (typeof schedule !== 'string') {
          const wakeIn = this.#nextWake(c.object, schedule, Date.now());
          this.s.schedule(() => this.#wakeAfter(c.namespace, name, wakeIn ?? 0));
          return;
        }
      }
      this.s.schedule(() => this.sync(c.namespace, name));
    } else if (c.resKey === tableOf(JOBS)) {
      const owner = controllerOf(c.object);
      if (owner?.kind === 'CronJob')
        this.s.schedule(() => this.sync(c.namespace, String(owner.name)));
    }
  }

  /** Reconciles one CronJob. */
  sync(namespace: string, name: string): void {
    const cronJob = this.s.storage.get(tableOf(CRON_JOBS), objectKey(namespace, name));
    if (cronJob === undefined) return;
    const jobs: JsonObject[] = [];
    for (const [, job] of this.s.storage.scan(tableOf(JOBS), namespace)) {
      // The real controller matches its Jobs by the controller reference's name.
      if (controllerOf(job)?.name === name) jobs.push(job);
    }
    const status = structuredClone(objAt(cronJob, 'status'));
    const changed = this.#cleanup(cronJob, status, jobs);
    const next = this.#syncCronJob(cronJob, status, jobs);
    if (changed || next.changed) {
      const active = Array.isArray(status.active) ? status.active : [];
      if (active.length === 0) delete status.active;
      writeStatus(this.s, MANAGER, CRON_JOBS, cronJob, status);
    }
    if (next.wakeIn !== undefined) this.#wakeAfter(namespace, name, next.wakeIn);
  }

  #wakeAfter(namespace: string, name: string, wanted: number): void {
    const key = objectKey(namespace, name);
    // A timer lasts at most 2^31-1 ms (24.8 days); a later time is looked at again then.
    const ms = Math.min(Math.max(0, wanted), MAX_TIMER_MS);
    const due = Date.now() + ms;
    const pending = this.#wakeups.get(key);
    if (pending !== undefined && pending > Date.now() && pending <= due) return;
    this.#wakeups.set(key, due);
    this.later(ms, () => {
      if (this.#wakeups.get(key) === due) this.#wakeups.delete(key);
      this.sync(namespace, name);
    });
  }

  #event(cronJob: JsonObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    recordEvent(this.s, COMPONENT, cronJob, type, reason, message);
  }

  /** Deletes a Job and its entry in `active`, as `deleteJob`. */
  #deleteJob(cronJob: JsonObject, status: JsonObject, job: JsonObject): void {
    const meta = metaOf(job);
    deleteAs(this.s, JOBS, String(meta.namespace), String(meta.name));
    removeActive(status, meta.uid);
    this.#event(cronJob, 'Normal', 'SuccessfulDelete', `Deleted job ${String(meta.name)}`);
  }

  /** `cleanupFinishedJobs`: the oldest finished Jobs beyond the history limits go. */
  #cleanup(cronJob: JsonObject, status: JsonObject, jobs: JsonObject[]): boolean {
    const spec = objAt(cronJob, 'spec');
    let changed = false;
    for (const [kind, limit] of [
      ['Complete', spec.successfulJobsHistoryLimit],
      ['Failed', spec.failedJobsHistoryLimit],
    ] as const) {
      if (typeof limit !== 'number') continue;
      const finished = jobs.filter((j) => finishedAs(j) === kind).sort(byStartTime);
      for (const job of finished.slice(0, Math.max(0, finished.length - limit))) {
        this.#deleteJob(cronJob, status, job);
        changed = true;
      }
    }
    return changed;
  }

  /** `syncCronJob`: the status changes and when to look again. */
  #syncCronJob(
    cronJob: JsonObject,
    status: JsonObject,
    jobs: JsonObject[],
  ): { changed: boolean; wakeIn?: number } {
    const spec = objAt(cronJob, 'spec');
    const now = Date.now();
    let changed = false;
    const children = new Set(jobs.map((j) => metaOf(j).uid));
    for (const job of jobs) {
      const meta = metaOf(job);
      const listed = activeOf(status).some((r) => r.uid === meta.uid);
      const finished = finishedAs(job);
      if (!listed && finished === undefined) {
        this.#event(
          cronJob,
          'Warning',
          'UnexpectedJob',
          `Saw a job that the controller did not create or forgot: ${String(meta.name)}`,
        );
      } else if (finished !== undefined) {
        if (listed) {
          removeActive(status, meta.uid);
          this.#event(
            cronJob,
            'Normal',
            'SawCompletedJob',
            `Saw completed job: ${String(meta.name)}, condition: ${finished}`,
          );
          changed = true;
        }
        const completed = timeOf(objAt(job, 'status').completionTime);
        const last = timeOf(status.lastSuccessfulTime);
        if (finished === 'Complete' && completed !== undefined) {
          if (last === undefined || completed > last) {
            status.lastSuccessfulTime = objAt(job, 'status').completionTime ?? null;
            changed = true;
          }
        }
      }
    }
    for (const ref of activeOf(status)) {
      if (children.has(ref.uid)) continue;
      const key = objectKey(String(ref.namespace), String(ref.name));
      if (this.s.storage.get(tableOf(JOBS), key) !== undefined) continue;
      this.#event(cronJob, 'Normal', 'MissingJob', `Active job went missing: ${String(ref.name)}`);
      removeActive(status, ref.uid);
      changed = true;
    }
    if (metaOf(cronJob).deletionTimestamp || spec.suspend === true) return { changed };
    const schedule = parseSchedule(String(spec.schedule));
    if (typeof schedule === 'string') {
      this.#event(
        cronJob,
        'Warning',
        'UnparseableSchedule',
        `unparseable schedule: ${JSON.stringify(spec.schedule)} : ${schedule}`,
      );
      return { changed };
    }
    const withStatus = { ...cronJob, status };
    const unmet = mostRecent(withStatus, schedule, now, true);
    if (unmet === undefined) {
      this.#event(
        cronJob,
        'Warning',
        'InvalidSchedule',
        `invalid schedule: ${String(spec.schedule)} : time difference between two schedules is less than 1 second`,
      );
      return { changed };
    }
    const wakeIn = this.#nextWake(withStatus, schedule, now);
    const scheduled = unmet.mostRecent;
    if (scheduled === undefined) return { changed, wakeIn };
    if (unmet.missed === 'many') {
      this.#event(
        cronJob,
        'Warning',
        'TooManyMissedTimes',
        'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
      );
    }
    const deadline = spec.startingDeadlineSeconds;
    if (typeof deadline === 'number' && scheduled + deadline * 1000 < now) {
      this.#event(
        cronJob,
        'Warning',
        'MissSchedule',
        `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`,
      );
      return { changed, wakeIn };
    }
    const jobName = `${String(metaOf(cronJob).name)}-${Math.floor(scheduled / 60_000)}`;
    if (
      activeOf(status).some((r) => r.name === jobName) ||
      timeOf(status.lastScheduleTime) === scheduled
    ) {
      return { changed, wakeIn };
    }
    if (spec.concurrencyPolicy === 'Forbid' && activeOf(status).length > 0) {
      this.#event(
        cronJob,
        'Normal',
        'JobAlreadyActive',
        'Not starting job because prior execution is running and concurrency policy is Forbid',
      );
      return { changed, wakeIn };
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const ref of activeOf(status)) {
        const key = objectKey(String(ref.namespace), String(ref.name));
        const job = this.s.storage.get(tableOf(JOBS), key);
        if (job === undefined) return { changed };
        this.#deleteJob(cronJob, status, job);
        changed = true;
      }
    }
    const namespace = String(metaOf(cronJob).namespace);
    let job = this.s.storage.get(tableOf(JOBS), objectKey(namespace, jobName));
    if (job !== undefined) {
      // Made before but not listed: listed now if this CronJob controls it.
      const mine = controllerOf(job)?.uid === metaOf(cronJob).uid;
      if (!mine || activeOf(status).some((r) => r.uid === metaOf(job!).uid)) {
        return { changed };
      }
    } else {
      try {
        job = createAs(this.s, MANAGER, JOBS, namespace, jobFor(cronJob, jobName, scheduled));
      } catch (err) {
        if (!(err instanceof HttpStatusError)) throw err;
        this.#event(cronJob, 'Warning', 'FailedCreate', `Error creating job: ${err.message}`);
        return { changed };
      }
      this.#event(cronJob, 'Normal', 'SuccessfulCreate', `Created job ${jobName}`);
    }
    status.active = [...activeOf(status), referenceTo(job)];
    status.lastScheduleTime = timestamp(new Date(scheduled));
    return { changed: true, wakeIn: this.#nextWake({ ...cronJob, status }, schedule, now) };
  }

  /** `nextScheduleTimeDuration`: ms until just after the next scheduled time. */
  #nextWake(cronJob: JsonObject, schedule: CronSpec, now: number): number | undefined {
    const zone = objAt(cronJob, 'spec').timeZone;
    const unmet = mostRecent(cronJob, schedule, now, false);
    const from =
      unmet === undefined
        ? now
        : (unmet.mostRecent ?? (unmet.missed === 'none' ? unmet.earliest : now));
    const next = nextFiring(schedule, typeof zone === 'string' ? zone : undefined, from);
    return next === undefined ? undefined : next + DELTA_MS - now;
  }
}

function activeOf(status: JsonObject): JsonObject[] {
  return Array.isArray(status.active) ? status.active.filter(isObject) : [];
}

function removeActive(status: JsonObject, uid: unknown): void {
  status.active = activeOf(status).filter((r) => r.uid !== uid);
}

/** Finished Jobs oldest first: by `status.startTime` (none last), then by name. */
function byStartTime(a: JsonObject, b: JsonObject): number {
  const ta = timeOf(objAt(a, 'status').startTime);
  const tb = timeOf(objAt(b, 'status').startTime);
  if (ta === undefined || tb === undefined) {
    if (ta !== tb) return ta === undefined ? 1 : -1;
  } else if (ta !== tb) {
    return ta - tb;
  }
  return String(metaOf(a).name) < String(metaOf(b).name) ? -1 : 1;
}

/** `getJobFromTemplate2`: the Job for the time `scheduled`. */
function jobFor(cronJob: JsonObject, name: string, scheduled: number): JsonObject {
  const template = objAt(objAt(cronJob, 'spec'), 'jobTemplate');
  const tm = objAt(template, 'metadata');
  const zone = objAt(cronJob, 'spec').timeZone;
  const labels = structuredClone(objAt(tm, 'labels'));
  const annotations = {
    ...structuredClone(objAt(tm, 'annotations')),
    [SCHEDULED]: rfc3339In(typeof zone === 'string' ? zone : undefined, scheduled),
  };
  const metadata: JsonObject = { name, annotations, ownerReferences: [ownerReference(cronJob)] };
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata,
    spec: structuredClone(objAt(template, 'spec')),
  };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's `time.RFC1123Z` of a UTC time: `Mon, 02 Jan 2006 15:04:05 +0000`. */
function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
