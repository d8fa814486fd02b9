import { describe, expect, it } from 'vitest';
import { decide } from './evaluate-policy.js';
import type { Policy } from './namespace-policy.js';
import type { LevelVersion } from './policy-level.js';

const lv = (level: LevelVersion['level'], minor?: number): LevelVersion => ({
  level,
  version: minor === undefined ? 'latest' : { major: 1, minor },
});
const policy = (enforce: LevelVersion, warn: LevelVersion, audit = lv('privileged')): Policy => ({
  enforce,
  audit,
  warn,
});
const privileged = { containers: [{ name: 'c', securityContext: { privileged: true } }] };
const DETAIL = 'privileged (container "c" must not set securityContext.privileged=true)';

describe('decide', () => {
  it('refuses what enforce forbids, without warnings; audit still evaluates', () => {
    const p = policy(lv('baseline'), lv('restricted'), lv('baseline', 30));
    expect(decide(p, {}, privileged, true)).toEqual({
      refusal: `violates PodSecurity "baseline:latest": ${DETAIL}`,
      warnings: [],
      evaluations: [
        { decision: 'deny', policy: lv('baseline'), mode: 'enforce' },
        { decision: 'deny', policy: lv('baseline', 30), mode: 'audit' },
      ],
    });
  });

  it('warns what warn forbids when enforce allows, or for a template', () => {
    expect(decide(policy(lv('privileged'), lv('baseline', 30)), {}, privileged, true)).toEqual({
      warnings: [`would violate PodSecurity "baseline:v1.30": ${DETAIL}`],
      evaluations: [
        { decision: 'allow', policy: lv('privileged'), mode: 'enforce' },
        { decision: 'deny', policy: lv('baseline', 30), mode: 'warn' },
      ],
    });
    expect(decide(policy(lv('baseline'), lv('baseline')), {}, privileged, false)).toEqual({
      warnings: [`would violate PodSecurity "baseline:latest": ${DETAIL}`],
      evaluations: [{ decision: 'deny', policy: lv('baseline'), mode: 'warn' }],
    });
  });

  it('allows what all allow, counting only enforce', () => {
    expect(decide(policy(lv('baseline'), lv('baseline')), {}, { containers: [] }, true)).toEqual({
      warnings: [],
      evaluations: [{ decision: 'allow', policy: lv('baseline'), mode: 'enforce' }],
    });
  });
});
