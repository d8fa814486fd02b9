import { describe, expect, it } from 'vitest';
import { decide } from './evaluate-policy.js';
import type { Policy } from './namespace-policy.js';
import type { LevelVersion } from './policy-level.js';

const lv = (level: LevelVersion['level'], minor?: number): LevelVersion => ({
  level,
  version: minor === undefined ? 'latest' : { major: 1, minor },
});
const policy = (enforce: LevelVersion, warn: LevelVersion): Policy => ({
  enforce,
  audit: lv('privileged'),
  warn,
});
const privileged = { containers: [{ name: 'c', securityContext: { privileged: true } }] };
const DETAIL = 'privileged (container "c" must not set securityContext.privileged=true)';

describe('decide', () => {
  it('refuses what enforce forbids, without warnings', () => {
    expect(decide(policy(lv('baseline'), lv('restricted')), {}, privileged, true)).toEqual({
      refusal: `violates PodSecurity "baseline:latest": ${DETAIL}`,
      warnings: [],
    });
  });

  it('warns what warn forbids when enforce allows, or for a template', () => {
    expect(decide(policy(lv('privileged'), lv('baseline', 30)), {}, privileged, true)).toEqual({
      warnings: [`would violate PodSecurity "baseline:v1.30": ${DETAIL}`],
    });
    expect(decide(policy(lv('baseline'), lv('baseline')), {}, privileged, false)).toEqual({
      warnings: [`would violate PodSecurity "baseline:latest": ${DETAIL}`],
    });
  });

  it('allows what both allow', () => {
    expect(decide(policy(lv('baseline'), lv('baseline')), {}, { containers: [] }, true)).toEqual({
      warnings: [],
    });
  });
});
