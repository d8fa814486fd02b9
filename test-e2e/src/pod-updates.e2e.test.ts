/**
 * Differential: the pod update rule (`ValidatePodUpdate`) with its whole refusal — the
 * first line and apimachinery's unified diff of the internal `core.PodSpec` as Go's
 * encoding/json writes it — the rule's own causes (containers added, the deadline raised
 * or unset, tolerations changed, scheduling gates added, a gated Pod's node selection),
 * a changed ephemeral container's diff, static (mirror) Pods' refusals and an ephemeral
 * volume's claim name.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectInvalid, forbidden, invalid } from './invalid-status.js';
import { type RawResponse, raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-pod-updates');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const pods = () => `/api/v1/namespaces/${ns}/pods`;
const STRATEGIC = 'application/strategic-merge-patch+json';
const MIRROR = { 'kubernetes.io/config.mirror': 'from-a-file' };

const create = async (name: string, spec: Record<string, unknown>, meta = {}) => {
  const res = await raw(kc(), 'POST', pods(), { body: { metadata: { name, ...meta }, spec } });
  expect(res.status, res.text).toBe(201);
  return res.json();
};
const patch = (name: string, spec: Record<string, unknown>) =>
  raw(kc(), 'PATCH', `${pods()}/${name}`, { body: { spec }, contentType: STRATEGIC });

const FIRST_LINE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** The refusal of a spec change: one cause at `spec` ending with the diff's lines. */
function expectRefused(res: RawResponse, name: string, diff: string[]): void {
  expectInvalid(res, `Pod "${name}"`, [
    forbidden('spec', `${FIRST_LINE}\n${diff.map((l) => `${l}\n`).join('')}`),
  ]);
}

/** A Pod whose spec has limits, a command with HTML characters and a toleration. */
const frozen = () => ({
  restartPolicy: 'Never',
  containers: [
    {
      name: 'app',
      image: 'nginx',
      command: ['a<b&c>'],
      resources: { limits: { cpu: '1', memory: '1Gi' } },
    },
  ],
  tolerations: [{ key: 'x', operator: 'Exists' }],
});

/** The hunk of `frozen()`'s diff when its restart policy becomes `Always`. */
const RESTART_HUNK = [
  '@@ -43,7 +43,7 @@',
  '   }',
  '  ],',
  '  "EphemeralContainers": null,',
  '- "RestartPolicy": "Never",',
  '+ "RestartPolicy": "Always",',
  '  "TerminationGracePeriodSeconds": 30,',
  '  "ActiveDeadlineSeconds": null,',
  '  "DNSPolicy": "ClusterFirst",',
];

