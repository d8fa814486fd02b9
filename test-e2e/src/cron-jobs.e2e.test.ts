/**
 * Differential, on a cluster where Pods run (`nodes: 2`): the CronJob controller. A
 * scheduled time missed while the CronJob was suspended (its `lastScheduleTime` set minutes
 * back) is run at once when it resumes, so no test waits for the clock: the Job is
 * `<cronjob>-<scheduled minutes since the epoch>` with the template's metadata, the
 * scheduled-timestamp annotation in the CronJob's time zone and the CronJob as controller;
 * once it completes the CronJob's status and Events say so, and a history limit of 0
 * deletes it. A time missed longer ago than `startingDeadlineSeconds` is skipped, more
 * than 100 missed times warn. With an active Job, `Forbid` skips the time and `Replace`
 * deletes the active Job first; a Job it did not create and an active entry whose Job is
 * gone get their own Events. A schedule the API takes that never fires (February 31) is an
 * invalid schedule to the controller. A time in a daylight-saving gap does not fire.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e({ nodes: 2 });
  ns = await e2e.namespace('e2e-cron');
}, 180_000);

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const cronJobs = () => `/apis/batch/v1/namespaces/${ns}/cronjobs`;
const jobs = () => `/apis/batch/v1/namespaces/${ns}/jobs`;
const SCHEDULED = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
type Json = any;

async function send(method: string, path: string, body?: unknown, contentType?: string) {
  const res = await raw(kc(), method, path, {
    ...(body === undefined ? {} : { body }),
    ...(contentType === undefined ? {} : { contentType }),
  });
  expect(res.status, res.text).toBeLessThan(300);
  return res.json() as Json;
}

const read = (path: string) => send('GET', path);
const mergePatch = (path: string, body: unknown) =>
  send('PATCH', path, body, 'application/merge-patch+json');

function jobTemplate(suspend: boolean): Json {
  return {
    metadata: { labels: { team: 'batch' }, annotations: { note: 'from-template' } },
    spec: {
      suspend,
      template: {
        metadata: { labels: { app: 'tick' } },
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'tick', image: 'registry.invalid/tick:1' }],
        },
      },
    },
  };
}

/** A suspended CronJob that runs every minute. */
async function createCronJob(name: string, spec: Json): Promise<Json> {
  return send('POST', cronJobs(), {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: { schedule: '* * * * *', suspend: true, ...spec },
  });
}

/** Writes `status` on the CronJob, re-reading it on a conflict with the controller. */
async function writeStatus(name: string, status: Json): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const current = await read(`${cronJobs()}/${name}`);
    const res = await raw(kc(), 'PUT', `${cronJobs()}/${name}/status`, {
      body: { ...current, status },
    });
    if (res.status === 409 && attempt < 5) continue;
    expect(res.status, res.text).toBe(200);
    return;
  }
}

/** A whole minute a few minutes back, as RFC 3339. */
function minutesAgo(n: number): string {
  const ms = (Math.floor(Date.now() / 60_000) - n) * 60_000;
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The Events about the CronJob `name`, as `type reason: message`. */
async function eventsOf(name: string): Promise<string[]> {
  const list = await read(
    `/api/v1/namespaces/${ns}/events?fieldSelector=involvedObject.kind=CronJob,involvedObject.name=${name}`,
  );
  return list.items.map((e: Json) => {
    expect(e.source.component).toBe('cronjob-controller');
    expect(e.reportingComponent).toBe('cronjob-controller');
    expect(e.involvedObject.apiVersion).toBe('batch/v1');
    return `${e.type} ${e.reason}: ${e.message}`;
  });
}

/** The names of the Jobs the CronJob `name` controls that are not being deleted. */
async function jobsOf(name: string): Promise<string[]> {
  const list = await read(jobs());
  return list.items
    .filter(
      (j: Json) =>
        !j.metadata.deletionTimestamp &&
        j.metadata.ownerReferences?.some((r: Json) => r.controller && r.name === name),
    )
    .map((j: Json) => j.metadata.name)
    .sort();
}

const newYork = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
});

/** When New York's clocks read 02:30 on March `day` of `year`; undefined in the spring gap. */
function newYork0230(year: number, day: number): number | undefined {
  for (const offsetHours of [5, 4]) {
    const t = Date.UTC(year, 2, day, 2 + offsetHours, 30);
    const p = Object.fromEntries(newYork.formatToParts(t).map((x) => [x.type, Number(x.value)]));
    if (p.day === day && p.hour === 2 && p.minute === 30) return t;
  }
  return undefined;
}

