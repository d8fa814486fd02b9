/**
 * Differential: the workload kinds' own spec checks, in kube-apiserver's words and order.
 * Deployments: the strategy (a refused type quotes the internal Go struct), the
 * int-or-percent `maxSurge`/`maxUnavailable`, `minReadySeconds`, `revisionHistoryLimit`,
 * `progressDeadlineSeconds` (above `minReadySeconds`); ReplicaSets' `minReadySeconds`;
 * DaemonSets' update strategy (exactly one of `maxUnavailable`/`maxSurge` non-zero),
 * `minReadySeconds`, `revisionHistoryLimit`; StatefulSets' pod management policy, update
 * strategy, partition, claim retention policy, `minReadySeconds`, `ordinals.start` and
 * `serviceName`, their rolling update's `maxUnavailable` dropped (its gate is off) and an
 * explicit `RollingUpdate` type left without a `rollingUpdate`. An empty pod template or pod
 * spec is checked as the zero-valued struct kube-apiserver decodes it to, in every workload
 * kind (Jobs, CronJobs and ReplicationControllers too). A Job whose name is no label value
 * is refused where kube-apiserver finds the generated `job-name` labels.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Cause,
  expectCauses,
  FORBIDDEN,
  INVALID,
  LABEL,
  REQUIRED,
  SUBDOMAIN,
  UNSUPPORTED,
} from './invalid-causes.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-workload-validation');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const SELECTOR = { matchLabels: { app: 'web' } };
const TEMPLATE = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
};
const PERCENT =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";
const NO_MATCH = '`selector` does not match template `labels`';

/** An apps/v1 body of `kind` with `spec` over a valid selector and template. */
const appsBody = (kind: string, spec: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name: 'w' },
  spec: { selector: SELECTOR, template: TEMPLATE, ...spec },
});

const appsPath = (plural: string) => `/apis/apps/v1/namespaces/${ns}/${plural}`;

/** Expects the create of `kind` with `spec` to be refused with exactly `causes`. */
const refused = (plural: string, kind: string, spec: Record<string, unknown>, causes: Cause[]) =>
  expectCauses(kc(), appsPath(plural), appsBody(kind, spec), causes);

describe('Deployment', () => {
  const at = 'spec.strategy';
  const ru = `${at}.rollingUpdate`;
  test.each<[string, Record<string, unknown>, Cause[]]>([
    [
      'a negative minReadySeconds',
      { minReadySeconds: -1 },
      [['spec.minReadySeconds', INVALID, 'Invalid value: -1: must be greater than or equal to 0']],
    ],
    [
      'a negative revisionHistoryLimit',
      { revisionHistoryLimit: -1 },
      [
        [
          'spec.revisionHistoryLimit',
          INVALID,
          'Invalid value: -1: must be greater than or equal to 0',
        ],
      ],
    ],
    [
      'a negative progressDeadlineSeconds',
      { progressDeadlineSeconds: -1 },
      [
        [
          'spec.progressDeadlineSeconds',
          INVALID,
          'Invalid value: -1: must be greater than or equal to 0',
        ],
        [
          'spec.progressDeadlineSeconds',
          INVALID,
          'Invalid value: -1: must be greater than minReadySeconds',
        ],
      ],
    ],
    [
      'a progressDeadlineSeconds not above minReadySeconds',
      { progressDeadlineSeconds: 30, minReadySeconds: 30 },
      [
        [
          'spec.progressDeadlineSeconds',
          INVALID,
          'Invalid value: 30: must be greater than minReadySeconds',
        ],
      ],
    ],
    [
      'an unknown strategy type (the internal struct quoted)',
      { strategy: { type: 'Nope' } },
      [
        [
          at,
          UNSUPPORTED,
          'Unsupported value: {"Type":"Nope","RollingUpdate":null}: supported values: "Recreate", "RollingUpdate"',
        ],
      ],
    ],
    [
      'an unknown strategy type with a rolling update (an absent value is 0)',
      { strategy: { type: 'Nope', rollingUpdate: { maxSurge: '10%' } } },
      [
        [
          at,
          UNSUPPORTED,
          'Unsupported value: {"Type":"Nope","RollingUpdate":{"MaxUnavailable":0,"MaxSurge":"10%"}}: supported values: "Recreate", "RollingUpdate"',
        ],
      ],
    ],
    [
      'a rolling update under Recreate',
      { strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } },
      [[ru, FORBIDDEN, "Forbidden: may not be specified when strategy `type` is 'Recreate'"]],
    ],
    [
      'a maxSurge that is no percent',
      { strategy: { rollingUpdate: { maxSurge: 'bad%' } } },
      [[`${ru}.maxSurge`, INVALID, `Invalid value: "bad%": ${PERCENT}`]],
    ],
    [
      'a maxUnavailable string that is no percent (read as its integer, so not 0)',
      { strategy: { rollingUpdate: { maxUnavailable: '1', maxSurge: 0 } } },
      [[`${ru}.maxUnavailable`, INVALID, `Invalid value: "1": ${PERCENT}`]],
    ],
    [
      'maxUnavailable and maxSurge both 0',
      { strategy: { rollingUpdate: { maxUnavailable: '0%', maxSurge: 0 } } },
      [[`${ru}.maxUnavailable`, INVALID, 'Invalid value: "0%": may not be 0 when `maxSurge` is 0']],
    ],
    [
      'a negative maxSurge and a maxUnavailable over 100%',
      { strategy: { rollingUpdate: { maxUnavailable: '150%', maxSurge: -1 } } },
      [
        [`${ru}.maxSurge`, INVALID, 'Invalid value: -1: must be greater than or equal to 0'],
        [`${ru}.maxUnavailable`, INVALID, 'Invalid value: "150%": must not be greater than 100%'],
      ],
    ],
  ])('%s is refused', (_, spec, causes) => refused('deployments', 'Deployment', spec, causes));
});

