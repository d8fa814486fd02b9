/**
 * Differential: API Priority and Fairness as clients and tests see it: the FlowSchemas and
 * PriorityLevelConfigurations kube-apiserver creates at start (their specs, the
 * auto-update annotation, each FlowSchema's `Dangling` condition), and every request's
 * `X-Kubernetes-PF-FlowSchema-UID` / `X-Kubernetes-PF-PriorityLevel-UID` headers naming
 * the FlowSchema it matched (admin → exempt, probes → probes, a ServiceAccount →
 * service-accounts, anonymous → global-default, a FlowSchema added for a user), before
 * authorization (a 403 has them) and after authentication (a 401 has not).
 */
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { anonymous, asNewServiceAccount, withToken } from './credentials.js';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;
let serviceAccount: KubeConfig;
const API = '/apis/flowcontrol.apiserver.k8s.io/v1';
const admin = () => e2e.backend.kubeConfig;
/** Object uid by name, per kind. */
const uids = { flowSchemas: new Map<string, string>(), levels: new Map<string, string>() };

beforeAll(async () => {
  e2e = await startE2e({ tls: true });
  ns = await e2e.namespace('e2e-apf');
  serviceAccount = await asNewServiceAccount(admin(), ns, 'app');
  for (const [plural, map] of [
    ['flowschemas', uids.flowSchemas],
    ['prioritylevelconfigurations', uids.levels],
  ] as const) {
    for (const o of (await raw(admin(), 'GET', `${API}/${plural}`)).json().items) {
      map.set(o.metadata.name, o.metadata.uid);
    }
  }
});

afterAll(async () => {
  await e2e?.stop();
});

/** The FlowSchema and priority level names a response's headers point at. */
function classified(headers: Record<string, unknown>): [string?, string?] {
  const byUid = (map: Map<string, string>, uid: unknown) =>
    [...map].find(([, u]) => u === uid)?.[0];
  return [
    byUid(uids.flowSchemas, headers['x-kubernetes-pf-flowschema-uid']),
    byUid(uids.levels, headers['x-kubernetes-pf-prioritylevel-uid']),
  ];
}