describe('CronJobs', () => {
  test('a missed time runs once resumed: the Job, then status and Events when it completes', async () => {
    const cronJob = await createCronJob('tick', {
      timeZone: 'Asia/Tokyo',
      jobTemplate: jobTemplate(false),
    });
    await writeStatus('tick', { lastScheduleTime: minutesAgo(5) });
    const resumed = Date.now();
    await mergePatch(`${cronJobs()}/tick`, { spec: { suspend: false } });

    let job: Json;
    await expect
      .poll(async () => {
        job = (await read(jobs())).items.find((j: Json) => j.metadata.name.startsWith('tick-'));
        return job !== undefined;
      }, EVENTUALLY)
      .toBe(true);
    // The most recent whole minute when it resumed, written in Tokyo's time.
    const stamp = job.metadata.annotations[SCHEDULED];
    expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\+09:00$/);
    const scheduled = Date.parse(stamp);
    expect(scheduled).toBeLessThanOrEqual(Date.now());
    expect(scheduled).toBeGreaterThan(resumed - 61_000);
    expect(job.metadata.name).toBe(`tick-${scheduled / 60_000}`);
    expect(job.metadata.labels).toEqual({ team: 'batch' });
    expect(job.metadata.annotations).toEqual({ note: 'from-template', [SCHEDULED]: stamp });
    expect(job.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        name: 'tick',
        uid: cronJob.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(job.spec.template.metadata.labels).toMatchObject({ app: 'tick' });

    const name = job.metadata.name;
    await expect
      .poll(async () => {
        const status = (await read(`${cronJobs()}/tick`)).status;
        return { ...status, lastSuccessfulTime: typeof status.lastSuccessfulTime };
      }, EVENTUALLY)
      .toEqual({
        lastScheduleTime: new Date(scheduled).toISOString().replace('.000Z', 'Z'),
        lastSuccessfulTime: 'string',
      });
    await expect
      .poll(async () => (await eventsOf('tick')).sort(), EVENTUALLY)
      .toEqual([
        `Normal SawCompletedJob: Saw completed job: ${name}, condition: Complete`,
        `Normal SuccessfulCreate: Created job ${name}`,
      ]);

    // No finished Job kept: the completed one is deleted.
    await mergePatch(`${cronJobs()}/tick`, { spec: { successfulJobsHistoryLimit: 0 } });
    await expect.poll(async () => jobsOf('tick'), EVENTUALLY).toEqual([]);
    expect(await eventsOf('tick')).toContain(`Normal SuccessfulDelete: Deleted job ${name}`);
  });

  test('a time missed beyond startingDeadlineSeconds is skipped; too many missed times warn', async () => {
    // A yearly time a year back: skipped with a deadline of a minute, run without one.
    await createCronJob('yearly', {
      schedule: '0 0 1 1 *',
      startingDeadlineSeconds: 60,
      jobTemplate: jobTemplate(true),
    });
    await createCronJob('often', { jobTemplate: jobTemplate(true) });
    const yearAgo = `${new Date().getUTCFullYear() - 1}-06-01T00:00:00Z`;
    await writeStatus('yearly', { lastScheduleTime: yearAgo });
    await writeStatus('often', { lastScheduleTime: minutesAgo(180) });
    await mergePatch(`${cronJobs()}/yearly`, { spec: { suspend: false } });
    await mergePatch(`${cronJobs()}/often`, { spec: { suspend: false } });
    await expect.poll(async () => (await jobsOf('often')).length, EVENTUALLY).toBe(1);
    const [created] = await jobsOf('often');
    expect((await eventsOf('often')).sort()).toEqual([
      `Normal SuccessfulCreate: Created job ${created}`,
      'Warning TooManyMissedTimes: too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
    ]);
    expect(await jobsOf('yearly')).toEqual([]);
    expect(await eventsOf('yearly')).toEqual([]);
    expect((await read(`${cronJobs()}/yearly`)).status).toEqual({ lastScheduleTime: yearAgo });
  });

  test('a schedule that never fires: a Warning InvalidSchedule, nothing written', async () => {
    // Each day exists in some month, so the API takes them.
    const never = { 'feb-31': '0 0 31 2 *', 'apr-31': '30 12 31 4 *' };
    const spec = { suspend: false, jobTemplate: jobTemplate(true) };
    await createCronJob('feb-31', { ...spec, schedule: never['feb-31'] });
    await createCronJob('apr-31', { ...spec, schedule: never['apr-31'], timeZone: 'Asia/Tokyo' });
    for (const [name, schedule] of Object.entries(never)) {
      await expect
        .poll(async () => eventsOf(name), EVENTUALLY)
        .toEqual([
          `Warning InvalidSchedule: invalid schedule: ${schedule} : time difference between two schedules is less than 1 second`,
        ]);
      expect((await read(`${cronJobs()}/${name}`)).status, name).toEqual({});
    }
    expect(await jobsOf('feb-31')).toEqual([]);
  });

  test('a time in a daylight-saving gap does not fire', async () => {
    // The latest spring-forward day in New York so far, whose 02:30 never was.
    const now = Date.now();
    let year = new Date(now).getUTCFullYear();
    const gapDay = (y: number) =>
      Array.from({ length: 31 }, (_, i) => i + 1).find((d) => newYork0230(y, d) === undefined);
    if (Date.UTC(year, 2, gapDay(year) ?? 1, 8) > now) year -= 1;
    const day = gapDay(year);
    expect(day).toBeDefined();
    // 02:30 on March 1 and on that day: the latest time that was is a March 1st.
    const times = [year, year + 1].flatMap((y) => [newYork0230(y, 1), newYork0230(y, day!)]);
    const due = Math.max(...times.filter((t): t is number => t !== undefined && t <= now));
    await createCronJob('gap', {
      schedule: `30 2 1,${day} 3 *`,
      timeZone: 'America/New_York',
      jobTemplate: jobTemplate(true),
    });
    await writeStatus('gap', { lastScheduleTime: `${year}-01-01T00:00:00Z` });
    await mergePatch(`${cronJobs()}/gap`, { spec: { suspend: false } });
    await expect.poll(async () => jobsOf('gap'), EVENTUALLY).toHaveLength(1);
    const job = await read(`${jobs()}/${(await jobsOf('gap'))[0]}`);
    expect(job.metadata.name).toBe(`gap-${due / 60_000}`);
    const wall = new Date(due - 5 * 3_600_000).toISOString().slice(0, 19);
    expect(job.metadata.annotations[SCHEDULED]).toBe(`${wall}-05:00`);
  });

  test('with a Job active, Forbid skips the time and Replace deletes it first', async () => {
    const cronJob = await createCronJob('busy', {
      concurrencyPolicy: 'Forbid',
      jobTemplate: jobTemplate(true),
    });
    const manual = await send('POST', jobs(), {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'busy-manual',
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            name: 'busy',
            uid: cronJob.metadata.uid,
            controller: true,
          },
        ],
      },
      spec: jobTemplate(true).spec,
    });
    const unexpected =
      'Warning UnexpectedJob: Saw a job that the controller did not create or forgot: busy-manual';
    await expect.poll(async () => eventsOf('busy'), EVENTUALLY).toContain(unexpected);

    const ref = (j: Json) => ({
      kind: 'Job',
      namespace: ns,
      name: j.metadata.name,
      uid: j.metadata.uid,
      apiVersion: 'batch/v1',
      resourceVersion: j.metadata.resourceVersion,
    });
    const gone = { ...ref(manual), name: 'busy-gone', uid: '0b1d2c3e-0000-4000-8000-000000000000' };
    await writeStatus('busy', { active: [ref(manual), gone], lastScheduleTime: minutesAgo(5) });
    // The entry whose Job does not exist goes, even while suspended.
    await expect
      .poll(async () => (await read(`${cronJobs()}/busy`)).status.active, EVENTUALLY)
      .toEqual([ref(manual)]);

    await mergePatch(`${cronJobs()}/busy`, { spec: { suspend: false } });
    const forbidden =
      'Normal JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid';
    await expect.poll(async () => eventsOf('busy'), EVENTUALLY).toContain(forbidden);
    expect(await jobsOf('busy')).toEqual(['busy-manual']);

    await mergePatch(`${cronJobs()}/busy`, { spec: { concurrencyPolicy: 'Replace' } });
    let created = '';
    await expect
      .poll(async () => {
        const names = await jobsOf('busy');
        created = names.find((n) => n !== 'busy-manual' && n !== 'busy-gone') ?? '';
        return names.includes('busy-manual') ? 'still there' : created;
      }, EVENTUALLY)
      .toMatch(/^busy-\d+$/);
    const status = (await read(`${cronJobs()}/busy`)).status;
    const replacement = await read(`${jobs()}/${created}`);
    expect(status.active.map((r: Json) => r.uid)).toEqual([replacement.metadata.uid]);
    expect(status.lastScheduleTime).toBe(
      new Date(Number(created.slice('busy-'.length)) * 60_000).toISOString().replace('.000Z', 'Z'),
    );
    expect((await eventsOf('busy')).sort()).toEqual(
      [
        unexpected,
        'Normal MissingJob: Active job went missing: busy-gone',
        forbidden,
        'Normal SuccessfulDelete: Deleted job busy-manual',
        `Normal SuccessfulCreate: Created job ${created}`,
      ].sort(),
    );
  });
});
