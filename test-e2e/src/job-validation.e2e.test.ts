/**
 * Differential: batch/v1 Jobs as kube-apiserver's Job strategy and batch validation treat
 * them: pod failure and success policies, the indexed completion rules, generated and
 * manual selectors and the labels they need, what an update may change (a suspended Job's
 * template included) and the consistency rules of a status update; the values quoted are
 * the server's internal Go structs as it writes them.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NAME_PART } from './invalid-causes.js';
import {
  duplicateValue,
  expectInvalid,
  invalid,
  invalidOmitted,
  requiredValue,
  unsupported,
} from './invalid-status.js';
import { type RawResponse, raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-jobs');
});

afterAll(async () => {
  await e2e?.stop();
});

const MERGE = 'application/merge-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const jobs = (name = '') => `/apis/batch/v1/namespaces/${ns}/jobs${name ? `/${name}` : ''}`;
const kc = () => e2e.backend.kubeConfig;
const post = (name: string, spec: Record<string, unknown>) =>
  raw(kc(), 'POST', jobs(), { body: { metadata: { name }, spec } });
const patch = (path: string, body: unknown, contentType = MERGE) =>
  raw(kc(), 'PATCH', path, { body, contentType });

const UID_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** The response with every uid written `UID` (a refused Job's uid is never stored). */
const scrubbed = (res: RawResponse): RawResponse => {
  const text = res.text.replace(UID_TEXT, 'UID');
  return { ...res, text, json: () => JSON.parse(text) };
};

const template = (extra: Record<string, unknown> = {}) => ({
  spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'nginx' }], ...extra },
});
const NEGATIVE = 'must be greater than or equal to 0';
/** The running Job's template as kube-apiserver quotes it (encoding/json of `core.PodTemplateSpec`). */
const RUNNING_TEMPLATE =
  '{"labels":{"batch.kubernetes.io/controller-uid":"UID","batch.kubernetes.io/job-name":"running","controller-uid":"UID","job-name":"running","x":"y"},"Spec":{"Volumes":null,"InitContainers":null,"Containers":[{"Name":"c","Image":"nginx","Command":null,"Args":null,"WorkingDir":"","Ports":[{"Name":"","HostPort":0,"ContainerPort":80,"Protocol":"TCP","HostIP":""}],"EnvFrom":null,"Env":null,"Resources":{"Limits":{"cpu":"500m","memory":"1Gi"},"Requests":null,"Claims":null},"ResizePolicy":null,"RestartPolicy":null,"RestartPolicyRules":null,"VolumeMounts":null,"VolumeDevices":null,"LivenessProbe":null,"ReadinessProbe":{"Exec":null,"HTTPGet":null,"TCPSocket":{"Port":80,"Host":""},"GRPC":null,"InitialDelaySeconds":0,"TimeoutSeconds":1,"PeriodSeconds":10,"SuccessThreshold":1,"FailureThreshold":3,"TerminationGracePeriodSeconds":null},"StartupProbe":null,"Lifecycle":null,"TerminationMessagePath":"/dev/termination-log","TerminationMessagePolicy":"File","ImagePullPolicy":"Always","SecurityContext":null,"Stdin":false,"StdinOnce":false,"TTY":false}],"EphemeralContainers":null,"RestartPolicy":"Never","TerminationGracePeriodSeconds":30,"ActiveDeadlineSeconds":null,"DNSPolicy":"ClusterFirst","NodeSelector":null,"ServiceAccountName":"old","AutomountServiceAccountToken":null,"NodeName":"","SecurityContext":{"HostNetwork":true,"HostPID":false,"HostIPC":false,"ShareProcessNamespace":null,"HostUsers":null,"SELinuxOptions":null,"WindowsOptions":null,"RunAsUser":null,"RunAsGroup":null,"RunAsNonRoot":null,"SupplementalGroups":null,"SupplementalGroupsPolicy":null,"FSGroup":null,"FSGroupChangePolicy":null,"Sysctls":null,"SeccompProfile":null,"AppArmorProfile":null,"SELinuxChangePolicy":null},"ImagePullSecrets":null,"Hostname":"","Subdomain":"","SetHostnameAsFQDN":null,"Affinity":null,"SchedulerName":"default-scheduler","Tolerations":null,"HostAliases":null,"PriorityClassName":"","Priority":null,"PreemptionPolicy":null,"DNSConfig":null,"ReadinessGates":null,"RuntimeClassName":null,"Overhead":null,"EnableServiceLinks":null,"TopologySpreadConstraints":null,"OS":null,"SchedulingGates":null,"ResourceClaims":null,"Resources":null,"HostnameOverride":null,"SchedulingGroup":null}}';
