/**
 * Differential: what a field-by-field probe of dry-run creates found MemoryApiServer doing
 * differently from kube-apiserver, beyond one kind: a create's generateName is checked with
 * the kind's name function; finalizer names are checked by the kind's flavour of
 * `ValidateObjectMeta`; a kind whose strategy checks no metadata (PodDisruptionBudget)
 * names objects as path segments; the protobuf storage answers empty lists as `null`;
 * `""` in a plain string field is Go's zero value, which defaulting replaces; and a few
 * pod spec checks and defaults. Same requests, same assertions on every backend.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { LABEL, NAME_PART, SUBDOMAIN } from './invalid-causes.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-probe');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;

const NOT_STANDARD = 'name is neither a standard finalizer name nor is it fully qualified';

/** A dry-run create's answer. */
function create(path: string, body: Record<string, unknown>) {
  return raw(kc(), 'POST', path, { body, query: { dryRun: 'All' } });
}

/** The causes of a refused dry-run create, sorted (kube-apiserver ranges over Go maps). */
async function causes(path: string, body: Record<string, unknown>): Promise<string[]> {
  const res = await create(path, body);
  expect(res.status, res.text).toBe(422);
  const list: { field: string; reason: string; message: string }[] = res.json().details.causes;
  return list.map((c) => `${c.field} | ${c.reason} | ${c.message}`).sort();
}

const core = (plural: string) => `/api/v1/namespaces/${ns}/${plural}`;
const pod = (spec: Record<string, unknown>, name = 'p') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
});

test("a create's generateName is checked with the kind's name function, a trailing dash as a letter", async () => {
  const cm = (metadata: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata,
  });
  expect(await causes(core('configmaps'), cm({ name: 'ok', generateName: 'Bad_' }))).toEqual([
    `metadata.generateName | FieldValueInvalid | Invalid value: "Bad_": ${SUBDOMAIN}`,
  ]);
  expect((await create(core('configmaps'), cm({ generateName: 'fine-' }))).status).toBe(201);
  // A StatefulSet's name (and so its generateName) is an RFC 1123 label.
  const sts = (metadata: Record<string, unknown>) => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata,
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: {
        metadata: { labels: { a: 'b' } },
        spec: { containers: [{ name: 'c', image: 'i' }] },
      },
    },
  });
  const statefulSets = `/apis/apps/v1/namespaces/${ns}/statefulsets`;
  expect(await causes(statefulSets, sts({ name: 'a.b' }))).toEqual([
    `metadata.name | FieldValueInvalid | Invalid value: "a.b": must not contain dots`,
  ]);
  expect(await causes(statefulSets, sts({ name: 'ok', generateName: 'Up_-' }))).toEqual([
    `metadata.generateName | FieldValueInvalid | Invalid value: "Up_-": ${LABEL}`,
  ]);
});

test('finalizer names: standard-or-qualified only where the kind uses core validation', async () => {
  const withFinalizer = (apiVersion: string, kind: string, extra: Record<string, unknown>) => ({
    apiVersion,
    kind,
    metadata: { name: 'f', finalizers: ['bare'] },
    ...extra,
  });
  expect(await causes(core('configmaps'), withFinalizer('v1', 'ConfigMap', {}))).toEqual([
    `metadata.finalizers[0] | FieldValueInvalid | Invalid value: "bare": ${NOT_STANDARD}`,
  ]);
  // Leases are validated with apimachinery's generic ObjectMeta rules: a bare name passes.
  const lease = withFinalizer('coordination.k8s.io/v1', 'Lease', { spec: {} });
  expect((await create(`/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`, lease)).status).toBe(
    201,
  );
  const bad = { ...lease, metadata: { name: 'f', finalizers: ['a b'] } };
  expect(await causes(`/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`, bad)).toEqual([
    `metadata.finalizers | FieldValueInvalid | Invalid value: "a b": ${NAME_PART}`,
  ]);
});

test("a PodDisruptionBudget's metadata is checked by the registry only: names are path segments", async () => {
  const pdbs = `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`;
  const pdb = (metadata: Record<string, unknown>, spec: Record<string, unknown>) => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata,
    spec,
  });
  const res = await create(pdbs, pdb({ name: 'Not A Subdomain' }, { minAvailable: 1 }));
  expect(res.status, res.text).toBe(201);
  expect(res.json().metadata.name).toBe('Not A Subdomain');
  // The registry's check comes only once the strategy's own checks pass.
  const both = pdb({ name: 'a%b' }, { minAvailable: 1, maxUnavailable: 1 });
  const first = await causes(pdbs, both);
  expect(first).toHaveLength(1);
  expect(first[0]).toMatch(
    /^spec \| FieldValueInvalid \| .*minAvailable and maxUnavailable cannot be both set$/,
  );
  expect(await causes(pdbs, pdb({ name: 'a%b' }, { minAvailable: 1 }))).toEqual([
    `metadata.name | FieldValueInvalid | Invalid value: "a%b": may not contain '%'`,
  ]);
});