test('a ReplicaSet checks minReadySeconds after replicas', () =>
  refused('replicasets', 'ReplicaSet', { replicas: -1, minReadySeconds: -1 }, [
    ['spec.replicas', INVALID, 'Invalid value: -1: must be greater than or equal to 0'],
    ['spec.minReadySeconds', INVALID, 'Invalid value: -1: must be greater than or equal to 0'],
  ]));

describe('DaemonSet', () => {
  const at = 'spec.updateStrategy';
  const ru = `${at}.rollingUpdate`;
  test.each<[string, Record<string, unknown>, Cause[]]>([
    [
      'negative minReadySeconds and revisionHistoryLimit',
      { minReadySeconds: -1, revisionHistoryLimit: -1 },
      [
        ['spec.minReadySeconds', INVALID, 'Invalid value: -1: must be greater than or equal to 0'],
        [
          'spec.revisionHistoryLimit',
          INVALID,
          'Invalid value: -1: must be greater than or equal to 0',
        ],
      ],
    ],
    [
      'an unknown update strategy type',
      { updateStrategy: { type: 'Nope' } },
      [
        [
          at,
          UNSUPPORTED,
          'Unsupported value: {"Type":"Nope","RollingUpdate":null}: supported values: "RollingUpdate", "OnDelete"',
        ],
      ],
    ],
    [
      'a maxUnavailable that is no percent (so 0, as maxSurge)',
      { updateStrategy: { rollingUpdate: { maxUnavailable: 'bad%' } } },
      [
        [`${ru}.maxUnavailable`, INVALID, `Invalid value: "bad%": ${PERCENT}`],
        [`${ru}.maxUnavailable`, REQUIRED, 'Required value: cannot be 0 when maxSurge is 0'],
      ],
    ],
    [
      'both maxUnavailable and maxSurge non-zero',
      { updateStrategy: { rollingUpdate: { maxUnavailable: 1, maxSurge: '20%' } } },
      [
        [
          `${ru}.maxSurge`,
          INVALID,
          'Invalid value: "20%": may not be set when maxUnavailable is non-zero',
        ],
      ],
    ],
    [
      'a maxSurge over 100%',
      { updateStrategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: '101%' } } },
      [[`${ru}.maxSurge`, INVALID, 'Invalid value: "101%": must not be greater than 100%']],
    ],
  ])('%s is refused', (_, spec, causes) => refused('daemonsets', 'DaemonSet', spec, causes));
});

