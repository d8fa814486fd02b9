/**
 * Differential: batch/v1 CronJobs as kube-apiserver validates them: the schedule as its
 * cron parser reads it (with that parser's error words), no `TZ=` in a new schedule, the
 * `timeZone` name, concurrency policy, counts, the job template as a Job spec without a
 * selector, and the 52-character name limit.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectInvalid, invalid, requiredValue, unsupported } from './invalid-status.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-cron');
});

afterAll(async () => {
  await e2e?.stop();
});

const cronJobs = (name = '') => `/apis/batch/v1/namespaces/${ns}/cronjobs${name ? `/${name}` : ''}`;
const jobTemplate = (extra: Record<string, unknown> = {}) => ({
  spec: {
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'nginx' }] } },
    ...extra,
  },
});
const post = (name: string, spec: Record<string, unknown>) =>
  raw(e2e.backend.kubeConfig, 'POST', cronJobs(), {
    body: { metadata: { name }, spec: { jobTemplate: jobTemplate(), ...spec } },
  });
const NEGATIVE = 'must be greater than or equal to 0';

describe('a CronJob schedule', () => {
  test.each([
    ['nope', 'expected exactly 5 fields, found 1: [nope]'],
    ['61 * * * *', 'end of range (61) above maximum (59): 61'],
    ['* 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['* * * 13 *', 'end of range (13) above maximum (12): 13'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['1/2/3 * * * *', 'too many slashes: 1/2/3'],
    ['a * * * *', 'failed to parse int from a: strconv.Atoi: parsing "a": invalid syntax'],
    ['-1 * * * *', 'failed to parse int from : strconv.Atoi: parsing "": invalid syntax'],
    [
      '99999999999999999999 * * * *',
      'failed to parse int from 99999999999999999999: strconv.Atoi: parsing "99999999999999999999": value out of range',
    ],
    ['@every 1x', 'failed to parse duration @every 1x: time: unknown unit "x" in duration "1x"'],
    ['@every 1', 'failed to parse duration @every 1: time: missing unit in duration "1"'],
    ['@every', 'unrecognized descriptor: @every'],
    ['@dayly', 'unrecognized descriptor: @dayly'],
  ])("%j is refused in the parser's words", async (schedule, why) => {
    expectInvalid(await post('sched', { schedule }), 'CronJob.batch "sched"', [
      invalid('spec.schedule', JSON.stringify(schedule), why),
    ]);
  });

  test('names, descriptors and durations parse; a zone in the schedule is refused', async () => {
    for (const [name, schedule] of [
      ['names', '0 9 * JAN-mar MON-fri'],
      ['daily', '@daily'],
      ['every', '@every 1h30m'],
      ['steps', '*/15 0-6/2 1,15 * *'],
    ]) {
      const res = await post(name!, { schedule });
      expect(res.status, res.text).toBe(201);
    }
    expectInvalid(await post('none', {}), 'CronJob.batch "none"', [requiredValue('spec.schedule')]);
    const TZ = 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';
    expectInvalid(await post('tz', { schedule: 'TZ=UTC 0 0 * * *' }), 'CronJob.batch "tz"', [
      invalid('spec.schedule', '"TZ=UTC 0 0 * * *"', TZ),
    ]);
    expectInvalid(
      await post('bad-tz', { schedule: 'TZ=Nowhere/City 0 0 * * *' }),
      'CronJob.batch "bad-tz"',
      [
        invalid(
          'spec.schedule',
          '"TZ=Nowhere/City 0 0 * * *"',
          'provided bad location Nowhere/City: unknown time zone Nowhere/City',
        ),
        invalid('spec.schedule', '"TZ=Nowhere/City 0 0 * * *"', TZ),
      ],
    );
    expectInvalid(await post('cron-tz', { schedule: 'CRON_TZ=UTC' }), 'CronJob.batch "cron-tz"', [
      invalid(
        'spec.schedule',
        '"CRON_TZ=UTC"',
        'invalid schedule format: runtime error: slice bounds out of range [:-1]',
      ),
      invalid('spec.schedule', '"CRON_TZ=UTC"', TZ),
    ]);
  });
});

