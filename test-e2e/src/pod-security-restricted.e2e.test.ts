/**
 * Differential: Pod Security admission's restricted level. A namespace labelled
 * `pod-security.kubernetes.io/enforce: restricted` admits a compliant Pod and refuses one
 * that breaks any restricted check with the exact 403 message (reasons and details in
 * pod-security-admission's order); one pinned to `enforce-version: v1.24` shows the
 * revisions that came later (the Windows exemptions of v1.25, the user-namespace
 * relaxations of v1.35). Every create is a dry run.
 */
import { Api } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, ignoreNotFound, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let latest: string;
let v124: string;

/** Creates a namespace enforcing restricted (at `version` when given), deleted at the end. */
async function restrictedNamespace(version?: string): Promise<string> {
  const namespaces = Api.cluster(e2e.client, resources.namespaces);
  const name = `e2e-psa-restricted-${uniqueSuffix()}`;
  const labels: Record<string, string> = { 'pod-security.kubernetes.io/enforce': 'restricted' };
  if (version) labels['pod-security.kubernetes.io/enforce-version'] = version;
  await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  e2e.onStop(() => namespaces.delete(name).catch(ignoreNotFound));
  return name;
}

beforeAll(async () => {
  e2e = await startE2e();
  [latest, v124] = await Promise.all([restrictedNamespace(), restrictedNamespace('v1.24')]);
});

afterAll(async () => {
  await e2e?.stop();
});

type Obj = Record<string, unknown>;

/** A container that passes restricted: no privilege escalation, every capability dropped. */
const SAFE_CONTAINER = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};

/** A pod spec that passes restricted, with `pod` and container `c`'s contexts merged in. */
function spec(pod: Obj = {}, container: Obj = {}, extra: Obj = {}): Obj {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, ...pod },
    containers: [{ name: 'c', image: 'i', securityContext: { ...SAFE_CONTAINER, ...container } }],
    ...extra,
  };
}

/** Creates Pod `name` with `podSpec` in `ns` as a dry run. */
function createPod(ns: string, name: string, podSpec: Obj) {
  return raw(e2e.backend.kubeConfig, 'POST', `/api/v1/namespaces/${ns}/pods`, {
    query: { dryRun: 'All' },
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: podSpec },
  });
}

/** Expects the dry-run create to be refused by `level` with `detail`. */
async function expectForbidden(
  ns: string,
  name: string,
  podSpec: Obj,
  detail: string,
  level = 'restricted:latest',
) {
  const res = await createPod(ns, name, podSpec);
  expect(res.status, res.text).toBe(403);
  expect(res.json()).toMatchObject({
    kind: 'Status',
    status: 'Failure',
    reason: 'Forbidden',
    code: 403,
    details: { name, kind: 'pods' },
    message: `pods "${name}" is forbidden: violates PodSecurity "${level}": ${detail}`,
  });
}

describe('PodSecurity enforce: restricted', () => {
  test('admits a compliant Pod', async () => {
    const res = await createPod(latest, 'ok', spec());
    expect(res.status, res.text).toBe(201);
    expect(res.json().metadata.name).toBe('ok');
  });

  test.each<[string, Obj, string]>([
    [
      'escalation',
      spec({}, { allowPrivilegeEscalation: true }),
      'allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false)',
    ],
    [
      'caps',
      spec({}, { capabilities: { add: ['NET_RAW', 'CHOWN', 'NET_BIND_SERVICE'] } }),
      'unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]; container "c" must not include "CHOWN", "NET_RAW" in securityContext.capabilities.add)',
    ],
    [
      'procmount',
      spec({}, { procMount: 'Unmasked' }, { hostUsers: false }),
      'procMount (container "c" must not set securityContext.procMount to "Unmasked")',
    ],
    [
      'volumes',
      spec(
        {},
        {},
        {
          volumes: [
            { name: 'h', hostPath: { path: '/tmp' } },
            { name: 'e', emptyDir: {} },
          ],
        },
      ),
      'restricted volume types (volume "h" uses restricted volume type "hostPath")',
    ],
    [
      'nonroot',
      spec({ runAsNonRoot: false }),
      'runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)',
    ],
    ['root', spec({}, { runAsUser: 0 }), 'runAsUser=0 (container "c" must not set runAsUser=0)'],
    [
      'seccomp',
      spec({}, { seccompProfile: { type: 'Unconfined' } }),
      'seccompProfile (container "c" must not set securityContext.seccompProfile.type to "Unconfined")',
    ],
  ])('refuses %s', async (name, podSpec, detail) => {
    await expectForbidden(latest, name, podSpec, detail);
  });

  test('reports every failed check in order, init containers first', async () => {
    const podSpec = {
      securityContext: { runAsUser: 0 },
      initContainers: [{ name: 'init', image: 'i', securityContext: SAFE_CONTAINER }],
      containers: [
        { name: 'a', image: 'i' },
        { name: 'b', image: 'i', securityContext: { runAsNonRoot: false } },
      ],
      volumes: [
        { name: 'n', nfs: { server: 's', path: '/' } },
        { name: 'g', gitRepo: { repository: 'r' } },
      ],
    };
    await expectForbidden(
      latest,
      'all',
      podSpec,
      'allowPrivilegeEscalation != false (containers "a", "b" must set securityContext.allowPrivilegeEscalation=false), ' +
        'unrestricted capabilities (containers "a", "b" must set securityContext.capabilities.drop=["ALL"]), ' +
        'restricted volume types (volumes "n", "g" use restricted volume types "gitRepo", "nfs"), ' +
        'runAsNonRoot != true (container "b" must not set securityContext.runAsNonRoot=false), ' +
        'runAsUser=0 (pod must not set runAsUser=0), ' +
        'seccompProfile (pod or containers "init", "a", "b" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
  });

  test('relaxes runAsNonRoot and runAsUser for a Pod in a user namespace from v1.35', async () => {
    const userNs = spec({ runAsNonRoot: false, runAsUser: 0 }, {}, { hostUsers: false });
    expect((await createPod(latest, 'userns', userNs)).status).toBe(201);
    await expectForbidden(
      v124,
      'userns',
      userNs,
      'runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false), runAsUser=0 (pod must not set runAsUser=0)',
      'restricted:v1.24',
    );
  });

  test('exempts a Windows Pod from the Linux-only checks from v1.25', async () => {
    const windows = {
      os: { name: 'windows' },
      securityContext: { runAsNonRoot: true },
      containers: [{ name: 'c', image: 'i' }],
    };
    expect((await createPod(latest, 'win', windows)).status).toBe(201);
    await expectForbidden(
      v124,
      'win',
      windows,
      'allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), ' +
        'unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), ' +
        'seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
      'restricted:v1.24',
    );
  });
});
