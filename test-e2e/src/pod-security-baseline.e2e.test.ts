/**
 * Differential: the Pod Security Standards' baseline checks, as kube-apiserver's
 * PodSecurity admission plugin applies them to a Pod in a namespace labelled
 * `pod-security.kubernetes.io/enforce: baseline`: each check's reason and detail, several
 * violations in the plugin's order, and the revisions an older `enforce-version` applies.
 * Every create is a dry run (the plugin refuses it all the same).
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
const kc = () => e2e.backend.kubeConfig;
/** Namespaces enforcing baseline at latest and at v1.18. */
let latest: string;
let v118: string;

beforeAll(async () => {
  e2e = await startE2e();
  [latest, v118] = await Promise.all([baselineNamespace(), baselineNamespace('v1.18')]);
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
});

async function baselineNamespace(version?: string): Promise<string> {
  const name = `e2e-psb-${uniqueSuffix()}`;
  const labels: Record<string, string> = { 'pod-security.kubernetes.io/enforce': 'baseline' };
  if (version) labels['pod-security.kubernetes.io/enforce-version'] = version;
  const res = await raw(kc(), 'POST', '/api/v1/namespaces', {
    body: { metadata: { name, labels } },
  });
  expect(res.status, res.text).toBe(201);
  e2e.onStop(() => raw(kc(), 'DELETE', `/api/v1/namespaces/${name}`));
  return name;
}

type Obj = Record<string, unknown>;

/** A container `name` running busybox, with more fields. */
const container = (name: string, more: Obj = {}) => ({ name, image: 'busybox', ...more });

/** Creates Pod `p` (dry run) in `ns` and returns the status and message of the answer. */
async function create(ns: string, spec: Obj, annotations?: Record<string, string>) {
  const res = await raw(kc(), 'POST', `/api/v1/namespaces/${ns}/pods`, {
    body: { metadata: { name: 'p', ...(annotations ? { annotations } : {}) }, spec },
    query: { dryRun: 'All' },
  });
  return { status: res.status, message: res.status === 201 ? '' : String(res.json().message) };
}

const refused = (level: string, violations: string) => ({
  status: 403,
  message: `pods "p" is forbidden: violates PodSecurity "${level}": ${violations}`,
});

