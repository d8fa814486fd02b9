/**
 * Differential: kube-apiserver's checks of volume sources beyond the common ones (emptyDir
 * size limits, nfs, downward API files, projected sources and their path conflicts, csi,
 * generic ephemeral volumes, item paths), and of workload selectors: empty ones, a Job's
 * own selector with `manualSelector`, none in a CronJob's job template.
 */
import { afterAll, beforeAll, describe, test } from 'vitest';
import {
  expectCauses,
  FORBIDDEN,
  INVALID,
  NAME_PART,
  REQUIRED,
  SUBDOMAIN,
} from './invalid-causes.js';
import { holderPath, POD, WORKLOADS } from './pod-spec-fixtures.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-volumes');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;

const VOLUMES = [
  { name: 'e', emptyDir: { sizeLimit: '-1Gi' } },
  { name: 'n', nfs: { server: '', path: 'rel' } },
  {
    name: 'd',
    downwardAPI: {
      items: [
        { path: '/abs', fieldRef: { fieldPath: 'spec.nodeName' } },
        { path: '..data', resourceFieldRef: { resource: 'limits.cpu' } },
        { path: 'x' },
        { path: 'y', fieldRef: { fieldPath: "metadata.labels['Bad Key']" } },
        { path: 'z', fieldRef: { fieldPath: 'status.nope' } },
      ],
    },
  },
  {
    name: 'p',
    projected: {
      sources: [
        { configMap: { name: 'a', items: [{ key: 'k', path: 'same' }] } },
        { secret: { name: 'b', items: [{ key: 'k', path: 'same' }] } },
        {
          configMap: { name: 'c' },
          downwardAPI: { items: [{ path: 'same', fieldRef: { fieldPath: 'metadata.name' } }] },
        },
        { serviceAccountToken: { path: '../t', expirationSeconds: 4294967297 } },
      ],
    },
  },
  { name: 'c', csi: { driver: 'Bad_Driver', nodePublishSecretRef: { name: 'Bad_Secret' } } },
  { name: 'eph', ephemeral: {} },
  { name: 's', secret: { secretName: 's', items: [{ key: 'k', path: 'a/../b' }] } },
  { name: 'long', csi: { driver: 'a'.repeat(64) } },
];

function volumeCauses(at: string): [string, string, string][] {
  const v = (i: number) => `${at}.volumes[${i}]`;
  const d = `${v(2)}.downwardAPI`;
  const p = `${v(3)}.projected`;
  return [
    [
      `${v(0)}.emptyDir.sizeLimit`,
      FORBIDDEN,
      'Forbidden: SizeLimit field must be a valid resource quantity',
    ],
    [`${v(1)}.nfs.server`, REQUIRED, 'Required value'],
    [`${v(1)}.nfs.path`, INVALID, 'Invalid value: "rel": must be an absolute path'],
    [`${d}.path`, INVALID, 'Invalid value: "/abs": must be a relative path'],
    [
      `${d}.fieldRef.fieldPath`,
      'FieldValueNotSupported',
      'Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"',
    ],
    [`${d}.path`, INVALID, 'Invalid value: "..data": must not start with \'..\''],
    [`${d}.resourceFieldRef.containerName`, REQUIRED, 'Required value'],
    [d, REQUIRED, 'Required value: one of fieldRef and resourceFieldRef is required'],
    [`${d}.fieldRef`, INVALID, `Invalid value: "Bad Key": ${NAME_PART}`],
    [
      `${d}.fieldRef.fieldPath`,
      INVALID,
      'Invalid value: "status.nope": error converting fieldPath: field label not supported: status.nope',
    ],
    [p, INVALID, 'Invalid value: "b": conflicting duplicate paths'],
    [p, INVALID, 'Invalid value: "same": conflicting duplicate paths'],
    [`${p}.sources[2]`, FORBIDDEN, 'Forbidden: may not specify more than 1 volume type per source'],
    [
      `${p}.sources[3].serviceAccountToken.expirationSeconds`,
      INVALID,
      'Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds',
    ],
    [`${p}.path`, INVALID, 'Invalid value: "../t": must not contain \'..\''],
    [`${v(4)}.csi.driver`, INVALID, `Invalid value: "Bad_Driver": ${SUBDOMAIN}`],
    [`${v(4)}.csi.name`, INVALID, `Invalid value: "Bad_Secret": ${SUBDOMAIN}`],
    [`${v(5)}.ephemeral.volumeClaimTemplate`, REQUIRED, 'Required value'],
    [`${v(6)}.secret.items[0].path`, INVALID, 'Invalid value: "a/../b": must not contain \'..\''],
    [`${v(7)}.csi.driver`, 'FieldValueTooLong', 'Too long: may not be more than 63 bytes'],
  ];
}

