import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { deploymentRules } from './deployment.js';
import { statefulSetRules } from './stateful-set.js';

const ctx = { group: 'apps', create: false };
const workload = (extra: JsonObject = {}): JsonObject => ({
  metadata: { name: 'w' },
  spec: {
    selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['a'] }] },
    template: {
      metadata: { labels: { app: 'a' } },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    },
    ...extra,
  },
});

describe('workload rules', () => {
  test('a selector with expressions that selects the template is valid; replicas >= 0', () => {
    const d = workload();
    deploymentRules.defaults!(d, true);
    expect(deploymentRules.validate!(d, ctx)).toEqual([]);
    const negative = workload({ replicas: -1 });
    deploymentRules.defaults!(negative, true);
    expect(deploymentRules.validate!(negative, ctx).map((c) => c.message)).toEqual([
      'Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  test("the template's label and annotation keys, twice for a StatefulSet", () => {
    const bad = (o: JsonObject): JsonObject => {
      const tpl = (o.spec as JsonObject).template as JsonObject;
      tpl.metadata = { labels: { app: 'a', 'x y': '1' }, annotations: { 'a b': '' } };
      return o;
    };
    const d = bad(workload());
    deploymentRules.defaults!(d, true);
    const fields = ['spec.template.labels', 'spec.template.annotations'];
    expect(deploymentRules.validate!(d, ctx).map((c) => c.field)).toEqual(fields);
    const s = bad(workload({ serviceName: 's' }));
    statefulSetRules.defaults!(s, true);
    const causes = statefulSetRules.validate!(s, { ...ctx, create: true });
    expect(causes.map((c) => c.field)).toEqual([...fields, ...fields]);
  });

  test('a Deployment bumps generation for annotations, not labels', () => {
    const prev = workload();
    const labelled = { ...prev, metadata: { name: 'w', labels: { a: '1' } } };
    const annotated = { ...prev, metadata: { name: 'w', annotations: { a: '1' } } };
    expect(deploymentRules.generationChanged!(labelled, prev)).toBe(false);
    expect(deploymentRules.generationChanged!(annotated, prev)).toBe(true);
  });

  test('a StatefulSet update may change only the updatable fields', () => {
    const prev = workload({ serviceName: 's' });
    const scaled = workload({ serviceName: 's', replicas: 3 });
    expect(statefulSetRules.validateUpdate!(scaled, prev, ctx)).toEqual([]);
    const renamed = workload({ serviceName: 't' });
    expect(statefulSetRules.validateUpdate!(renamed, prev, ctx).map((c) => c.field)).toEqual([
      'spec',
    ]);
  });
});
