/**
 * Differential: server-side Tables (`kubectl get`'s output) of the built-in kinds beyond
 * the ones output-formats.e2e.test.ts covers: kube-apiserver's column definitions and the
 * cells its printers compute, for one object of each kind.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CERTIFICATE_REQUEST } from './certificate-request.js';
import { CRDS, installOpenCrd } from './crd-install.js';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const suffix = uniqueSuffix();

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-tables');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const AGE = expect.stringMatching(/^\d+s$/);
const template = (app: string, containers: { name: string; image: string }[]) => ({
  metadata: { labels: { app } },
  spec: { containers },
});
const C = [{ name: 'c', image: 'nginx' }];

/** Creates an object (cluster-scoped ones are deleted when the file ends); its JSON. */
async function create(path: string, body: Record<string, unknown>) {
  const res = await raw(kc(), 'POST', path, { body });
  expect(res.status, res.text).toBe(201);
  const made = res.json();
  if (!made.metadata.namespace) {
    e2e.onStop(() => raw(kc(), 'DELETE', `${path}/${made.metadata.name}`));
  }
  return made;
}

/**
 * The Table of one object by name: its column headers and its row's cells (and, with
 * `includeObject: 'Object'`, the object the row was printed from).
 */
async function tableOf(path: string, name: string, includeObject: 'None' | 'Object' = 'None') {
  const res = await raw(kc(), 'GET', path, {
    accept: TABLE,
    query: { fieldSelector: `metadata.name=${name}`, includeObject },
  });
  expect(res.status).toBe(200);
  const table = res.json();
  expect(table.rows).toHaveLength(1);
  return {
    header: table.columnDefinitions.map(
      (c: { name: string; type: string; priority: number }) => `${c.name}:${c.type}:${c.priority}`,
    ),
    cells: table.rows[0].cells,
    ...(includeObject === 'Object' ? { object: table.rows[0].object } : {}),
  };
}

