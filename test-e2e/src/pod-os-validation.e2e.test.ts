/**
 * Differential: kube-apiserver's `os` rules (names, the other system's fields), Windows
 * host-process containers, `hostUsers: false`, volume devices, downward API divisors and
 * `runtimeClassName`/`overhead` in Pods and every workload template, and the RuntimeClass
 * admission plugin on new Pods (class lookup, overhead, scheduling merged in).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Cause,
  expectCauses,
  FORBIDDEN,
  INVALID,
  REQUIRED,
  SUBDOMAIN,
  UNSUPPORTED,
} from './invalid-causes.js';
import {
  DEFAULT_POD_TOLERATIONS,
  holderPath,
  POD,
  type SpecHolder,
  WORKLOADS,
} from './pod-spec-fixtures.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-pod-os');
});

afterAll(async () => {
  if (e2e)
    await raw(e2e.backend.kubeConfig, 'DELETE', '/apis/node.k8s.io/v1/runtimeclasses/e2e-rc');
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const HOLDERS: readonly SpecHolder[] = [POD, ...WORKLOADS];
const each = test.each(HOLDERS.map((h) => [h.plural, h] as const));
const NOT_WINDOWS = 'Forbidden: cannot be set for a windows pod';
let n = 0;
const create = (holder: SpecHolder, spec: Record<string, unknown>, causes: Cause[]) =>
  expectCauses(kc(), holderPath(holder, ns), holder.body(`os-${n++}`, spec), causes);

describe('os', () => {
  each('%s: a windows pod may not set Linux fields', async (_, h) => {
    const p = h.prefix;
    await create(
      h,
      {
        os: { name: 'windows' },
        hostPID: true,
        securityContext: {
          runAsUser: 1,
          fsGroup: 2,
          seccompProfile: { type: 'RuntimeDefault' },
          sysctls: [{ name: 'kernel.shm_rmid_forced', value: '0' }],
        },
        containers: [
          {
            name: 'c',
            image: 'i',
            securityContext: { privileged: false, capabilities: {}, runAsGroup: 3 },
          },
        ],
      },
      [
        [`${p}.hostPID`, FORBIDDEN, NOT_WINDOWS],
        [`${p}.securityContext.seccompProfile`, FORBIDDEN, NOT_WINDOWS],
        [`${p}.securityContext.fsGroup`, FORBIDDEN, NOT_WINDOWS],
        [`${p}.securityContext.sysctls`, FORBIDDEN, NOT_WINDOWS],
        [`${p}.securityContext.runAsUser`, FORBIDDEN, NOT_WINDOWS],
        [`${p}.containers[0].securityContext.capabilities`, FORBIDDEN, NOT_WINDOWS],
        [`${p}.containers[0].securityContext.privileged`, FORBIDDEN, NOT_WINDOWS],
        [`${p}.containers[0].securityContext.runAsGroup`, FORBIDDEN, NOT_WINDOWS],
      ],
    );
  });

  each('%s: names, and windows options on a linux pod', async (_, h) => {
    const p = h.prefix;
    const c = [{ name: 'c', image: 'i' }];
    await create(h, { os: { name: 'plan9' }, containers: c }, [
      [`${p}.os`, UNSUPPORTED, 'Unsupported value: "plan9": supported values: "linux", "windows"'],
    ]);
    await create(h, { os: {}, containers: c }, [[`${p}.os.name`, REQUIRED, 'Required value']]);
    const windowsOptions = { runAsUserName: 'user' };
    await create(
      h,
      {
        os: { name: 'linux' },
        securityContext: { windowsOptions },
        initContainers: [{ name: 'i', image: 'i', securityContext: { windowsOptions } }],
        containers: c,
      },
      [
        [
          `${p}.securityContext.windowsOptions`,
          FORBIDDEN,
          'Forbidden: windows options cannot be set for a linux pod',
        ],
        [
          `${p}.initContainers[0].securityContext.windowsOptions`,
          FORBIDDEN,
          'Forbidden: windows options cannot be set for a linux pod',
        ],
      ],
    );
  });
});

describe('host namespaces', () => {
  each('%s: host-process containers and hostUsers: false', async (_, h) => {
    const p = h.prefix;
    const hostProcess = (v: boolean) => ({ windowsOptions: { hostProcess: v } });
    await create(
      h,
      {
        securityContext: hostProcess(true),
        containers: [
          { name: 'a', image: 'i', securityContext: hostProcess(false) },
          { name: 'b', image: 'i' },
        ],
      },
      [
        [
          `${p}.containers[0].securityContext.windowsOptions.hostProcess`,
          INVALID,
          'Invalid value: false: pod hostProcess value must be identical if both are specified, was true',
        ],
        [
          p,
          INVALID,
          'Invalid value: "": If pod contains any hostProcess containers then all containers must be HostProcess containers',
        ],
        [
          `${p}.hostNetwork`,
          INVALID,
          'Invalid value: false: hostNetwork must be true if pod contains any hostProcess containers',
        ],
      ],
    );
    await create(
      h,
      {
        hostPID: true,
        hostIPC: true,
        hostUsers: false,
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'claim' } }],
        containers: [
          { name: 'c', image: 'i', volumeDevices: [{ name: 'data', devicePath: '/dev/xvda' }] },
        ],
      },
      [
        [`${p}.HostPID`, FORBIDDEN, 'Forbidden: when `hostUsers` is false'],
        [`${p}.HostIPC`, FORBIDDEN, 'Forbidden: when `hostUsers` is false'],
        [`${p}.containers[0].volumeDevices`, FORBIDDEN, 'Forbidden: when `hostUsers` is false'],
      ],
    );
  });
});

describe('volume devices and divisors', () => {
  each('%s: devices name claim volumes once, apart from mounts', async (_, h) => {
    const c = `${h.prefix}.containers[0]`;
    await create(
      h,
      {
        volumes: [
          { name: 'data', persistentVolumeClaim: { claimName: 'claim' } },
          { name: 'cfg', configMap: { name: 'cm' } },
        ],
        containers: [
          {
            name: 'c',
            image: 'i',
            volumeMounts: [{ name: 'cfg', mountPath: '/dev/a' }],
            volumeDevices: [
              { name: 'cfg', devicePath: '/dev/a' },
              { name: 'missing', devicePath: '/x/../y' },
              { name: 'data', devicePath: '' },
              { name: 'data', devicePath: '/dev/b' },
            ],
          },
        ],
      },
      [
        [
          `${c}.volumeMounts[0].name`,
          INVALID,
          'Invalid value: "cfg": must not already exist in volumeDevices',
        ],
        [
          `${c}.volumeMounts[0].mountPath`,
          INVALID,
          'Invalid value: "/dev/a": must not already exist as a path in volumeDevices',
        ],
        [
          `${c}.volumeDevices[0].name`,
          INVALID,
          'Invalid value: "cfg": can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode',
        ],
        [
          `${c}.volumeDevices[0].name`,
          INVALID,
          'Invalid value: "cfg": must not already exist in volumeMounts',
        ],
        [
          `${c}.volumeDevices[0].devicePath`,
          INVALID,
          'Invalid value: "/dev/a": must not already exist as a path in volumeMounts',
        ],
        [`${c}.volumeDevices[1].name`, 'FieldValueNotFound', 'Not found: "missing"'],
        [
          `${c}.volumeDevices[1].devicePath`,
          INVALID,
          'Invalid value: "/x/../y": can not contain backsteps (\'..\')',
        ],
        [`${c}.volumeDevices[2].devicePath`, REQUIRED, 'Required value'],
        [`${c}.volumeDevices[3].name`, INVALID, 'Invalid value: "data": must be unique'],
      ],
    );
  });

  each('%s: resource field divisors', async (_, h) => {
    const p = h.prefix;
    const ref = (resource: string, divisor: string) => ({
      resourceFieldRef: { containerName: 'c', resource, divisor },
    });
    const bytes = '1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei';
    await create(
      h,
      {
        volumes: [
          {
            name: 'info',
            downwardAPI: { items: [{ path: 'mem', ...ref('requests.memory', '1m') }] },
          },
        ],
        containers: [
          {
            name: 'c',
            image: 'i',
            env: [
              { name: 'A', valueFrom: ref('limits.cpu', '2') },
              { name: 'B', valueFrom: ref('limits.cpu', '1000m') },
              { name: 'C', valueFrom: ref('limits.ephemeral-storage', '2Ki') },
              { name: 'D', valueFrom: ref('limits.hugepages-2Mi', '3') },
            ],
          },
        ],
      },
      [
        [
          `${p}.volumes[0].downwardAPI.resourceFieldRef.divisor`,
          INVALID,
          `Invalid value: "requests.memory": only divisor's values ${bytes} are supported with the memory resource`,
        ],
        [
          `${p}.containers[0].env[0].valueFrom.resourceFieldRef.divisor`,
          INVALID,
          `Invalid value: "limits.cpu": only divisor's values 1m and 1 are supported with the cpu resource`,
        ],
        [
          `${p}.containers[0].env[2].valueFrom.resourceFieldRef.divisor`,
          INVALID,
          `Invalid value: "limits.ephemeral-storage": only divisor's values ${bytes} are supported with the local ephemeral storage resource`,
        ],
        [
          `${p}.containers[0].env[3].valueFrom.resourceFieldRef.divisor`,
          INVALID,
          `Invalid value: "limits.hugepages-2Mi": only divisor's values ${bytes} are supported with the hugepages resource`,
        ],
      ],
    );
  });
});

describe('runtime classes', () => {
  test.each(WORKLOADS.map((w) => [w.plural, w] as const))(
    '%s: the class name and the overhead',
    async (_, h) => {
      const p = h.prefix;
      await create(
        h,
        {
          runtimeClassName: 'Bad_Name',
          overhead: { cpu: '-1', memory: '1Gi' },
          containers: [{ name: 'c', image: 'i' }],
        },
        [
          [`${p}.runtimeClassName`, INVALID, `Invalid value: "Bad_Name": ${SUBDOMAIN}`],
          [
            `${p}.overhead.limits[cpu]`,
            INVALID,
            'Invalid value: "-1": must be greater than or equal to 0',
          ],
        ],
      );
    },
  );

  test('a new Pod: the class must exist; its overhead and scheduling are merged in', async () => {
    const pods = holderPath(POD, ns);
    const pod = (name: string, spec: Record<string, unknown>) => ({
      body: POD.body(name, { containers: [{ name: 'c', image: 'i' }], ...spec }),
    });
    const missing = await raw(kc(), 'POST', pods, pod('rc-missing', { runtimeClassName: 'nope' }));
    expect(missing.status, missing.text).toBe(403);
    expect(missing.json().message).toBe(
      'pods "rc-missing" is forbidden: pod rejected: RuntimeClass "nope" not found',
    );
    expect(missing.json().details).toEqual({ name: 'rc-missing', kind: 'pods' });
    const bare = await raw(kc(), 'POST', pods, pod('rc-bare', { overhead: { cpu: '1' } }));
    expect(bare.status, bare.text).toBe(403);
    expect(bare.json().message).toBe(
      'pods "rc-bare" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead',
    );
    const rc = await raw(kc(), 'POST', '/apis/node.k8s.io/v1/runtimeclasses', {
      body: {
        apiVersion: 'node.k8s.io/v1',
        kind: 'RuntimeClass',
        metadata: { name: 'e2e-rc' },
        handler: 'runc',
        overhead: { podFixed: { cpu: '250m' } },
        scheduling: {
          nodeSelector: { pool: 'a' },
          tolerations: [{ key: 'k', operator: 'Exists' }],
        },
      },
    });
    expect(rc.status, rc.text).toBe(201);
    const ok = await raw(kc(), 'POST', pods, pod('rc-ok', { runtimeClassName: 'e2e-rc' }));
    expect(ok.status, ok.text).toBe(201);
    const spec = ok.json().spec;
    expect(spec.overhead).toEqual({ cpu: '250m' });
    expect(spec.nodeSelector).toEqual({ pool: 'a' });
    expect(spec.tolerations).toEqual([
      ...DEFAULT_POD_TOLERATIONS,
      { key: 'k', operator: 'Exists' },
    ]);
    const other = await raw(
      kc(),
      'POST',
      pods,
      pod('rc-other', { runtimeClassName: 'e2e-rc', overhead: { cpu: '1' } }),
    );
    expect(other.status, other.text).toBe(403);
    expect(other.json().message).toBe(
      "pods \"rc-other\" is forbidden: pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead",
    );
    const conflict = await raw(
      kc(),
      'POST',
      pods,
      pod('rc-conflict', { runtimeClassName: 'e2e-rc', nodeSelector: { pool: 'b' } }),
    );
    expect(conflict.status, conflict.text).toBe(403);
    expect(conflict.json().message).toBe(
      'pods "rc-conflict" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[pool] = a; pod.spec.nodeSelector[pool] = b',
    );
    expect(conflict.json().details).toEqual({ name: 'rc-conflict', kind: 'pods' });
  });
});