describe('StatefulSet', () => {
  const at = 'spec.updateStrategy';
  const retention = 'spec.persistentVolumeClaimRetentionPolicy';
  test.each<[string, Record<string, unknown>, Cause[]]>([
    [
      'a bad policy, strategy type and retention, in the order checked',
      {
        podManagementPolicy: 'Nope',
        updateStrategy: { type: 'Nope' },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep', whenScaled: 'Delete' },
      },
      [
        [
          'spec.podManagementPolicy',
          INVALID,
          `Invalid value: "Nope": must be 'OrderedReady' or 'Parallel'`,
        ],
        [
          at,
          INVALID,
          `Invalid value: {"Type":"Nope","RollingUpdate":null}: must be 'RollingUpdate' or 'OnDelete'`,
        ],
        [
          `${retention}.whenDeleted`,
          UNSUPPORTED,
          'Unsupported value: "Keep": supported values: "Retain", "Delete"',
        ],
      ],
    ],
    [
      'a rolling update under OnDelete',
      { updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 2 } } },
      [
        [
          `${at}.rollingUpdate`,
          INVALID,
          `Invalid value: {"Partition":2,"MaxUnavailable":null}: only allowed for updateStrategy 'RollingUpdate'`,
        ],
      ],
    ],
    [
      'negative partition, replicas, minReadySeconds and ordinals.start, a bad serviceName',
      {
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: -1 } },
        replicas: -1,
        minReadySeconds: -1,
        ordinals: { start: -1 },
        serviceName: 'Bad_Name',
      },
      [
        [
          `${at}.rollingUpdate.partition`,
          INVALID,
          'Invalid value: -1: must be greater than or equal to 0',
        ],
        ['spec.replicas', INVALID, 'Invalid value: -1: must be greater than or equal to 0'],
        ['spec.minReadySeconds', INVALID, 'Invalid value: -1: must be greater than or equal to 0'],
        ['spec.ordinals.start', INVALID, 'Invalid value: -1: must be greater than or equal to 0'],
        ['spec.serviceName', INVALID, `Invalid value: "Bad_Name": ${LABEL}`],
      ],
    ],
  ])('%s is refused', (_, spec, causes) => refused('statefulsets', 'StatefulSet', spec, causes));

  test('maxUnavailable is dropped (its gate is off); an explicit RollingUpdate gets no rollingUpdate', async () => {
    const create = (updateStrategy: unknown) =>
      raw(kc(), 'POST', appsPath('statefulsets'), {
        query: { dryRun: 'All' },
        body: appsBody('StatefulSet', { updateStrategy, podManagementPolicy: '' }),
      });
    const dropped = await create({ rollingUpdate: { partition: 1, maxUnavailable: 'bad%' } });
    expect(dropped.status, dropped.text).toBe(201);
    expect(dropped.json().spec.updateStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { partition: 1 },
    });
    expect(dropped.json().spec.podManagementPolicy).toBe('OrderedReady');
    const explicit = await create({ type: 'RollingUpdate' });
    expect(explicit.status, explicit.text).toBe(201);
    expect(explicit.json().spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
  });
});