describe('workload kinds', () => {
  test('ReplicaSet, ReplicationController, StatefulSet, DaemonSet', async () => {
    const apps = `/apis/apps/v1/namespaces/${ns}`;
    await create(`${apps}/replicasets`, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'rs1' },
      spec: {
        replicas: 0,
        selector: {
          matchLabels: { app: 'rs1' },
          matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }],
        },
        template: {
          metadata: { labels: { app: 'rs1', tier: 'a' } },
          spec: { containers: [...C, { name: 'd', image: 'busybox' }] },
        },
      },
    });
    expect(await tableOf(`${apps}/replicasets`, 'rs1')).toEqual({
      header: [
        'Name:string:0',
        'Desired:integer:0',
        'Current:integer:0',
        'Ready:integer:0',
        'Age:string:0',
        'Containers:string:1',
        'Images:string:1',
        'Selector:string:1',
      ],
      cells: ['rs1', 0, 0, 0, AGE, 'c,d', 'nginx,busybox', 'app=rs1,tier in (a,b)'],
    });

    await create(`/api/v1/namespaces/${ns}/replicationcontrollers`, {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'rc1' },
      spec: { replicas: 0, selector: { app: 'rc1' }, template: template('rc1', C) },
    });
    const rc = await tableOf(`/api/v1/namespaces/${ns}/replicationcontrollers`, 'rc1');
    expect(rc.cells).toEqual(['rc1', 0, 0, 0, AGE, 'c', 'nginx', 'app=rc1']);

    await create(`${apps}/statefulsets`, {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'ss1' },
      spec: {
        replicas: 0,
        serviceName: 'ss1',
        selector: { matchLabels: { app: 'ss1' } },
        template: template('ss1', C),
      },
    });
    expect(await tableOf(`${apps}/statefulsets`, 'ss1')).toEqual({
      header: [
        'Name:string:0',
        'Ready:string:0',
        'Age:string:0',
        'Containers:string:1',
        'Images:string:1',
      ],
      cells: ['ss1', '0/0', AGE, 'c', 'nginx'],
    });

    await create(`${apps}/daemonsets`, {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'ds1' },
      spec: {
        selector: { matchLabels: { app: 'ds1' } },
        template: {
          metadata: { labels: { app: 'ds1' } },
          spec: { nodeSelector: { zone: 'a', disk: 'ssd' }, containers: C },
        },
      },
    });
    const ds = await tableOf(`${apps}/daemonsets`, 'ds1');
    expect(ds.header).toHaveLength(11);
    expect(ds.cells).toEqual([
      'ds1',
      0,
      0,
      0,
      0,
      0,
      'disk=ssd,zone=a',
      AGE,
      'c',
      'nginx',
      'app=ds1',
    ]);
  });

  test('Job, CronJob, PodTemplate, HorizontalPodAutoscaler, PodDisruptionBudget', async () => {
    const batch = `/apis/batch/v1/namespaces/${ns}`;
    const podSpec = { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] };
    const job = await create(`${batch}/jobs`, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'job1' },
      spec: { completions: 3, parallelism: 0, template: { spec: podSpec } },
    });
    expect(await tableOf(`${batch}/jobs`, 'job1')).toEqual({
      header: [
        'Name:string:0',
        'Status:string:0',
        'Completions:string:0',
        'Duration:string:0',
        'Age:string:0',
        'Containers:string:1',
        'Images:string:1',
        'Selector:string:1',
      ],
      // Duration counts from status.startTime, which only a Job controller sets.
      cells: [
        'job1',
        'Running',
        '0/3',
        expect.stringMatching(/^(\d+s)?$/),
        AGE,
        'c',
        'busybox',
        `batch.kubernetes.io/controller-uid=${job.metadata.uid}`,
      ],
    });

    await create(`${batch}/cronjobs`, {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'cj1' },
      spec: {
        schedule: '*/5 * * * *',
        suspend: true,
        jobTemplate: { spec: { template: { spec: podSpec } } },
      },
    });
    const cj = await tableOf(`${batch}/cronjobs`, 'cj1');
    expect(cj.header).toEqual([
      'Name:string:0',
      'Schedule:string:0',
      'Timezone:string:0',
      'Suspend:boolean:0',
      'Active:integer:0',
      'Last Schedule:string:0',
      'Age:string:0',
      'Containers:string:1',
      'Images:string:1',
      'Selector:string:1',
    ]);
    expect(cj.cells).toEqual([
      'cj1',
      '*/5 * * * *',
      '<none>',
      'True',
      0,
      '<none>',
      AGE,
      'c',
      'busybox',
      '<none>',
    ]);

    await create(`/api/v1/namespaces/${ns}/podtemplates`, {
      apiVersion: 'v1',
      kind: 'PodTemplate',
      metadata: { name: 'pt1' },
      template: { metadata: { labels: { b: 'c', app: 'pt' } }, spec: { containers: C } },
    });
    expect(await tableOf(`/api/v1/namespaces/${ns}/podtemplates`, 'pt1')).toEqual({
      header: ['Name:string:0', 'Containers:string:0', 'Images:string:0', 'Pod Labels:string:0'],
      cells: ['pt1', 'c', 'nginx', 'app=pt,b=c'],
    });

    const hpas = `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`;
    await create(hpas, {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'hpa1' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd1' },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
          },
        ],
      },
    });
    const hpa = await tableOf(hpas, 'hpa1');
    expect(hpa.header).toEqual([
      'Name:string:0',
      'Reference:string:0',
      'Targets:string:0',
      'MinPods:string:0',
      'MaxPods:string:0',
      'Replicas:string:0',
      'Age:string:0',
    ]);
    expect(hpa.cells).toEqual(['hpa1', 'Deployment/d1', 'cpu: <unknown>/50%', '1', 5, 0, AGE]);

    const pdbs = `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`;
    for (const [name, spec] of [
      ['pdb1', { minAvailable: 1 }],
      ['pdb2', { maxUnavailable: '50%' }],
    ] as const) {
      await create(pdbs, {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name },
        spec: { ...spec, selector: { matchLabels: { app: 'x' } } },
      });
    }
    expect((await tableOf(pdbs, 'pdb1')).cells).toEqual(['pdb1', '1', 'N/A', 0, AGE]);
    expect((await tableOf(pdbs, 'pdb2')).cells).toEqual(['pdb2', 'N/A', '50%', 0, AGE]);
  });
});

