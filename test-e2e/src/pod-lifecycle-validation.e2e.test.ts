/**
 * Differential: kube-apiserver's checks of lifecycle hooks, container restart policies
 * (sidecars, restart rules), host ports, `dnsPolicy`/`dnsConfig` and ephemeral containers,
 * in Pods and workload templates.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Cause,
  expectCauses,
  FORBIDDEN,
  INVALID,
  LABEL,
  NAME_PART,
  REQUIRED,
  SUBDOMAIN,
  UNSUPPORTED,
} from './invalid-causes.js';
import { holderPath, POD, WORKLOADS } from './pod-spec-fixtures.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-lifecycle');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const NOT_SIDECAR = 'Forbidden: may not be set for init containers without restartPolicy=Always';
const HEADER =
  "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')";
const SEARCH =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*')";

const CONTAINERS_SPEC = {
  containers: [
    {
      name: 'c0',
      image: 'i',
      ports: [{ containerPort: 80, hostPort: 8080 }],
      lifecycle: {
        postStart: { exec: { command: ['x'] }, sleep: { seconds: 1 } },
        preStop: { sleep: { seconds: 31 } },
      },
    },
    {
      name: 'c1',
      image: 'i',
      ports: [{ containerPort: 81, hostPort: 8080 }],
      restartPolicy: 'Sometimes',
      lifecycle: {
        preStop: {
          httpGet: {
            port: 'Bad_Port',
            scheme: 'FTP',
            httpHeaders: [{ name: 'Bad Header', value: 'x' }],
          },
        },
      },
    },
    {
      name: 'c2',
      image: 'i',
      lifecycle: { postStart: {} },
      restartPolicyRules: [{ action: 'Explode' }],
    },
  ],
  initContainers: [
    {
      name: 'i0',
      image: 'i',
      ports: [
        { containerPort: 1, hostPort: 9000 },
        { containerPort: 2, hostPort: 9000 },
      ],
      lifecycle: { preStop: { exec: { command: ['x'] } } },
      readinessProbe: { exec: { command: ['x'] } },
    },
    {
      name: 'i1',
      image: 'i',
      restartPolicy: 'Always',
      lifecycle: { preStop: { tcpSocket: { port: 0 } } },
    },
    { name: 'i2', image: 'i', restartPolicy: 'Sometimes' },
  ],
};

function containerCauses(at: string): Cause[] {
  const c = (i: number) => `${at}.containers[${i}]`;
  return [
    [
      `${c(0)}.lifecycle.postStart.sleep`,
      FORBIDDEN,
      'Forbidden: may not specify more than 1 handler type',
    ],
    [
      `${c(0)}.lifecycle.preStop.sleep`,
      INVALID,
      'Invalid value: 31: must be non-negative and less than terminationGracePeriodSeconds (30)',
    ],
    [
      `${c(1)}.lifecycle.preStop.httpGet.port`,
      INVALID,
      'Invalid value: "Bad_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ],
    [
      `${c(1)}.lifecycle.preStop.httpGet.scheme`,
      UNSUPPORTED,
      'Unsupported value: "FTP": supported values: "HTTP", "HTTPS"',
    ],
    [
      `${c(1)}.lifecycle.preStop.httpGet.httpHeaders`,
      INVALID,
      `Invalid value: "Bad Header": ${HEADER}`,
    ],
    [
      `${c(1)}.restartPolicy`,
      UNSUPPORTED,
      'Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"',
    ],
    [`${c(2)}.lifecycle.postStart`, REQUIRED, 'Required value: must specify a handler type'],
    [
      `${c(2)}.restartPolicy`,
      REQUIRED,
      'Required value: must specify restartPolicy when restart rules are used',
    ],
    [
      `${c(2)}.restartPolicyRules[0].action`,
      UNSUPPORTED,
      'Unsupported value: "Explode": supported values: "Restart", "RestartAllContainers"',
    ],
    [`${c(2)}.restartPolicyRules[0].exitCodes`, REQUIRED, 'Required value: must be specified'],
    [`${c(1)}.ports[0].hostPort`, 'FieldValueDuplicate', 'Duplicate value: "TCP//8080"'],
    [
      `${at}.initContainers[0].ports[1].hostPort`,
      'FieldValueDuplicate',
      'Duplicate value: "TCP//9000"',
    ],
    [`${at}.initContainers[0].lifecycle`, FORBIDDEN, NOT_SIDECAR],
    [`${at}.initContainers[0].readinessProbe`, FORBIDDEN, NOT_SIDECAR],
    [
      `${at}.initContainers[1].lifecycle.preStop.tcpSocket.port`,
      INVALID,
      'Invalid value: 0: must be between 1 and 65535, inclusive',
    ],
    [
      `${at}.initContainers[2].restartPolicy`,
      UNSUPPORTED,
      'Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"',
    ],
  ];
}

describe('lifecycle hooks, restart policies and host ports', () => {
  test('a Pod', async () => {
    await expectCauses(
      kc(),
      holderPath(POD, ns),
      POD.body('hooks', CONTAINERS_SPEC),
      containerCauses('spec'),
    );
  });

  test('every workload template', async () => {
    for (const holder of WORKLOADS) {
      await expectCauses(
        kc(),
        holderPath(holder, ns),
        holder.body('hooks', CONTAINERS_SPEC),
        containerCauses(holder.prefix),
      );
    }
  });

  test('with hostNetwork, a Pod host port must be its container port; a template may leave it out', async () => {
    const spec = {
      hostNetwork: true,
      containers: [
        {
          name: 'c',
          image: 'i',
          ports: [{ containerPort: 80, hostPort: 81 }, { containerPort: 82 }],
        },
      ],
    };
    await expectCauses(kc(), holderPath(POD, ns), POD.body('hostnet', spec), [
      [
        'spec.containers[0].ports[0].hostPort',
        INVALID,
        'Invalid value: 81: must match `containerPort` when `hostNetwork` is true',
      ],
    ]);
    const deployment = WORKLOADS[0]!;
    await expectCauses(kc(), holderPath(deployment, ns), deployment.body('hostnet', spec), [
      [
        'spec.template.spec.containers[0].ports[0].hostPort',
        INVALID,
        'Invalid value: 81: must match `containerPort` when `hostNetwork` is true',
      ],
    ]);
    const ok = { ...spec, containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 82 }] }] };
    const res = await raw(kc(), 'POST', holderPath(POD, ns), { body: POD.body('hostnet', ok) });
    expect(res.status, res.text).toBe(201);
    expect(res.json().spec.containers[0].ports).toEqual([
      { containerPort: 82, hostPort: 82, protocol: 'TCP' },
    ]);
  });
});

describe('DNS', () => {
  test('dnsPolicy values and dnsConfig nameservers, searches and options', async () => {
    const spec = {
      containers: [{ name: 'c', image: 'i' }],
      dnsPolicy: 'Sometimes',
      dnsConfig: {
        nameservers: ['1.2.3.4', 'bad', '01.2.3.4', '::1'],
        searches: ['Bad_Domain', 'ok.', '.', 'a..b', '_srv.example.com'],
        options: [{ name: '' }, { value: 'x' }, { name: 'ndots', value: '2' }],
      },
    };
    await expectCauses(kc(), holderPath(POD, ns), POD.body('dns', spec), [
      [
        'spec.dnsPolicy',
        UNSUPPORTED,
        'Unsupported value: "Sometimes": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
      ],
      [
        'spec.dnsConfig.nameservers',
        INVALID,
        'Invalid value: ["1.2.3.4","bad","01.2.3.4","::1"]: must not have more than 3 nameservers',
      ],
      [
        'spec.dnsConfig.nameservers[1]',
        INVALID,
        'Invalid value: "bad": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ],
      [
        'spec.dnsConfig.nameservers[2]',
        INVALID,
        'Invalid value: "01.2.3.4": must not have leading 0s',
      ],
      ['spec.dnsConfig.searches[0]', INVALID, `Invalid value: "Bad_Domain": ${SEARCH}`],
      ['spec.dnsConfig.searches[3]', INVALID, `Invalid value: "a..b": ${SEARCH}`],
      ['spec.dnsConfig.options[0]', REQUIRED, 'Required value: must not be empty'],
      ['spec.dnsConfig.options[1]', REQUIRED, 'Required value: must not be empty'],
    ]);
  });

  test('dnsPolicy None needs a dnsConfig with a nameserver', async () => {
    const spec = { containers: [{ name: 'c', image: 'i' }], dnsPolicy: 'None' };
    await expectCauses(kc(), holderPath(POD, ns), POD.body('dns-none', spec), [
      [
        'spec.dnsConfig',
        REQUIRED,
        'Required value: must provide `dnsConfig` when `dnsPolicy` is None',
      ],
    ]);
    const deployment = WORKLOADS[0]!;
    await expectCauses(
      kc(),
      holderPath(deployment, ns),
      deployment.body('dns-none', { ...spec, dnsConfig: { searches: ['Bad'] } }),
      [
        [
          'spec.template.spec.dnsConfig.nameservers',
          REQUIRED,
          'Required value: must provide at least one DNS nameserver when `dnsPolicy` is None',
        ],
      ],
    );
  });
});

describe('other pod spec fields', () => {
  const spec = {
    containers: [{ name: 'c', image: 'i' }],
    nodeSelector: { 'Bad Key': 'v' },
    readinessGates: [{ conditionType: 'Bad Type' }],
    schedulingGates: [{ name: 'g' }, { name: 'g' }],
    serviceAccountName: 'Bad_SA',
    nodeName: 'Bad_Node',
    activeDeadlineSeconds: 0,
    hostname: 'Bad.Host',
    subdomain: 'sub_domain',
    hostAliases: [{ ip: 'bad', hostnames: ['Bad_Host'] }],
  };
  const causesAt = (at: string): Cause[] => [
    [`${at}.nodeSelector`, INVALID, `Invalid value: "Bad Key": ${NAME_PART}`],
    [`${at}.readinessGates[0].conditionType`, INVALID, `Invalid value: "Bad Type": ${NAME_PART}`],
    [`${at}.schedulingGates[1]`, 'FieldValueDuplicate', 'Duplicate value: "g"'],
    [`${at}.serviceAccountName`, INVALID, `Invalid value: "Bad_SA": ${SUBDOMAIN}`],
    [`${at}.nodeName`, INVALID, `Invalid value: "Bad_Node": ${SUBDOMAIN}`],
    [
      `${at}.activeDeadlineSeconds`,
      INVALID,
      'Invalid value: 0: must be between 1 and 2147483647, inclusive',
    ],
    [`${at}.hostname`, INVALID, `Invalid value: "Bad.Host": ${LABEL}`],
    [`${at}.subdomain`, INVALID, `Invalid value: "sub_domain": ${LABEL}`],
    [
      `${at}.hostAliases[0].ip`,
      INVALID,
      'Invalid value: "bad": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ],
    [`${at}.hostAliases[0].hostnames[0]`, INVALID, `Invalid value: "Bad_Host": ${SUBDOMAIN}`],
  ];

  test('a Pod (not bound while scheduling gates remain) and a Job template', async () => {
    await expectCauses(kc(), holderPath(POD, ns), POD.body('fields', spec), [
      ...causesAt('spec'),
      [
        'spec.nodeName',
        FORBIDDEN,
        'Forbidden: cannot be set until all schedulingGates have been cleared',
      ],
    ]);
    const job = WORKLOADS.find((h) => h.plural === 'jobs')!;
    await expectCauses(kc(), holderPath(job, ns), job.body('fields', spec), causesAt(job.prefix));
  });
});

describe('ephemeral containers', () => {
  test('a Pod may not be created with them; they are checked like containers first', async () => {
    const spec = {
      containers: [{ name: 'c', image: ' i' }],
      ephemeralContainers: [
        {
          name: 'c',
          image: 'i',
          targetContainerName: 'nope',
          ports: [{ containerPort: 80 }],
          lifecycle: { preStop: { exec: { command: ['x'] } } },
          volumeMounts: [{ name: 'v', mountPath: '/v', subPath: 'x' }],
        },
      ],
      volumes: [{ name: 'v', emptyDir: {} }],
    };
    const e = 'spec.ephemeralContainers[0]';
    await expectCauses(kc(), holderPath(POD, ns), POD.body('eph', spec), [
      [`${e}.name`, 'FieldValueDuplicate', 'Duplicate value: "c"'],
      [`${e}.targetContainerName`, 'FieldValueNotFound', 'Not found: "nope"'],
      [`${e}.ports`, FORBIDDEN, 'Forbidden: cannot be set for an Ephemeral Container'],
      [`${e}.lifecycle`, FORBIDDEN, 'Forbidden: cannot be set for an Ephemeral Container'],
      [
        `${e}.volumeMounts[0].subPath`,
        FORBIDDEN,
        'Forbidden: cannot be set for an Ephemeral Container',
      ],
      [
        'spec.containers[0].image',
        INVALID,
        'Invalid value: " i": must not have leading or trailing whitespace',
      ],
      ['spec.ephemeralContainers', FORBIDDEN, 'Forbidden: cannot be set on create'],
    ]);
  });

  test('a workload template may not have them', async () => {
    const spec = {
      containers: [{ name: 'c', image: ' i' }],
      ephemeralContainers: [{ name: 'e', image: 'i' }],
    };
    for (const holder of WORKLOADS) {
      await expectCauses(kc(), holderPath(holder, ns), holder.body('eph', spec), [
        [
          `${holder.prefix}.ephemeralContainers`,
          FORBIDDEN,
          'Forbidden: ephemeral containers not allowed in pod template',
        ],
      ]);
    }
  });
});