/** The suspended Job's changed pod spec as kube-apiserver quotes it (`core.PodSpec`). */
const SUSPENDED_SPEC =
  '{"Volumes":null,"InitContainers":null,"Containers":[{"Name":"c","Image":"other","Command":null,"Args":null,"WorkingDir":"","Ports":null,"EnvFrom":null,"Env":null,"Resources":{"Limits":{"cpu":"1"},"Requests":null,"Claims":null},"ResizePolicy":null,"RestartPolicy":null,"RestartPolicyRules":null,"VolumeMounts":null,"VolumeDevices":null,"LivenessProbe":null,"ReadinessProbe":null,"StartupProbe":null,"Lifecycle":null,"TerminationMessagePath":"/dev/termination-log","TerminationMessagePolicy":"File","ImagePullPolicy":"Always","SecurityContext":null,"Stdin":false,"StdinOnce":false,"TTY":false}],"EphemeralContainers":null,"RestartPolicy":"Never","TerminationGracePeriodSeconds":30,"ActiveDeadlineSeconds":null,"DNSPolicy":"ClusterFirst","NodeSelector":{"n":"1"},"ServiceAccountName":"","AutomountServiceAccountToken":null,"NodeName":"","SecurityContext":{"HostNetwork":false,"HostPID":false,"HostIPC":false,"ShareProcessNamespace":null,"HostUsers":null,"SELinuxOptions":null,"WindowsOptions":null,"RunAsUser":null,"RunAsGroup":null,"RunAsNonRoot":null,"SupplementalGroups":null,"SupplementalGroupsPolicy":null,"FSGroup":null,"FSGroupChangePolicy":null,"Sysctls":null,"SeccompProfile":null,"AppArmorProfile":null,"SELinuxChangePolicy":null},"ImagePullSecrets":null,"Hostname":"","Subdomain":"","SetHostnameAsFQDN":null,"Affinity":null,"SchedulerName":"default-scheduler","Tolerations":null,"HostAliases":null,"PriorityClassName":"","Priority":null,"PreemptionPolicy":null,"DNSConfig":null,"ReadinessGates":null,"RuntimeClassName":null,"Overhead":null,"EnableServiceLinks":null,"TopologySpreadConstraints":null,"OS":null,"SchedulingGates":null,"ResourceClaims":null,"Resources":null,"HostnameOverride":null,"SchedulingGroup":null}';
const INDEXED = 'requires indexed completion mode';

