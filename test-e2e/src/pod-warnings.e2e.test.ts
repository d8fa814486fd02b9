/**
 * Differential: the `Warning` headers kube-apiserver gives for pod specs
 * (`GetWarningsForPod`, `GetWarningsForPodTemplate`): on a new Pod, on a new workload of
 * every kind with a pod template (and a PodTemplate), and on an update only when the
 * template's generation moved.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { holderPath, POD, WORKLOADS } from './pod-spec-fixtures.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-pod-warnings');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NULL_SELECTOR = 'a null labelSelector results in matching no pod';

/** A pod spec that draws every kind of warning but the annotations'. */
const SPEC = {
  nodeSelector: { 'beta.kubernetes.io/arch': 'amd64' },
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          {
            matchExpressions: [
              { key: 'failure-domain.beta.kubernetes.io/zone', operator: 'In', values: ['a'] },
            ],
          },
        ],
      },
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 1,
          preference: {
            matchExpressions: [{ key: 'tier', operator: 'In', values: ['ok', 'not ok'] }],
          },
        },
      ],
    },
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone' }],
    },
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 1, podAffinityTerm: { topologyKey: 'zone' } },
      ],
    },
  },
  topologySpreadConstraints: [
    { maxSkew: 1, topologyKey: 'beta.kubernetes.io/os', whenUnsatisfiable: 'DoNotSchedule' },
  ],
  volumes: [
    { name: 'git', gitRepo: { repository: 'https://example.com/r.git' } },
    { name: 'fs', cephfs: { monitors: ['10.0.0.1:6789'] } },
    {
      name: 'cm',
      configMap: {
        name: 'cm',
        items: [
          { key: 'a', path: 'a' },
          { key: 'b', path: 'a/b' },
        ],
      },
    },
    {
      name: 'proj',
      projected: {
        sources: [
          {},
          { configMap: { name: 'c1', items: [{ key: 'k', path: 'p' }] } },
          { secret: { name: 's1', items: [{ key: 'k', path: 'p/' }] } },
        ],
      },
    },
  ],
  hostAliases: [
    { ip: '10.0.0.1', hostnames: ['a'] },
    { ip: '10.0.0.1', hostnames: ['b'] },
  ],
  imagePullSecrets: [{ name: 'reg' }, { name: 'reg' }],
  terminationGracePeriodSeconds: -5,
  containers: [
    {
      name: 'c',
      image: 'i',
      resources: { requests: { memory: '1.5' }, limits: { 'ephemeral-storage': '100m' } },
      env: [
        { name: 'A', value: '1' },
        { name: 'A', value: '$(A)2' },
        { name: 'A', value: '3' },
      ],
      ports: [
        { name: 'http', containerPort: 80 },
        { containerPort: 81, hostIP: '10.0.0.2' },
      ],
    },
    { name: 'd', image: 'i', ports: [{ name: 'http', containerPort: 80 }] },
  ],
};