describe('the pod update refusal', () => {
  test('ends with the unified diff of the internal specs', async () => {
    await create('frozen', frozen());
    expectRefused(await patch('frozen', { restartPolicy: 'Always' }), 'frozen', RESTART_HUNK);
    // A host namespace field is in the internal security context.
    expectRefused(await patch('frozen', { hostNetwork: true }), 'frozen', [
      '@@ -52,7 +52,7 @@',
      '  "AutomountServiceAccountToken": null,',
      '  "NodeName": "",',
      '  "SecurityContext": {',
      '-  "HostNetwork": false,',
      '+  "HostNetwork": true,',
      '   "HostPID": false,',
      '   "HostIPC": false,',
      '   "ShareProcessNamespace": null,',
    ]);
    // Map keys sorted; Go escapes HTML characters; the image change is allowed (not shown).
    expectRefused(await patch('frozen', { nodeSelector: { b: '1', a: '2' } }), 'frozen', [
      '@@ -47,7 +47,10 @@',
      '  "TerminationGracePeriodSeconds": 30,',
      '  "ActiveDeadlineSeconds": null,',
      '  "DNSPolicy": "ClusterFirst",',
      '- "NodeSelector": null,',
      '+ "NodeSelector": {',
      '+  "a": "2",',
      '+  "b": "1"',
      '+ },',
      '  "ServiceAccountName": "",',
      '  "AutomountServiceAccountToken": null,',
      '  "NodeName": "",',
    ]);
    const command = await patch('frozen', {
      containers: [{ name: 'app', image: 'nginx:2', command: ['x<y'] }],
    });
    expectRefused(command, 'frozen', [
      '@@ -6,7 +6,7 @@',
      '    "Name": "app",',
      '    "Image": "nginx",',
      '    "Command": [',
      '-    "a\\u003cb\\u0026c\\u003e"',
      '+    "x\\u003cy"',
      '    ],',
      '    "Args": null,',
      '    "WorkingDir": "",',
    ]);
  });

  test('changes far apart are separate hunks', async () => {
    await create('far', frozen());
    const res = await patch('far', { restartPolicy: 'Always', schedulerName: 'mine' });
    expectRefused(res, 'far', [
      ...RESTART_HUNK,
      '@@ -76,7 +76,7 @@',
      '  "Subdomain": "",',
      '  "SetHostnameAsFQDN": null,',
      '  "Affinity": null,',
      '- "SchedulerName": "default-scheduler",',
      '+ "SchedulerName": "mine",',
      '  "Tolerations": [',
      '   {',
      '    "Key": "x",',
    ]);
  });

  test("the rule's own causes", async () => {
    await create('rules', { ...frozen(), activeDeadlineSeconds: 100 });
    const more = await patch('rules', {
      containers: [
        { name: 'app', image: 'nginx' },
        { name: 'more', image: 'nginx' },
      ],
    });
    expectInvalid(more, 'Pod "rules"', [
      forbidden('spec.containers', 'pod updates may not add or remove containers'),
    ]);
    expectInvalid(await patch('rules', { activeDeadlineSeconds: 200 }), 'Pod "rules"', [
      invalid('spec.activeDeadlineSeconds', '200', 'must be less than or equal to previous value'),
    ]);
    expectInvalid(await patch('rules', { activeDeadlineSeconds: null }), 'Pod "rules"', [
      invalid(
        'spec.activeDeadlineSeconds',
        'null',
        'must not update from a positive integer to nil value',
      ),
    ]);
    const changed = await raw(kc(), 'PATCH', `${pods()}/rules`, {
      body: [{ op: 'replace', path: '/spec/tolerations/0/key', value: 'y' }],
      contentType: 'application/json-patch+json',
    });
    expectInvalid(changed, 'Pod "rules"', [
      forbidden(
        'spec.tolerations',
        'existing toleration can not be modified except its tolerationSeconds',
      ),
    ]);
    const gate = await patch('rules', { schedulingGates: [{ name: 'later' }] });
    expectInvalid(gate, 'Pod "rules"', [
      forbidden(
        'spec.schedulingGates[0].name',
        "only deletion is allowed, but found new scheduling gate 'later'",
      ),
    ]);
    // A lower deadline and a toleration's new seconds are allowed.
    const lower = await raw(kc(), 'PATCH', `${pods()}/rules`, {
      body: [
        { op: 'replace', path: '/spec/activeDeadlineSeconds', value: 50 },
        { op: 'replace', path: '/spec/tolerations/1/tolerationSeconds', value: 60 },
      ],
      contentType: 'application/json-patch+json',
    });
    expect(lower.status, lower.text).toBe(200);
  });

  test('a gated Pod may add to its node selection, not change it', async () => {
    await create('gated', {
      containers: [{ name: 'app', image: 'nginx' }],
      schedulingGates: [{ name: 'wait' }],
      nodeSelector: { zone: 'a' },
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'Exists' }] }],
          },
        },
      },
    });
    const added = await patch('gated', {
      nodeSelector: { disk: 'ssd' },
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: 'k', operator: 'Exists' },
                  { key: 'l', operator: 'In', values: ['v'] },
                ],
              },
            ],
          },
        },
      },
    });
    expect(added.status, added.text).toBe(200);
    const changed = await patch('gated', {
      nodeSelector: { zone: 'b' },
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'DoesNotExist' }] }],
          },
        },
      },
    });
    const terms = 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution';
    expectInvalid(changed, 'Pod "gated"', [
      invalid(
        'spec.nodeSelector',
        '{"disk":"ssd","zone":"b"}',
        'only additions to spec.nodeSelector are allowed (no mutations or deletions)',
      ),
      invalid(
        `${terms}.nodeSelectorTerms[0]`,
        '{"MatchExpressions":[{"Key":"k","Operator":"DoesNotExist","Values":null}],"MatchFields":null}',
        'only additions are allowed (no mutations or deletions)',
      ),
    ]);
  });
});