describe('a Job spec', () => {
  test('podFailurePolicy: actions, exit codes, pod conditions, restart policy, replacement policy', async () => {
    const res = await post('pfp', {
      podFailurePolicy: {
        rules: [
          { action: '', onExitCodes: { operator: 'In', values: [0, 3, 3, 1], containerName: 'x' } },
          {
            action: 'FailIndex',
            onPodConditions: [
              { type: 'Bad Type', status: '' },
              { type: 'DisruptionTarget', status: 'Maybe' },
            ],
          },
          { action: 'Explode' },
          {
            action: 'Ignore',
            onExitCodes: { operator: 'Between', values: [] },
            onPodConditions: [{ type: 'X', status: 'True' }],
          },
        ],
      },
      podReplacementPolicy: 'TerminatingOrFailed',
      template: template({ restartPolicy: 'OnFailure' }),
    });
    const rule = (i: number) => `spec.podFailurePolicy.rules[${i}]`;
    const ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
    expectInvalid(res, 'Job.batch "pfp"', [
      requiredValue(`${rule(0)}.action`, 'valid values: ["Count" "FailIndex" "FailJob" "Ignore"]'),
      invalid(
        `${rule(0)}.onExitCodes.containerName`,
        '"x"',
        'must be one of the container or initContainer names in the pod template',
      ),
      invalid(`${rule(0)}.onExitCodes.values[0]`, '0', 'must not be 0 for the In operator'),
      {
        reason: 'FieldValueDuplicate',
        message: 'Duplicate value: 3',
        field: `${rule(0)}.onExitCodes.values[2]`,
      },
      invalid(`${rule(0)}.onExitCodes.values`, '[0,3,3,1]', 'must be ordered'),
      invalid(`${rule(1)}.action`, '"FailIndex"', 'requires the backoffLimitPerIndex to be set'),
      // An empty status defaults to True.
      invalid(`${rule(1)}.onPodConditions[0].type`, '"Bad Type"', NAME_PART),
      unsupported(`${rule(1)}.onPodConditions[1].status`, 'Maybe', ['False', 'True', 'Unknown']),
      unsupported(`${rule(2)}.action`, 'Explode', ACTIONS),
      invalidOmitted(rule(2), 'specifying one of OnExitCodes and OnPodConditions is required'),
      unsupported(`${rule(3)}.onExitCodes.operator`, 'Between', ['In', 'NotIn']),
      invalid(`${rule(3)}.onExitCodes.values`, '[]', 'at least one value is required'),
      invalidOmitted(rule(3), 'specifying both OnExitCodes and OnPodConditions is not supported'),
      unsupported('spec.podReplacementPolicy', 'TerminatingOrFailed', ['Failed']),
      invalid(
        'spec.template.spec.restartPolicy',
        '"OnFailure"',
        'only "Never" is supported when podFailurePolicy is specified',
      ),
    ]);
  });

  test('successPolicy: indexed only, rules required, index lists and counts', async () => {
    expectInvalid(
      await post('sp-nonindexed', { successPolicy: { rules: [{}] }, template: template() }),
      'Job.batch "sp-nonindexed"',
      [
        invalid(
          'spec.successPolicy',
          '{"Rules":[{"SucceededIndexes":null,"SucceededCount":null}]}',
          INDEXED,
        ),
      ],
    );
    const indexed = { completionMode: 'Indexed', completions: 5, template: template() };
    expectInvalid(
      await post('sp-empty', { ...indexed, successPolicy: { rules: [] } }),
      'Job.batch "sp-empty"',
      [
        requiredValue(
          'spec.successPolicy.rules',
          'at least one rules must be specified when the successPolicy is specified',
        ),
      ],
    );
    const res = await post('sp-rules', {
      ...indexed,
      successPolicy: {
        rules: [
          {},
          { succeededIndexes: '1-3,2', succeededCount: 9 },
          { succeededIndexes: '0-1,3', succeededCount: 4 },
          { succeededIndexes: 'a' },
          { succeededIndexes: '1-2-3' },
          { succeededIndexes: '7' },
          { succeededIndexes: '3-1' },
          { succeededCount: -1 },
        ],
      },
    });
    const rule = (i: number) => `spec.successPolicy.rules[${i}]`;
    const parsing = 'error parsing succeededIndexes:';
    expectInvalid(res, 'Job.batch "sp-rules"', [
      requiredValue(
        rule(0),
        'at least one of succeededCount or succeededIndexes must be specified',
      ),
      invalid(
        `${rule(1)}.succeededIndexes`,
        '"1-3,2"',
        `${parsing} non-increasing order, previous: 3, current: 2`,
      ),
      invalid(
        `${rule(1)}.succeededCount`,
        '9',
        'must be less than or equal to 5 (the number of specified completions)',
      ),
      invalid(
        `${rule(1)}.succeededCount`,
        '9',
        'must be less than or equal to 0 (the number of indexes in the specified succeededIndexes field)',
      ),
      invalid(
        `${rule(2)}.succeededCount`,
        '4',
        'must be less than or equal to 3 (the number of indexes in the specified succeededIndexes field)',
      ),
      invalid(
        `${rule(3)}.succeededIndexes`,
        '"a"',
        `${parsing} cannot convert string to integer for index: "a"`,
      ),
      invalid(
        `${rule(4)}.succeededIndexes`,
        '"1-2-3"',
        `${parsing} the fragment "1-2-3" violates the requirement that an index interval can have at most two parts separated by '-'`,
      ),
      invalid(`${rule(5)}.succeededIndexes`, '"7"', `${parsing} too large index: "7"`),
      invalid(
        `${rule(6)}.succeededIndexes`,
        '"3-1"',
        `${parsing} non-increasing order, previous: 3, current: 1`,
      ),
      invalid(`${rule(7)}.succeededCount`, '-1', NEGATIVE),
    ]);
  });

  test('counts, managedBy, completion mode and the indexed limits', async () => {
    expectInvalid(
      await post('counts', {
        completionMode: 'Weird',
        backoffLimitPerIndex: 1,
        maxFailedIndexes: 2,
        managedBy: 'nope',
        ttlSecondsAfterFinished: -1,
        activeDeadlineSeconds: -1,
        podReplacementPolicy: 'Sometimes',
        template: template(),
      }),
      'Job.batch "counts"',
      [
        invalid('spec.activeDeadlineSeconds', '-1', NEGATIVE),
        invalid('spec.ttlSecondsAfterFinished', '-1', NEGATIVE),
        invalid(
          'spec.managedBy',
          '"nope"',
          'must be a domain-prefixed path (such as "acme.io/foo")',
        ),
        unsupported('spec.completionMode', 'Weird', ['NonIndexed', 'Indexed']),
        unsupported('spec.podReplacementPolicy', 'Sometimes', ['Failed', 'TerminatingOrFailed']),
      ],
    );
    expectInvalid(
      await post('per-index', {
        backoffLimitPerIndex: 1,
        maxFailedIndexes: 1,
        template: template(),
      }),
      'Job.batch "per-index"',
      [
        invalid('spec.backoffLimitPerIndex', '1', INDEXED),
        invalid('spec.maxFailedIndexes', '1', INDEXED),
      ],
    );
    expectInvalid(
      await post('indexed', {
        completionMode: 'Indexed',
        backoffLimitPerIndex: -1,
        maxFailedIndexes: -2,
        parallelism: 100001,
        template: template(),
      }),
      'Job.batch "indexed"',
      [
        invalid('spec.backoffLimitPerIndex', '-1', NEGATIVE),
        invalid('spec.maxFailedIndexes', '-2', NEGATIVE),
        requiredValue('spec.completions', 'when completion mode is Indexed'),
        invalid(
          'spec.parallelism',
          '100001',
          'must be less than or equal to 100000 when completion mode is Indexed',
        ),
      ],
    );
    expectInvalid(
      await post('failed-indexes', {
        completionMode: 'Indexed',
        completions: 3,
        maxFailedIndexes: 4,
        template: template(),
      }),
      'Job.batch "failed-indexes"',
      [
        requiredValue('spec.backoffLimitPerIndex', 'when maxFailedIndexes is specified'),
        invalid('spec.maxFailedIndexes', '4', 'must be less than or equal to completions'),
      ],
    );
    const high = 'when completions are above 100000 and used with backoff limit per index';
    expectInvalid(
      await post('many', {
        completionMode: 'Indexed',
        completions: 200000,
        parallelism: 20000,
        backoffLimitPerIndex: 1,
        maxFailedIndexes: 150000,
        template: template(),
      }),
      'Job.batch "many"',
      [
        invalid('spec.maxFailedIndexes', '150000', 'must be less than or equal to 100000'),
        invalid('spec.parallelism', '20000', `must be less than or equal to 10000 ${high}`),
        invalid('spec.maxFailedIndexes', '150000', `must be less than or equal to 10000 ${high}`),
      ],
    );
    const name = `a${'b'.repeat(61)}`;
    expectInvalid(
      await post(name, { completionMode: 'Indexed', completions: 100, template: template() }),
      `Job.batch "${name}"`,
      [
        invalid(
          'metadata.name',
          JSON.stringify(name),
          `will not able to create pod with invalid DNS label: ${name}-99`,
        ),
      ],
    );
  });

  test('defaults: per-index backoff, replacement policy, pod condition status', async () => {
    const res = await post('defaults', {
      suspend: true,
      completionMode: 'Indexed',
      completions: 2,
      backoffLimitPerIndex: 1,
      podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'X' }] }] },
      template: template(),
    });
    expect(res.status, res.text).toBe(201);
    const spec = res.json().spec;
    expect(spec.backoffLimit).toBe(2147483647);
    expect(spec.podReplacementPolicy).toBe('Failed');
    expect(spec.podFailurePolicy.rules[0].onPodConditions).toEqual([{ type: 'X', status: 'True' }]);
  });
});