/** The warnings of SPEC in a spec at `at` (`spec`, `spec.template.spec`, …). */
function specWarnings(at: string, isPod: boolean): string[] {
  const c = `${at}.containers[0]`;
  // A Pod's requests are defaulted from its limits.
  const storage = isPod
    ? [
        `${c}.resources.limits[ephemeral-storage]: fractional byte value "100m" is invalid, must be an integer`,
        `${c}.resources.requests[ephemeral-storage]: fractional byte value "100m" is invalid, must be an integer`,
      ]
    : [
        `${c}.resources.limits[ephemeral-storage]: fractional byte value "100m" is invalid, must be an integer`,
      ];
  return [
    `${at}.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; use "kubernetes.io/arch" instead`,
    `${at}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key: failure-domain.beta.kubernetes.io/zone is deprecated since v1.17; use "topology.kubernetes.io/zone" instead`,
    `${at}.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].values[1]: not ok is invalid, ${LABEL_VALUE}`,
    `${at}.topologySpreadConstraints[0].topologyKey: beta.kubernetes.io/os is deprecated since v1.14; use "kubernetes.io/os" instead`,
    `${at}.topologySpreadConstraints[0].labelSelector: ${NULL_SELECTOR}`,
    `${at}.volumes[0].gitRepo: deprecated in v1.11, and disabled by default in v1.33+`,
    `${at}.volumes[1].cephfs: deprecated in v1.28, non-functional in v1.31+`,
    'volume "cm" (ConfigMap "cm"): overlapping paths: "a/b" with "a"',
    'volume "proj" (Projected) has no sources provided',
    'volume "proj" (Projected): overlapping paths: "p" (Secret "s1") with "p" (ConfigMap "c1")',
    `${at}.hostAliases[1].ip: duplicate ip "10.0.0.1"`,
    `${at}.imagePullSecrets[1].name: duplicate name "reg"`,
    `${c}.resources.requests[memory]: fractional byte value "1500m" is invalid, must be an integer`,
    ...storage,
    `${c}.env[2]: hides previous definition of "A", which may be dropped when using apply`,
    `${c}.ports[1]: hostIP set without hostPort: {Name: HostPort:0 ContainerPort:81 Protocol:TCP HostIP:10.0.0.2}`,
    `${at}.containers[1].ports[0]: duplicate port definition with ${c}.ports[0]`,
    `${at}.containers[1].ports[0]: duplicate port name "http" with ${c}.ports[0], services and probes that select ports by name will use ${c}.ports[0]`,
    // A Pod's negative grace period is stored as 1.
    ...(isPod
      ? []
      : [
          `${at}.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1`,
        ]),
    `${at}.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector: ${NULL_SELECTOR}`,
    `${at}.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector: ${NULL_SELECTOR}`,
  ];
}

/**
 * GETs the object at `path`, changes it and PUTs it back, again after a 409: the real
 * server's workload controllers write the object's status in between.
 */
async function update(
  path: string,
  // biome-ignore lint/suspicious/noExplicitAny: tests change arbitrary server JSON.
  change: (o: any) => void,
): Promise<Awaited<ReturnType<typeof raw>>> {
  for (let attempt = 0; ; attempt++) {
    const o = (await raw(kc(), 'GET', path)).json();
    change(o);
    const res = await raw(kc(), 'PUT', path, { body: o });
    if (res.status !== 409 || attempt === 5) return res;
  }
}

