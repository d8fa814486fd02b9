/**
 * Differential: a workload's Pod template may not set `activeDeadlineSeconds` (its Pods
 * are meant to run for ever): kube-apiserver refuses it for Deployments and ReplicaSets
 * (in ReplicaSet's words), StatefulSets and DaemonSets, each once.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-deadlines');
});

afterAll(() => e2e?.stop());

const template = {
  metadata: { labels: { app: 'a' } },
  spec: { activeDeadlineSeconds: 5, containers: [{ name: 'app', image: 'nginx' }] },
};

test.each([
  ['deployments', 'Deployment', 'ReplicaSet'],
  ['replicasets', 'ReplicaSet', 'ReplicaSet'],
  ['statefulsets', 'StatefulSet', 'StatefulSet'],
  ['daemonsets', 'DaemonSet', 'DaemonSet'],
])('a %s template with activeDeadlineSeconds is refused', async (resource, kind, words) => {
  const res = await raw(
    e2e.backend.kubeConfig,
    'POST',
    `/apis/apps/v1/namespaces/${ns}/${resource}`,
    {
      body: {
        apiVersion: 'apps/v1',
        kind,
        metadata: { name: 'deadline' },
        spec: { selector: { matchLabels: { app: 'a' } }, template },
      },
    },
  );
  expect(res.status, res.text).toBe(422);
  expect(res.json().details.causes).toEqual([
    {
      reason: 'FieldValueForbidden',
      message: `Forbidden: activeDeadlineSeconds in ${words} is not Supported`,
      field: 'spec.template.spec.activeDeadlineSeconds',
    },
  ]);
});
