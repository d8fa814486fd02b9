/**
 * Differential: kube-apiserver's validation of pod specs (in Pods and every workload
 * template), workload selectors and Service external IPs and port names: the same
 * bodies get the same 422 causes, in the same order, with the same messages.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Cause, expectCauses as expectInvalid } from './invalid-causes.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-spec-valid');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const path = (gv: string, plural: string) =>
  `${gv === 'v1' ? '/api/v1' : `/apis/${gv}`}/namespaces/${ns}/${plural}`;

const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** Creates `body` and expects a 422 Invalid with exactly these causes, in this order. */
const expectCauses = (gv: string, plural: string, body: unknown, causes: Cause[]) =>
  expectInvalid(kc(), path(gv, plural), body, causes);

describe('pod specs', () => {
  test('volumes, mounts, ports, env, pull policy, probes and container names of a Pod', async () => {
    await expectCauses('v1', 'pods', POD, [
      ['spec.volumes[0].configMap.name', 'FieldValueRequired', 'Required value'],
      ['spec.volumes[2].name', 'FieldValueInvalid', `Invalid value: "Bad_Name": ${LABEL}`],
      [
        'spec.volumes[3].hostPath',
        'FieldValueForbidden',
        'Forbidden: may not specify more than 1 volume type',
      ],
      [
        'spec.volumes[4].hostPath.path',
        'FieldValueInvalid',
        'Invalid value: "/a/../b": must not contain \'..\'',
      ],
      [
        'spec.volumes[4].hostPath.type',
        'FieldValueNotSupported',
        'Unsupported value: "Weird": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"',
      ],
      ['spec.volumes[5].persistentVolumeClaim.claimName', 'FieldValueRequired', 'Required value'],
      ['spec.volumes[6].secret.secretName', 'FieldValueRequired', 'Required value'],
      [
        'spec.volumes[6].secret.defaultMode',
        'FieldValueInvalid',
        'Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive',
      ],
      ['spec.volumes[6].secret.items[0].key', 'FieldValueRequired', 'Required value'],
      ['spec.volumes[6].secret.items[0].path', 'FieldValueRequired', 'Required value'],
      [
        'spec.volumes[7].projected.sources[0].configMap.name',
        'FieldValueRequired',
        'Required value',
      ],
      [
        'spec.containers[0].ports[0].name',
        'FieldValueInvalid',
        'Invalid value: "Http": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      ],
      ['spec.containers[0].ports[0].containerPort', 'FieldValueRequired', 'Required value'],
      [
        'spec.containers[0].ports[1].containerPort',
        'FieldValueInvalid',
        'Invalid value: 70000: must be between 1 and 65535, inclusive',
      ],
      ['spec.containers[0].ports[2].name', 'FieldValueDuplicate', 'Duplicate value: "web"'],
      [
        'spec.containers[0].ports[2].protocol',
        'FieldValueNotSupported',
        'Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
      ],
      [
        'spec.containers[0].ports[3].name',
        'FieldValueInvalid',
        'Invalid value: "a--b-": must not contain consecutive hyphens',
      ],
      [
        'spec.containers[0].ports[3].name',
        'FieldValueInvalid',
        'Invalid value: "a--b-": must not begin or end with a hyphen',
      ],
      [
        'spec.containers[0].ports[3].hostPort',
        'FieldValueInvalid',
        'Invalid value: 70000: must be between 1 and 65535, inclusive',
      ],
      [
        'spec.containers[0].env[0].name',
        'FieldValueInvalid',
        'Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than \'=\'',
      ],
      ['spec.containers[0].env[1].name', 'FieldValueRequired', 'Required value'],
      ['spec.containers[0].volumeMounts[0].name', 'FieldValueNotFound', 'Not found: "missing"'],
      [
        'spec.containers[0].volumeMounts[1].mountPath',
        'FieldValueInvalid',
        'Invalid value: "/a": must be unique',
      ],
      ['spec.containers[0].volumeMounts[2].name', 'FieldValueNotFound', 'Not found: "pvc"'],
      ['spec.containers[0].volumeMounts[2].mountPath', 'FieldValueRequired', 'Required value'],
      [
        'spec.containers[0].imagePullPolicy',
        'FieldValueNotSupported',
        'Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
      ],
      [
        'spec.containers[0].livenessProbe',
        'FieldValueRequired',
        'Required value: must specify a handler type',
      ],
      [
        'spec.containers[0].livenessProbe.successThreshold',
        'FieldValueInvalid',
        'Invalid value: 2: must be 1',
      ],
      [
        'spec.containers[0].readinessProbe.httpGet',
        'FieldValueForbidden',
        'Forbidden: may not specify more than 1 handler type',
      ],
      [
        'spec.containers[0].readinessProbe.initialDelaySeconds',
        'FieldValueInvalid',
        'Invalid value: -2: must be greater than or equal to 0',
      ],
      [
        'spec.containers[0].readinessProbe.periodSeconds',
        'FieldValueInvalid',
        'Invalid value: -1: must be greater than or equal to 0',
      ],
      [
        'spec.containers[0].startupProbe.tcpSocket.port',
        'FieldValueInvalid',
        'Invalid value: 0: must be between 1 and 65535, inclusive',
      ],
      ['spec.containers[1].name', 'FieldValueDuplicate', 'Duplicate value: "c"'],
      ['spec.initContainers[0].name', 'FieldValueDuplicate', 'Duplicate value: "c"'],
    ]);
  });

  test('a pod spec that uses each of them correctly is accepted, probes defaulted', async () => {
    const res = await raw(kc(), 'POST', path('v1', 'pods'), { body: VALID_POD });
    expect(res.status, res.text).toBe(201);
    const spec = res.json().spec;
    // A zero period means unset, and is defaulted as such.
    expect(spec.containers[0].livenessProbe).toMatchObject({
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(spec.initContainers[1].readinessProbe.grpc).toEqual({ port: 9000, service: '' });
  });

  test('a Deployment template and a CronJob job template are checked the same way', async () => {
    await expectCauses('apps/v1', 'deployments', DEPLOYMENT, [
      ['spec.template.spec.volumes[0].secret.secretName', 'FieldValueRequired', 'Required value'],
      [
        'spec.template.spec.containers[0].ports[0].name',
        'FieldValueInvalid',
        'Invalid value: "thisnameiswaytoolong": must be no more than 15 characters',
      ],
      [
        'spec.template.spec.containers[0].volumeMounts[0].name',
        'FieldValueNotFound',
        'Not found: "v"',
      ],
      [
        'spec.template.spec.containers[0].readinessProbe',
        'FieldValueRequired',
        'Required value: must specify a handler type',
      ],
    ]);
    await expectCauses('batch/v1', 'cronjobs', CRONJOB, [
      [
        'spec.jobTemplate.spec.template.spec.containers[0].env[0].name',
        'FieldValueInvalid',
        'Invalid value: "a=b": a valid environment variable name must consist only of printable ASCII characters other than \'=\'',
      ],
      [
        'spec.jobTemplate.spec.template.spec.containers[0].livenessProbe.exec.command',
        'FieldValueRequired',
        'Required value',
      ],
    ]);
  });
});

describe('workload selectors', () => {
  const withKind = (kind: string) => ({ ...SELECTOR_WORKLOAD, kind });
  const SYNTAX: Cause[] = [
    ['spec.selector.matchLabels', 'FieldValueInvalid', `Invalid value: "bad key": ${NAME_PART}`],
    [
      'spec.selector.matchExpressions[0].operator',
      'FieldValueInvalid',
      'Invalid value: "Bogus": not a valid selector operator',
    ],
    [
      'spec.selector.matchExpressions[1].values',
      'FieldValueRequired',
      "Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ],
    [
      'spec.selector.matchExpressions[2].values',
      'FieldValueForbidden',
      "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ],
    [
      'spec.selector.matchExpressions[3].key',
      'FieldValueInvalid',
      `Invalid value: "Bad Key": ${NAME_PART}`,
    ],
    [
      'spec.selector.matchExpressions[3].values[1]',
      'FieldValueInvalid',
      `Invalid value: "not ok!": ${LABEL_VALUE}`,
    ],
  ];
  // The selector as Go encodes it: sorted labels, the empty values list left out.
  const AS_GO =
    'Invalid value: {"matchLabels":{"a":"b","bad key":"x"},"matchExpressions":[{"key":"x","operator":"Bogus"},{"key":"y","operator":"In"},{"key":"z","operator":"Exists","values":["v"]},{"key":"Bad Key","operator":"NotIn","values":["ok","not ok!"]}]}';

  test('Deployments and ReplicaSets report each error, then the selector as invalid', async () => {
    const causes: Cause[] = [
      ...SYNTAX,
      ['spec.selector', 'FieldValueInvalid', `${AS_GO}: invalid label selector`],
    ];
    await expectCauses('apps/v1', 'deployments', withKind('Deployment'), causes);
    await expectCauses('apps/v1', 'replicasets', withKind('ReplicaSet'), causes);
  });

  test('StatefulSets report the selector without a reason, DaemonSets not at all', async () => {
    await expectCauses('apps/v1', 'statefulsets', withKind('StatefulSet'), [
      ...SYNTAX,
      ['spec.selector', 'FieldValueInvalid', AS_GO],
    ]);
    await expectCauses('apps/v1', 'daemonsets', withKind('DaemonSet'), SYNTAX);
  });
});

describe('PodDisruptionBudgets', () => {
  test('one of minAvailable and maxUnavailable, each a count or up to 100%; selector syntax', async () => {
    const pdb = (spec: Record<string, unknown>) => ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'pdb' },
      spec,
    });
    await expectCauses(
      'policy/v1',
      'poddisruptionbudgets',
      pdb({
        minAvailable: 1,
        maxUnavailable: 1,
        selector: {
          matchLabels: { 'bad key': 'x' },
          matchExpressions: [
            { key: 'x', operator: 'Bogus' },
            { key: 'y', operator: 'In', values: [] },
          ],
        },
      }),
      [
        [
          'spec',
          'FieldValueInvalid',
          'Invalid value: {"MinAvailable":1,"Selector":{"matchLabels":{"bad key":"x"},"matchExpressions":[{"key":"x","operator":"Bogus"},{"key":"y","operator":"In"}]},"MaxUnavailable":1,"UnhealthyPodEvictionPolicy":null}: minAvailable and maxUnavailable cannot be both set',
        ],
        [
          'spec.selector.matchLabels',
          'FieldValueInvalid',
          `Invalid value: "bad key": ${NAME_PART}`,
        ],
        [
          'spec.selector.matchExpressions[0].operator',
          'FieldValueInvalid',
          'Invalid value: "Bogus": not a valid selector operator',
        ],
        [
          'spec.selector.matchExpressions[1].values',
          'FieldValueRequired',
          "Required value: must be specified when `operator` is 'In' or 'NotIn'",
        ],
      ],
    );
    await expectCauses(
      'policy/v1',
      'poddisruptionbudgets',
      pdb({ minAvailable: '150%', selector: { matchLabels: { a: 'b' } } }),
      [
        [
          'spec.minAvailable',
          'FieldValueInvalid',
          'Invalid value: "150%": must not be greater than 100%',
        ],
      ],
    );
  });
});

describe('Services', () => {
  test('port names are RFC 1123 labels, target port names IANA names; external IPs', async () => {
    await expectCauses('v1', 'services', SERVICE, [
      ['spec.ports[0].name', 'FieldValueInvalid', `Invalid value: "Bad_Name": ${LABEL}`],
      [
        'spec.ports[1].targetPort',
        'FieldValueInvalid',
        'Invalid value: "x--y": must not contain consecutive hyphens',
      ],
      [
        'spec.externalIPs[0]',
        'FieldValueInvalid',
        'Invalid value: "abc": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ],
      [
        'spec.externalIPs[1]',
        'FieldValueInvalid',
        'Invalid value: "1.2.3": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ],
      [
        'spec.externalIPs[2]',
        'FieldValueInvalid',
        'Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)',
      ],
      [
        'spec.externalIPs[3]',
        'FieldValueInvalid',
        'Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      ],
      [
        'spec.externalIPs[4]',
        'FieldValueInvalid',
        'Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
      ],
      [
        'spec.externalIPs[5]',
        'FieldValueInvalid',
        'Invalid value: "224.0.0.1": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
      ],
      [
        'spec.externalIPs[7]',
        'FieldValueInvalid',
        'Invalid value: "::1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      ],
      [
        'spec.externalIPs[8]',
        'FieldValueInvalid',
        'Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
      ],
      [
        'spec.externalIPs[9]',
        'FieldValueInvalid',
        'Invalid value: "010.1.1.1": must not have leading 0s',
      ],
      [
        'spec.externalIPs[11]',
        'FieldValueInvalid',
        'Invalid value: "::ffff:1.2.3.4": must not be an IPv4-mapped IPv6 address',
      ],
      [
        'spec.externalIPs[12]',
        'FieldValueInvalid',
        'Invalid value: "1.2.3.4/32": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ],
      [
        'spec.externalIPs[13]',
        'FieldValueInvalid',
        'Invalid value: "": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ],
    ]);
  });
});

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'pa' },
  spec: {
    volumes: [
      { name: 'v1', configMap: {} },
      { name: 'v1', emptyDir: {} },
      { name: 'Bad_Name', secret: { secretName: 's' } },
      { name: 'two', emptyDir: {}, hostPath: { path: '/x' } },
      { name: 'hp', hostPath: { path: '/a/../b', type: 'Weird' } },
      { name: 'pvc', persistentVolumeClaim: {} },
      { name: 'sec', secret: { defaultMode: 1000, items: [{ key: '', path: '' }] } },
      { name: 'proj', projected: { sources: [{ configMap: {} }] } },
    ],
    containers: [
      {
        name: 'c',
        image: 'i',
        ports: [
          { name: 'Http', containerPort: 0 },
          { name: 'web', containerPort: 70000 },
          { name: 'web', containerPort: 80, protocol: 'ICMP' },
          { name: 'a--b-', containerPort: 81, hostPort: 70000 },
        ],
        env: [{ name: 'A=B' }, { name: '' }],
        volumeMounts: [
          { name: 'missing', mountPath: '/a' },
          { name: 'v1', mountPath: '/a' },
          { name: 'pvc', mountPath: '' },
        ],
        imagePullPolicy: 'Sometimes',
        livenessProbe: { successThreshold: 2 },
        readinessProbe: {
          exec: { command: ['x'] },
          httpGet: { port: 'toolongportname-x' },
          periodSeconds: -1,
          initialDelaySeconds: -2,
        },
        startupProbe: { tcpSocket: { port: 0 } },
      },
      { name: 'c', image: 'i', imagePullPolicy: 'Never' },
    ],
    initContainers: [{ name: 'c', image: 'i' }],
  },
};
const VALID_POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'pok' },
  spec: {
    volumes: [
      { name: 'cfg', configMap: { name: 'x', items: [{ key: 'a', path: 'a' }] } },
      { name: 's', secret: { secretName: 's' } },
      { name: 'e' },
      { name: 'h', hostPath: { path: '/tmp', type: 'Directory' } },
      { name: 'p', persistentVolumeClaim: { claimName: 'c' } },
      { name: 'pr', projected: { sources: [{ configMap: { name: 'x' } }] } },
      {
        name: 'd',
        downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] },
      },
    ],
    containers: [
      {
        name: 'c',
        image: 'nginx:1',
        ports: [
          { name: 'http', containerPort: 80 },
          { containerPort: 81, protocol: 'UDP' },
        ],
        env: [{ name: 'A.b-c_1' }, { name: '1abc', value: 'x' }],
        volumeMounts: [
          { name: 'cfg', mountPath: '/c' },
          { name: 'e', mountPath: '/e' },
        ],
        livenessProbe: { httpGet: { port: 'http', path: '/h' }, periodSeconds: 0 },
        readinessProbe: { tcpSocket: { port: 80 } },
        startupProbe: { exec: { command: ['true'] }, failureThreshold: 30 },
      },
    ],
    initContainers: [
      { name: 'i', image: 'busybox', volumeMounts: [{ name: 's', mountPath: '/s' }] },
      {
        name: 'side',
        image: 'busybox',
        restartPolicy: 'Always',
        readinessProbe: { grpc: { port: 9000 } },
      },
    ],
  },
};
const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'da' },
  spec: {
    selector: { matchLabels: { a: 'b' } },
    template: {
      metadata: { labels: { a: 'b' } },
      spec: {
        volumes: [{ name: 'v', secret: {} }],
        containers: [
          {
            name: 'c',
            image: 'i',
            volumeMounts: [{ name: 'v', mountPath: '/v' }],
            ports: [{ name: 'thisnameiswaytoolong', containerPort: 80 }],
            readinessProbe: {},
          },
        ],
      },
    },
  },
};
const CRONJOB = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'cja' },
  spec: {
    schedule: '* * * * *',
    jobTemplate: {
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'c',
                image: 'i',
                env: [{ name: 'a=b' }],
                livenessProbe: { exec: { command: [] } },
              },
            ],
          },
        },
      },
    },
  },
};
const SELECTOR_WORKLOAD = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'ds1' },
  spec: {
    selector: {
      matchLabels: { a: 'b', 'bad key': 'x' },
      matchExpressions: [
        { key: 'x', operator: 'Bogus' },
        { key: 'y', operator: 'In', values: [] },
        { key: 'z', operator: 'Exists', values: ['v'] },
        { key: 'Bad Key', operator: 'NotIn', values: ['ok', 'not ok!'] },
      ],
    },
    template: {
      metadata: { labels: { a: 'b' } },
      spec: { containers: [{ name: 'c', image: 'i' }] },
    },
  },
};
const SERVICE = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'sa' },
  spec: {
    externalIPs: [
      'abc',
      '1.2.3',
      '0.0.0.0',
      '127.0.0.1',
      '169.254.1.1',
      '224.0.0.1',
      '1.2.3.4',
      '::1',
      'fe80::1',
      '010.1.1.1',
      '2001:db8::1',
      '::ffff:1.2.3.4',
      '1.2.3.4/32',
      '',
    ],
    ports: [
      { name: 'Bad_Name', port: 80 },
      { name: 'web', port: 81, targetPort: 'x--y' },
      { name: 'thisnameiswaytoolongforaportnameyes', port: 82, targetPort: 0 },
    ],
  },
};
