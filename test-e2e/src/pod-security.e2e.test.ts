/**
 * Differential: kube-apiserver's PodSecurity admission plugin with its default
 * configuration (every mode `privileged:latest`, no exemptions). A namespace's
 * `pod-security.kubernetes.io/<mode>` labels choose the levels: a Pod the enforce level
 * forbids is refused (403, dry run included), the warn level's violations are warnings,
 * a workload's Pod template is only warned about. Only a significant Pod update (a new
 * image, another number of containers, an ephemeral container) is evaluated. Invalid
 * labels are refused on a Namespace (an invalid enforce level set through the status
 * subresource, which the plugin lets through, enforces `restricted:latest`), and a
 * Namespace update that makes enforce stricter warns about the Pods already there.
 * The plugin's counts on `/metrics`: each mode's evaluations (enforce's decisions, audit's
 * and warn's denials; a workload's template only by audit and warn) and its exemptions
 * (none: their series stay at 0).
 * kube-apiserver reads namespaces and Pods from its informers: what follows a change to
 * either is polled.
 */

import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { metricSample, metricSeries, scrapeMetrics } from './prometheus-text.js';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e, uniqueSuffix } from './support.js';

const PREFIX = 'pod-security.kubernetes.io/';
const MERGE = 'application/merge-patch+json';

let e2e: E2eContext;
const kc = () => e2e.backend.kubeConfig;

beforeAll(async () => {
  e2e = await startE2e();
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
});

/** Creates a namespace with Pod Security labels (`enforce: 'baseline'` → `…/enforce`). */
async function labelledNamespace(labels: Record<string, string>): Promise<string> {
  const name = `e2e-psa-${uniqueSuffix()}`;
  const res = await raw(kc(), 'POST', '/api/v1/namespaces', {
    body: { metadata: { name, labels: prefixed(labels) } },
  });
  expect(res.status, res.text).toBe(201);
  e2e.onStop(() => raw(kc(), 'DELETE', `/api/v1/namespaces/${name}`));
  return name;
}

function prefixed(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [`${PREFIX}${k}`, v]));
}

/** A Pod spec with containers `c` and `d`, privileged when named in `privileged`. */
function podSpec(...privileged: string[]) {
  return {
    containers: ['c', 'd'].map((name) => ({
      name,
      image: 'busybox',
      ...(privileged.includes(name) ? { securityContext: { privileged: true } } : {}),
    })),
  };
}

const pods = (ns: string) => `/api/v1/namespaces/${ns}/pods`;

/** The message a privileged check gives for containers c and d. */
const PRIVILEGED_CD =
  'privileged (containers "c", "d" must not set securityContext.privileged=true)';

describe('enforce', () => {
  test.each([{ dryRun: false }, { dryRun: true }])(
    'refuses a Pod the enforce level forbids with 403 (dryRun $dryRun)',
    async ({ dryRun }) => {
      const ns = await labelledNamespace({ enforce: 'baseline' });
      const res = await raw(kc(), 'POST', pods(ns), {
        body: { metadata: { name: 'p' }, spec: podSpec('c', 'd') },
        ...(dryRun ? { query: { dryRun: 'All' } } : {}),
      });
      expect(res.status, res.text).toBe(403);
      expect(res.warnings).toEqual([]);
      expect(res.json()).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `pods "p" is forbidden: violates PodSecurity "baseline:latest": ${PRIVILEGED_CD}`,
        reason: 'Forbidden',
        details: { name: 'p', kind: 'pods' },
        code: 403,
      });
      expect((await raw(kc(), 'GET', `${pods(ns)}/p`)).status).toBe(404);
    },
  );

  test('names the generated name, and the version label', async () => {
    const ns = await labelledNamespace({ enforce: 'baseline', 'enforce-version': 'v1.20' });
    const res = await raw(kc(), 'POST', pods(ns), {
      body: { metadata: { generateName: 'p-' }, spec: podSpec('d') },
    });
    expect(res.status, res.text).toBe(403);
    expect(res.json().message).toMatch(
      /^pods "p-[a-z0-9]{5}" is forbidden: violates PodSecurity "baseline:v1\.20": privileged \(container "d" must not set securityContext\.privileged=true\)$/,
    );
  });

  test('validation comes first: an invalid Pod is 422', async () => {
    const ns = await labelledNamespace({ enforce: 'baseline' });
    const res = await raw(kc(), 'POST', pods(ns), {
      body: {
        metadata: { name: 'p' },
        spec: { containers: [{ name: 'c', securityContext: { privileged: true } }] },
      },
    });
    expect(res.status, res.text).toBe(422);
  });

  test('allows what the level allows, and everything in an unlabelled namespace', async () => {
    const ns = await labelledNamespace({ enforce: 'baseline' });
    const ok = await raw(kc(), 'POST', pods(ns), {
      body: { metadata: { name: 'p' }, spec: podSpec() },
      query: { dryRun: 'All' },
    });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.warnings).toEqual([]);
    const plain = await labelledNamespace({});
    const priv = await raw(kc(), 'POST', pods(plain), {
      body: { metadata: { name: 'p' }, spec: podSpec('c') },
      query: { dryRun: 'All' },
    });
    expect(priv.status, priv.text).toBe(201);
    expect(priv.warnings).toEqual([]);
  });
});