describe('warnings', () => {
  test('a name that is no DNS label; an Indexed Job too wide to track', async () => {
    const res = await post('w.x', {
      suspend: true,
      completionMode: 'Indexed',
      completions: 200000,
      parallelism: 20000,
      template: template(),
    });
    // The pods' hostnames would not be DNS labels either: refused, with no warning.
    expect(res.status).toBe(422);
    expect(res.warnings).toEqual([]);
    const dotted = await post('w.y', { suspend: true, template: template() });
    expect(dotted.status, dotted.text).toBe(201);
    expect(dotted.warnings).toEqual([
      'metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]',
    ]);
    const wide = await post('wide', {
      suspend: true,
      completionMode: 'Indexed',
      completions: 200000,
      parallelism: 20000,
      template: template(),
    });
    expect(wide.status, wide.text).toBe(201);
    const WIDE =
      'spec: In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than 10^4, Kubernetes might not be able to track completedIndexes when a big number of indexes fail';
    expect(wide.warnings).toEqual([WIDE]);
    const relabelled = await patch(jobs('wide'), { metadata: { labels: { a: 'b' } } });
    expect(relabelled.status, relabelled.text).toBe(200);
    expect(relabelled.warnings).toEqual([]);
    const narrowed = await patch(jobs('wide'), { spec: { parallelism: 20001 } });
    expect(narrowed.status, narrowed.text).toBe(200);
    expect(narrowed.warnings).toEqual([WIDE]);
  });
});