describe('API Priority and Fairness', () => {
  test('the bootstrap FlowSchemas and PriorityLevelConfigurations exist with their specs', async () => {
    expect([...uids.flowSchemas.keys()].sort()).toEqual([
      'catch-all',
      'exempt',
      'global-default',
      'kube-controller-manager',
      'kube-scheduler',
      'kube-system-service-accounts',
      'probes',
      'service-accounts',
      'system-leader-election',
      'system-node-high',
      'system-nodes',
    ]);
    expect([...uids.levels.keys()].sort()).toEqual([
      'catch-all',
      'exempt',
      'global-default',
      'leader-election',
      'node-high',
      'system',
      'workload-high',
      'workload-low',
    ]);
    const probes = (await raw(admin(), 'GET', `${API}/flowschemas/probes`)).json();
    expect(probes.metadata.annotations).toEqual({ 'apf.kubernetes.io/autoupdate-spec': 'true' });
    expect(probes.spec).toEqual({
      matchingPrecedence: 2,
      priorityLevelConfiguration: { name: 'exempt' },
      rules: [
        {
          nonResourceRules: [
            { nonResourceURLs: ['/healthz', '/readyz', '/livez'], verbs: ['get'] },
          ],
          subjects: [
            { group: { name: 'system:unauthenticated' }, kind: 'Group' },
            { group: { name: 'system:authenticated' }, kind: 'Group' },
          ],
        },
      ],
    });
    const low = (
      await raw(admin(), 'GET', `${API}/prioritylevelconfigurations/workload-low`)
    ).json();
    expect(low.spec).toEqual({
      limited: {
        lendablePercent: 90,
        limitResponse: {
          queuing: { handSize: 6, queueLengthLimit: 50, queues: 128 },
          type: 'Queue',
        },
        nominalConcurrencyShares: 100,
      },
      type: 'Limited',
    });
    const exempt = (await raw(admin(), 'GET', `${API}/prioritylevelconfigurations/exempt`)).json();
    expect(exempt.spec).toEqual({
      exempt: { lendablePercent: 0, nominalConcurrencyShares: 0 },
      type: 'Exempt',
    });
  });

  test('each FlowSchema says its priority level exists (Dangling False)', async () => {
    await expect
      .poll(async () => {
        const items = (await raw(admin(), 'GET', `${API}/flowschemas`)).json().items;
        // biome-ignore lint/suspicious/noExplicitAny: the server's JSON.
        return items.filter((fs: any) => {
          const c = fs.status?.conditions?.find((x: { type: string }) => x.type === 'Dangling');
          return !(
            c?.status === 'False' &&
            c.reason === 'Found' &&
            c.message ===
              `This FlowSchema references the PriorityLevelConfiguration object named "${fs.spec.priorityLevelConfiguration.name}" and it exists` &&
            typeof c.lastTransitionTime === 'string'
          );
        }).length;
      }, EVENTUALLY)
      .toBe(0);
  });

  test('responses name the FlowSchema and priority level the request matched', async () => {
    const cases: [KubeConfig, string, [string, string]][] = [
      [admin(), '/api/v1/namespaces', ['exempt', 'exempt']],
      [anonymous(admin()), '/healthz', ['probes', 'exempt']],
      [anonymous(admin()), '/version', ['global-default', 'global-default']],
      [serviceAccount, `/api/v1/namespaces/${ns}/configmaps`, ['service-accounts', 'workload-low']],
    ];
    for (const [kc, path, want] of cases) {
      const res = await raw(kc, 'GET', path);
      expect(classified(res.headers), path).toEqual(want);
    }
    // Classified before authorization: a 403 has the headers.
    const refused = await raw(anonymous(admin()), 'GET', '/api/v1/namespaces');
    expect(refused.status).toBe(403);
    expect(classified(refused.headers)).toEqual(['global-default', 'global-default']);
    // After authentication: a 401 has none.
    const unknown = await raw(withToken(admin(), 'not-a-token'), 'GET', '/version');
    expect(unknown.status).toBe(401);
    expect(unknown.headers['x-kubernetes-pf-flowschema-uid']).toBeUndefined();
  });

  test('a FlowSchema added for a ServiceAccount takes its requests; a dangling one does not', async () => {
    const create = async (name: string, level: string, precedence: number) => {
      const res = await raw(admin(), 'POST', `${API}/flowschemas`, {
        body: {
          apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
          kind: 'FlowSchema',
          metadata: { name },
          spec: {
            matchingPrecedence: precedence,
            priorityLevelConfiguration: { name: level },
            rules: [
              {
                subjects: [
                  { kind: 'ServiceAccount', serviceAccount: { namespace: ns, name: '*' } },
                ],
                resourceRules: [
                  { verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'] },
                ],
              },
            ],
          },
        },
      });
      expect(res.status, res.text).toBe(201);
      e2e.onStop(() => raw(admin(), 'DELETE', `${API}/flowschemas/${name}`));
      uids.flowSchemas.set(name, res.json().metadata.uid);
    };
    await create(`${ns}-dangling`, 'no-such-level', 600);
    await create(`${ns}-apps`, 'workload-high', 700);
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    await expect
      .poll(async () => classified((await raw(serviceAccount, 'GET', path)).headers), EVENTUALLY)
      .toEqual([`${ns}-apps`, 'workload-high']);
    await expect
      .poll(async () => {
        const fs = (await raw(admin(), 'GET', `${API}/flowschemas/${ns}-dangling`)).json();
        const c = fs.status?.conditions?.find((x: { type: string }) => x.type === 'Dangling');
        return [c?.status, c?.reason, c?.message];
      }, EVENTUALLY)
      .toEqual([
        'True',
        'NotFound',
        'This FlowSchema references the PriorityLevelConfiguration object named "no-such-level" but there is no such object',
      ]);
  });
});
