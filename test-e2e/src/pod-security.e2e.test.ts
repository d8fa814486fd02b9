/**
 * Differential: kube-apiserver's PodSecurity admission plugin with its default
 * configuration (every mode `privileged:latest`, no exemptions). A namespace's
 * `pod-security.kubernetes.io/<mode>` labels choose the levels: a Pod the enforce level
 * forbids is refused (403, dry run included), the warn level's violations are warnings,
 * a workload's Pod template is only warned about.
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

const PREFIX = 'pod-security.kubernetes.io/';

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