describe('StatefulSet volumeClaimTemplates', () => {
  const vct = 'spec.volumeClaimTemplates[0].spec';
  const volume = 'spec.template.spec.volumes[0]';
  const CLAIM_SPEC = {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '1Gi' } },
  };
  const withClaims = (claims: unknown[], template: Record<string, unknown> = TEMPLATE) => ({
    template,
    volumeClaimTemplates: claims,
  });

  test('an empty claim template: its spec is a claim spec, its volume has no name', () =>
    refused('statefulsets', 'StatefulSet', withClaims([{}]), [
      [`${vct}.accessModes`, REQUIRED, 'Required value: at least 1 access mode is required'],
      [`${vct}.resources[storage]`, REQUIRED, 'Required value'],
      [`${volume}.persistentVolumeClaim.claimName`, REQUIRED, 'Required value'],
      [`${volume}.name`, REQUIRED, 'Required value'],
    ]));

  test("a claim template's name is checked as its volume's", () =>
    refused(
      'statefulsets',
      'StatefulSet',
      withClaims([{ metadata: { name: 'Bad_Name' }, spec: CLAIM_SPEC }]),
      [[`${volume}.name`, INVALID, `Invalid value: "Bad_Name": ${LABEL}`]],
    ));

  /** Expects a StatefulSet with one claim template `data` of `spec` to be refused with `causes`. */
  const refusedClaim = (spec: Record<string, unknown>, causes: Cause[]) =>
    refused(
      'statefulsets',
      'StatefulSet',
      withClaims([{ metadata: { name: 'data' }, spec }]),
      causes,
    );

  test("a claim template's spec is checked field by field, as a claim's", () =>
    refusedClaim(
      {
        accessModes: ['Nope'],
        resources: { requests: { storage: '0' } },
        storageClassName: 'Bad_Class',
        volumeMode: 'Nope',
        dataSource: {},
      },
      [
        [
          `${vct}.accessModes`,
          UNSUPPORTED,
          'Unsupported value: "Nope": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
        ],
        [`${vct}.resources[storage]`, INVALID, 'Invalid value: "0": must be greater than zero'],
        [`${vct}.storageClassName`, INVALID, `Invalid value: "Bad_Class": ${SUBDOMAIN}`],
        [
          `${vct}.volumeMode`,
          UNSUPPORTED,
          'Unsupported value: "Nope": supported values: "Block", "Filesystem"',
        ],
        [`${vct}.dataSource.name`, REQUIRED, 'Required value'],
        [`${vct}.dataSource.kind`, REQUIRED, 'Required value'],
        [
          `${vct}.dataSource`,
          INVALID,
          `Invalid value: "": must be 'PersistentVolumeClaim' when referencing the default apiGroup`,
        ],
      ],
    ));

  test('a data source that differs from the data source ref is refused', () =>
    refusedClaim(
      {
        ...CLAIM_SPEC,
        dataSource: { kind: 'PersistentVolumeClaim', name: 'a' },
        dataSourceRef: { kind: 'PersistentVolumeClaim', name: 'b' },
      },
      [[vct, INVALID, 'Invalid value: {}: must match dataSourceRef']],
    ));

  test('the template may mount a claim by name, replacing its own volume of that name; hostname and subdomain are not checked; claims are defaulted', async () => {
    const template = {
      metadata: { labels: { app: 'web' } },
      spec: {
        hostname: 'Bad_Host',
        subdomain: 'Bad_Sub',
        volumes: [{ name: 'data', emptyDir: {} }],
        containers: [
          { name: 'c', image: 'nginx', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
        ],
      },
    };
    const res = await raw(kc(), 'POST', appsPath('statefulsets'), {
      query: { dryRun: 'All' },
      body: appsBody(
        'StatefulSet',
        withClaims([{ metadata: { name: 'data' }, spec: CLAIM_SPEC }], template),
      ),
    });
    expect(res.status, res.text).toBe(201);
    const spec = res.json().spec;
    expect(spec.template.spec.volumes).toEqual([{ name: 'data', emptyDir: {} }]);
    expect(spec.volumeClaimTemplates).toEqual([
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data' },
        spec: { ...CLAIM_SPEC, volumeMode: 'Filesystem' },
        status: { phase: 'Pending' },
      },
    ]);
  });
});