describe('each baseline check', () => {
  const cases: [string, Obj, Record<string, string> | undefined, string][] = [
    [
      'hostNamespaces',
      { hostNetwork: true, hostPID: true, hostIPC: true, containers: [container('c')] },
      undefined,
      'host namespaces (hostNetwork=true, hostPID=true, hostIPC=true)',
    ],
    [
      'hostPathVolumes',
      {
        containers: [container('c')],
        volumes: [
          { name: 'h1', hostPath: { path: '/tmp' } },
          { name: 'e', emptyDir: {} },
          { name: 'h2', hostPath: { path: '/var' } },
        ],
      },
      undefined,
      'hostPath volumes (volumes "h1", "h2")',
    ],
    [
      'hostPorts',
      {
        containers: [
          container('c', { ports: [{ containerPort: 80, hostPort: 8080 }] }),
          container('d', {
            ports: [{ containerPort: 81, hostPort: 10000 }, { containerPort: 82 }],
          }),
        ],
      },
      undefined,
      'hostPort (containers "c", "d" use hostPorts 10000, 8080)',
    ],
    [
      'hostProbesAndHostLifecycle',
      {
        containers: [
          container('c', {
            livenessProbe: { httpGet: { host: 'localhost', port: 80 } },
            lifecycle: { preStop: { httpGet: { host: '127.0.0.1', port: 80 } } },
          }),
        ],
      },
      undefined,
      'probe or lifecycle host (container "c" uses probe or lifecycle hosts "127.0.0.1", "localhost")',
    ],
    [
      'capabilities_baseline',
      {
        containers: [
          container('c', {
            securityContext: { capabilities: { add: ['SYS_ADMIN', 'NET_RAW', 'CHOWN'] } },
          }),
        ],
      },
      undefined,
      'non-default capabilities (container "c" must not include "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add)',
    ],
    [
      // The annotation of d stands for the Pod's own profile: it is not copied into d's field.
      'appArmorProfile',
      {
        securityContext: { appArmorProfile: { type: 'Unconfined' } },
        containers: [
          container('c', { securityContext: { appArmorProfile: { type: 'Unconfined' } } }),
          container('d'),
        ],
      },
      { 'container.apparmor.security.beta.kubernetes.io/d': 'unconfined' },
      'forbidden AppArmor profiles (pod and container "c" and annotation must not set AppArmor profile type to "Unconfined", "container.apparmor.security.beta.kubernetes.io/d="unconfined"")',
    ],
    [
      // A container's annotation without a field becomes its field.
      'appArmorProfile (annotation)',
      { containers: [container('c')] },
      { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' },
      'forbidden AppArmor profiles (container "c" and annotation must not set AppArmor profile type to "Unconfined", "container.apparmor.security.beta.kubernetes.io/c="unconfined"")',
    ],
    [
      'seLinuxOptions',
      {
        securityContext: { seLinuxOptions: { type: 'spc_t' } },
        containers: [
          container('c', { securityContext: { seLinuxOptions: { user: 'u', role: 'r' } } }),
        ],
      },
      undefined,
      'seLinuxOptions (pod and container "c" set forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set; role may not be set)',
    ],
    [
      'seccompProfile_baseline',
      {
        securityContext: { seccompProfile: { type: 'Unconfined' } },
        containers: [
          container('c'),
          container('d', { securityContext: { seccompProfile: { type: 'Unconfined' } } }),
        ],
      },
      undefined,
      'seccompProfile (pod and container "d" must not set securityContext.seccompProfile.type to "Unconfined")',
    ],
    [
      'sysctls',
      {
        securityContext: {
          sysctls: [
            { name: 'kernel.msgmax', value: '1' },
            { name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' },
            { name: 'kernel.sem', value: '1' },
          ],
        },
        containers: [container('c')],
      },
      undefined,
      'forbidden sysctls (kernel.msgmax, kernel.sem)',
    ],
    [
      'windowsHostProcess',
      {
        hostNetwork: true,
        securityContext: { windowsOptions: { hostProcess: true } },
        containers: [container('c')],
      },
      undefined,
      'host namespaces (hostNetwork=true), hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true)',
    ],
  ];

  test.each(cases)('%s', async (_check, spec, annotations, violations) => {
    expect(await create(latest, spec, annotations)).toEqual(refused('baseline:latest', violations));
  });
});

test('several violations come in the check ID order', async () => {
  const spec = {
    hostPID: true,
    securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }] },
    initContainers: [container('i', { securityContext: { capabilities: { add: ['NET_ADMIN'] } } })],
    containers: [
      container('c', {
        securityContext: { privileged: true, appArmorProfile: { type: 'Unconfined' } },
      }),
    ],
    volumes: [{ name: 'h', hostPath: { path: '/tmp' } }],
  };
  expect(await create(latest, spec)).toEqual(
    refused(
      'baseline:latest',
      'forbidden AppArmor profile (container "c" must not set AppArmor profile type to "Unconfined"), ' +
        'non-default capabilities (container "i" must not include "NET_ADMIN" in securityContext.capabilities.add), ' +
        'host namespaces (hostPID=true), hostPath volumes (volume "h"), ' +
        'privileged (container "c" must not set securityContext.privileged=true), ' +
        'forbidden sysctls (kernel.msgmax)',
    ),
  );
});

test("an older enforce-version applies each check's revision of that version", async () => {
  // In a user namespace, with fields and annotations several revisions treat differently.
  const spec = {
    hostUsers: false,
    securityContext: {
      seccompProfile: { type: 'Unconfined' },
      seLinuxOptions: { type: 'container_engine_t' },
      sysctls: [{ name: 'net.ipv4.tcp_keepalive_time', value: '60' }],
    },
    containers: [
      container('c', {
        securityContext: { procMount: 'Unmasked' },
        readinessProbe: { tcpSocket: { host: 'localhost', port: 80 } },
      }),
    ],
  };
  const annotations = { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' };
  expect(await create(latest, spec, annotations)).toEqual(
    refused(
      'baseline:latest',
      'probe or lifecycle host (container "c" uses probe or lifecycle host "localhost"), ' +
        'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")',
    ),
  );
  expect(await create(v118, spec, annotations)).toEqual(
    refused(
      'baseline:v1.18',
      'procMount (container "c" must not set securityContext.procMount to "Unmasked"), ' +
        'seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: type "container_engine_t"), ' +
        'seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined"), ' +
        'forbidden sysctls (net.ipv4.tcp_keepalive_time)',
    ),
  );
});
