/**
 * Differential: the defaults kube-apiserver writes into the built-in kinds operators create
 * (Services, Pods and the workload kinds, Jobs with their generated `controller-uid`
 * selector and labels, CronJobs, RoleBindings) and where it bumps `metadata.generation`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_POD_TOLERATIONS } from './pod-spec-fixtures.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-defaults');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const MERGE = 'application/merge-patch+json';
const core = (plural: string, name = '') =>
  `/api/v1/namespaces/${ns}/${plural}${name ? `/${name}` : ''}`;
const grouped = (gv: string, plural: string, name = '') =>
  `/apis/${gv}/namespaces/${ns}/${plural}${name ? `/${name}` : ''}`;

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
async function create(path: string, body: unknown): Promise<any> {
  const res = await raw(kc(), 'POST', path, { body });
  expect(res.status).toBe(201);
  return res.json();
}

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
async function mergePatch(path: string, body: unknown): Promise<any> {
  const res = await raw(kc(), 'PATCH', path, { body, contentType: MERGE });
  expect(res.status).toBe(200);
  return res.json();
}

/** The defaulted form of a container named `app` with the image `nginx` (tag `latest`). */
const defaultedContainer = {
  name: 'app',
  image: 'nginx',
  resources: {},
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  imagePullPolicy: 'Always',
};
const defaultedPodSpec = (restartPolicy = 'Always') => ({
  containers: [defaultedContainer],
  restartPolicy,
  terminationGracePeriodSeconds: 30,
  dnsPolicy: 'ClusterFirst',
  securityContext: {},
  schedulerName: 'default-scheduler',
});
const selector = { matchLabels: { app: 'a' } };
const template = {
  metadata: { labels: { app: 'a' } },
  spec: { containers: [{ name: 'app', image: 'nginx' }] },
};
const defaultedTemplate = { metadata: { labels: { app: 'a' } }, spec: defaultedPodSpec() };

describe('Services', () => {
  test('a ClusterIP service: protocol, target port, affinity, IP families, traffic policy', async () => {
    const svc = await create(core('services'), {
      metadata: { name: 'web' },
      spec: { ports: [{ port: 80 }], selector: { app: 'a' } },
    });
    const ip = svc.spec.clusterIP;
    expect(typeof ip).toBe('string');
    expect(svc.spec).toEqual({
      ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }],
      selector: { app: 'a' },
      clusterIP: ip,
      clusterIPs: [ip],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    });
    expect(svc.status).toEqual({ loadBalancer: {} });
  });

  test('NodePort and LoadBalancer services: node ports, external traffic policy', async () => {
    const node = await create(core('services'), {
      metadata: { name: 'node' },
      spec: {
        type: 'NodePort',
        ports: [
          { name: 'web', port: 80, targetPort: 'http' },
          { name: 'dns', port: 53, protocol: 'UDP' },
        ],
      },
    });
    for (const p of node.spec.ports) {
      expect(p.nodePort).toBeGreaterThanOrEqual(30000);
      expect(p.nodePort).toBeLessThanOrEqual(32767);
    }
    expect(node.spec.ports.map(({ nodePort: _, ...p }: { nodePort: number }) => p)).toEqual([
      { name: 'web', protocol: 'TCP', port: 80, targetPort: 'http' },
      { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
    ]);
    expect(node.spec).toMatchObject({
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
    });
    const lb = await create(core('services'), {
      metadata: { name: 'lb' },
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
    });
    expect(lb.spec).toMatchObject({
      allocateLoadBalancerNodePorts: true,
      externalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
    });
  });

  test('ExternalName and headless services', async () => {
    const ext = await create(core('services'), {
      metadata: { name: 'ext' },
      spec: { type: 'ExternalName', externalName: 'example.com' },
    });
    expect(ext.spec).toEqual({
      type: 'ExternalName',
      sessionAffinity: 'None',
      externalName: 'example.com',
    });
    const headless = await create(core('services'), {
      metadata: { name: 'headless' },
      spec: { clusterIP: 'None', ports: [{ port: 80 }] },
    });
    expect(headless.spec).toMatchObject({
      clusterIP: 'None',
      clusterIPs: ['None'],
      ipFamilies: ['IPv4', 'IPv6'],
      ipFamilyPolicy: 'RequireDualStack',
    });
  });
});