describe('selectors', () => {
  test('a manual selector is required and must select the template', async () => {
    expectInvalid(
      await post('manual', { manualSelector: true, template: template() }),
      'Job.batch "manual"',
      [
        requiredValue('spec.selector'),
        invalid(
          'spec.template.metadata.labels',
          'null',
          '`selector` does not match template `labels`',
        ),
      ],
    );
    const ok = await post('manual-ok', {
      manualSelector: true,
      selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, ...template() },
    });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json().metadata.labels).toEqual({ a: 'b' });
    expect(ok.json().spec.selector).toEqual({ matchLabels: { a: 'b' } });
  });

  test('a generated selector keeps what the user set, which then fails', async () => {
    const labels = {
      'batch.kubernetes.io/controller-uid': 'UID',
      'batch.kubernetes.io/job-name': 'own',
      'controller-uid': 'UID',
      'job-name': 'own',
    };
    expectInvalid(
      scrubbed(await post('own', { selector: { matchLabels: { a: 'b' } }, template: template() })),
      'Job.batch "own"',
      [
        invalid(
          'spec.selector',
          '{"matchLabels":{"a":"b","batch.kubernetes.io/controller-uid":"UID"}}',
          '`selector` not auto-generated',
        ),
        invalid(
          'spec.template.metadata.labels',
          JSON.stringify(labels),
          '`selector` does not match template `labels`',
        ),
      ],
    );
    const conflicting = {
      'batch.kubernetes.io/controller-uid': 'abc',
      'batch.kubernetes.io/job-name': 'clash',
      'controller-uid': 'UID',
      'job-name': 'other',
    };
    expectInvalid(
      scrubbed(
        await post('clash', {
          template: {
            metadata: {
              labels: { 'job-name': 'other', 'batch.kubernetes.io/controller-uid': 'abc' },
            },
            ...template(),
          },
        }),
      ),
      'Job.batch "clash"',
      [
        invalid(
          'spec.template.metadata.labels[job-name]',
          JSON.stringify(conflicting),
          "must be 'clash'",
        ),
        invalid(
          'spec.template.metadata.labels[batch.kubernetes.io/controller-uid]',
          JSON.stringify(conflicting),
          "must be 'UID'",
        ),
        invalid(
          'spec.template.metadata.labels',
          JSON.stringify(conflicting),
          '`selector` does not match template `labels`',
        ),
      ],
    );
  });
});

