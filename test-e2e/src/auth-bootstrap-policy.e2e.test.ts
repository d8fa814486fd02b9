/**
 * Differential: the RBAC objects kube-apiserver creates at start (its bootstrap policy):
 * every bootstrap ClusterRole, labelled `kubernetes.io/bootstrapping: rbac-defaults` and
 * annotated for auto-update, including the component and `system:controller:*` roles that
 * exist whether or not a controller runs, each controller role bound to its kube-system
 * ServiceAccount; the Roles and RoleBindings of kube-system and kube-public; and a few
 * roles' exact rules. Lists and rules are compared as sets (the server ranges over maps).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e } from './support.js';

let e2e: E2eContext;
const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const BOOTSTRAP = { labelSelector: 'kubernetes.io/bootstrapping=rbac-defaults' };

/** The ClusterRoles of a fresh kube-apiserver v1.36.3 with its default feature gates. */
const CLUSTER_ROLES = [
  'admin',
  'cluster-admin',
  'edit',
  'system:aggregate-to-admin',
  'system:aggregate-to-edit',
  'system:aggregate-to-view',
  'system:auth-delegator',
  'system:basic-user',
  'system:certificates.k8s.io:certificatesigningrequests:nodeclient',
  'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient',
  'system:certificates.k8s.io:kube-apiserver-client-approver',
  'system:certificates.k8s.io:kube-apiserver-client-kubelet-approver',
  'system:certificates.k8s.io:kubelet-serving-approver',
  'system:certificates.k8s.io:legacy-unknown-approver',
  'system:controller:attachdetach-controller',
  'system:controller:certificate-controller',
  'system:controller:clusterrole-aggregation-controller',
  'system:controller:cronjob-controller',
  'system:controller:daemon-set-controller',
  'system:controller:deployment-controller',
  'system:controller:device-taint-eviction-controller',
  'system:controller:disruption-controller',
  'system:controller:endpoint-controller',
  'system:controller:endpointslice-controller',
  'system:controller:endpointslicemirroring-controller',
  'system:controller:ephemeral-volume-controller',
  'system:controller:expand-controller',
  'system:controller:generic-garbage-collector',
  'system:controller:horizontal-pod-autoscaler',
  'system:controller:job-controller',
  'system:controller:legacy-service-account-token-cleaner',
  'system:controller:namespace-controller',
  'system:controller:node-controller',
  'system:controller:persistent-volume-binder',
  'system:controller:pod-garbage-collector',
  'system:controller:pv-protection-controller',
  'system:controller:pvc-protection-controller',
  'system:controller:replicaset-controller',
  'system:controller:replication-controller',
  'system:controller:resource-claim-controller',
  'system:controller:resourcequota-controller',
  'system:controller:root-ca-cert-publisher',
  'system:controller:route-controller',
  'system:controller:selinux-warning-controller',
  'system:controller:service-account-controller',
  'system:controller:service-cidrs-controller',
  'system:controller:service-controller',
  'system:controller:statefulset-controller',
  'system:controller:ttl-after-finished-controller',
  'system:controller:ttl-controller',
  'system:controller:validatingadmissionpolicy-status-controller',
  'system:controller:volumeattributesclass-protection-controller',
  'system:discovery',
  'system:heapster',
  'system:kube-aggregator',
  'system:kube-controller-manager',
  'system:kube-dns',
  'system:kube-scheduler',
  'system:kubelet-api-admin',
  'system:monitoring',
  'system:node',
  'system:node-bootstrapper',
  'system:node-problem-detector',
  'system:node-proxier',
  'system:persistent-volume-provisioner',
  'system:public-info-viewer',
  'system:service-account-issuer-discovery',
  'system:volume-scheduler',
  'view',
];

/** Its ClusterRoleBindings other than the `system:controller:*` ones. */
const COMPONENT_BINDINGS = [
  'cluster-admin',
  'system:basic-user',
  'system:discovery',
  'system:kube-controller-manager',
  'system:kube-dns',
  'system:kube-scheduler',
  'system:monitoring',
  'system:node',
  'system:node-proxier',
  'system:public-info-viewer',
  'system:service-account-issuer-discovery',
  'system:volume-scheduler',
];

