import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { flowSchemaRules } from './flow-schema.js';
import { priorityLevelConfigurationRules } from './priority-level-configuration.js';

const ctx = { group: 'flowcontrol.apiserver.k8s.io', create: true };
const lines = (causes: { field?: string; message?: string }[] | undefined) =>
  (causes ?? []).map((c) => `${c.field}: ${c.message}`);

describe('FlowSchema rules', () => {
  it('defaults the precedence and checks non-resource URLs', () => {
    const fs: JsonObject = {
      metadata: { name: 'x' },
      spec: {
        priorityLevelConfiguration: { name: 'l' },
        rules: [
          {
            subjects: [{ kind: 'User', user: { name: 'u' } }],
            nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/', '/a/*', '/a*'] }],
          },
        ],
      },
    };
    flowSchemaRules.defaults?.(fs, true);
    expect((fs.spec as JsonObject).matchingPrecedence).toBe(1000);
    expect(lines(flowSchemaRules.validate?.(fs, ctx))).toEqual([
      'spec.rules[0].nonResourceRules[0].nonResourceURLs[2]: Invalid value: "/a*": wildcard can only do suffix matching',
    ]);
  });

  it('keeps the mandatory catch-all schema fixed', () => {
    const fs: JsonObject = {
      metadata: { name: 'catch-all' },
      spec: { priorityLevelConfiguration: { name: 'catch-all' }, matchingPrecedence: 9999 },
    };
    const causes = lines(flowSchemaRules.validate?.(fs, ctx));
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatch(
      /^spec: Invalid value: \{"PriorityLevelConfiguration":\{"Name":"catch-all"\},"MatchingPrecedence":9999,"DistinguisherMethod":null,"Rules":null\}: spec of 'catch-all' must equal the fixed value$/,
    );
  });
});

describe('PriorityLevelConfiguration rules', () => {
  it('defaults shares, lendable percent and queuing', () => {
    const pl: JsonObject = {
      spec: {
        type: 'Limited',
        limited: { limitResponse: { type: 'Queue', queuing: { queues: 16 } } },
      },
    };
    priorityLevelConfigurationRules.defaults?.(pl, true);
    expect(pl.spec).toEqual({
      type: 'Limited',
      limited: {
        nominalConcurrencyShares: 30,
        lendablePercent: 0,
        limitResponse: {
          type: 'Queue',
          queuing: { queues: 16, handSize: 8, queueLengthLimit: 50 },
        },
      },
    });
  });

  it('lets the exempt level change only its exempt field', () => {
    const pl: JsonObject = {
      metadata: { name: 'exempt' },
      spec: { type: 'Exempt', exempt: { nominalConcurrencyShares: 5, lendablePercent: 10 } },
    };
    expect(priorityLevelConfigurationRules.validate?.(pl, ctx)).toEqual([]);
  });
});