describe('Pods', () => {
  test('a pod: spec, container, probe and volume defaults, priority, tolerations, status', async () => {
    const pod = await create(core('pods'), {
      metadata: { name: 'full' },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'nginx',
            ports: [{ containerPort: 80 }],
            env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            livenessProbe: { httpGet: { port: 80 } },
          },
        ],
        initContainers: [{ name: 'init', image: 'busybox:1.0' }],
        volumes: [
          { name: 'c', configMap: { name: 'x' } },
          { name: 's', secret: { secretName: 'x' } },
          { name: 'h', hostPath: { path: '/tmp' } },
        ],
      },
    });
    expect(pod.spec).toEqual({
      ...defaultedPodSpec(),
      volumes: [
        { name: 'c', configMap: { name: 'x', defaultMode: 420 } },
        { name: 's', secret: { secretName: 'x', defaultMode: 420 } },
        { name: 'h', hostPath: { path: '/tmp', type: '' } },
      ],
      initContainers: [
        {
          ...defaultedContainer,
          name: 'init',
          image: 'busybox:1.0',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      containers: [
        {
          ...defaultedContainer,
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          env: [
            {
              name: 'A',
              valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } },
            },
          ],
          livenessProbe: {
            httpGet: { path: '/', port: 80, scheme: 'HTTP' },
            timeoutSeconds: 1,
            periodSeconds: 10,
            successThreshold: 1,
            failureThreshold: 3,
          },
        },
      ],
      tolerations: DEFAULT_POD_TOLERATIONS,
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    });
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    expect(pod.metadata.generation).toBe(1);
  });
});