describe('cluster and policy kinds', () => {
  test('Events through both APIs', async () => {
    const core = `/api/v1/namespaces/${ns}/events`;
    await create(core, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'ev1' },
      involvedObject: { kind: 'Pod', name: 'p1', namespace: ns, fieldPath: 'spec.containers{c}' },
      reason: 'Started',
      message: ' Started container c ',
      type: 'Normal',
      source: { component: 'kubelet', host: 'node-1' },
      count: 3,
      firstTimestamp: '2020-01-01T00:00:00Z',
      lastTimestamp: '2021-01-01T00:00:00Z',
    });
    const YEARS = expect.stringMatching(/^\d+y(\d+d)?$/);
    const ev1 = await tableOf(core, 'ev1');
    expect(ev1.header).toEqual([
      'Last Seen:string:0',
      'Type:string:0',
      'Reason:string:0',
      'Object:string:0',
      'Subobject:string:1',
      'Source:string:1',
      'Message:string:0',
      'First Seen:string:1',
      'Count:string:1',
      'Name:string:1',
    ]);
    expect(ev1.cells).toEqual([
      YEARS,
      'Normal',
      'Started',
      'pod/p1',
      'spec.containers{c}',
      'kubelet, node-1',
      'Started container c',
      YEARS,
      3,
      'ev1',
    ]);
    expect(ev1.cells[0]).not.toBe(ev1.cells[7]);

    const events = `/apis/events.k8s.io/v1/namespaces/${ns}/events`;
    await create(events, {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'ev2' },
      eventTime: '2020-01-01T00:00:00.000000Z',
      regarding: { kind: 'Deployment', name: 'd1', namespace: ns },
      reason: 'ScalingReplicaSet',
      note: 'Scaled up',
      type: 'Normal',
      action: 'Scale',
      reportingController: 'deployment-controller',
      reportingInstance: 'kcm-1',
    });
    const ev2 = await tableOf(events, 'ev2');
    expect(ev2.header).toEqual(ev1.header);
    expect(ev2.cells).toEqual([
      YEARS,
      'Normal',
      'ScalingReplicaSet',
      'deployment/d1',
      '',
      'deployment-controller, kcm-1',
      'Scaled up',
      YEARS,
      1,
      'ev2',
    ]);
    expect((await tableOf(events, 'ev1')).cells).toEqual(ev1.cells);
  });

  test('RBAC, Lease, ServiceAccount, LimitRange, ResourceQuota', async () => {
    const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}`;
    const role = await create(`${rbac}/roles`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'role1' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    });
    expect(await tableOf(`${rbac}/roles`, 'role1')).toEqual({
      header: ['Name:string:0', 'Created At:date:0'],
      cells: ['role1', role.metadata.creationTimestamp],
    });
    const g = 'rbac.authorization.k8s.io';
    await create(`${rbac}/rolebindings`, {
      apiVersion: `${g}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'rb1' },
      roleRef: { apiGroup: g, kind: 'Role', name: 'role1' },
      subjects: [
        { kind: 'User', name: 'alice', apiGroup: g },
        { kind: 'User', name: 'bob', apiGroup: g },
        { kind: 'Group', name: 'devs', apiGroup: g },
        { kind: 'ServiceAccount', name: 'default', namespace: ns },
        { kind: 'ServiceAccount', name: 'other', namespace: 'elsewhere' },
      ],
    });
    expect(await tableOf(`${rbac}/rolebindings`, 'rb1')).toEqual({
      header: [
        'Name:string:0',
        'Role:string:0',
        'Age:string:0',
        'Users:string:1',
        'Groups:string:1',
        'ServiceAccounts:string:1',
      ],
      cells: ['rb1', 'Role/role1', AGE, 'alice, bob', 'devs', `${ns}/default, elsewhere/other`],
    });
    const crbs = '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings';
    const crb = await create(crbs, {
      apiVersion: `${g}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name: `e2e-tables-${suffix}` },
      roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'Group', name: 'devs', apiGroup: g }],
    });
    expect((await tableOf(crbs, crb.metadata.name)).cells).toEqual([
      crb.metadata.name,
      'ClusterRole/view',
      AGE,
      '',
      'devs',
      '',
    ]);

    const leases = `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`;
    await create(leases, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'lease1' },
      spec: { holderIdentity: 'me-1', leaseDurationSeconds: 15 },
    });
    expect(await tableOf(leases, 'lease1')).toEqual({
      header: ['Name:string:0', 'Holder:string:0', 'Age:string:0'],
      cells: ['lease1', 'me-1', AGE],
    });

    const core = `/api/v1/namespaces/${ns}`;
    await create(`${core}/serviceaccounts`, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'sa1' },
    });
    expect(await tableOf(`${core}/serviceaccounts`, 'sa1')).toEqual({
      header: ['Name:string:0', 'Age:string:0'],
      cells: ['sa1', AGE],
    });
    const lr = await create(`${core}/limitranges`, {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'lr1' },
      spec: { limits: [{ type: 'Container', default: { cpu: '500m' } }] },
    });
    expect((await tableOf(`${core}/limitranges`, 'lr1')).cells).toEqual([
      'lr1',
      lr.metadata.creationTimestamp,
    ]);
    await create(`${core}/resourcequotas`, {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'rq1' },
      // Quantities as the client wrote them; the cells print them canonical.
      spec: { hard: { pods: '10', 'requests.cpu': '2000m', 'limits.memory': '4096Mi' } },
    });
    // status.hard and status.used come from the quota controller.
    await expect
      .poll(async () => (await tableOf(`${core}/resourcequotas`, 'rq1')).cells, EVENTUALLY)
      .toEqual(['rq1', 'pods: 0/10, requests.cpu: 0/2', 'limits.memory: 0/4Gi', AGE]);
  });

  test('Endpoints, EndpointSlice, networking, scheduling and storage kinds', async () => {
    const core = `/api/v1/namespaces/${ns}`;
    await create(`${core}/endpoints`, {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'ep1' },
      subsets: [
        {
          addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }],
          ports: [
            { name: 'a', port: 80 },
            { name: 'b', port: 81 },
          ],
        },
      ],
    });
    expect(await tableOf(`${core}/endpoints`, 'ep1')).toEqual({
      header: ['Name:string:0', 'Endpoints:string:0', 'Age:string:0'],
      cells: ['ep1', '10.0.0.1:80,10.0.0.2:80,10.0.0.1:81 + 1 more...', AGE],
    });
    const slices = `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`;
    await create(slices, {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'es1' },
      addressType: 'IPv4',
      ports: [
        { name: 'http', port: 80, protocol: 'TCP' },
        { name: 'https', port: 443, protocol: 'TCP' },
      ],
      endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }],
    });
    expect((await tableOf(slices, 'es1')).cells).toEqual([
      'es1',
      'IPv4',
      '80,443',
      '10.0.0.1,10.0.0.2',
      AGE,
    ]);

    const net = `/apis/networking.k8s.io/v1`;
    await create(`${net}/namespaces/${ns}/networkpolicies`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'np1' },
      spec: { podSelector: { matchLabels: { app: 'a' } } },
    });
    expect((await tableOf(`${net}/namespaces/${ns}/networkpolicies`, 'np1')).cells).toEqual([
      'np1',
      'app=a',
      AGE,
    ]);
    await create(`${net}/namespaces/${ns}/ingresses`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'ing1' },
      spec: {
        ingressClassName: 'nginx',
        tls: [{ hosts: ['a.example.com'] }],
        rules: [
          {
            host: 'a.example.com',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 's', port: { number: 80 } } },
                },
              ],
            },
          },
          { host: 'b.example.com' },
        ],
      },
    });
    expect(await tableOf(`${net}/namespaces/${ns}/ingresses`, 'ing1')).toEqual({
      header: [
        'Name:string:0',
        'Class:string:0',
        'Hosts:string:0',
        'Address:string:0',
        'Ports:string:0',
        'Age:string:0',
      ],
      cells: ['ing1', 'nginx', 'a.example.com,b.example.com', '', '80, 443', AGE],
    });
    const ic = await create(`${net}/ingressclasses`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: `e2e-tables-${suffix}` },
      spec: {
        controller: 'example.com/ingress',
        parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'lb' },
      },
    });
    expect((await tableOf(`${net}/ingressclasses`, ic.metadata.name)).cells).toEqual([
      ic.metadata.name,
      'example.com/ingress',
      'IngressParameters.k8s.example.com/lb',
      AGE,
    ]);

    const pcs = '/apis/scheduling.k8s.io/v1/priorityclasses';
    const pc = await create(pcs, {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: `e2e-tables-${suffix}` },
      value: 1000,
    });
    expect(await tableOf(pcs, pc.metadata.name)).toEqual({
      header: [
        'Name:string:0',
        'Value:integer:0',
        'Global-Default:boolean:0',
        'Age:string:0',
        'PreemptionPolicy:string:0',
      ],
      cells: [pc.metadata.name, 1000, false, AGE, 'PreemptLowerPriority'],
    });

    const scs = '/apis/storage.k8s.io/v1/storageclasses';
    const sc = await create(scs, {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: `e2e-tables-${suffix}` },
      provisioner: 'example.com/x',
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
    expect((await tableOf(scs, sc.metadata.name)).cells).toEqual([
      sc.metadata.name,
      'example.com/x',
      'Retain',
      'WaitForFirstConsumer',
      true,
      AGE,
    ]);
    await create(`${core}/persistentvolumeclaims`, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'pvc1' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
        storageClassName: sc.metadata.name,
      },
    });
    expect(await tableOf(`${core}/persistentvolumeclaims`, 'pvc1')).toEqual({
      header: [
        'Name:string:0',
        'Status:string:0',
        'Volume:string:0',
        'Capacity:string:0',
        'Access Modes:string:0',
        'StorageClass:string:0',
        'VolumeAttributesClass:string:0',
        'Age:string:0',
        'VolumeMode:string:1',
      ],
      cells: ['pvc1', 'Pending', '', '', '', sc.metadata.name, '<unset>', AGE, 'Filesystem'],
    });
  });

  test('admission webhook configurations and policies', async () => {
    const adm = '/apis/admissionregistration.k8s.io/v1';
    const name = `e2e-tables-${suffix}`;
    await create(`${adm}/validatingwebhookconfigurations`, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name },
      webhooks: [
        {
          name: 'a.e2e.kube-ts.dev',
          clientConfig: { url: 'https://example.com/a' },
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          rules: [
            {
              operations: ['CREATE'],
              apiGroups: [''],
              apiVersions: ['v1'],
              resources: ['nothings'],
            },
          ],
          namespaceSelector: { matchLabels: { 'e2e-tables': 'never' } },
        },
      ],
    });
    expect(await tableOf(`${adm}/validatingwebhookconfigurations`, name)).toEqual({
      header: ['Name:string:0', 'Webhooks:integer:0', 'Age:string:0'],
      cells: [name, 1, AGE],
    });
    await create(`${adm}/validatingadmissionpolicies`, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name },
      spec: {
        paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
        matchConstraints: {
          resourceRules: [
            {
              operations: ['CREATE'],
              apiGroups: [''],
              apiVersions: ['v1'],
              resources: ['nothings'],
            },
          ],
        },
        validations: [{ expression: 'true' }, { expression: '1 == 1' }],
      },
    });
    expect(await tableOf(`${adm}/validatingadmissionpolicies`, name)).toEqual({
      header: ['Name:string:0', 'Validations:integer:0', 'ParamKind:string:0', 'Age:string:0'],
      cells: [name, 2, 'v1/ConfigMap', AGE],
    });
    await create(`${adm}/validatingadmissionpolicybindings`, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name },
      spec: {
        policyName: name,
        validationActions: ['Deny'],
        paramRef: { name: 'p', namespace: ns, parameterNotFoundAction: 'Allow' },
      },
    });
    expect(await tableOf(`${adm}/validatingadmissionpolicybindings`, name)).toEqual({
      header: ['Name:string:0', 'PolicyName:string:0', 'ParamRef:string:0', 'Age:string:0'],
      cells: [name, name, `${ns}/p`, AGE],
    });
    // Without a namespace the printer writes `*/`; a selector prints as its Go String().
    const bindings = `${adm}/validatingadmissionpolicybindings`;
    const binding = async (suffixed: string, paramRef: Record<string, unknown>) => {
      await create(bindings, {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: `${name}-${suffixed}` },
        spec: { policyName: name, validationActions: ['Deny'], paramRef },
      });
      return (await tableOf(bindings, `${name}-${suffixed}`)).cells[2];
    };
    expect(await binding('any', { name: 'p', parameterNotFoundAction: 'Deny' })).toBe('*/p');
    expect(
      await binding('selected', {
        selector: {
          matchLabels: { b: '2', a: '1' },
          matchExpressions: [
            { key: 'k', operator: 'In', values: ['y', 'x'] },
            { key: 'e', operator: 'Exists' },
          ],
        },
        parameterNotFoundAction: 'Allow',
      }),
    ).toBe(
      '&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},MatchExpressions:[]LabelSelectorRequirement{' +
        'LabelSelectorRequirement{Key:k,Operator:In,Values:[y x],},' +
        'LabelSelectorRequirement{Key:e,Operator:Exists,Values:[],},},}',
    );
  });
});

describe('flow control and node kinds', () => {
  // Objects kube-apiserver made at start: an age in seconds or minutes.
  const STARTED = expect.stringMatching(/^\d+[sm]/);

  test('FlowSchema, PriorityLevelConfiguration, RuntimeClass', async () => {
    const fc = '/apis/flowcontrol.apiserver.k8s.io/v1';
    expect(await tableOf(`${fc}/flowschemas`, 'exempt')).toEqual({
      header: [
        'Name:string:0',
        'PriorityLevel:string:0',
        'MatchingPrecedence:string:0',
        'DistinguisherMethod:string:0',
        'Age:string:0',
        'MissingPL:string:0',
      ],
      cells: ['exempt', 'exempt', 1, '<none>', STARTED, 'False'],
    });
    expect((await tableOf(`${fc}/flowschemas`, 'service-accounts')).cells).toEqual([
      'service-accounts',
      'workload-low',
      9000,
      'ByUser',
      STARTED,
      'False',
    ]);
    expect(await tableOf(`${fc}/prioritylevelconfigurations`, 'workload-low')).toEqual({
      header: [
        'Name:string:0',
        'Type:string:0',
        'NominalConcurrencyShares:string:0',
        'Queues:string:0',
        'HandSize:string:0',
        'QueueLengthLimit:string:0',
        'Age:string:0',
      ],
      cells: ['workload-low', 'Limited', 100, 128, 6, 50, STARTED],
    });
    expect((await tableOf(`${fc}/prioritylevelconfigurations`, 'exempt')).cells).toEqual([
      'exempt',
      'Exempt',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
      STARTED,
    ]);
    const rcs = '/apis/node.k8s.io/v1/runtimeclasses';
    const rc = await create(rcs, {
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: `e2e-tables-${suffix}` },
      handler: 'runc',
    });
    expect(await tableOf(rcs, rc.metadata.name)).toEqual({
      header: ['Name:string:0', 'Handler:string:0', 'Age:string:0'],
      cells: [rc.metadata.name, 'runc', AGE],
    });
  });
});

describe('storage, address and device kinds', () => {
  test('PersistentVolume, CSIDriver, CSINode, VolumeAttachment, VolumeAttributesClass', async () => {
    const name = `e2e-tables-${suffix}`;
    await create('/api/v1/persistentvolumes', {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name },
      spec: {
        capacity: { storage: '1024Mi' },
        accessModes: ['ReadOnlyMany', 'ReadWriteOnce'],
        storageClassName: 'fast',
        hostPath: { path: '/tmp/e2e-tables' },
        claimRef: { namespace: ns, name: 'claim1' },
      },
    });
    // Reclaim policy and volume mode are the server's defaults. A new volume is Pending;
    // kube-controller-manager may have moved it on since (the real server): the cell is the
    // phase of the object in the same row.
    const pv = await tableOf('/api/v1/persistentvolumes', name, 'Object');
    expect(['Pending', 'Available']).toContain(pv.object.status.phase);
    expect(pv.header).toEqual([
      'Name:string:0',
      'Capacity:string:0',
      'Access Modes:string:0',
      'Reclaim Policy:string:0',
      'Status:string:0',
      'Claim:string:0',
      'StorageClass:string:0',
      'VolumeAttributesClass:string:0',
      'Reason:string:0',
      'Age:string:0',
      'VolumeMode:string:1',
    ]);
    expect(pv.cells).toEqual([
      name,
      '1Gi',
      'RWO,ROX',
      'Retain',
      pv.object.status.phase,
      `${ns}/claim1`,
      'fast',
      '<unset>',
      pv.object.status.reason ?? '',
      AGE,
      'Filesystem',
    ]);
    const storage = '/apis/storage.k8s.io/v1';
    await create(`${storage}/csidrivers`, {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'CSIDriver',
      metadata: { name: `${name}.example.com` },
      spec: {
        attachRequired: false,
        podInfoOnMount: true,
        storageCapacity: true,
        requiresRepublish: false,
        tokenRequests: [{ audience: 'a' }, { audience: 'b' }],
        volumeLifecycleModes: ['Persistent', 'Ephemeral'],
      },
    });
    expect(await tableOf(`${storage}/csidrivers`, `${name}.example.com`)).toEqual({
      header: [
        'Name:string:0',
        'AttachRequired:boolean:0',
        'PodInfoOnMount:boolean:0',
        'StorageCapacity:boolean:0',
        'TokenRequests:string:0',
        'RequiresRepublish:boolean:0',
        'Modes:string:0',
        'Age:string:0',
      ],
      cells: [`${name}.example.com`, false, true, true, 'a,b', false, 'Persistent,Ephemeral', AGE],
    });
    await create(`${storage}/csinodes`, {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'CSINode',
      metadata: { name },
      spec: {
        drivers: [
          { name: 'a.example.com', nodeID: 'n1' },
          { name: 'b.example.com', nodeID: 'n1' },
        ],
      },
    });
    expect(await tableOf(`${storage}/csinodes`, name)).toEqual({
      header: ['Name:string:0', 'Drivers:integer:0', 'Age:string:0'],
      cells: [name, 2, AGE],
    });
    await create(`${storage}/volumeattachments`, {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'VolumeAttachment',
      metadata: { name },
      spec: { attacher: 'csi.example.com', source: { persistentVolumeName: name }, nodeName: 'n1' },
    });
    expect(await tableOf(`${storage}/volumeattachments`, name)).toEqual({
      header: [
        'Name:string:0',
        'Attacher:string:0',
        'PV:string:0',
        'Node:string:0',
        'Attached:boolean:0',
        'Age:string:0',
      ],
      cells: [name, 'csi.example.com', name, 'n1', false, AGE],
    });
    await create(`${storage}/volumeattributesclasses`, {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'VolumeAttributesClass',
      metadata: { name },
      driverName: 'csi.example.com',
      parameters: { iops: '100' },
    });
    expect(await tableOf(`${storage}/volumeattributesclasses`, name)).toEqual({
      header: ['Name:string:0', 'DriverName:string:0', 'Age:string:0'],
      cells: [name, 'csi.example.com', AGE],
    });
  });

  test('IPAddress, ServiceCIDR', async () => {
    const net = '/apis/networking.k8s.io/v1';
    const name = `e2e-tables-${suffix}`;
    await create(`${net}/servicecidrs`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'ServiceCIDR',
      metadata: { name },
      spec: { cidrs: ['10.123.0.0/24', 'fd00:123::/112'] },
    });
    expect(await tableOf(`${net}/servicecidrs`, name)).toEqual({
      header: ['Name:string:0', 'CIDRs:string:0', 'Age:string:0'],
      cells: [name, '10.123.0.0/24,fd00:123::/112', AGE],
    });
    // kube-apiserver declares two columns here and still writes the age into each row.
    await create(`${net}/ipaddresses`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IPAddress',
      metadata: { name: '10.123.0.7' },
      spec: { parentRef: { group: '', resource: 'Services', namespace: ns, name: 'svc1' } },
    });
    expect(await tableOf(`${net}/ipaddresses`, '10.123.0.7')).toEqual({
      header: ['Name:string:0', 'ParentRef:string:0'],
      cells: ['10.123.0.7', `services/${ns}/svc1`, AGE],
    });
  });

  test('DeviceClass, ResourceClaim, ResourceClaimTemplate, ResourceSlice', async () => {
    const dra = '/apis/resource.k8s.io/v1';
    const name = `e2e-tables-${suffix}`;
    await create(`${dra}/deviceclasses`, {
      apiVersion: 'resource.k8s.io/v1',
      kind: 'DeviceClass',
      metadata: { name },
      spec: {},
    });
    expect(await tableOf(`${dra}/deviceclasses`, name)).toEqual({
      header: ['Name:string:0', 'Age:string:0'],
      cells: [name, AGE],
    });
    const devices = { requests: [{ name: 'r', exactly: { deviceClassName: name } }] };
    await create(`${dra}/namespaces/${ns}/resourceclaims`, {
      apiVersion: 'resource.k8s.io/v1',
      kind: 'ResourceClaim',
      metadata: { name: 'claim1' },
      spec: { devices },
    });
    expect(await tableOf(`${dra}/namespaces/${ns}/resourceclaims`, 'claim1')).toEqual({
      header: ['Name:string:0', 'State:string:0', 'Age:string:0'],
      cells: ['claim1', 'pending', AGE],
    });
    await create(`${dra}/namespaces/${ns}/resourceclaimtemplates`, {
      apiVersion: 'resource.k8s.io/v1',
      kind: 'ResourceClaimTemplate',
      metadata: { name: 'tpl1' },
      spec: { spec: { devices } },
    });
    expect(await tableOf(`${dra}/namespaces/${ns}/resourceclaimtemplates`, 'tpl1')).toEqual({
      header: ['Name:string:0', 'Age:string:0'],
      cells: ['tpl1', AGE],
    });
    await create(`${dra}/resourceslices`, {
      apiVersion: 'resource.k8s.io/v1',
      kind: 'ResourceSlice',
      metadata: { name },
      spec: {
        driver: 'dra.example.com',
        nodeName: 'n1',
        pool: { name: 'p1', generation: 1, resourceSliceCount: 1 },
        devices: [],
      },
    });
    expect(await tableOf(`${dra}/resourceslices`, name)).toEqual({
      header: [
        'Name:string:0',
        'Node:string:0',
        'Driver:string:0',
        'Pool:string:0',
        'Age:string:0',
      ],
      cells: [name, 'n1', 'dra.example.com', 'p1', AGE],
    });
  });
});

describe('certificate kinds', () => {
  test('CertificateSigningRequest: its requestor is the user who created it', async () => {
    const csrs = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
    const name = `e2e-tables-${suffix}`;
    const who = await raw(kc(), 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    expect(who.status).toBe(201);
    const user = who.json().status.userInfo;
    const csr = await create(csrs, {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name },
      spec: {
        request: Buffer.from(CERTIFICATE_REQUEST).toString('base64'),
        signerName: 'example.com/e2e',
        expirationSeconds: 3600,
        usages: ['client auth'],
        username: 'someone-else',
        groups: ['not-mine'],
      },
    });
    // The server writes the requestor, whatever the client said.
    expect(csr.spec.username).toBe(user.username);
    expect(csr.spec.groups).toEqual(user.groups);
    expect(await tableOf(csrs, name)).toEqual({
      header: [
        'Name:string:0',
        'Age:string:0',
        'SignerName:string:0',
        'Requestor:string:0',
        'RequestedDuration:string:0',
        'Condition:string:0',
      ],
      cells: [name, AGE, 'example.com/e2e', user.username, '60m', 'Pending'],
    });
  });
});

describe('aggregation kinds', () => {
  // Objects kube-apiserver made at start: an age in seconds or minutes.
  const STARTED = expect.stringMatching(/^\d+[sm]/);

  test('APIService: the local ones and a new local one, Available', async () => {
    const apiservices = '/apis/apiregistration.k8s.io/v1/apiservices';
    const header = ['Name:string:0', 'Service:string:0', 'Available:string:0', 'Age:string:0'];
    expect(await tableOf(apiservices, 'v1.apps')).toEqual({
      header,
      cells: ['v1.apps', 'Local', 'True', STARTED],
    });
    expect((await tableOf(apiservices, 'v1.')).cells).toEqual(['v1.', 'Local', 'True', STARTED]);
    const group = `e2e-tables-${suffix}.example.com`;
    await create(apiservices, {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: `v1.${group}` },
      spec: { group, version: 'v1', groupPriorityMinimum: 100, versionPriority: 10 },
    });
    // The availability controller marks a local APIService Available.
    await expect
      .poll(async () => (await tableOf(apiservices, `v1.${group}`)).cells, EVENTUALLY)
      .toEqual([`v1.${group}`, 'Local', 'True', AGE]);
    const res = await raw(kc(), 'GET', `${apiservices}/v1.${group}`);
    expect(res.json().status.conditions).toEqual([
      {
        type: 'Available',
        status: 'True',
        lastTransitionTime: expect.any(String),
        reason: 'Local',
        message: 'Local APIServices are always available',
      },
    ]);
  });

  test("a CRD's group/version gets an automanaged APIService while a CRD serves it", async () => {
    const apiservices = '/apis/apiregistration.k8s.io/v1/apiservices';
    const group = `e2e-apisvc-${suffix}.example.com`;
    await installOpenCrd(e2e, group, 'Widget', ns);
    const get = () => raw(kc(), 'GET', `${apiservices}/v1.${group}`);
    await expect.poll(async () => (await get()).status, EVENTUALLY).toBe(200);
    const made = (await get()).json();
    expect(made.metadata.labels).toEqual({ 'kube-aggregator.kubernetes.io/automanaged': 'true' });
    expect(made.spec).toEqual({
      group,
      version: 'v1',
      groupPriorityMinimum: 1000,
      versionPriority: 100,
    });
    await expect
      .poll(async () => (await tableOf(apiservices, `v1.${group}`)).cells, EVENTUALLY)
      .toEqual([`v1.${group}`, 'Local', 'True', AGE]);
    expect((await raw(kc(), 'DELETE', `${CRDS}/widgets.${group}`)).status).toBe(200);
    await expect.poll(async () => (await get()).status, EVENTUALLY).toBe(404);
  });

  test('the local APIServices: one per built-in group/version, labelled onstart', async () => {
    const res = await raw(kc(), 'GET', '/apis/apiregistration.k8s.io/v1/apiservices', {
      query: { labelSelector: 'kube-aggregator.kubernetes.io/automanaged=onstart' },
    });
    expect(res.status).toBe(200);
    const items: { metadata: { name: string }; spec: Record<string, unknown> }[] = res.json().items;
    expect(items.map((i) => i.metadata.name)).toContain('v2.autoscaling');
    expect(items.find((i) => i.metadata.name === 'v2.autoscaling')?.spec).toEqual({
      group: 'autoscaling',
      version: 'v2',
      groupPriorityMinimum: 17500,
      versionPriority: 30,
    });
    expect(items).toHaveLength(21);
  });
});