/** The start of a changed ephemeral container's diff: its image `busybox` now `busybox:2`. */
const DEBUG_IMAGE_HUNK = [
  '@@ -1,8 +1,8 @@',
  ' {',
  '  "Name": "debug",',
  '- "Image": "busybox",',
  '+ "Image": "busybox:2",',
];

/** The refusal of a change to the ephemeral container `debug`, ending with `diff`. */
const changedDebug = (diff: string[]) =>
  forbidden(
    'spec.ephemeralContainers',
    `existing ephemeral containers "debug" may not be changed\n${diff.map((l) => `${l}\n`).join('')}`,
  );

describe('an empty list or map against a stored null', () => {
  test('is no change alone, and shows in the diff beside one', async () => {
    const body = await create('emptied', frozen());
    const empty = { imagePullSecrets: [], nodeSelector: {}, readinessGates: [] };
    // Go's semantic equality takes an empty slice or map for nil: the update is allowed.
    const alone = await raw(kc(), 'PUT', `${pods()}/emptied`, {
      body: { ...body, spec: { ...body.spec, ...empty } },
    });
    expect(alone.status, alone.text).toBe(200);
    const now = alone.json();
    const res = await raw(kc(), 'PUT', `${pods()}/emptied`, {
      body: { ...now, spec: { ...now.spec, ...empty, restartPolicy: 'Always' } },
    });
    expectRefused(res, 'emptied', [
      // The restart policy's hunk, grown by the node selector's lines.
      '@@ -43,11 +43,11 @@',
      ...RESTART_HUNK.slice(1),
      '- "NodeSelector": null,',
      '+ "NodeSelector": {},',
      '  "ServiceAccountName": "",',
      '  "AutomountServiceAccountToken": null,',
      '  "NodeName": "",',
      '@@ -71,7 +71,7 @@',
      '   "AppArmorProfile": null,',
      '   "SELinuxChangePolicy": null',
      '  },',
      '- "ImagePullSecrets": null,',
      '+ "ImagePullSecrets": [],',
      '  "Hostname": "",',
      '  "Subdomain": "",',
      '  "SetHostnameAsFQDN": null,',
      '@@ -105,7 +105,7 @@',
      '  "Priority": 0,',
      '  "PreemptionPolicy": "PreemptLowerPriority",',
      '  "DNSConfig": null,',
      '- "ReadinessGates": null,',
      '+ "ReadinessGates": [],',
      '  "RuntimeClassName": null,',
      '  "Overhead": null,',
      '  "EnableServiceLinks": true,',
    ]);
  });

  test('in a stored ephemeral container, likewise', async () => {
    const body = await create('emptied-debug', { containers: [{ name: 'app', image: 'nginx' }] });
    const ephemeral = `${pods()}/emptied-debug/ephemeralcontainers`;
    const put = (o: { spec: Record<string, unknown> }, c: Record<string, unknown>) =>
      raw(kc(), 'PUT', ephemeral, {
        body: { ...o, spec: { ...o.spec, ephemeralContainers: [c] } },
      });
    const added = await put(body, { name: 'debug', image: 'busybox' });
    expect(added.status, added.text).toBe(200);
    const now = added.json();
    const stored = now.spec.ephemeralContainers[0];
    const same = await put(now, { ...stored, args: [], env: [] });
    expect(same.status, same.text).toBe(200);
    const res = await put(same.json(), { ...stored, image: 'busybox:2', args: [] });
    const diff = [
      ...DEBUG_IMAGE_HUNK,
      '  "Command": null,',
      '- "Args": null,',
      '+ "Args": [],',
      '  "WorkingDir": "",',
      '  "Ports": null,',
      '  "EnvFrom": null,',
    ];
    expectInvalid(res, 'Pod "emptied-debug"', [changedDebug(diff)]);
  });
});