describe('updates', () => {
  const indexedSpec = {
    suspend: true,
    completionMode: 'Indexed',
    completions: 3,
    parallelism: 3,
    backoffLimitPerIndex: 1,
    podFailurePolicy: {
      rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1] } }],
    },
    successPolicy: { rules: [{ succeededIndexes: '0-1', succeededCount: 1 }] },
    template: template(),
  };

  test('completions move with parallelism; policies, mode and selector are fixed', async () => {
    const created = await post('upd', indexedSpec);
    expect(created.status, created.text).toBe(201);
    const uid = created.json().metadata.uid;
    expectInvalid(await patch(jobs('upd'), { spec: { completions: 4 } }), 'Job.batch "upd"', [
      invalid('spec.completions', '4', 'can only be modified in tandem with spec.parallelism'),
    ]);
    const both = await patch(jobs('upd'), { spec: { completions: 4, parallelism: 4 } });
    expect(both.status, both.text).toBe(200);
    expect(both.json().spec.completions).toBe(4);
    const res = await patch(jobs('upd'), {
      spec: {
        completionMode: 'NonIndexed',
        backoffLimitPerIndex: 2,
        podFailurePolicy: {
          rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [2] } }],
        },
        successPolicy: { rules: [{ succeededCount: 2 }] },
        managedBy: 'a.io/b',
        selector: { matchLabels: { x: 'y' } },
      },
    });
    const selector = `{"matchLabels":{"batch.kubernetes.io/controller-uid":"${uid}","x":"y"}}`;
    const labels = JSON.stringify({
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': 'upd',
      'controller-uid': uid,
      'job-name': 'upd',
    });
    const success = '{"Rules":[{"SucceededIndexes":null,"SucceededCount":2}]}';
    // The new Job's own checks come twice: once as a Job, once in the update's.
    const specCauses = [
      invalid('spec.backoffLimitPerIndex', '2', INDEXED),
      invalid('spec.successPolicy', success, INDEXED),
      invalid(
        'spec.template.metadata.labels',
        labels,
        '`selector` does not match template `labels`',
      ),
    ];
    expectInvalid(res, 'Job.batch "upd"', [
      invalid('spec.selector', selector, '`selector` not auto-generated'),
      ...specCauses,
      ...specCauses,
      invalid('spec.selector', selector, 'field is immutable'),
      invalid('spec.completionMode', '"NonIndexed"', 'field is immutable'),
      invalid(
        'spec.podFailurePolicy',
        '{"Rules":[{"Action":"FailJob","OnExitCodes":{"ContainerName":null,"Operator":"In","Values":[2]},"OnPodConditions":null}]}',
        'field is immutable',
      ),
      invalid('spec.backoffLimitPerIndex', '2', 'field is immutable'),
      invalid('spec.managedBy', '"a.io/b"', 'field is immutable'),
      invalid('spec.successPolicy', success, 'field is immutable'),
    ]);
  });

  test("a running Job's template is immutable, quoted as the internal struct", async () => {
    const created = await post('running', {
      template: template({
        hostNetwork: true,
        serviceAccount: 'old',
        containers: [
          {
            name: 'c',
            image: 'nginx',
            ports: [{ containerPort: 80 }],
            resources: { limits: { cpu: '500m', memory: '1Gi' } },
            readinessProbe: { tcpSocket: { port: 80 } },
          },
        ],
      }),
    });
    expect(created.status, created.text).toBe(201);
    const changed = scrubbed(
      await patch(jobs('running'), { spec: { template: { metadata: { labels: { x: 'y' } } } } }),
    );
    expectInvalid(changed, 'Job.batch "running"', [
      invalid('spec.template', RUNNING_TEMPLATE, 'field is immutable'),
    ]);
  });

  test("a suspended Job's template: metadata, scheduling and resources may change", async () => {
    const created = await post('susp', indexedSpec);
    expect(created.status, created.text).toBe(201);
    const changed = await patch(
      jobs('susp'),
      {
        spec: {
          template: {
            metadata: { labels: { extra: '1' }, annotations: { a: 'b' } },
            spec: {
              nodeSelector: { n: '1' },
              containers: [{ name: 'c', resources: { limits: { cpu: '1' } } }],
            },
          },
        },
      },
      STRATEGIC,
    );
    expect(changed.status, changed.text).toBe(200);
    const tpl = changed.json().spec.template;
    expect(tpl.metadata.labels.extra).toBe('1');
    expect(tpl.spec.nodeSelector).toEqual({ n: '1' });
    expect(tpl.spec.containers[0].resources).toEqual({ limits: { cpu: '1' } });
    const image = await patch(
      jobs('susp'),
      { spec: { template: { spec: { containers: [{ name: 'c', image: 'other' }] } } } },
      STRATEGIC,
    );
    // The value quoted is the server's internal pod spec struct as encoding/json writes it.
    expectInvalid(image, 'Job.batch "susp"', [
      invalid('spec.template.spec', SUSPENDED_SPEC, 'field is immutable'),
    ]);
    expectInvalid(
      await patch(
        jobs('susp'),
        { spec: { template: { metadata: { labels: { 'job-name': null } } } } },
        STRATEGIC,
      ),
      'Job.batch "susp"',
      [requiredValue('spec.template.metadata.labels[job-name]', "must be 'susp'")],
    );
  });
});

