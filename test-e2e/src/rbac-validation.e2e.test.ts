/**
 * Differential: kube-apiserver's validation of RBAC objects: the rules of Roles and
 * ClusterRoles (verbs, API groups and resources, non-resource URLs), a ClusterRole's
 * aggregation selectors, and the roleRef name and subjects of RoleBindings and
 * ClusterRoleBindings, on create and on update.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectInvalid, invalid, requiredValue, unsupported } from './invalid-status.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const suffix = uniqueSuffix();
const clusterScoped: string[] = [];

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-rbac-valid');
});

afterAll(async () => {
  for (const path of clusterScoped) await raw(e2e.backend.kubeConfig, 'DELETE', path);
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const GROUP = 'rbac.authorization.k8s.io';
const rbac = (plural: string, name = '') =>
  plural.startsWith('cluster')
    ? `/apis/${GROUP}/v1/${plural}${name ? `/${name}` : ''}`
    : `/apis/${GROUP}/v1/namespaces/${ns}/${plural}${name ? `/${name}` : ''}`;
const post = (plural: string, body: Record<string, unknown>) => {
  if (plural.startsWith('cluster')) {
    const name = (body.metadata as { name: string }).name;
    clusterScoped.push(rbac(plural, name));
  }
  return raw(kc(), 'POST', rbac(plural), { body });
};
const patch = (plural: string, name: string, body: unknown) =>
  raw(kc(), 'PATCH', rbac(plural, name), { body, contentType: 'application/merge-patch+json' });

const VERBS = 'verbs must contain at least one value';
const PODS = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };

describe('Role and ClusterRole rules', () => {
  test('a Role rule needs verbs, API groups and resources, and no non-resource URLs', async () => {
    expectInvalid(
      await post('roles', {
        metadata: { name: 'bad-rules' },
        rules: [
          {},
          { verbs: ['get'], nonResourceURLs: ['/healthz'] },
          { verbs: ['get'], nonResourceURLs: ['/metrics'], apiGroups: [''] },
        ],
      }),
      `Role.${GROUP} "bad-rules"`,
      [
        requiredValue('rules[0].verbs', VERBS),
        requiredValue('rules[0].apiGroups', 'resource rules must supply at least one api group'),
        requiredValue('rules[0].resources', 'resource rules must supply at least one resource'),
        invalid(
          'rules[1].nonResourceURLs',
          '["/healthz"]',
          'namespaced rules cannot apply to non-resource URLs',
        ),
        invalid(
          'rules[2].nonResourceURLs',
          '["/metrics"]',
          'namespaced rules cannot apply to non-resource URLs',
        ),
        invalid(
          'rules[2].nonResourceURLs',
          '["/metrics"]',
          'rules cannot apply to both regular resources and non-resource URLs',
        ),
      ],
    );
  });

  test('an update is checked as a create', async () => {
    const created = await post('roles', { metadata: { name: 'reader' }, rules: [PODS] });
    expect(created.status, created.text).toBe(201);
    expectInvalid(
      await patch('roles', 'reader', { rules: [{ apiGroups: [''], resources: ['pods'] }] }),
      `Role.${GROUP} "reader"`,
      [requiredValue('rules[0].verbs', VERBS)],
    );
  });

  test('a ClusterRole may name non-resource URLs, not with resources', async () => {
    const name = `e2e-urls-${suffix}`;
    const ok = await post('clusterroles', {
      metadata: { name },
      rules: [PODS, { verbs: ['get'], nonResourceURLs: ['/healthz', '/version'] }],
    });
    expect(ok.status, ok.text).toBe(201);
    expectInvalid(
      await post('clusterroles', {
        metadata: { name: `e2e-mixed-${suffix}` },
        rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'], resourceNames: ['x'] }],
      }),
      `ClusterRole.${GROUP} "e2e-mixed-${suffix}"`,
      [
        invalid(
          'rules[0].nonResourceURLs',
          '["/healthz"]',
          'rules cannot apply to both regular resources and non-resource URLs',
        ),
      ],
    );
  });

  test('an aggregationRule needs selectors of valid syntax', async () => {
    const empty = `e2e-agg-empty-${suffix}`;
    expectInvalid(
      await post('clusterroles', { metadata: { name: empty }, aggregationRule: {} }),
      `ClusterRole.${GROUP} "${empty}"`,
      [
        requiredValue(
          'aggregationRule.clusterRoleSelectors',
          'at least one clusterRoleSelector required if aggregationRule is non-nil',
        ),
      ],
    );
    const bad = `e2e-agg-bad-${suffix}`;
    expectInvalid(
      await post('clusterroles', {
        metadata: { name: bad },
        aggregationRule: {
          clusterRoleSelectors: [
            { matchLabels: { 'e2e/aggregate': 'true' } },
            { matchExpressions: [{ key: 'tier', operator: 'Is', values: ['a'] }] },
          ],
        },
      }),
      `ClusterRole.${GROUP} "${bad}"`,
      [
        invalid(
          'aggregationRule.clusterRoleSelectors[1].matchExpressions[0].operator',
          '"Is"',
          'not a valid selector operator',
        ),
        invalid('aggregationRule.clusterRoleSelectors[1]', 'null', 'invalid label selector.'),
      ],
    );
  });
});

describe('RoleBinding and ClusterRoleBinding subjects', () => {
  const roleRef = (kind: string, name: string) => ({ apiGroup: GROUP, kind, name });
  const SUBDOMAIN =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

  test('each subject has a name and the apiGroup of its kind; roleRef.name is a path segment', async () => {
    expectInvalid(
      await post('rolebindings', {
        metadata: { name: 'bad-subjects' },
        roleRef: roleRef('Role', 'a/b'),
        subjects: [
          { kind: 'ServiceAccount', name: 'Builder', apiGroup: GROUP },
          { kind: 'User', name: 'jane', apiGroup: 'example.com' },
          { kind: 'Group' }, // rbac/v1 defaults its apiGroup
          { kind: 'Robot', name: 'r2' },
        ],
      }),
      `RoleBinding.${GROUP} "bad-subjects"`,
      [
        invalid('roleRef.name', '"a/b"', "may not contain '/'"),
        invalid('subjects[0].name', '"Builder"', SUBDOMAIN),
        unsupported('subjects[0].apiGroup', GROUP, ['']),
        unsupported('subjects[1].apiGroup', 'example.com', [GROUP]),
        requiredValue('subjects[2].name'),
        unsupported('subjects[3].kind', 'Robot', ['ServiceAccount', 'User', 'Group']),
      ],
    );
  });

  test('a ClusterRoleBinding names the namespace of a ServiceAccount, also on update', async () => {
    const name = `e2e-crb-${suffix}`;
    expectInvalid(
      await post('clusterrolebindings', {
        metadata: { name },
        roleRef: roleRef('ClusterRole', 'view'),
        subjects: [{ kind: 'ServiceAccount', name: 'default' }],
      }),
      `ClusterRoleBinding.${GROUP} "${name}"`,
      [requiredValue('subjects[0].namespace')],
    );
    const created = await post('clusterrolebindings', {
      metadata: { name },
      roleRef: roleRef('ClusterRole', 'view'),
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: ns }],
    });
    expect(created.status, created.text).toBe(201);
    expectInvalid(
      await patch('clusterrolebindings', name, {
        subjects: [{ kind: 'ServiceAccount', name: 'default' }],
      }),
      `ClusterRoleBinding.${GROUP} "${name}"`,
      [requiredValue('subjects[0].namespace')],
    );
  });
});