describe('a Job whose name is no label value', () => {
  // A lowercase RFC 1123 subdomain, but longer than a label value may be.
  const name = 'j'.repeat(64);
  const tooLong = (field: string): Cause => [
    field,
    INVALID,
    `Invalid value: "${name}": must be no more than 63 bytes`,
  ];
  const job = (template: Record<string, unknown>) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { template },
  });
  const podSpec = { restartPolicy: 'Never', containers: [{ name: 'c', image: 'nginx' }] };

  test('is refused at the generated template labels (the Job gets its labels only when read back)', () =>
    expectCauses(kc(), `/apis/batch/v1/namespaces/${ns}/jobs`, job({ spec: podSpec }), [
      tooLong('spec.template.labels'),
      tooLong('spec.template.labels'),
    ]));

  test("is refused at the Job's own labels too when they are its template's label map", () =>
    expectCauses(
      kc(),
      `/apis/batch/v1/namespaces/${ns}/jobs`,
      job({ metadata: { labels: { app: 'web' } }, spec: podSpec }),
      [
        tooLong('metadata.labels'),
        tooLong('metadata.labels'),
        tooLong('spec.template.labels'),
        tooLong('spec.template.labels'),
      ],
    ));
});

describe('an empty pod template or pod spec is checked as the zero-valued struct', () => {
  const containers: Cause = ['spec.template.spec.containers', REQUIRED, 'Required value'];
  const noMatch: Cause = [
    'spec.template.metadata.labels',
    INVALID,
    `Invalid value: null: ${NO_MATCH}`,
  ];
  const selectorRequired: Cause = ['spec.selector', REQUIRED, 'Required value'];
  test.each<[string, string, Record<string, unknown>, Cause[]]>([
    ['deployments', 'Deployment', { template: {} }, [noMatch, containers]],
    ['replicasets', 'ReplicaSet', { template: {} }, [noMatch, containers]],
    ['statefulsets', 'StatefulSet', { template: {} }, [noMatch, containers]],
    ['daemonsets', 'DaemonSet', { template: {} }, [noMatch, containers]],
    [
      'deployments',
      'Deployment',
      { selector: undefined, template: undefined },
      [selectorRequired, noMatch, containers],
    ],
    [
      'statefulsets',
      'StatefulSet',
      { selector: undefined, template: undefined },
      [selectorRequired, noMatch, containers],
    ],
    // A DaemonSet's selector is not required: the nil one selects nothing.
    [
      'daemonsets',
      'DaemonSet',
      { selector: undefined, template: undefined },
      [noMatch, containers],
    ],
    ['replicasets', 'ReplicaSet', { template: { metadata: {}, spec: TEMPLATE.spec } }, [noMatch]],
  ])('%s %s %j', (plural, kind, spec, causes) => refused(plural, kind, spec, causes));

  const restart = (at: string): Cause => [
    at,
    REQUIRED,
    'Required value: valid values: "OnFailure", "Never"',
  ];
  test.each<[string, Record<string, unknown>]>([
    ['an empty template', { template: {} }],
    ['no template', {}],
  ])('a Job with %s', (_, spec) =>
    expectCauses(
      kc(),
      `/apis/batch/v1/namespaces/${ns}/jobs`,
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec },
      [containers, restart('spec.template.spec.restartPolicy')],
    ),
  );

  const jt = 'spec.jobTemplate.spec.template.spec';
  test.each<[string, Record<string, unknown>]>([
    ['an empty job template', { jobTemplate: {} }],
    ['an empty job template spec', { jobTemplate: { spec: {} } }],
    ['an empty pod template', { jobTemplate: { spec: { template: {} } } }],
  ])('a CronJob with %s', (_, spec) =>
    expectCauses(
      kc(),
      `/apis/batch/v1/namespaces/${ns}/cronjobs`,
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'cj' },
        spec: { schedule: '@daily', ...spec },
      },
      [[`${jt}.containers`, REQUIRED, 'Required value'], restart(`${jt}.restartPolicy`)],
    ),
  );

  test('a ReplicationController without a template (a pointer there) is told it is required', () =>
    expectCauses(
      kc(),
      `/api/v1/namespaces/${ns}/replicationcontrollers`,
      { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: {} },
      [selectorRequired, ['spec.template', REQUIRED, 'Required value']],
    ));

  test('a ReplicationController with an empty template', () =>
    expectCauses(
      kc(),
      `/api/v1/namespaces/${ns}/replicationcontrollers`,
      {
        apiVersion: 'v1',
        kind: 'ReplicationController',
        metadata: { name: 'rc' },
        spec: { selector: { app: 'web' }, template: {} },
      },
      [noMatch, containers],
    ));
});
