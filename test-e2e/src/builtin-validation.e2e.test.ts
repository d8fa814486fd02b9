/**
 * Differential: validation and immutability of the built-in kinds operators manage, as
 * kube-apiserver checks them (status, reason, message and causes), and how its decoder
 * reads `Time` (RFC 3339, stored in UTC whole seconds) and `MicroTime` (six fractional
 * digits, kept) fields.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectInvalid, invalid, requiredValue, unsupported } from './invalid-status.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-valid');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const MERGE = 'application/merge-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const core = (plural: string, name = '') =>
  `/api/v1/namespaces/${ns}/${plural}${name ? `/${name}` : ''}`;
const grouped = (gv: string, plural: string, name = '') =>
  `/apis/${gv}/namespaces/${ns}/${plural}${name ? `/${name}` : ''}`;

const post = (path: string, body: unknown) => raw(kc(), 'POST', path, { body });
const patch = (path: string, body: unknown, contentType = MERGE) =>
  raw(kc(), 'PATCH', path, { body, contentType });

const container = (extra: Record<string, unknown> = {}) => ({
  name: 'app',
  image: 'nginx',
  ...extra,
});
const selector = { matchLabels: { app: 'a' } };
const template = (spec: Record<string, unknown> = {}) => ({
  metadata: { labels: { app: 'a' } },
  spec: { containers: [container()], ...spec },
});
const NEGATIVE = 'must be greater than or equal to 0';
const IMMUTABLE = 'field is immutable';

describe('Pods', () => {
  const POD_UPDATE =
    'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n';

  test('restartPolicy must be Always, OnFailure or Never', async () => {
    const res = await post(core('pods'), {
      metadata: { name: 'bad-restart' },
      spec: { restartPolicy: 'Sometimes', containers: [container()] },
    });
    expectInvalid(res, 'Pod "bad-restart"', [
      unsupported('spec.restartPolicy', 'Sometimes', ['Always', 'OnFailure', 'Never']),
    ]);
  });

  test('an update may change images, activeDeadlineSeconds and add tolerations, nothing else', async () => {
    const created = await post(core('pods'), {
      metadata: { name: 'frozen' },
      spec: { restartPolicy: 'Never', containers: [container()] },
    });
    expect(created.status).toBe(201);
    const image = await patch(
      core('pods', 'frozen'),
      { spec: { containers: [container({ image: 'nginx:2' })] } },
      STRATEGIC,
    );
    expect(image.status).toBe(200);
    expect(image.json().spec.containers[0].image).toBe('nginx:2');
    const deadline = await patch(core('pods', 'frozen'), { spec: { activeDeadlineSeconds: 5 } });
    expect(deadline.status).toBe(200);
    const tolerations = await patch(core('pods', 'frozen'), {
      spec: {
        tolerations: [
          ...image.json().spec.tolerations,
          { key: 'k', operator: 'Exists', effect: 'NoSchedule' },
        ],
      },
    });
    expect(tolerations.status).toBe(200);

    for (const change of [
      { restartPolicy: 'Always' },
      { terminationGracePeriodSeconds: 5 },
      { nodeName: 'elsewhere' },
    ]) {
      const res = await patch(core('pods', 'frozen'), { spec: change });
      expect(res.status).toBe(422);
      const body = res.json();
      // After its first line the refusal carries a diff of the server's internal structs
      // (compared whole in pod-updates.e2e.test.ts).
      expect(body.message.startsWith(`Pod "frozen" is invalid: spec: ${POD_UPDATE}`)).toBe(true);
      expect(body.details.causes).toHaveLength(1);
      expect(body.details.causes[0]).toMatchObject({
        reason: 'FieldValueForbidden',
        field: 'spec',
      });
      expect(body.details.causes[0].message.startsWith(POD_UPDATE)).toBe(true);
    }
  });
});

describe('Deployments, ReplicaSets, StatefulSets, DaemonSets', () => {
  test('replicas must not be negative, on create and update', async () => {
    for (const [gv, plural, kind, extra] of [
      ['apps/v1', 'deployments', 'Deployment.apps', {}],
      ['apps/v1', 'replicasets', 'ReplicaSet.apps', {}],
      ['apps/v1', 'statefulsets', 'StatefulSet.apps', { serviceName: 's' }],
    ] as const) {
      const res = await post(grouped(gv, plural), {
        metadata: { name: 'negative' },
        spec: { replicas: -1, selector, template: template(), ...extra },
      });
      expectInvalid(res, `${kind} "negative"`, [invalid('spec.replicas', '-1', NEGATIVE)]);
    }
    expect(
      (
        await post(grouped('apps/v1', 'deployments'), {
          metadata: { name: 'scaled' },
          spec: { selector, template: template() },
        })
      ).status,
    ).toBe(201);
    const res = await patch(grouped('apps/v1', 'deployments', 'scaled'), {
      spec: { replicas: -2 },
    });
    expectInvalid(res, 'Deployment.apps "scaled"', [invalid('spec.replicas', '-2', NEGATIVE)]);
  });

  test('a selector is required and must select the template; pods restart Always', async () => {
    const missing = await post(grouped('apps/v1', 'deployments'), {
      metadata: { name: 'no-selector' },
      spec: { template: template() },
    });
    expectInvalid(missing, 'Deployment.apps "no-selector"', [
      requiredValue('spec.selector'),
      invalid(
        'spec.template.metadata.labels',
        '{"app":"a"}',
        '`selector` does not match template `labels`',
      ),
    ]);
    const restart = await post(grouped('apps/v1', 'deployments'), {
      metadata: { name: 'never' },
      spec: { selector, template: template({ restartPolicy: 'Never' }) },
    });
    expectInvalid(restart, 'Deployment.apps "never"', [
      unsupported('spec.template.spec.restartPolicy', 'Never', ['Always']),
    ]);
  });

  test('a template without labels is quoted as null, with empty labels as {} (create and apply)', async () => {
    const kinds = [
      ['deployments', 'Deployment', {}],
      ['replicasets', 'ReplicaSet', {}],
      ['statefulsets', 'StatefulSet', { serviceName: 's' }],
      ['daemonsets', 'DaemonSet', {}],
    ] as const;
    const APPLY = 'application/apply-patch+yaml';
    for (const [plural, kind, extra] of kinds) {
      for (const [metadata, quoted] of [
        [undefined, 'null'],
        [{}, 'null'],
        [{ labels: {} }, '{}'],
      ] as const) {
        const name = `unlabelled-${quoted === 'null' ? 'nil' : 'empty'}`;
        const spec = { containers: [container()] };
        const body = {
          apiVersion: 'apps/v1',
          kind,
          metadata: { name },
          spec: { ...extra, selector, template: metadata ? { metadata, spec } : { spec } },
        };
        const causes = [
          invalid(
            'spec.template.metadata.labels',
            quoted,
            '`selector` does not match template `labels`',
          ),
        ];
        expectInvalid(
          await post(grouped('apps/v1', plural), body),
          `${kind}.apps "${name}"`,
          causes,
        );
        const applied = await raw(kc(), 'PATCH', grouped('apps/v1', plural, name), {
          body,
          contentType: APPLY,
          query: { fieldManager: 'e2e' },
        });
        expectInvalid(applied, `${kind}.apps "${name}"`, causes);
      }
    }
  });

  test('a selector label value is at most 63 bytes', async () => {
    const long = 'v'.repeat(64);
    const res = await post(grouped('apps/v1', 'deployments'), {
      metadata: { name: 'long-value' },
      spec: {
        selector: { matchLabels: { app: long } },
        template: { metadata: { labels: { app: long } }, spec: { containers: [container()] } },
      },
    });
    expect(res.status, res.text).toBe(422);
    // Compared as a set: kube-apiserver reports the selector's and the labels' causes
    // from Go maps.
    const causes = res.json().details.causes as { field: string; message: string }[];
    expect(causes).toContainEqual(
      invalid('spec.selector.matchLabels', `"${long}"`, 'must be no more than 63 bytes'),
    );
    expect(causes.filter((c) => c.message.includes('characters'))).toEqual([]);
  });

  test('the selector of a Deployment, ReplicaSet or DaemonSet cannot change', async () => {
    const moved = {
      spec: {
        selector: { matchLabels: { app: 'b' } },
        template: { metadata: { labels: { app: 'b' } } },
      },
    };
    for (const [plural, kind] of [
      ['deployments', 'Deployment.apps'],
      ['replicasets', 'ReplicaSet.apps'],
      ['daemonsets', 'DaemonSet.apps'],
    ] as const) {
      const name = `fixed-${plural}`;
      const created = await post(grouped('apps/v1', plural), {
        metadata: { name },
        spec: { selector, template: template() },
      });
      expect(created.status).toBe(201);
      const res = await patch(grouped('apps/v1', plural, name), moved);
      expectInvalid(res, `${kind} "${name}"`, [
        invalid('spec.selector', '{"matchLabels":{"app":"b"}}', IMMUTABLE),
      ]);
    }
  });

  test('a StatefulSet update may change only replicas, template, strategy and a few more', async () => {
    const created = await post(grouped('apps/v1', 'statefulsets'), {
      metadata: { name: 'db' },
      spec: { selector, serviceName: 'db', template: template() },
    });
    expect(created.status).toBe(201);
    const forbidden = {
      reason: 'FieldValueForbidden',
      message:
        "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      field: 'spec',
    };
    for (const change of [
      { serviceName: 'other' },
      { podManagementPolicy: 'Parallel' },
      { selector: { matchLabels: { app: 'b' } }, template: { metadata: { labels: { app: 'b' } } } },
    ]) {
      const res = await patch(grouped('apps/v1', 'statefulsets', 'db'), { spec: change });
      expectInvalid(res, 'StatefulSet.apps "db"', [forbidden]);
    }
    const allowed = await patch(
      grouped('apps/v1', 'statefulsets', 'db'),
      {
        spec: {
          replicas: 3,
          minReadySeconds: 2,
          template: { spec: { containers: [container({ image: 'nginx:2' })] } },
        },
      },
      STRATEGIC,
    );
    expect(allowed.status).toBe(200);
    expect(allowed.json().spec.replicas).toBe(3);
  });
});

describe('Jobs and CronJobs', () => {
  const job = (name: string, spec: Record<string, unknown>) =>
    post(grouped('batch/v1', 'jobs'), { metadata: { name }, spec });

  test('pods must restart OnFailure or Never (anything else is missing); counts must not be negative', async () => {
    expectInvalid(
      await job('no-restart', { template: { spec: { containers: [container()] } } }),
      'Job.batch "no-restart"',
      [requiredValue('spec.template.spec.restartPolicy', 'valid values: "OnFailure", "Never"')],
    );
    expectInvalid(
      await job('always', {
        template: { spec: { containers: [container()], restartPolicy: 'Always' } },
      }),
      'Job.batch "always"',
      [requiredValue('spec.template.spec.restartPolicy', 'valid values: "OnFailure", "Never"')],
    );
    expectInvalid(
      await job('negative', {
        parallelism: -1,
        completions: -1,
        backoffLimit: -1,
        template: { spec: { containers: [container()], restartPolicy: 'Never' } },
      }),
      'Job.batch "negative"',
      [
        invalid('spec.parallelism', '-1', NEGATIVE),
        invalid('spec.completions', '-1', NEGATIVE),
        invalid('spec.backoffLimit', '-1', NEGATIVE),
      ],
    );
  });

  test('the template and completions cannot change; parallelism can', async () => {
    const created = await job('once', {
      template: { spec: { containers: [container()], restartPolicy: 'Never' } },
    });
    expect(created.status).toBe(201);
    const tpl = await patch(
      grouped('batch/v1', 'jobs', 'once'),
      { spec: { template: { spec: { containers: [container({ image: 'nginx:2' })] } } } },
      STRATEGIC,
    );
    expect(tpl.status).toBe(422);
    // The value quoted is the server's internal template struct: only its place is compared.
    const body = tpl.json();
    expect(body.details.causes).toHaveLength(1);
    expect(body.details.causes[0]).toMatchObject({
      reason: 'FieldValueInvalid',
      field: 'spec.template',
    });
    expect(body.details.causes[0].message).toMatch(/^Invalid value: .*: field is immutable$/s);
    expectInvalid(
      await patch(grouped('batch/v1', 'jobs', 'once'), { spec: { completions: 5 } }),
      'Job.batch "once"',
      [invalid('spec.completions', '5', IMMUTABLE)],
    );
    expect(
      (await patch(grouped('batch/v1', 'jobs', 'once'), { spec: { parallelism: 0 } })).status,
    ).toBe(200);
  });

  test('a CronJob schedule has five fields', async () => {
    const res = await post(grouped('batch/v1', 'cronjobs'), {
      metadata: { name: 'never' },
      spec: {
        schedule: 'nope',
        jobTemplate: {
          spec: { template: { spec: { containers: [container()], restartPolicy: 'Never' } } },
        },
      },
    });
    expectInvalid(res, 'CronJob.batch "never"', [
      invalid('spec.schedule', '"nope"', 'expected exactly 5 fields, found 1: [nope]'),
    ]);
  });
});

describe('Services', () => {
  const service = (name: string, spec: Record<string, unknown>) =>
    post(core('services'), { metadata: { name }, spec });
  const RANGE = 'must be between 1 and 65535, inclusive';

  test('ports: present, in range, a known protocol, named when several, unique', async () => {
    expectInvalid(await service('no-ports', {}), 'Service "no-ports"', [
      requiredValue('spec.ports'),
    ]);
    expectInvalid(await service('port-zero', { ports: [{ port: 0 }] }), 'Service "port-zero"', [
      invalid('spec.ports[0].port', '0', RANGE),
      invalid('spec.ports[0].targetPort', '0', RANGE),
    ]);
    expectInvalid(
      await service('port-high', { ports: [{ port: 70000, targetPort: 70000 }] }),
      'Service "port-high"',
      [
        invalid('spec.ports[0].port', '70000', RANGE),
        invalid('spec.ports[0].targetPort', '70000', RANGE),
      ],
    );
    expectInvalid(
      await service('icmp', { ports: [{ port: 80, protocol: 'ICMP' }] }),
      'Service "icmp"',
      [unsupported('spec.ports[0].protocol', 'ICMP', ['SCTP', 'TCP', 'UDP'])],
    );
    expectInvalid(
      await service('unnamed', { ports: [{ port: 80 }, { port: 81 }] }),
      'Service "unnamed"',
      [requiredValue('spec.ports[0].name'), requiredValue('spec.ports[1].name')],
    );
    expectInvalid(
      await service('twice', {
        ports: [
          { port: 80, name: 'a' },
          { port: 80, name: 'b' },
        ],
      }),
      'Service "twice"',
      [
        {
          reason: 'FieldValueDuplicate',
          message:
            'Duplicate value: {"Name":"","Protocol":"TCP","AppProtocol":null,"Port":80,"TargetPort":0,"NodePort":0}',
          field: 'spec.ports[1]',
        },
      ],
    );
    expectInvalid(
      await service('weird', { type: 'Weird', ports: [{ port: 80 }] }),
      'Service "weird"',
      [
        unsupported('spec.type', 'Weird', [
          'ClusterIP',
          'ExternalName',
          'LoadBalancer',
          'NodePort',
        ]),
      ],
    );
    expectInvalid(
      await service('nodeport', { ports: [{ port: 80, nodePort: 30000 }] }),
      'Service "nodeport"',
      [
        {
          reason: 'FieldValueForbidden',
          message: "Forbidden: may not be used when `type` is 'ClusterIP'",
          field: 'spec.ports[0].nodePort',
        },
      ],
    );
  });

  test('clusterIP cannot change once set, and an update that leaves it out keeps it', async () => {
    const created = await service('fixed-ip', { ports: [{ port: 80 }] });
    expect(created.status).toBe(201);
    const ip = created.json().spec.clusterIP;
    expectInvalid(
      await patch(core('services', 'fixed-ip'), {
        spec: { clusterIP: '10.0.0.99', clusterIPs: ['10.0.0.99'] },
      }),
      'Service "fixed-ip"',
      [invalid('spec.clusterIPs[0]', '["10.0.0.99"]', 'may not change once set')],
    );
    expectInvalid(
      await patch(core('services', 'fixed-ip'), { spec: { clusterIP: '10.0.0.98' } }),
      'Service "fixed-ip"',
      [invalid('spec.clusterIPs[0]', '["10.0.0.98"]', 'may not change once set')],
    );
    const cleared = await patch(core('services', 'fixed-ip'), {
      spec: { clusterIP: null, clusterIPs: null },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.json().spec.clusterIP).toBe(ip);
    expect(cleared.json().spec.clusterIPs).toEqual([ip]);
  });
});

describe('RoleBindings', () => {
  const rbac = (plural: string, name = '') =>
    plural === 'clusterrolebindings'
      ? `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings${name ? `/${name}` : ''}`
      : `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/${plural}${name ? `/${name}` : ''}`;

  test('roleRef names a Role or ClusterRole and cannot change', async () => {
    expectInvalid(
      await post(rbac('rolebindings'), {
        metadata: { name: 'bad-ref' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Thing', name: '' },
      }),
      'RoleBinding.rbac.authorization.k8s.io "bad-ref"',
      [
        unsupported('roleRef.kind', 'Thing', ['Role', 'ClusterRole']),
        requiredValue('roleRef.name'),
      ],
    );
    const created = await post(rbac('rolebindings'), {
      metadata: { name: 'bound' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r1' },
      subjects: [{ kind: 'ServiceAccount', name: 'default' }],
    });
    expect(created.status).toBe(201);
    expectInvalid(
      await patch(rbac('rolebindings', 'bound'), { roleRef: { name: 'r2' } }),
      'RoleBinding.rbac.authorization.k8s.io "bound"',
      [
        invalid(
          'roleRef',
          '{"APIGroup":"rbac.authorization.k8s.io","Kind":"Role","Name":"r2"}',
          'cannot change roleRef',
        ),
      ],
    );
    const subjects = await patch(rbac('rolebindings', 'bound'), {
      subjects: [{ kind: 'User', name: 'u', apiGroup: 'rbac.authorization.k8s.io' }],
    });
    expect(subjects.status).toBe(200);

    const name = `e2e-crb-${ns}`;
    const cluster = await post(rbac('clusterrolebindings'), {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    });
    expect(cluster.status).toBe(201);
    try {
      expectInvalid(
        await patch(rbac('clusterrolebindings', name), { roleRef: { name: 'edit' } }),
        `ClusterRoleBinding.rbac.authorization.k8s.io "${name}"`,
        [
          invalid(
            'roleRef',
            '{"APIGroup":"rbac.authorization.k8s.io","Kind":"ClusterRole","Name":"edit"}',
            'cannot change roleRef',
          ),
        ],
      );
    } finally {
      await raw(kc(), 'DELETE', rbac('clusterrolebindings', name));
    }
  });
});

describe('events.k8s.io Events', () => {
  const events = (name = '') =>
    `/apis/events.k8s.io/v1/namespaces/${ns}/events${name ? `/${name}` : ''}`;
  const regarding = () => ({ kind: 'Pod', name: 'p', namespace: ns });

  test('reportingController, reportingInstance and action are required', async () => {
    const res = await post(events(), {
      metadata: { name: 'anonymous' },
      eventTime: '2024-01-02T03:04:05.123456Z',
      regarding: regarding(),
      type: 'Normal',
      reason: 'Tested',
    });
    expectInvalid(res, 'Event "anonymous"', [
      requiredValue('reportingController'),
      invalid('reportingController', '""', 'name part must be non-empty'),
      invalid(
        'reportingController',
        '""',
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ),
      requiredValue('reportingInstance'),
      requiredValue('action'),
    ]);
  });

  test('eventTime is required and type is Normal or Warning', async () => {
    const res = await post(events(), { metadata: { name: 'bare' }, type: 'Bad' });
    expectInvalid(res, 'Event "bare"', [
      invalid('involvedObject.namespace', '""', 'does not match event.namespace'),
      requiredValue('eventTime'),
      invalid('type', '""', 'has invalid value: Bad'),
    ]);
  });

  test('what an Event says cannot change', async () => {
    const created = await post(events(), {
      metadata: { name: 'said' },
      eventTime: '2024-01-02T03:04:05.123456Z',
      reportingController: 'example.com/ctl',
      reportingInstance: 'ctl-1',
      action: 'Sync',
      type: 'Normal',
      reason: 'Synced',
      note: 'done',
      regarding: regarding(),
    });
    expect(created.status).toBe(201);
    const res = await patch(events('said'), {
      note: 'redone',
      reportingController: 'example.com/other',
    });
    expectInvalid(res, 'Event "said"', [
      invalid('message', '"redone"', IMMUTABLE),
      invalid('reportingController', '"example.com/other"', IMMUTABLE),
    ]);
    // kube-apiserver checks `reason` twice: the cause appears twice, the message once.
    const twice = await patch(events('said'), { reason: 'Other' });
    expectInvalid(twice, 'Event "said"', [
      invalid('reason', '"Other"', IMMUTABLE),
      invalid('reason', '"Other"', IMMUTABLE),
    ]);
  });
});

describe('Time and MicroTime fields', () => {
  const coreEvent = (name: string, fields: Record<string, unknown>) =>
    post(core('events'), {
      metadata: { name },
      involvedObject: { kind: 'Pod', name: 'p', namespace: ns },
      reason: 'Tested',
      ...fields,
    });
  const decodeError = (kind: string, text: string) =>
    `${kind} in version "v1" cannot be handled as a ${kind}: ${text}`;

  test('Time is read as RFC 3339 and stored in UTC, truncated to seconds', async () => {
    const res = await coreEvent('times', {
      firstTimestamp: '2024-01-02T03:04:05.987Z',
      lastTimestamp: '2024-01-02T03:04:05+02:00',
    });
    expect(res.status).toBe(201);
    for (const obj of [res.json(), (await raw(kc(), 'GET', core('events', 'times'))).json()]) {
      expect(obj.firstTimestamp).toBe('2024-01-02T03:04:05Z');
      expect(obj.lastTimestamp).toBe('2024-01-02T01:04:05Z');
    }
  });

  test('MicroTime keeps microseconds, in UTC', async () => {
    const res = await coreEvent('micro', {
      eventTime: '2024-01-02T03:04:05.100000+01:00',
      reportingComponent: 'ctl',
      reportingInstance: 'ctl-1',
      action: 'Sync',
    });
    expect(res.status).toBe(201);
    expect(res.json().eventTime).toBe('2024-01-02T02:04:05.100000Z');
    const lease = await post(grouped('coordination.k8s.io/v1', 'leases'), {
      metadata: { name: 'held' },
      spec: { renewTime: '2024-01-02T03:04:05.123456Z' },
    });
    expect(lease.status).toBe(201);
    expect(lease.json().spec.renewTime).toBe('2024-01-02T03:04:05.123456Z');
  });

  test('a value that does not parse is 400 with Go time.Parse error', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { firstTimestamp: 'yesterday' },
        'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"',
      ],
      [
        { lastTimestamp: '2024-01-02' },
        'parsing time "2024-01-02" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"',
      ],
      [
        { lastTimestamp: 12 },
        'json: cannot unmarshal number into Go struct field Event.lastTimestamp of type string',
      ],
      [
        { eventTime: '2024-01-02T03:04:05Z' },
        'parsing time "2024-01-02T03:04:05Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"',
      ],
      [
        { eventTime: '2024-01-02T03:04:05.123456789Z' },
        'parsing time "2024-01-02T03:04:05.123456789Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "789Z" as "Z07:00"',
      ],
      [
        { eventTime: '2024-01-02 03:04:05' },
        'parsing time "2024-01-02 03:04:05" as "2006-01-02T15:04:05.000000Z07:00": cannot parse " 03:04:05" as "T"',
      ],
    ];
    for (const [fields, text] of cases) {
      const res = await coreEvent('unparsed', fields);
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({
        reason: 'BadRequest',
        message: decodeError('Event', text),
      });
    }
    const meta = await post(core('configmaps'), {
      metadata: { name: 'when', creationTimestamp: 'bad' },
    });
    expect(meta.status).toBe(400);
    expect(meta.json().message).toBe(
      decodeError(
        'ConfigMap',
        'parsing time "bad" as "2006-01-02T15:04:05Z07:00": cannot parse "bad" as "2006"',
      ),
    );
  });

  test('server-side apply decodes times after merging: a bad one is a bare 500', async () => {
    const applyEvent = (name: string, fields: Record<string, unknown>) =>
      raw(kc(), 'PATCH', core('events', name), {
        body: JSON.stringify({
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name },
          involvedObject: { kind: 'Pod', name: 'p', namespace: ns },
          reason: 'Tested',
          ...fields,
        }),
        contentType: 'application/apply-patch+yaml',
        query: { fieldManager: 'e2e' },
      });
    const good = await applyEvent('applied-time', {
      firstTimestamp: '2024-01-02T03:04:05.5+01:00',
    });
    expect(good.status).toBe(201);
    expect(good.json().firstTimestamp).toBe('2024-01-02T02:04:05Z');
    const bad = await applyEvent('applied-bad', { firstTimestamp: 'bad' });
    expect(bad.status).toBe(500);
    expect(bad.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'failed to convert new object (/applied-bad; /v1, Kind=Event) to proper version: unable to convert unstructured object to /v1, Kind=Event: parsing time "bad" as "2006-01-02T15:04:05Z07:00": cannot parse "bad" as "2006"',
      code: 500,
    });
  });

  test('a patch that yields a bad time is 422 on the patch', async () => {
    const created = await post(core('pods'), {
      metadata: { name: 'timed' },
      spec: { containers: [container()] },
    });
    expect(created.status).toBe(201);
    const res = await patch(
      core('pods', 'timed/status'),
      { status: { startTime: 'x' } },
      STRATEGIC,
    );
    expectInvalid(res, ' ""', [
      invalid(
        'patch',
        '"map[status:map[startTime:x]]"',
        'parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"',
      ),
    ]);
  });
});