describe('workloads', () => {
  test('Deployment, ReplicaSet, StatefulSet, DaemonSet', async () => {
    const deploy = await create(grouped('apps/v1', 'deployments'), {
      metadata: { name: 'd' },
      spec: { selector, template },
    });
    expect(deploy.spec).toEqual({
      replicas: 1,
      selector,
      template: defaultedTemplate,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
      },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    const rs = await create(grouped('apps/v1', 'replicasets'), {
      metadata: { name: 'rs' },
      spec: { selector, template },
    });
    expect(rs.spec).toEqual({ replicas: 1, selector, template: defaultedTemplate });
    expect(rs.status).toEqual({ replicas: 0 });
    const sts = await create(grouped('apps/v1', 'statefulsets'), {
      metadata: { name: 'sts' },
      spec: {
        selector,
        serviceName: 'sts',
        template,
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        ],
      },
    });
    expect(sts.spec).toEqual({
      replicas: 1,
      selector,
      template: defaultedTemplate,
      volumeClaimTemplates: [
        {
          kind: 'PersistentVolumeClaim',
          apiVersion: 'v1',
          metadata: { name: 'data' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: '1Gi' } },
            volumeMode: 'Filesystem',
          },
          status: { phase: 'Pending' },
        },
      ],
      serviceName: 'sts',
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    const ds = await create(grouped('apps/v1', 'daemonsets'), {
      metadata: { name: 'ds' },
      spec: { selector, template },
    });
    expect(ds.spec).toEqual({
      selector,
      template: defaultedTemplate,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    });
    expect(ds.metadata.annotations).toEqual({ 'deprecated.daemonset.template.generation': '1' });
  });

  test('a Job: counts, generated controller-uid selector and labels; a CronJob', async () => {
    const job = await create(grouped('batch/v1', 'jobs'), {
      metadata: { name: 'j' },
      spec: {
        template: {
          spec: { containers: [{ name: 'app', image: 'nginx' }], restartPolicy: 'Never' },
        },
      },
    });
    const uid = job.metadata.uid;
    const labels = {
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': 'j',
      'controller-uid': uid,
      'job-name': 'j',
    };
    expect(job.metadata.labels).toEqual(labels);
    expect(job.spec).toEqual({
      parallelism: 1,
      completions: 1,
      backoffLimit: 6,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
      manualSelector: false,
      template: { metadata: { labels }, spec: defaultedPodSpec('Never') },
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
    });
    const manual = await create(grouped('batch/v1', 'jobs'), {
      metadata: { name: 'manual' },
      spec: {
        manualSelector: true,
        selector,
        template: {
          metadata: { labels: { app: 'a' } },
          spec: { containers: [{ name: 'app', image: 'nginx' }], restartPolicy: 'Never' },
        },
      },
    });
    expect(manual.metadata.labels).toEqual({ app: 'a' });
    expect(manual.spec.selector).toEqual(selector);
    const cron = await create(grouped('batch/v1', 'cronjobs'), {
      metadata: { name: 'cj' },
      spec: {
        schedule: '*/5 * * * *',
        jobTemplate: {
          spec: {
            template: {
              spec: { containers: [{ name: 'app', image: 'nginx' }], restartPolicy: 'Never' },
            },
          },
        },
      },
    });
    expect(cron.spec).toEqual({
      schedule: '*/5 * * * *',
      concurrencyPolicy: 'Allow',
      suspend: false,
      jobTemplate: {
        metadata: {},
        spec: { template: { metadata: {}, spec: defaultedPodSpec('Never') } },
      },
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
  });
});

describe('generation', () => {
  test('a Deployment bumps it for spec and annotation changes, not labels or finalizers', async () => {
    const path = grouped('apps/v1', 'deployments', 'gen');
    // The revision the Deployment controller would write (an annotation change, so a
    // generation bump at a moment of its choosing) is there from the start.
    const created = await create(grouped('apps/v1', 'deployments'), {
      metadata: { name: 'gen', annotations: { 'deployment.kubernetes.io/revision': '1' } },
      spec: { selector, template },
    });
    expect(created.metadata.generation).toBe(1);
    expect((await mergePatch(path, { metadata: { labels: { l: '1' } } })).metadata.generation).toBe(
      1,
    );
    expect(
      (await mergePatch(path, { metadata: { annotations: { a: '1' } } })).metadata.generation,
    ).toBe(2);
    expect((await mergePatch(path, { spec: { replicas: 3 } })).metadata.generation).toBe(3);
    const held = await mergePatch(path, { metadata: { finalizers: ['example.com/hold'] } });
    expect(held.metadata.generation).toBe(3);
    await mergePatch(path, { metadata: { finalizers: null } });
  });

  test('other kinds bump it for spec changes only; Services do not track it', async () => {
    const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
      [grouped('apps/v1', 'statefulsets', 'sts'), { annotations: { a: '1' } }, { replicas: 2 }],
      [grouped('apps/v1', 'daemonsets', 'ds'), { annotations: { a: '1' } }, { minReadySeconds: 2 }],
      [
        grouped('batch/v1', 'jobs', 'j'),
        { annotations: { a: '1' } },
        { activeDeadlineSeconds: 100 },
      ],
      [grouped('batch/v1', 'cronjobs', 'cj'), { annotations: { a: '1' } }, { suspend: true }],
      [core('pods', 'full'), { annotations: { a: '1' } }, { activeDeadlineSeconds: 100 }],
    ];
    for (const [path, meta, spec] of cases) {
      expect((await mergePatch(path, { metadata: meta })).metadata.generation).toBe(1);
      expect((await mergePatch(path, { spec })).metadata.generation).toBe(2);
    }
    const svc = await mergePatch(core('services', 'web'), {
      spec: { sessionAffinity: 'ClientIP' },
    });
    expect(svc.metadata.generation).toBeUndefined();
    expect(svc.spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
  });
});

test('a RoleBinding gets the RBAC group in an empty roleRef.apiGroup and in User and Group subjects', async () => {
  const binding = await create(grouped('rbac.authorization.k8s.io/v1', 'rolebindings'), {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'defaulted' },
    roleRef: { apiGroup: '', kind: 'ClusterRole', name: 'view' },
    subjects: [
      { kind: 'User', name: 'someone' },
      { kind: 'Group', name: 'team' },
      { kind: 'ServiceAccount', name: 'default', namespace: ns },
    ],
  });
  expect(binding.roleRef).toEqual({
    apiGroup: 'rbac.authorization.k8s.io',
    kind: 'ClusterRole',
    name: 'view',
  });
  expect(binding.subjects).toEqual([
    { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'someone' },
    { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'team' },
    { kind: 'ServiceAccount', name: 'default', namespace: ns },
  ]);
});

describe('ServiceAccounts', () => {
  test('secrets references keep only their names', async () => {
    const res = await raw(kc(), 'POST', core('serviceaccounts'), {
      body: {
        metadata: { name: 'builder' },
        secrets: [
          { name: 's1', namespace: 'elsewhere', kind: 'Secret', uid: 'u' },
          { kind: 'Secret' },
        ],
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json().secrets).toEqual([{ name: 's1' }, {}]);
  });

  test('newly setting the enforce-mountable-secrets annotation warns, keeping it does not', async () => {
    const key = 'kubernetes.io/enforce-mountable-secrets';
    const warning = `metadata.annotations[${key}]: deprecated in v1.32+; prefer separate namespaces to isolate access to mounted secrets`;
    const created = await raw(kc(), 'POST', core('serviceaccounts'), {
      body: { metadata: { name: 'enforcing', annotations: { [key]: 'true' } } },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.warnings).toEqual([warning]);
    const kept = await raw(kc(), 'PATCH', `${core('serviceaccounts')}/enforcing`, {
      body: { metadata: { labels: { a: 'b' } } },
      contentType: 'application/merge-patch+json',
    });
    expect(kept.status, kept.text).toBe(200);
    expect(kept.warnings).toEqual([]);
    const plain = await raw(kc(), 'POST', core('serviceaccounts'), {
      body: { metadata: { name: 'plain' } },
    });
    expect(plain.warnings).toEqual([]);
    const added = await raw(kc(), 'PATCH', `${core('serviceaccounts')}/plain`, {
      body: { metadata: { annotations: { [key]: 'true' } } },
      contentType: 'application/merge-patch+json',
    });
    expect(added.status, added.text).toBe(200);
    expect(added.warnings).toEqual([warning]);
  });
});
