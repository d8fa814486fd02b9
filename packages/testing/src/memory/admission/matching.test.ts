import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { attrs } from './gizmos.test-helper.js';
import { type AdmissionAttributes, matchingWebhooks } from './matching.js';

function config(name: string, webhook: JsonObject): JsonObject {
  return {
    metadata: { name },
    webhooks: [
      {
        name: `${name}.example.com`,
        rules: [
          {
            operations: ['CREATE'],
            apiGroups: ['example.com'],
            apiVersions: ['v1'],
            resources: ['gizmos'],
          },
        ],
        ...webhook,
      },
    ],
  };
}

const names = (
  configs: JsonObject[],
  a: AdmissionAttributes,
  ns: Record<string, unknown> = { team: 'a' },
) => matchingWebhooks(configs, a, () => ns).map((e) => `${e.configuration}@${e.version}`);

describe('matchingWebhooks', () => {
  it('orders configurations by name and matches operations, groups, versions and resources', () => {
    const configs = [
      config('b', {}),
      config('a', {}),
      config('update-only', {
        rules: [{ operations: ['UPDATE'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*'] }],
      }),
      config('other-group', {
        rules: [{ operations: ['*'], apiGroups: ['apps'], apiVersions: ['*'], resources: ['*'] }],
      }),
    ];
    expect(names(configs, attrs())).toEqual(['a@v1', 'b@v1']);
    expect(names(configs, attrs({ operation: 'UPDATE' }))).toEqual(['update-only@v1']);
  });

  it('matches subresources only when named, and scope', () => {
    const status = config('status', {
      rules: [
        { operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['gizmos/status'] },
      ],
    });
    const any = config('any', {
      rules: [{ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*/*'] }],
    });
    const cluster = config('cluster', {
      rules: [
        {
          operations: ['*'],
          apiGroups: ['*'],
          apiVersions: ['*'],
          resources: ['*'],
          scope: 'Cluster',
        },
      ],
    });
    const main = config('main', {});
    expect(names([status, any, cluster, main], attrs({ subresource: 'status' }))).toEqual([
      'any@v1',
      'status@v1',
    ]);
    // As in kube-apiserver's rule matcher, `*/*` also covers the main resource.
    expect(names([status, any, cluster, main], attrs())).toEqual(['any@v1', 'main@v1']);
  });

  it('with matchPolicy Equivalent matches another version of the resource at the rule version; Exact does not', () => {
    const equivalent = config('eq', {});
    const exact = config('exact', { matchPolicy: 'Exact' });
    expect(names([equivalent, exact], attrs({ version: 'v1alpha1' }))).toEqual(['eq@v1']);
  });

  it('applies namespaceSelector to the namespace labels and objectSelector to the new or old object', () => {
    const byNs = config('ns', {
      namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['a'] }] },
    });
    const byObj = config('obj', { objectSelector: { matchLabels: { tier: 'gold' } } });
    expect(names([byNs, byObj], attrs())).toEqual(['ns@v1', 'obj@v1']);
    expect(names([byNs, byObj], attrs({ object: { metadata: {} } }), { team: 'b' })).toEqual([]);
    expect(
      names(
        [byObj],
        attrs({
          operation: 'CREATE',
          object: { metadata: {} },
          oldObject: { metadata: { labels: { tier: 'gold' } } },
        }),
      ),
    ).toEqual(['obj@v1']);
  });
});