describe('the rest of a CronJob', () => {
  const EXPLICIT =
    'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones';

  test('timeZone: not empty, plain name parts, not Local, a known zone', async () => {
    const zone = async (timeZone: string, why: string[]) =>
      expectInvalid(
        await post('zone', { schedule: '* * * * *', timeZone }),
        'CronJob.batch "zone"',
        why.map((w) => invalid('spec.timeZone', JSON.stringify(timeZone), w)),
      );
    await zone('', ['timeZone must be nil or non-empty string']);
    await zone('Local', [EXPLICIT]);
    await zone('local', [EXPLICIT, 'unknown time zone local']);
    for (const name of ['utc', 'Foo/Bar', '../etc', '-x', 'Abcdefghijklmnop']) {
      await zone(name, [`unknown time zone ${name}`]);
    }
    const ok = await post('zoned', { schedule: '0 9 * * *', timeZone: 'Europe/Paris' });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json().spec.timeZone).toBe('Europe/Paris');
  });

  test("timeZone: looked up as Go's time.LoadLocation looks it up", async () => {
    const zone = async (timeZone: string, why: string) =>
      expectInvalid(
        await post('zone', { schedule: '* * * * *', timeZone }),
        'CronJob.batch "zone"',
        [invalid('spec.timeZone', JSON.stringify(timeZone), why)],
      );
    // Names are case-sensitive (zone files and Go's own database).
    for (const name of ['America/new_york', 'europe/paris', 'ETC/UTC'])
      await zone(name, `unknown time zone ${name}`);
    // A directory of the system's zone files is read and fails (the real server runs on
    // this machine); without them only Go's own database is searched.
    const systemZones = existsSync('/usr/share/zoneinfo/America');
    await zone('America', systemZones ? 'is a directory' : 'unknown time zone America');
    expectInvalid(
      await post('tz-case', { schedule: 'TZ=America/new_york 0 0 * * *' }),
      'CronJob.batch "tz-case"',
      [
        invalid(
          'spec.schedule',
          '"TZ=America/new_york 0 0 * * *"',
          'provided bad location America/new_york: unknown time zone America/new_york',
        ),
        invalid(
          'spec.schedule',
          '"TZ=America/new_york 0 0 * * *"',
          'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
        ),
      ],
    );
    // Go's database has names the JavaScript runtime's zone data lacks (`Factory`).
    for (const [name, timeZone] of [
      ['factory', 'Factory'],
      ['gmt-plus-5', 'Etc/GMT+5'],
      ['new-york', 'America/New_York'],
    ] as const) {
      const ok = await post(name, { schedule: '0 9 * * *', timeZone });
      expect(ok.status, ok.text).toBe(201);
    }
  });

  test('counts, concurrency policy, the job template, the name length', async () => {
    expectInvalid(
      await post('fields', {
        schedule: '* * * * *',
        startingDeadlineSeconds: -1,
        concurrencyPolicy: 'Sometimes',
        successfulJobsHistoryLimit: -1,
        failedJobsHistoryLimit: -2,
        jobTemplate: {
          spec: {
            selector: { matchLabels: { a: 'b' } },
            manualSelector: true,
            completionMode: 'Indexed',
            template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } },
          },
        },
      }),
      'CronJob.batch "fields"',
      [
        invalid('spec.startingDeadlineSeconds', '-1', NEGATIVE),
        unsupported('spec.concurrencyPolicy', 'Sometimes', ['Allow', 'Forbid', 'Replace']),
        requiredValue('spec.jobTemplate.spec.completions', 'when completion mode is Indexed'),
        requiredValue(
          'spec.jobTemplate.spec.template.spec.restartPolicy',
          'valid values: "OnFailure", "Never"',
        ),
        invalid(
          'spec.jobTemplate.spec.selector',
          '{"matchLabels":{"a":"b"}}',
          '`selector` will be auto-generated',
        ),
        {
          reason: 'FieldValueNotSupported',
          message: 'Unsupported value: true: supported values: "nil", "false"',
          field: 'spec.jobTemplate.spec.manualSelector',
        },
        invalid('spec.successfulJobsHistoryLimit', '-1', NEGATIVE),
        invalid('spec.failedJobsHistoryLimit', '-2', NEGATIVE),
      ],
    );
    const name = `a${'b'.repeat(52)}`;
    expectInvalid(await post(name, { schedule: '* * * * *' }), `CronJob.batch "${name}"`, [
      invalid('metadata.name', JSON.stringify(name), 'must be no more than 52 characters'),
    ]);
  });

  test('warnings: a name that is no DNS label, an Indexed job template too wide to track', async () => {
    const res = await post('w.x', {
      schedule: '@daily',
      jobTemplate: jobTemplate({
        completionMode: 'Indexed',
        completions: 200000,
        parallelism: 20000,
      }),
    });
    expect(res.status, res.text).toBe(201);
    expect(res.warnings).toEqual([
      'metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]',
      'spec.jobTemplate.spec: In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than 10^4, Kubernetes might not be able to track completedIndexes when a big number of indexes fail',
    ]);
  });

  test('an update is checked again; a pod failure policy in the template gets its defaults', async () => {
    const created = await post('upd', {
      schedule: '0 * * * *',
      jobTemplate: jobTemplate({
        podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'X' }] }] },
      }),
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json().spec.jobTemplate.spec.podFailurePolicy.rules[0].onPodConditions).toEqual([
      { type: 'X', status: 'True' },
    ]);
    const res = await raw(e2e.backend.kubeConfig, 'PATCH', cronJobs('upd'), {
      body: { spec: { schedule: '0 * * *', failedJobsHistoryLimit: -1 } },
      contentType: 'application/merge-patch+json',
    });
    expectInvalid(res, 'CronJob.batch "upd"', [
      invalid('spec.schedule', '"0 * * *"', 'expected exactly 5 fields, found 4: [0 * * *]'),
      invalid('spec.failedJobsHistoryLimit', '-1', NEGATIVE),
    ]);
  });
});