describe('ephemeral containers', () => {
  test("a changed one's cause ends with the diff of the internal containers", async () => {
    const body = await create('debugged', { containers: [{ name: 'app', image: 'nginx' }] });
    const ephemeral = `${pods()}/debugged/ephemeralcontainers`;
    const debug = { name: 'debug', image: 'busybox', command: ['sh'] };
    const added = await raw(kc(), 'PUT', ephemeral, {
      body: { ...body, spec: { ...body.spec, ephemeralContainers: [debug] } },
    });
    expect(added.status, added.text).toBe(200);
    const now = added.json();
    const changed = { ...now.spec.ephemeralContainers[0], image: 'busybox:2', command: ['bash'] };
    const res = await raw(kc(), 'PUT', ephemeral, {
      body: { ...now, spec: { ...now.spec, ephemeralContainers: [changed] } },
    });
    const diff = [
      ...DEBUG_IMAGE_HUNK,
      '  "Command": [',
      '-  "sh"',
      '+  "bash"',
      '  ],',
      '  "Args": null,',
      '  "WorkingDir": "",',
    ];
    expectInvalid(res, 'Pod "debugged"', [changedDebug(diff)]);
  });
});

describe('static (mirror) Pods', () => {
  test('are refused resource claims, ephemeral containers and resizes', async () => {
    const claims = await raw(kc(), 'POST', pods(), {
      body: {
        metadata: { name: 'mirror-claims', annotations: MIRROR },
        spec: {
          nodeName: 'node-a',
          containers: [{ name: 'app', image: 'nginx' }],
          resourceClaims: [
            { name: 'one', resourceClaimName: 'a' },
            { name: 'two', resourceClaimTemplateName: 'b' },
          ],
        },
      },
    });
    const refused = forbidden('[]', 'static pods do not support resource claims');
    expectInvalid(claims, 'Pod "mirror-claims"', [refused, refused]);

    const body = await create(
      'mirror',
      { nodeName: 'node-a', containers: [{ name: 'app', image: 'nginx' }] },
      { annotations: MIRROR },
    );
    const debug = await raw(kc(), 'PUT', `${pods()}/mirror/ephemeralcontainers`, {
      body: { ...body, spec: { ...body.spec, ephemeralContainers: [{ name: 'd', image: 'x' }] } },
    });
    expectInvalid(debug, 'Pod "mirror"', [
      forbidden('[]', 'static pods do not support ephemeral containers'),
    ]);
    const resize = await raw(kc(), 'PATCH', `${pods()}/mirror/resize`, {
      body: { spec: { containers: [{ name: 'app', resources: { requests: { cpu: '1' } } }] } },
      contentType: STRATEGIC,
    });
    expectInvalid(resize, 'Pod "mirror"', [forbidden('[]', 'static pods cannot be resized')]);
  });
});

describe('ephemeral volumes', () => {
  test('the claim name <pod>-<volume> must be a DNS subdomain', async () => {
    const volume = 'v'.repeat(63);
    const claimTemplate = {
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    };
    const spec = {
      containers: [{ name: 'app', image: 'nginx' }],
      volumes: [{ name: volume, ephemeral: { volumeClaimTemplate: claimTemplate } }],
    };
    await create('short', spec);
    const name = 'p'.repeat(190);
    const res = await raw(kc(), 'POST', pods(), { body: { metadata: { name }, spec } });
    expectInvalid(res, `Pod "${name}"`, [
      invalid(
        'spec.volumes[0].name',
        JSON.stringify(volume),
        `PVC name "${name}-${volume}": must be no more than 253 characters`,
      ),
    ]);
  });
});