describe('status', () => {
  test('counts, uncounted pods, conditions, times and index lists', async () => {
    const created = await post('st', {
      suspend: true,
      completionMode: 'Indexed',
      completions: 3,
      parallelism: 3,
      backoffLimitPerIndex: 1,
      template: template(),
    });
    expect(created.status, created.text).toBe(201);
    const status = (body: Record<string, unknown>) =>
      patch(`${jobs('st')}/status`, { status: body });
    const conditions = (...types: string[]) => types.map((type) => ({ type, status: 'True' }));
    const cond = (why: string) => invalidOmitted('status.conditions', why);
    expectInvalid(
      await status({
        active: -1,
        ready: 2,
        uncountedTerminatedPods: { succeeded: ['a', ''], failed: ['a'] },
        completedIndexes: '0,0',
        failedIndexes: '1',
        completionTime: '2024-01-01T00:00:00Z',
        conditions: conditions('Complete', 'Failed'),
      }),
      'Job.batch "st"',
      [
        invalid('status.active', '-1', NEGATIVE),
        invalid('status.uncountedTerminatedPods.succeeded[1]', '""', 'must not be empty'),
        duplicateValue('status.uncountedTerminatedPods.failed[0]', 'a'),
        cond('cannot set Complete=True and Failed=true conditions'),
        cond('cannot set Failed=True condition without the FailureTarget=true condition'),
        cond('cannot set Complete=True condition without the SuccessCriteriaMet=true condition'),
        requiredValue('status.startTime', 'startTime is required for finished job'),
        invalid(
          'status.uncountedTerminatedPods',
          '{"Succeeded":["a",""],"Failed":["a"]}',
          'must be empty for finished job',
        ),
        invalid(
          'status.completedIndexes',
          '"0,0"',
          'error parsing completedIndexes: non-increasing order, previous: 0, current: 0',
        ),
        invalid('status.ready', '2', 'cannot set more ready pods than active'),
      ],
    );
    expectInvalid(
      await status({
        startTime: '2024-01-02T00:00:00Z',
        completionTime: '2024-01-01T00:00:00Z',
        succeeded: 2,
        completedIndexes: '0-1',
        failedIndexes: '1-2',
        conditions: conditions('SuccessCriteriaMet', 'FailureTarget'),
      }),
      'Job.batch "st"',
      [
        invalid(
          'status.completionTime',
          '"2024-01-01T00:00:00Z"',
          'cannot set completionTime when there is no Complete=True condition',
        ),
        invalid(
          'status.completionTime',
          '"2024-01-01T00:00:00Z"',
          'must be equal to or after `startTime`',
        ),
        invalid(
          'status.failedIndexes',
          '"1-2"',
          'failedIndexes and completedIndexes overlap at index: 1',
        ),
        cond('cannot set SuccessCriteriaMet=True and FailureTarget=true conditions'),
      ],
    );
    const done = await status({
      startTime: '2024-01-01T00:00:00Z',
      completionTime: '2024-01-02T00:00:00Z',
      succeeded: 3,
      completedIndexes: '0-2',
      conditions: conditions('SuccessCriteriaMet', 'Complete'),
    });
    expect(done.status, done.text).toBe(200);
    expectInvalid(
      await status({
        succeeded: 1,
        completionTime: '2024-01-03T00:00:00Z',
        completedIndexes: '0',
        conditions: [],
      }),
      'Job.batch "st"',
      [
        invalid(
          'status.completionTime',
          '"2024-01-03T00:00:00Z"',
          'cannot set completionTime when there is no Complete=True condition',
        ),
        cond('cannot disable the terminal Complete=True condition'),
        invalid('status.completionTime', '"2024-01-03T00:00:00Z"', 'field is immutable'),
        cond('cannot disable the SuccessCriteriaMet=True condition'),
      ],
    );
  });
});