test('a LimitRange created without a name is named by a UUID', async () => {
  const res = await create(core('limitranges'), {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: {},
    spec: { limits: [{ type: 'Container', max: { cpu: '1' } }] },
  });
  expect(res.status, res.text).toBe(201);
  expect(res.json().metadata.name).toMatch(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  );
});

test('empty lists and maps come back as null from storage (or are dropped with omitempty)', async () => {
  const role = await create(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'r' },
    rules: [],
  });
  expect(role.status).toBe(201);
  expect(role.text).toContain('"rules":null');
  const slice = await create(`/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 's' },
    addressType: 'IPv4',
    endpoints: [],
    ports: [],
  });
  expect(slice.status).toBe(201);
  expect(slice.json()).toMatchObject({ endpoints: null, ports: null });
  const job = await create(`/apis/batch/v1/namespaces/${ns}/jobs`, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j' },
    spec: {
      podFailurePolicy: { rules: [] },
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }] } },
    },
  });
  expect(job.status, job.text).toBe(201);
  expect(job.json().spec.podFailurePolicy).toEqual({ rules: null });
});

test("a namespace's spec.finalizers are checked on create and keep the kubernetes finalizer", async () => {
  const namespaces = '/api/v1/namespaces';
  const nsBody = (finalizers: string[]) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: `probe-${Date.now()}` },
    spec: { finalizers },
  });
  expect(await causes(namespaces, nsBody(['a b']))).toEqual([
    `spec.finalizers | FieldValueInvalid | Invalid value: "a b": ${NOT_STANDARD}`,
    `spec.finalizers | FieldValueInvalid | Invalid value: "a b": ${NAME_PART}`,
  ]);
  const res = await create(namespaces, nsBody(['example.com/f']));
  expect(res.status, res.text).toBe(201);
  expect(res.json().spec.finalizers).toEqual(['example.com/f', 'kubernetes']);
});

test('"" in a plain string field is unset: defaulting fills it', async () => {
  const res = await create(
    core('pods'),
    pod({
      schedulerName: '',
      containers: [{ name: 'c', image: 'nginx', terminationMessagePath: '', imagePullPolicy: '' }],
    }),
  );
  expect(res.status, res.text).toBe(201);
  const spec = res.json().spec;
  expect(spec.schedulerName).toBe('default-scheduler');
  expect(spec.containers[0]).toMatchObject({
    terminationMessagePath: '/dev/termination-log',
    imagePullPolicy: 'Always',
  });
});

test('an image the reference grammar cannot read gets IfNotPresent', async () => {
  for (const [image, policy] of [
    ['Bad Image!', 'IfNotPresent'],
    ['Nginx', 'IfNotPresent'],
    ['nginx', 'Always'],
    ['registry.example.com:5000/app:v1', 'IfNotPresent'],
    ['registry.example.com:5000/app', 'Always'],
  ]) {
    const res = await create(core('pods'), pod({ containers: [{ name: 'c', image }] }));
    expect(res.status, res.text).toBe(201);
    expect(res.json().spec.containers[0].imagePullPolicy, image).toBe(policy);
  }
});

test('volume mounts: propagation, recursive read-only and sub-paths are checked', async () => {
  const mounts = (mount: Record<string, unknown>) =>
    pod({
      volumes: [{ name: 'v', emptyDir: {} }],
      containers: [
        { name: 'c', image: 'i', volumeMounts: [{ name: 'v', mountPath: '/v', ...mount }] },
      ],
    });
  const at = 'spec.containers[0].volumeMounts';
  expect(await causes(core('pods'), mounts({ mountPropagation: 'Nope' }))).toEqual([
    `${at}.mountPropagation | FieldValueNotSupported | Unsupported value: "Nope": supported values: "Bidirectional", "HostToContainer", "None"`,
  ]);
  expect(await causes(core('pods'), mounts({ mountPropagation: 'Bidirectional' }))).toEqual([
    `${at}.mountPropagation | FieldValueForbidden | Forbidden: Bidirectional mount propagation is available only to privileged containers`,
  ]);
  expect(await causes(core('pods'), mounts({ recursiveReadOnly: 'Enabled' }))).toEqual([
    `${at}.recursiveReadOnly | FieldValueForbidden | Forbidden: may only be specified when readOnly is true`,
  ]);
  expect(await causes(core('pods'), mounts({ recursiveReadOnly: 'x' }))).toEqual([
    `${at}.recursiveReadOnly | FieldValueNotSupported | Unsupported value: "x": supported values: "Disabled", "Enabled", "IfPossible"`,
  ]);
  expect(await causes(core('pods'), mounts({ subPath: '/abs/../x', subPathExpr: 'y' }))).toEqual(
    [
      `${at}.subPath | FieldValueInvalid | Invalid value: "/abs/../x": must be a relative path`,
      `${at}.subPath | FieldValueInvalid | Invalid value: "/abs/../x": must not contain '..'`,
      `${at}[0].subPathExpr | FieldValueInvalid | Invalid value: "y": subPathExpr and subPath are mutually exclusive`,
    ].sort(),
  );
});

test('hostnameOverride, the deprecated serviceAccount and an empty runtimeClassName', async () => {
  expect(await causes(core('pods'), pod({ hostnameOverride: '' }))).toEqual([
    `spec.hostnameOverride | FieldValueInvalid | Invalid value: "": ${SUBDOMAIN}`,
  ]);
  expect(await causes(core('pods'), pod({ serviceAccount: 'Bad' }))).toEqual([
    `spec.serviceAccountName | FieldValueInvalid | Invalid value: "Bad": ${SUBDOMAIN}`,
  ]);
  const named = await create(core('pods'), pod({ serviceAccount: 'builder' }));
  expect(named.status, named.text).toBe(201);
  expect(named.json().spec).toMatchObject({
    serviceAccount: 'builder',
    serviceAccountName: 'builder',
  });
  const empty = await create(core('pods'), pod({ runtimeClassName: '' }));
  expect(empty.status).toBe(500);
  expect(empty.json().message).toBe('resource name may not be empty');
  const grouped = await create(core('pods'), pod({ schedulingGroup: { podGroupName: 'g' } }));
  expect(grouped.status, grouped.text).toBe(201);
  expect(grouped.json().spec.schedulingGroup).toBeUndefined();
});

test('pod-level resource claims, CSI secret refs and ephemeral claim templates', async () => {
  expect(await causes(core('pods'), pod({ resources: { claims: [{ name: 'gpu' }] } }))).toEqual([
    'spec.resources.claims | FieldValueForbidden | Forbidden: claims may not be set for Resources at pod-level',
    'spec.resources.claims[0] | FieldValueNotFound | Not found: "gpu": must be one of the names in pod.spec.resourceClaims which is empty',
  ]);
  // The secret reference is checked even when the driver is missing; its name at `csi.name`.
  const csi = (ref: Record<string, unknown>) =>
    pod({ volumes: [{ name: 'v', csi: { nodePublishSecretRef: ref } }] });
  expect(await causes(core('pods'), csi({ name: 'Bad' }))).toEqual([
    'spec.volumes[0].csi.driver | FieldValueRequired | Required value',
    `spec.volumes[0].csi.name | FieldValueInvalid | Invalid value: "Bad": ${SUBDOMAIN}`,
  ]);
  const ephemeral = (metadata: Record<string, unknown>, spec: Record<string, unknown>) =>
    pod({
      volumes: [
        {
          name: 'v',
          ephemeral: {
            volumeClaimTemplate: {
              metadata,
              spec: {
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: '1Gi' } },
                ...spec,
              },
            },
          },
        },
      ],
    });
  const tpl = 'spec.volumes[0].ephemeral.volumeClaimTemplate';
  expect(await causes(core('pods'), ephemeral({ deletionGracePeriodSeconds: 0 }, {}))).toEqual([
    `${tpl}.metadata.deletionGracePeriodSeconds | FieldValueForbidden | Forbidden: cannot be set`,
  ]);
  const ref = { dataSourceRef: { kind: 'PersistentVolumeClaim', name: 'src', namespace: 'Other' } };
  expect(await causes(core('pods'), ephemeral({}, ref))).toEqual([
    `${tpl}.spec.dataSourceRef.namespace | FieldValueInvalid | Invalid value: "Other": ${LABEL}`,
  ]);
});

test("a claim's dataSourceRef naming a namespace is dropped (CrossNamespaceVolumeDataSource is off)", async () => {
  const res = await create(core('persistentvolumeclaims'), {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'c' },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
      dataSourceRef: { kind: 'PersistentVolumeClaim', name: 'src', namespace: 'Other Ns' },
    },
  });
  expect(res.status, res.text).toBe(201);
  expect(res.json().spec.dataSourceRef).toBeUndefined();
  expect(res.json().spec.dataSource).toBeUndefined();
});

test('a Job without a name is refused for the name alone', async () => {
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {},
    spec: {
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }] } },
    },
  };
  expect(await causes(`/apis/batch/v1/namespaces/${ns}/jobs`, job)).toEqual([
    'metadata.name | FieldValueRequired | Required value: name or generateName is required',
  ]);
});
