/**
 * Differential: ResourceQuota accounting as kube-apiserver's quota admission and
 * kube-controller-manager's quota controller do it: `status.used` and the `exceeded quota`
 * refusal write sums of quantities in their canonical form (`Quantity.String()`: `1G`, not
 * `1000000000`).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-quota');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const core = (plural: string, name = '') =>
  `/api/v1/namespaces/${ns}/${plural}${name ? `/${name}` : ''}`;
const pod = (name: string, memory: string) => ({
  metadata: { name },
  spec: {
    containers: [{ name: 'app', image: 'nginx', resources: { requests: { memory } } }],
  },
});
const used = async () =>
  (await raw(kc(), 'GET', core('resourcequotas', 'mem'))).json().status?.used;

test('used and exceeded quantities are written canonically', async () => {
  const quota = await raw(kc(), 'POST', core('resourcequotas'), {
    body: { metadata: { name: 'mem' }, spec: { hard: { 'requests.memory': '2G', pods: '5' } } },
  });
  expect(quota.status, quota.text).toBe(201);
  // Quota admission waits for the controller's first status.
  await expect.poll(used, EVENTUALLY).toEqual({ 'requests.memory': '0', pods: '0' });

  for (const name of ['a', 'b']) {
    const res = await raw(kc(), 'POST', core('pods'), { body: pod(name, '500M') });
    expect(res.status, res.text).toBe(201);
  }
  await expect.poll(used, EVENTUALLY).toEqual({ 'requests.memory': '1G', pods: '2' });

  const over = await raw(kc(), 'POST', core('pods'), { body: pod('c', '1500M') });
  expect(over.status).toBe(403);
  expect(over.json()).toMatchObject({
    reason: 'Forbidden',
    message:
      'pods "c" is forbidden: exceeded quota: mem, requested: requests.memory=1500M, used: requests.memory=1G, limited: requests.memory=2G',
  });
  // The plugin's refusal names the object, as admission.NewForbidden does.
  expect(over.json().details).toEqual({ name: 'c', kind: 'pods' });

  // A Pod's resize is charged what it adds to the Pod's usage (the quota's pod evaluator
  // handles `resize`, though no other subresource).
  const resize = (memory: string) =>
    raw(kc(), 'PATCH', `${core('pods', 'a')}/resize`, {
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { containers: [{ name: 'app', resources: { requests: { memory } } }] } },
    });
  const grown = await resize('1600M');
  expect(grown.status, grown.text).toBe(403);
  expect(grown.json().message).toBe(
    'pods "a" is forbidden: exceeded quota: mem, requested: requests.memory=1100M, used: requests.memory=1G, limited: requests.memory=2G',
  );
  const fits = await resize('1500M');
  expect(fits.status, fits.text).toBe(200);
});

test("a refusal's details name the object, its resource and group", async () => {
  const quota = await raw(kc(), 'POST', core('resourcequotas'), {
    body: { metadata: { name: 'apps' }, spec: { hard: { 'count/deployments.apps': '0' } } },
  });
  expect(quota.status, quota.text).toBe(201);
  const deployments = `/apis/apps/v1/namespaces/${ns}/deployments`;
  const deployment = {
    metadata: { name: 'd' },
    spec: {
      selector: { matchLabels: { app: 'd' } },
      template: {
        metadata: { labels: { app: 'd' } },
        spec: { containers: [{ name: 'app', image: 'nginx' }] },
      },
    },
  };
  // Quota admission waits for the controller's first status.
  await expect
    .poll(
      async () => (await raw(kc(), 'GET', core('resourcequotas', 'apps'))).json().status?.used,
      EVENTUALLY,
    )
    .toEqual({ 'count/deployments.apps': '0' });
  const refused = await raw(kc(), 'POST', deployments, { body: deployment });
  expect(refused.status, refused.text).toBe(403);
  expect(refused.json()).toMatchObject({
    reason: 'Forbidden',
    message:
      'deployments.apps "d" is forbidden: exceeded quota: apps, requested: count/deployments.apps=1, used: count/deployments.apps=0, limited: count/deployments.apps=0',
    details: { name: 'd', group: 'apps', kind: 'deployments' },
  });
  await raw(kc(), 'DELETE', core('resourcequotas', 'apps'));
});