/** The restricted level's reasons and details for containers c and d without a securityContext. */
const RESTRICTED_CD = [
  'allowPrivilegeEscalation != false (containers "c", "d" must set securityContext.allowPrivilegeEscalation=false)',
  'unrestricted capabilities (containers "c", "d" must set securityContext.capabilities.drop=["ALL"])',
  'runAsNonRoot != true (pod or containers "c", "d" must set securityContext.runAsNonRoot=true)',
  'seccompProfile (pod or containers "c", "d" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
].join(', ');

describe('warn', () => {
  test('warns about an allowed Pod; a refused one gets no warning', async () => {
    const ns = await labelledNamespace({ enforce: 'baseline', warn: 'restricted' });
    const allowed = await raw(kc(), 'POST', pods(ns), {
      body: { metadata: { name: 'p' }, spec: podSpec() },
      query: { dryRun: 'All' },
    });
    expect(allowed.status, allowed.text).toBe(201);
    expect(allowed.warnings).toEqual([
      `would violate PodSecurity "restricted:latest": ${RESTRICTED_CD}`,
    ]);
    const refused = await raw(kc(), 'POST', pods(ns), {
      body: { metadata: { name: 'p' }, spec: podSpec('c', 'd') },
      query: { dryRun: 'All' },
    });
    expect(refused.status, refused.text).toBe(403);
    expect(refused.warnings).toEqual([]);
  });

  test('warns at its own version, alone', async () => {
    const ns = await labelledNamespace({ warn: 'baseline', 'warn-version': 'v1.25' });
    const res = await raw(kc(), 'POST', pods(ns), {
      body: { metadata: { name: 'p' }, spec: podSpec('c', 'd') },
      query: { dryRun: 'All' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.warnings).toEqual([`would violate PodSecurity "baseline:v1.25": ${PRIVILEGED_CD}`]);
  });

  test("a workload's Pod template is warned about (warn following enforce), never refused", async () => {
    const ns = await labelledNamespace({ enforce: 'baseline' });
    const warning = `would violate PodSecurity "baseline:latest": ${PRIVILEGED_CD}`;
    const template = { metadata: { labels: { a: 'b' } }, spec: podSpec('c', 'd') };
    const job = { ...template, spec: { ...template.spec, restartPolicy: 'Never' } };
    const writes: [string, unknown][] = [
      [
        `/apis/apps/v1/namespaces/${ns}/deployments`,
        { metadata: { name: 'w' }, spec: { selector: { matchLabels: { a: 'b' } }, template } },
      ],
      [
        `/apis/batch/v1/namespaces/${ns}/cronjobs`,
        {
          metadata: { name: 'w' },
          spec: { schedule: '* * * * *', jobTemplate: { spec: { template: job } } },
        },
      ],
      [`/api/v1/namespaces/${ns}/podtemplates`, { metadata: { name: 'w' }, template }],
    ];
    for (const [path, body] of writes) {
      const res = await raw(kc(), 'POST', path, { body });
      expect(res.status, res.text).toBe(201);
      expect(res.warnings, path).toEqual([warning]);
    }
    const deployment = `/apis/apps/v1/namespaces/${ns}/deployments/w`;
    const relabelled = await raw(kc(), 'PATCH', deployment, {
      body: { metadata: { labels: { x: 'y' } } },
      contentType: MERGE,
    });
    expect(relabelled.warnings).toEqual([warning]);
    const status = await raw(kc(), 'PATCH', `${deployment}/status`, {
      body: { status: { observedGeneration: 1 } },
      contentType: MERGE,
    });
    expect(status.status, status.text).toBe(200);
    expect(status.warnings).toEqual([]);
    // Nor a scale write: the plugin lets subresources through.
    const scaled = await raw(kc(), 'PATCH', `${deployment}/scale`, {
      body: { spec: { replicas: 2 } },
      contentType: MERGE,
    });
    expect(scaled.status, scaled.text).toBe(200);
    expect(scaled.json().spec).toEqual({ replicas: 2 });
    expect(scaled.warnings).toEqual([]);
  });
});

/** Sets a namespace's labels (a merge patch; `null` removes one), optionally as a dry run. */
function relabel(ns: string, labels: Record<string, string | null>, dryRun = false) {
  return raw(kc(), 'PATCH', `/api/v1/namespaces/${ns}`, {
    body: { metadata: { labels: prefixed(labels as Record<string, string>) } },
    contentType: MERGE,
    ...(dryRun ? { query: { dryRun: 'All' } } : {}),
  });
}

describe('Pod updates', () => {
  test('only significant ones and ephemeral containers are evaluated', async () => {
    const ns = await labelledNamespace({});
    for (const [name, spec] of [
      ['p', podSpec('c')],
      ['ok', podSpec()],
    ] as const) {
      const res = await raw(kc(), 'POST', pods(ns), { body: { metadata: { name }, spec } });
      expect(res.status, res.text).toBe(201);
    }
    expect((await relabel(ns, { enforce: 'baseline' })).status).toBe(200);
    const p = `${pods(ns)}/p`;
    // kube-apiserver reads the namespace from its informer: poll until it sees the label.
    const image = await vi.waitFor(async () => {
      const res = await raw(kc(), 'PATCH', p, {
        body: { spec: { containers: [{ name: 'c', image: 'busybox:2' }] } },
        contentType: 'application/strategic-merge-patch+json',
        query: { dryRun: 'All' },
      });
      expect(res.status, res.text).toBe(403);
      return res;
    }, EVENTUALLY);
    expect(image.json().message).toBe(
      `pods "p" is forbidden: violates PodSecurity "baseline:latest": privileged (container "c" must not set securityContext.privileged=true)`,
    );
    const labels = await raw(kc(), 'PATCH', p, {
      body: { metadata: { labels: { x: 'y' } } },
      contentType: MERGE,
    });
    expect(labels.status, labels.text).toBe(200);
    expect(labels.warnings).toEqual([]);
    const ok = (await raw(kc(), 'GET', `${pods(ns)}/ok`)).json();
    ok.spec.ephemeralContainers = [
      { name: 'e', image: 'busybox', securityContext: { privileged: true } },
    ];
    const debug = await raw(kc(), 'PUT', `${pods(ns)}/ok/ephemeralcontainers`, { body: ok });
    expect(debug.status, debug.text).toBe(403);
    expect(debug.json().message).toBe(
      `pods "ok" is forbidden: violates PodSecurity "baseline:latest": privileged (container "e" must not set securityContext.privileged=true)`,
    );
  });
});

describe('namespaces', () => {
  test('refuses invalid labels on create, in label order', async () => {
    const name = `e2e-psa-${uniqueSuffix()}`;
    const res = await raw(kc(), 'POST', '/api/v1/namespaces', {
      body: {
        metadata: {
          name,
          labels: prefixed({ warn: 'x', enforce: 'bogus', 'audit-version': 'v1.01' }),
        },
      },
    });
    expect(res.status, res.text).toBe(422);
    const field = (label: string) => `metadata.labels[${PREFIX}${label}]`;
    const causes = [
      {
        field: field('enforce'),
        value: 'bogus',
        why: 'must be one of privileged, baseline, restricted',
      },
      { field: field('audit-version'), value: 'v1.01', why: 'must be "latest" or "v1.x"' },
      { field: field('warn'), value: 'x', why: 'must be one of privileged, baseline, restricted' },
    ].map((c) => ({
      reason: 'FieldValueInvalid',
      message: `Invalid value: "${c.value}": ${c.why}`,
      field: c.field,
    }));
    expect(res.json()).toMatchObject({
      message: `Namespace "${name}" is invalid: [${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}]`,
      reason: 'Invalid',
      details: { name, kind: 'Namespace', causes },
      code: 422,
    });
  });

  test('an invalid enforce label set through status enforces restricted:latest; an update keeps it but may not change it', async () => {
    const ns = await labelledNamespace({});
    const got = (await raw(kc(), 'GET', `/api/v1/namespaces/${ns}`)).json();
    got.metadata.labels = {
      ...got.metadata.labels,
      ...prefixed({ enforce: 'bogus', warn: 'nope' }),
    };
    const status = await raw(kc(), 'PUT', `/api/v1/namespaces/${ns}/status`, { body: got });
    expect(status.status, status.text).toBe(200);
    const refused = await vi.waitFor(async () => {
      const res = await raw(kc(), 'POST', pods(ns), {
        body: { metadata: { name: 'p' }, spec: podSpec() },
        query: { dryRun: 'All' },
      });
      expect(res.status, res.text).toBe(403);
      return res;
    }, EVENTUALLY);
    expect(refused.json().message).toBe(
      `pods "p" is forbidden: violates PodSecurity "restricted:latest": ${RESTRICTED_CD}`,
    );
    // The invalid warn level fails open: a workload gets no warning.
    const deployment = await raw(kc(), 'POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
      body: {
        metadata: { name: 'd' },
        spec: {
          selector: { matchLabels: { a: 'b' } },
          template: { metadata: { labels: { a: 'b' } }, spec: podSpec('c') },
        },
      },
      query: { dryRun: 'All' },
    });
    expect(deployment.status, deployment.text).toBe(201);
    expect(deployment.warnings).toEqual([]);
    const kept = await raw(kc(), 'PATCH', `/api/v1/namespaces/${ns}`, {
      body: { metadata: { labels: { x: 'y' } } },
      contentType: MERGE,
    });
    expect(kept.status, kept.text).toBe(200);
    const changed = await relabel(ns, { enforce: 'bogus2' });
    expect(changed.status, changed.text).toBe(422);
    expect(changed.json().details.causes.map((c: { field: string }) => c.field)).toEqual([
      `metadata.labels[${PREFIX}enforce]`,
      `metadata.labels[${PREFIX}warn]`,
    ]);
  });

  test('a stricter enforce level warns about the Pods already there, grouped by reasons', async () => {
    const ns = await labelledNamespace({});
    const existing = [
      { name: 'b', spec: podSpec('c') },
      { name: 'a', spec: podSpec('c') },
      { name: 'z', spec: podSpec('c', 'd') },
      { name: 'y', spec: podSpec('d') },
      { name: 'ok', spec: podSpec() },
    ];
    for (const p of existing) {
      const res = await raw(kc(), 'POST', pods(ns), {
        body: { metadata: { name: p.name }, spec: p.spec },
      });
      expect(res.status, res.text).toBe(201);
    }
    // kube-apiserver lists the Pods from its informer: poll until it has them all.
    const res = await vi.waitFor(async () => {
      const r = await relabel(ns, { enforce: 'baseline' }, true);
      expect(r.status, r.text).toBe(200);
      expect(r.warnings.at(-1)).toMatch(/^a \(and 3 other pods\)/);
      return r;
    }, EVENTUALLY);
    expect(res.warnings).toEqual([
      `existing pods in namespace "${ns}" violate the new PodSecurity enforce level "baseline:latest"`,
      'a (and 3 other pods): privileged',
    ]);
    const restricted = await relabel(
      ns,
      { enforce: 'restricted', 'enforce-version': 'v1.20' },
      true,
    );
    expect(restricted.warnings).toEqual([
      `existing pods in namespace "${ns}" violate the new PodSecurity enforce level "restricted:v1.20"`,
      'a (and 3 other pods): privileged, allowPrivilegeEscalation != false, runAsNonRoot != true, seccompProfile',
      'ok: allowPrivilegeEscalation != false, runAsNonRoot != true, seccompProfile',
    ]);
    // Applied: a relaxed level, or the same one again, checks nothing.
    expect((await relabel(ns, { enforce: 'restricted', 'enforce-version': 'v1.20' })).status).toBe(
      200,
    );
    const relaxed = await relabel(ns, { enforce: 'baseline' }, true);
    expect(relaxed.status, relaxed.text).toBe(200);
    expect(relaxed.warnings).toEqual([]);
  });
});

describe('metrics', () => {
  /** The plugin's evaluation counts of the versions only this test's namespace uses. */
  async function evaluations(): Promise<Map<string, number>> {
    const text = await scrapeMetrics(kc());
    // No exemptions are configured: the series the plugin creates stay at 0.
    for (const resource of ['pod', 'controller']) {
      const labels = { request_operation: 'create', resource, subresource: '' };
      expect(metricSample(text, 'pod_security_exemptions_total', labels)).toBe(0);
    }
    const out = new Map<string, number>();
    for (const s of metricSeries(text, 'pod_security_evaluations_total')) {
      const l = s.labels;
      if (!['v1.30', 'v1.29', 'future'].includes(l.policy_version!)) continue;
      const key = `${l.mode} ${l.decision} ${l.policy_level}:${l.policy_version} ${l.request_operation} ${l.resource}/${l.subresource}`;
      out.set(key, s.value);
    }
    return out;
  }

  test("count each mode's decisions on Pods and denials on templates, not ignored updates", async () => {
    const ns = await labelledNamespace({
      enforce: 'baseline',
      'enforce-version': 'v1.30',
      audit: 'restricted',
      'audit-version': 'v1.29',
      warn: 'restricted',
      'warn-version': 'v1.99',
    });
    const before = await evaluations();
    const create = async (path: string, body: object, status: number, dryRun = false) => {
      const res = await raw(kc(), 'POST', path, { body, query: dryRun ? { dryRun: 'All' } : {} });
      expect(res.status, res.text).toBe(status);
    };
    await create(pods(ns), { metadata: { name: 'a' }, spec: podSpec() }, 201);
    await create(pods(ns), { metadata: { name: 'b' }, spec: podSpec('c') }, 403);
    await create(pods(ns), { metadata: { name: 'b' }, spec: podSpec('c') }, 403, true);
    const template = { metadata: { name: 't' }, template: { spec: podSpec('c') } };
    await create(`/api/v1/namespaces/${ns}/podtemplates`, template, 201);
    // A Pod update that changes no image or container count is not evaluated.
    const patched = await raw(kc(), 'PATCH', `${pods(ns)}/a`, {
      body: { metadata: { labels: { x: 'y' } } },
      contentType: MERGE,
    });
    expect(patched.status, patched.text).toBe(200);
    const after = await evaluations();
    const gained: Record<string, number> = {};
    for (const [key, value] of after) {
      const delta = value - (before.get(key) ?? 0);
      if (delta) gained[key] = delta;
    }
    expect(gained).toEqual({
      'enforce allow baseline:v1.30 create pod/': 1,
      'enforce deny baseline:v1.30 create pod/': 2,
      'audit deny restricted:v1.29 create pod/': 3,
      'warn deny restricted:future create pod/': 1,
      'audit deny restricted:v1.29 create controller/': 1,
      'warn deny restricted:future create controller/': 1,
    });
  });
});