beforeAll(async () => {
  e2e = await startE2e();
});

afterAll(async () => {
  await e2e?.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: the server's JSON.
async function list(path: string): Promise<any[]> {
  const res = await raw(e2e.backend.kubeConfig, 'GET', path, { query: BOOTSTRAP });
  expect(res.status).toBe(200);
  return res.json().items;
}

// biome-ignore lint/suspicious/noExplicitAny: the server's JSON.
const namesOf = (items: any[]) => items.map((o) => o.metadata.name).sort();
/** A list of rules as a set: each rule as canonical JSON, sorted. */
const ruleSet = (rules: unknown[]) =>
  rules.map((r) => JSON.stringify(r, Object.keys(r as object).sort())).sort();

async function rulesOf(name: string): Promise<string[]> {
  const res = await raw(e2e.backend.kubeConfig, 'GET', `${RBAC}/clusterroles/${name}`);
  expect(res.status).toBe(200);
  return ruleSet(res.json().rules ?? []);
}

describe('bootstrap RBAC policy', () => {
  test('every bootstrap ClusterRole exists, labelled and annotated as defaults', async () => {
    const roles = await list(`${RBAC}/clusterroles`);
    expect(namesOf(roles)).toEqual(CLUSTER_ROLES);
    for (const role of roles) {
      expect(role.metadata.annotations).toEqual({
        'rbac.authorization.kubernetes.io/autoupdate': 'true',
      });
      expect(role.metadata.labels['kubernetes.io/bootstrapping']).toBe('rbac-defaults');
    }
  });

  test('each controller role is bound to its kube-system ServiceAccount; the component bindings exist', async () => {
    const bindings = await list(`${RBAC}/clusterrolebindings`);
    const controllers = CLUSTER_ROLES.filter((n) => n.startsWith('system:controller:'));
    expect(namesOf(bindings)).toEqual([...COMPONENT_BINDINGS, ...controllers].sort());
    for (const name of controllers) {
      const binding = bindings.find((b) => b.metadata.name === name);
      expect(binding.roleRef).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name,
      });
      expect(binding.subjects).toEqual([
        {
          kind: 'ServiceAccount',
          name: name.slice('system:controller:'.length),
          namespace: 'kube-system',
        },
      ]);
    }
    const delegator = bindings.find((b) => b.metadata.name === 'system:kube-scheduler');
    expect(delegator.subjects).toEqual([
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'system:kube-scheduler' },
    ]);
  });

  test('kube-system and kube-public have their Roles and RoleBindings', async () => {
    expect(namesOf(await list(`${RBAC}/namespaces/kube-system/roles`))).toEqual([
      'extension-apiserver-authentication-reader',
      'system::leader-locking-kube-controller-manager',
      'system::leader-locking-kube-scheduler',
      'system:controller:bootstrap-signer',
      'system:controller:cloud-provider',
      'system:controller:token-cleaner',
    ]);
    expect(namesOf(await list(`${RBAC}/namespaces/kube-system/rolebindings`))).toEqual([
      'system::extension-apiserver-authentication-reader',
      'system::leader-locking-kube-controller-manager',
      'system::leader-locking-kube-scheduler',
      'system:controller:bootstrap-signer',
      'system:controller:cloud-provider',
      'system:controller:token-cleaner',
    ]);
    expect(namesOf(await list(`${RBAC}/namespaces/kube-public/roles`))).toEqual([
      'system:controller:bootstrap-signer',
    ]);
    const reader = await raw(
      e2e.backend.kubeConfig,
      'GET',
      `${RBAC}/namespaces/kube-system/roles/extension-apiserver-authentication-reader`,
    );
    expect(ruleSet(reader.json().rules)).toEqual(
      ruleSet([
        {
          apiGroups: [''],
          resources: ['configmaps'],
          resourceNames: ['extension-apiserver-authentication'],
          verbs: ['get', 'list', 'watch'],
        },
      ]),
    );
  });

  test('system:auth-delegator, system:controller:namespace-controller and system:kube-scheduler have the exact rules', async () => {
    expect(await rulesOf('system:auth-delegator')).toEqual(
      ruleSet([
        { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
        {
          apiGroups: ['authorization.k8s.io'],
          resources: ['subjectaccessreviews'],
          verbs: ['create'],
        },
      ]),
    );
    expect(await rulesOf('system:controller:namespace-controller')).toEqual(
      ruleSet([
        { apiGroups: [''], resources: ['namespaces'], verbs: ['delete', 'get', 'list', 'watch'] },
        {
          apiGroups: [''],
          resources: ['namespaces/finalize', 'namespaces/status'],
          verbs: ['update'],
        },
        {
          apiGroups: ['*'],
          resources: ['*'],
          verbs: ['delete', 'deletecollection', 'get', 'list', 'watch'],
        },
      ]),
    );
    expect(await rulesOf('system:kube-scheduler')).toEqual(
      ruleSet([
        {
          apiGroups: ['', 'events.k8s.io'],
          resources: ['events'],
          verbs: ['create', 'patch', 'update'],
        },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
        {
          apiGroups: ['coordination.k8s.io'],
          resourceNames: ['kube-scheduler'],
          resources: ['leases'],
          verbs: ['get', 'list', 'update', 'watch'],
        },
        {
          apiGroups: ['coordination.k8s.io'],
          resources: ['leasecandidates'],
          verbs: [
            'create',
            'delete',
            'deletecollection',
            'get',
            'list',
            'patch',
            'update',
            'watch',
          ],
        },
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['delete', 'get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['bindings', 'pods/binding'], verbs: ['create'] },
        { apiGroups: [''], resources: ['pods/status'], verbs: ['patch', 'update'] },
        {
          apiGroups: [''],
          resources: ['replicationcontrollers', 'services'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['apps', 'extensions'],
          resources: ['replicasets'],
          verbs: ['get', 'list', 'watch'],
        },
        { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get', 'list', 'watch'] },
        {
          apiGroups: ['policy'],
          resources: ['poddisruptionbudgets'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: [''],
          resources: ['persistentvolumeclaims', 'persistentvolumes'],
          verbs: ['get', 'list', 'watch'],
        },
        { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
        {
          apiGroups: ['authorization.k8s.io'],
          resources: ['subjectaccessreviews'],
          verbs: ['create'],
        },
        { apiGroups: ['storage.k8s.io'], resources: ['csinodes'], verbs: ['get', 'list', 'watch'] },
        {
          apiGroups: ['storage.k8s.io'],
          resources: ['volumeattachments'],
          verbs: ['get', 'list', 'watch'],
        },
        { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] },
        {
          apiGroups: ['storage.k8s.io'],
          resources: ['csidrivers'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['storage.k8s.io'],
          resources: ['csistoragecapacities'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['resource.k8s.io'],
          resources: ['deviceclasses'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['resource.k8s.io'],
          resources: ['resourceclaims'],
          verbs: ['get', 'list', 'patch', 'update', 'watch'],
        },
        {
          apiGroups: ['resource.k8s.io'],
          resources: ['resourceclaims/status'],
          verbs: ['get', 'list', 'patch', 'update', 'watch'],
        },
        { apiGroups: [''], resources: ['pods/finalizers'], verbs: ['update'] },
        {
          apiGroups: ['resource.k8s.io'],
          resources: ['resourceslices'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['resource.k8s.io'],
          resources: ['resourceclaims'],
          verbs: ['create', 'delete'],
        },
        {
          apiGroups: ['resource.k8s.io'],
          resources: ['resourceclaims/binding'],
          verbs: ['patch', 'update'],
        },
      ]),
    );
  });

  test('admin gathers edit, view and the aggregate-to-* roles (as kube-controller-manager does)', async () => {
    const parts: string[] = [];
    for (const part of ['admin', 'edit', 'view']) {
      parts.push(...(await rulesOf(`system:aggregate-to-${part}`)));
    }
    expect(parts).toContain(
      ruleSet([{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }])[0],
    );
    // kube-controller-manager aggregates shortly after it starts: poll.
    await expect
      .poll(async () => {
        const admin = await rulesOf('admin');
        return parts.filter((rule) => !admin.includes(rule));
      }, EVENTUALLY)
      .toEqual([]);
  });
});
