/**
 * Fixtures of the API Priority and Fairness e2e tests: an admission webhook that decides
 * when each ConfigMap create of a namespace is answered (so a test holds a level's seats
 * for as long as it needs), and a small priority level with a FlowSchema for some users.
 */
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateCertificates } from '@kube-ts/webhook';
import { expect } from 'vitest';
import { raw } from './raw-http.js';
import { grantInNamespace } from './rbac-grant.js';
import { type E2eContext, EVENTUALLY } from './support.js';

const API = '/apis/flowcontrol.apiserver.k8s.io/v1';
const WEBHOOKS = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';

/**
 * Starts a webhook that reviews the ConfigMap creates of namespace `ns` and allows each
 * when `decide` calls its `allow` (given the ConfigMap's name); registers it (removed when
 * the suite stops). Resolves with the names reviewed so far, a list that grows.
 */
export async function configMapWebhook(
  e2e: E2eContext,
  ns: string,
  decide: (name: string, allow: () => void) => void,
  timeoutSeconds: number,
): Promise<string[]> {
  const reviewed: string[] = [];
  const certs = await generateCertificates();
  const webhook = https.createServer({ cert: certs.cert, key: certs.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const name = String(review.request?.object?.metadata?.name ?? '');
      reviewed.push(name);
      decide(name, () => {
        res.setHeader('Content-Type', 'application/json');
        res.end(
          JSON.stringify({
            apiVersion: 'admission.k8s.io/v1',
            kind: 'AdmissionReview',
            response: { uid: review.request.uid, allowed: true },
          }),
        );
      });
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', () => resolve()));
  e2e.onStop(
    () =>
      new Promise<void>((resolve) => {
        webhook.close(() => resolve());
        webhook.closeAllConnections();
      }),
  );
  const port = (webhook.address() as AddressInfo).port;
  const admin = e2e.backend.kubeConfig;
  const config = await raw(admin, 'POST', WEBHOOKS, {
    body: {
      metadata: { name: ns },
      webhooks: [
        {
          name: 'apf.e2e.kube-ts.dev',
          clientConfig: {
            url: `https://127.0.0.1:${port}/validate`,
            caBundle: Buffer.from(certs.caCert).toString('base64'),
          },
          rules: [
            {
              operations: ['CREATE'],
              apiGroups: [''],
              apiVersions: ['v1'],
              resources: ['configmaps'],
            },
          ],
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
          timeoutSeconds,
        },
      ],
    },
  });
  expect(config.status, config.text).toBe(201);
  e2e.onStop(() => raw(admin, 'DELETE', `${WEBHOOKS}/${ns}`));
  return reviewed;
}

/** A webhook that holds the ConfigMap creates named `held-…` until the test releases them. */
export interface HoldingWebhook {
  /** Names of the ConfigMaps reviewed so far. */
  readonly reviewed: string[];
  /** Allows every review held now. */
  release(): void;
}

/**
 * Starts a {@link configMapWebhook} (30 s timeout) that holds the creates of ConfigMaps
 * named `held-…` until {@link HoldingWebhook.release} (at the latest when the suite
 * stops) and allows the others at once.
 */
export async function holdingWebhook(e2e: E2eContext, ns: string): Promise<HoldingWebhook> {
  const held: (() => void)[] = [];
  const release = () => {
    for (const allow of held.splice(0)) allow();
  };
  const reviewed = await configMapWebhook(
    e2e,
    ns,
    (name, allow) => {
      if (name.startsWith('held-')) held.push(allow);
      else allow();
    },
    30,
  );
  e2e.onStop(async () => release());
  return { reviewed, release };
}

/**
 * Waits until the server calls the webhook of {@link configMapWebhook} (`reviewed` is its
 * list): kube-apiserver loads a new configuration shortly after it is written.
 */
export async function webhookLoaded(
  e2e: E2eContext,
  ns: string,
  reviewed: readonly string[],
): Promise<void> {
  await expect
    .poll(async () => {
      const probe = `probe-${reviewed.length}-${Date.now()}`;
      await raw(e2e.backend.kubeConfig, 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
        body: { metadata: { name: probe } },
        query: { dryRun: 'All' },
      });
      return reviewed.includes(probe);
    }, EVENTUALLY)
    .toBe(true);
}

/** A small priority level and who is sent to it. */
export interface TinyLevel {
  readonly name: string;
  /** Its users, one flow each (FlowSchema `name`, distinguished by user). */
  readonly users: readonly string[];
  readonly limitResponse: object;
  /** Its `limited` fields besides one nominal share and the limit response. */
  readonly limited: object;
  /** What its users may do in `ns`. */
  readonly rules: readonly object[];
}

/**
 * Creates a priority level of one nominal share and a FlowSchema (precedence 500) sending
 * the requests of its users to it, grants them `rules` in `ns`, and resolves with the
 * level's uid once the server classifies their requests there.
 */
export async function createTinyLevel(e2e: E2eContext, ns: string, l: TinyLevel): Promise<string> {
  const admin = e2e.backend.kubeConfig;
  const level = await raw(admin, 'POST', `${API}/prioritylevelconfigurations`, {
    body: {
      metadata: { name: l.name },
      spec: {
        type: 'Limited',
        limited: { nominalConcurrencyShares: 1, ...l.limited, limitResponse: l.limitResponse },
      },
    },
  });
  expect(level.status, level.text).toBe(201);
  e2e.onStop(() => raw(admin, 'DELETE', `${API}/prioritylevelconfigurations/${l.name}`));
  const schema = await raw(admin, 'POST', `${API}/flowschemas`, {
    body: {
      metadata: { name: l.name },
      spec: {
        matchingPrecedence: 500,
        priorityLevelConfiguration: { name: l.name },
        distinguisherMethod: { type: 'ByUser' },
        rules: [
          {
            subjects: l.users.map((u) => ({ kind: 'User', user: { name: u } })),
            resourceRules: [
              { verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'] },
            ],
          },
        ],
      },
    },
  });
  expect(schema.status, schema.text).toBe(201);
  e2e.onStop(() => raw(admin, 'DELETE', `${API}/flowschemas/${l.name}`));
  const uid = level.json().metadata.uid as string;
  for (const u of l.users) {
    await grantInNamespace(admin, ns, `${l.name}-${u}`, u, l.rules);
    // kube-apiserver applies a new configuration shortly after it is written.
    await expect
      .poll(async () => {
        const res = await raw(admin, 'GET', `/api/v1/namespaces/${ns}/configmaps`, {
          headers: { 'Impersonate-User': u },
        });
        return res.headers['x-kubernetes-pf-prioritylevel-uid'];
      }, EVENTUALLY)
      .toBe(uid);
  }
  return uid;
}
