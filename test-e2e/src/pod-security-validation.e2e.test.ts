/**
 * Differential: kube-apiserver's checks of pod and container security contexts (user and
 * group IDs, procMount, seccomp and AppArmor profiles, privilege escalation, Windows
 * options, sysctls, policies) in Pods and in every workload template.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectCauses, INVALID, UNSUPPORTED } from './invalid-causes.js';
import { holderPath, POD, WORKLOADS } from './pod-spec-fixtures.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-security');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const RANGE = 'must be between 0 and 2147483647, inclusive';
const SYSCTL_RULE =
  'must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$';

/** A container whose security context breaks every container rule. */
const BAD_CONTAINER = {
  name: 'c0',
  image: 'i',
  securityContext: {
    runAsUser: -1,
    runAsGroup: 2147483648,
    procMount: 'Weird',
    seccompProfile: { type: 'RuntimeDefault', localhostProfile: 'x' },
    allowPrivilegeEscalation: false,
    privileged: true,
    capabilities: { add: ['CAP_SYS_ADMIN'] },
    windowsOptions: { runAsUserName: 'a\\b\\c' },
    appArmorProfile: { type: 'Localhost' },
  },
};

/** The internal Go struct the privilege-escalation causes quote, as Go's JSON writes it. */
const INTERNAL =
  '{"Capabilities":{"Add":["CAP_SYS_ADMIN"],"Drop":null},"Privileged":true,"SELinuxOptions":null,"WindowsOptions":{"GMSACredentialSpecName":null,"GMSACredentialSpec":null,"RunAsUserName":"a\\\\b\\\\c","HostProcess":null},"RunAsUser":-1,"RunAsGroup":2147483648,"RunAsNonRoot":null,"ReadOnlyRootFilesystem":null,"AllowPrivilegeEscalation":false,"ProcMount":"Weird","SeccompProfile":{"Type":"RuntimeDefault","LocalhostProfile":"x"},"AppArmorProfile":{"Type":"Localhost","LocalhostProfile":null}}';

function containerCauses(at: string): [string, string, string][] {
  const sc = `${at}.securityContext`;
  return [
    [`${sc}.runAsUser`, INVALID, `Invalid value: -1: ${RANGE}`],
    [`${sc}.runAsGroup`, INVALID, `Invalid value: 2147483648: ${RANGE}`],
    [
      `${sc}.procMount`,
      UNSUPPORTED,
      'Unsupported value: "Weird": supported values: "Default", "Unmasked"',
    ],
    [
      `${sc}.seccompProfile.localhostProfile`,
      INVALID,
      'Invalid value: {"Type":"RuntimeDefault","LocalhostProfile":"x"}: can only be set when seccomp type is Localhost',
    ],
    [
      sc,
      INVALID,
      `Invalid value: ${INTERNAL}: cannot set \`allowPrivilegeEscalation\` to false and \`privileged\` to true`,
    ],
    [
      sc,
      INVALID,
      `Invalid value: ${INTERNAL}: cannot set \`allowPrivilegeEscalation\` to false and \`capabilities.Add\` CAP_SYS_ADMIN`,
    ],
    [
      `${sc}.windowsOptions.runAsUserName`,
      INVALID,
      'Invalid value: "a\\\\b\\\\c": runAsUserName cannot contain more than one backslash',
    ],
    [
      `${sc}.appArmorProfile.localhostProfile`,
      'FieldValueRequired',
      'Required value: must be set when AppArmor type is Localhost',
    ],
  ];
}