describe('volume sources', () => {
  test('a Pod and every workload template', async () => {
    const spec = { containers: [{ name: 'c', image: 'i' }], volumes: VOLUMES };
    // A Pod without a service account (the backends run without the ServiceAccount
    // admission plugin, as envtest does) may not project a token.
    const token: [string, string, string] = [
      'spec.volumes[3].projected.sources[3].serviceAccountToken',
      FORBIDDEN,
      'Forbidden: must not be specified when serviceAccountName is not set',
    ];
    await expectCauses(kc(), holderPath(POD, ns), POD.body('vols', spec), [
      ...volumeCauses('spec'),
      token,
    ]);
    for (const holder of WORKLOADS) {
      await expectCauses(
        kc(),
        holderPath(holder, ns),
        holder.body('vols', spec),
        volumeCauses(holder.prefix),
      );
    }
  });
});

describe('workload selectors', () => {
  const template = {
    metadata: { labels: { a: 'b' } },
    spec: { containers: [{ name: 'c', image: 'i' }] },
  };
  const apps = (kind: string, extra: Record<string, unknown> = {}) => ({
    apiVersion: 'apps/v1',
    kind,
    metadata: { name: 'empty' },
    spec: { selector: {}, template, ...extra },
  });

  test('an empty selector is refused by each apps/v1 kind in its own words', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['deployments', apps('Deployment'), 'deployment'],
      ['replicasets', apps('ReplicaSet'), 'deployment'],
      ['statefulsets', apps('StatefulSet', { serviceName: 's' }), 'statefulset'],
      ['daemonsets', apps('DaemonSet'), 'daemonset'],
    ];
    for (const [plural, body, word] of cases) {
      await expectCauses(kc(), `/apis/apps/v1/namespaces/${ns}/${plural}`, body, [
        ['spec.selector', INVALID, `Invalid value: {}: empty selector is invalid for ${word}`],
      ]);
    }
  });

  test('a Job with manualSelector brings a valid selector that selects its template', async () => {
    const jobs = `/apis/batch/v1/namespaces/${ns}/jobs`;
    const job = (selector: Record<string, unknown> | undefined) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'manual' },
      spec: {
        manualSelector: true,
        ...(selector ? { selector } : {}),
        template: { ...template, spec: { ...template.spec, restartPolicy: 'Never' } },
      },
    });
    await expectCauses(kc(), jobs, job(undefined), [
      ['spec.selector', REQUIRED, 'Required value'],
      [
        'spec.template.metadata.labels',
        INVALID,
        'Invalid value: {"a":"b"}: `selector` does not match template `labels`',
      ],
    ]);
    await expectCauses(kc(), jobs, job({ matchExpressions: [{ key: 'a', operator: 'Near' }] }), [
      [
        'spec.selector.matchExpressions[0].operator',
        INVALID,
        'Invalid value: "Near": not a valid selector operator',
      ],
    ]);
    await expectCauses(kc(), jobs, job({ matchLabels: { a: 'c' } }), [
      [
        'spec.template.metadata.labels',
        INVALID,
        'Invalid value: {"a":"b"}: `selector` does not match template `labels`',
      ],
    ]);
  });

  test('a CronJob job template may set neither a selector nor manualSelector', async () => {
    await expectCauses(
      kc(),
      `/apis/batch/v1/namespaces/${ns}/cronjobs`,
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'sel' },
        spec: {
          schedule: '* * * * *',
          jobTemplate: {
            spec: {
              manualSelector: true,
              selector: { matchLabels: { a: 'b' } },
              template: { ...template, spec: { ...template.spec, restartPolicy: 'Never' } },
            },
          },
        },
      },
      [
        [
          'spec.jobTemplate.spec.selector',
          INVALID,
          'Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated',
        ],
        [
          'spec.jobTemplate.spec.manualSelector',
          'FieldValueNotSupported',
          'Unsupported value: true: supported values: "nil", "false"',
        ],
      ],
    );
  });
});
