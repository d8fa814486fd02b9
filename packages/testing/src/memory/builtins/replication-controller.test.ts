import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { replicationControllerRules as rules } from './replication-controller.js';

const rc = (spec: JsonObject): JsonObject => ({ metadata: { name: 'r' }, spec });

describe('replicationControllerRules', () => {
  test('defaults the selector and labels from the template, one replica', () => {
    const o = rc({ template: { metadata: { labels: { app: 'a' } }, spec: { containers: [] } } });
    rules.defaults?.(o, true);
    expect(o.metadata).toEqual({ name: 'r', labels: { app: 'a' } });
    expect((o.spec as JsonObject).selector).toEqual({ app: 'a' });
    expect((o.spec as JsonObject).replicas).toBe(1);
    expect(o.status).toEqual({ replicas: 0 });
  });

  test('checks the spec, and only the status on status writes', () => {
    const ctx = { group: '', create: true };
    const fields = (o: JsonObject, sub?: string) =>
      (rules.validate?.(o, sub ? { ...ctx, subresource: sub } : ctx) ?? []).map((c) => c.field);
    expect(fields(rc({}))).toEqual(['spec.selector', 'spec.template']);
    const o = { ...rc({}), status: { replicas: 0, readyReplicas: 1 } };
    expect(fields(o, 'status')).toEqual(['status.readyReplicas']);
  });

  test('warns on update about the stored template', () => {
    const tpl = (key: string) => ({ spec: { nodeSelector: { [key]: 'x' } } });
    const old = { metadata: { generation: 1 }, spec: { template: tpl('beta.kubernetes.io/os') } };
    const next = {
      metadata: { generation: 2 },
      spec: { template: tpl('beta.kubernetes.io/arch') },
    };
    const warnings = rules.warnings?.(next, { group: '', create: false, old }) ?? [];
    expect(warnings).toEqual([
      'spec.template.spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead',
    ]);
  });
});