describe('security contexts', () => {
  test('a Pod: container and pod security contexts, sysctls, policies', async () => {
    const spec = {
      hostNetwork: true,
      hostPID: true,
      shareProcessNamespace: true,
      securityContext: {
        fsGroup: -1,
        runAsUser: 2147483648,
        runAsGroup: -5,
        supplementalGroups: [1, -1],
        sysctls: [
          { name: 'net.core.somaxconn', value: '1' },
          { name: 'Bad_Name', value: '1' },
          { name: 'net.core.somaxconn', value: '2' },
        ],
        fsGroupChangePolicy: 'Sometimes',
        seccompProfile: { type: 'Localhost' },
        appArmorProfile: { type: 'Bogus' },
        supplementalGroupsPolicy: 'Loose',
        seLinuxChangePolicy: 'MountOption',
      },
      containers: [
        BAD_CONTAINER,
        {
          name: 'c1',
          image: 'i',
          securityContext: {
            procMount: 'Unmasked',
            seccompProfile: { type: 'Localhost', localhostProfile: '/abs/../x' },
            appArmorProfile: { type: 'Localhost', localhostProfile: ' x' },
          },
        },
        {
          name: 'c2',
          image: 'i',
          securityContext: {
            appArmorProfile: { type: 'Localhost', localhostProfile: 'a'.repeat(4096) },
          },
        },
      ],
    };
    const sc = 'spec.securityContext';
    await expectCauses(kc(), holderPath(POD, ns), POD.body('sec', spec), [
      ...containerCauses('spec.containers[0]'),
      [
        'spec.containers[1].securityContext.procMount',
        INVALID,
        'Invalid value: "Unmasked": `hostUsers` must be false to use `Unmasked`',
      ],
      [
        'spec.containers[1].securityContext.seccompProfile.localhostProfile',
        INVALID,
        'Invalid value: "/abs/../x": must be a relative path',
      ],
      [
        'spec.containers[1].securityContext.seccompProfile.localhostProfile',
        INVALID,
        'Invalid value: "/abs/../x": must not contain \'..\'',
      ],
      [
        'spec.containers[1].securityContext.appArmorProfile.localhostProfile',
        INVALID,
        'Invalid value: " x": must not be padded with whitespace',
      ],
      [
        'spec.containers[2].securityContext.appArmorProfile.localhostProfile',
        'FieldValueTooLong',
        'Too long: may not be more than 4095 bytes',
      ],
      [`${sc}.fsGroup`, INVALID, `Invalid value: -1: ${RANGE}`],
      [`${sc}.runAsUser`, INVALID, `Invalid value: 2147483648: ${RANGE}`],
      [`${sc}.runAsGroup`, INVALID, `Invalid value: -5: ${RANGE}`],
      [`${sc}.supplementalGroups[1]`, INVALID, `Invalid value: -1: ${RANGE}`],
      [
        `${sc}.shareProcessNamespace`,
        INVALID,
        'Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled',
      ],
      [
        `${sc}.sysctls[0].name`,
        INVALID,
        'Invalid value: "net.core.somaxconn": may not be specified when \'hostNetwork\' is true',
      ],
      [`${sc}.sysctls[1].name`, INVALID, `Invalid value: "Bad_Name": ${SYSCTL_RULE}`],
      [`${sc}.sysctls[2].name`, 'FieldValueDuplicate', 'Duplicate value: "net.core.somaxconn"'],
      [
        `${sc}.sysctls[2].name`,
        INVALID,
        'Invalid value: "net.core.somaxconn": may not be specified when \'hostNetwork\' is true',
      ],
      [
        `${sc}.fsGroupChangePolicy`,
        UNSUPPORTED,
        'Unsupported value: "Sometimes": supported values: "Always", "OnRootMismatch"',
      ],
      [
        `${sc}.seccompProfile.localhostProfile`,
        'FieldValueRequired',
        'Required value: must be set when seccomp type is Localhost',
      ],
      [
        `${sc}.appArmorProfile.type`,
        UNSUPPORTED,
        'Unsupported value: "Bogus": supported values: "Localhost", "RuntimeDefault", "Unconfined"',
      ],
      [
        `${sc}.supplementalGroupsPolicy`,
        UNSUPPORTED,
        'Unsupported value: "Loose": supported values: "Merge", "Strict"',
      ],
      [
        `${sc}.seLinuxChangePolicy`,
        UNSUPPORTED,
        'Unsupported value: "MountOption": supported values: "Recursive"',
      ],
    ]);
  });

  test('every workload template checks container security contexts, init containers included', async () => {
    const spec = {
      containers: [{ name: 'ok', image: 'i' }],
      initContainers: [BAD_CONTAINER],
    };
    for (const holder of WORKLOADS) {
      await expectCauses(
        kc(),
        holderPath(holder, ns),
        holder.body('sec', spec),
        containerCauses(`${holder.prefix}.initContainers[0]`),
      );
    }
  });

  test('valid security contexts are accepted (privileged containers are allowed)', async () => {
    const spec = {
      securityContext: {
        runAsUser: 1000,
        fsGroup: 2000,
        sysctls: [{ name: 'net.ipv4.conf.eno2/100.rp_filter', value: '1' }],
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [
        {
          name: 'c',
          image: 'i',
          securityContext: {
            privileged: true,
            capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
            seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/a.json' },
            appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-default' },
          },
        },
      ],
    };
    const res = await raw(kc(), 'POST', holderPath(POD, ns), { body: POD.body('sec-ok', spec) });
    expect(res.status, res.text).toBe(201);
  });
});