describe('pod spec warnings', () => {
  test('a new Pod', async () => {
    const res = await raw(kc(), 'POST', holderPath(POD, ns), {
      body: {
        ...POD.body('web.one', SPEC),
        metadata: {
          name: 'web.one',
          annotations: {
            'scheduler.alpha.kubernetes.io/critical-pod': '',
            'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default',
            'container.seccomp.security.alpha.kubernetes.io/d': 'runtime/default',
          },
        },
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json().spec.terminationGracePeriodSeconds).toBe(1);
    const spec = specWarnings('spec', true);
    // The annotations' warnings come after the scheduling ones, the containers' first.
    const annotations = 'metadata.annotations';
    expect(res.warnings).toEqual([
      "metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]",
      ...spec.slice(0, 5),
      `${annotations}[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in v1.16+; use the "priorityClassName" field instead`,
      ...spec.slice(5, 12),
      `${annotations}[seccomp.security.alpha.kubernetes.io/pod]: non-functional in v1.27+; use the "seccompProfile" field instead`,
      ...spec.slice(12, 16),
      `${annotations}[container.seccomp.security.alpha.kubernetes.io/d]: non-functional in v1.27+; use the "seccompProfile" field instead`,
      ...spec.slice(16),
    ]);
  });

  test('a new workload of every kind with a pod template', async () => {
    for (const holder of WORKLOADS) {
      const res = await raw(kc(), 'POST', holderPath(holder, ns), {
        body: holder.body('warned', SPEC),
      });
      expect(res.status, `${holder.plural}: ${res.text}`).toBe(201);
      expect(res.warnings, holder.plural).toEqual(specWarnings(holder.prefix, false));
    }
  });

  test('a workload update warns only when the template changed', async () => {
    const path = `${holderPath(WORKLOADS[0]!, ns)}/warned`;
    const labelled = await update(path, (o) => {
      o.metadata.labels = { x: 'y' };
    });
    expect(labelled.status, labelled.text).toBe(200);
    expect(labelled.warnings).toEqual([]);
    const changed = await update(path, (o) => {
      o.spec.template.spec.containers[1].image = 'i2';
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.warnings).toEqual(specWarnings('spec.template.spec', false));
  });

  test('a DaemonSet update warns when its template generation moves', async () => {
    const path = `${holderPath(WORKLOADS[2]!, ns)}/warned`;
    const labelled = await update(path, (o) => {
      o.metadata.labels = { x: 'y' };
    });
    expect(labelled.status, labelled.text).toBe(200);
    expect(labelled.warnings).toEqual([]);
    const changed = await update(path, (o) => {
      o.spec.template.metadata.labels.extra = 'yes';
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.warnings).toEqual(specWarnings('spec.template.spec', false));
  });

  test('a PodTemplate, and its update when the template changed', async () => {
    const path = `/api/v1/namespaces/${ns}/podtemplates`;
    const res = await raw(kc(), 'POST', path, {
      body: { metadata: { name: 'warned' }, template: { spec: SPEC } },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.warnings).toEqual(specWarnings('template.spec', false));
    const stored = res.json();
    const labelled = await raw(kc(), 'PUT', `${path}/warned`, {
      body: { ...stored, metadata: { ...stored.metadata, labels: { x: 'y' } } },
    });
    expect(labelled.status, labelled.text).toBe(200);
    expect(labelled.warnings).toEqual([]);
    const after = labelled.json();
    after.template.metadata = { labels: { changed: 'yes' } };
    const changed = await raw(kc(), 'PUT', `${path}/warned`, { body: after });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.warnings).toEqual(specWarnings('template.spec', false));
  });

  test('workload names and template annotations', async () => {
    const spec = {
      containers: [
        { name: 'c', image: 'i', securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } },
        { name: 'x', image: 'i' },
      ],
    };
    const res = await raw(kc(), 'POST', holderPath(WORKLOADS[0]!, ns), {
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web.two' },
        spec: {
          selector: { matchLabels: { app: 'w' } },
          template: {
            metadata: {
              labels: { app: 'w' },
              annotations: {
                'security.alpha.kubernetes.io/sysctls': 'a=b',
                // A container with its profile field: no warning; one without: a warning.
                'container.apparmor.security.beta.kubernetes.io/c': 'runtime/default',
                'container.apparmor.security.beta.kubernetes.io/x': 'unconfined',
              },
            },
            spec,
          },
        },
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.warnings).toEqual([
      'metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]',
      'spec.template.metadata.annotations[security.alpha.kubernetes.io/sysctls]: non-functional in v1.11+; use the "sysctls" field instead',
      'spec.template.metadata.annotations[container.apparmor.security.beta.kubernetes.io/x]: deprecated since v1.30; use the "appArmorProfile" field instead',
    ]);
  });

  test('StatefulSet claim templates and history limit', async () => {
    const holder = WORKLOADS[1]!;
    const body = holder.body('claims', { containers: [{ name: 'c', image: 'i' }] });
    const spec = body.spec as Record<string, unknown>;
    spec.revisionHistoryLimit = -1;
    spec.volumeClaimTemplates = [
      {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1.5' } } },
      },
    ];
    const res = await raw(kc(), 'POST', holderPath(holder, ns), { body });
    expect(res.status, res.text).toBe(201);
    const history =
      'spec.revisionHistoryLimit: a negative value retains all historical revisions; a value >= 0 is recommended';
    expect(res.warnings).toEqual([
      'spec.volumeClaimTemplates[0].resources.requests[storage]: fractional byte value "1500m" is invalid, must be an integer',
      history,
    ]);
    const labelled = await update(`${holderPath(holder, ns)}/claims`, (o) => {
      o.metadata.labels = { x: 'y' };
    });
    expect(labelled.status, labelled.text).toBe(200);
    expect(labelled.warnings).toEqual([
      'spec.volumeClaimTemplates[0].Spec.resources.requests[storage]: fractional byte value "1500m" is invalid, must be an integer',
      history,
    ]);
  });
});
