import { Api, Client, PodStreamError } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import type { Pod } from '@kube-ts/k8s/core/v1';
import { roleBindings, roles } from '@kube-ts/k8s/rbac/v1';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;
let pods: Api<Pod>;

const pod = (name: string, containers = ['main'], nodeName?: string): Pod => ({
  metadata: { name },
  spec: {
    ...(nodeName ? { nodeName } : {}),
    containers: containers.map((c) => ({ name: c, image: 'registry.invalid/none' })),
  },
});

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('streams');
  pods = Api.namespaced(e2e.client, resources.pods, ns);
});

afterAll(async () => {
  await e2e?.stop();
});

describe('refusals say what to do', () => {
  it('a Pod not scheduled to a node: 400, wait until it runs', async () => {
    await pods.create(pod('unscheduled'));
    const err = await pods.exec('unscheduled', ['true']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PodStreamError);
    expect((err as PodStreamError).code).toBe(400);
    expect((err as PodStreamError).message).toMatch(
      /pod unscheduled does not have a host assigned; the Pod is not scheduled to a node yet/,
    );
    const attach = await pods.attach('unscheduled').catch((e: unknown) => e);
    expect((attach as PodStreamError).code).toBe(400);
    const forward = await pods.portForward('unscheduled', [80]).catch((e: unknown) => e);
    expect((forward as PodStreamError).code).toBe(400);
    expect(await pods.logs('unscheduled')).toBe('');
  });

  it('a container the Pod does not have: 400, name one of its containers', async () => {
    await pods.create(pod('two', ['a', 'b']));
    const none = await pods.exec('two', ['true']).catch((e: unknown) => e);
    expect((none as PodStreamError).message).toMatch(
      /a container name must be specified for pod two, choose one of: \[a b\]; set options.container/,
    );
    const wrong = await pods.exec('two', ['true'], { container: 'c' }).catch((e: unknown) => e);
    expect((wrong as PodStreamError).code).toBe(400);
    expect((wrong as PodStreamError).message).toMatch(/container c is not valid for pod two/);
  });

  it('a Pod that does not exist: 404', async () => {
    const err = await pods.exec('missing', ['true']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PodStreamError);
    expect((err as PodStreamError).code).toBe(404);
    expect((err as PodStreamError).message).toMatch(/pods "missing" not found/);
  });

  it('a user allowed to get pods/exec but not create it: 403 naming the verbs', async () => {
    const sa = Api.namespaced(e2e.client, resources.serviceAccounts, ns);
    await sa.create({ metadata: { name: 'getter' } });
    await Api.namespaced(e2e.client, roles, ns).create({
      metadata: { name: 'exec-get' },
      rules: [{ apiGroups: [''], resources: ['pods', 'pods/exec'], verbs: ['get'] }],
    });
    await Api.namespaced(e2e.client, roleBindings, ns).create({
      metadata: { name: 'exec-get' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'exec-get' },
      subjects: [{ kind: 'ServiceAccount', name: 'getter', namespace: ns }],
    });
    const token = (await sa.token('getter')).status?.token ?? '';
    const admin = e2e.backend.kubeConfig;
    const kc = new KubeConfig();
    kc.loadFromClusterAndUser(admin.getCurrentCluster()!, { name: 'getter', token });
    const client = Client.fromKubeConfig(kc);
    try {
      const err = await Api.namespaced(client, resources.pods, ns)
        .exec('unscheduled', ['true'])
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PodStreamError);
      expect((err as PodStreamError).code).toBe(403);
      expect((err as PodStreamError).message).toMatch(
        /pods "unscheduled" is forbidden: .*'create' and 'get' verbs on pods\/exec/,
      );
    } finally {
      client.close();
    }
  });
});

/**
 * Streams of running Pods. MemoryApiServer: the Pod is bound to a Node and made Running
 * through its status, and its containers run commands locally.
 */
