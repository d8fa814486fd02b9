import { describe, expect, it } from 'vitest';
import { capabilitiesRestricted as check } from './capabilities-restricted.js';
import { runCheck } from './check.test-helper.js';

const reason = 'unrestricted capabilities';

describe('capabilities_restricted', () => {
  it('requires drop ALL and names the forbidden added capabilities sorted', () => {
    const spec = {
      containers: [
        { name: 'a', securityContext: { capabilities: { add: ['FOO', 'BAR'] } } },
        { name: 'b', securityContext: { capabilities: { add: ['BAR', 'BAZ'] } } },
        {
          name: 'c',
          securityContext: {
            capabilities: { add: ['NET_BIND_SERVICE', 'CHOWN'], drop: ['ALL', 'FOO'] },
          },
        },
      ],
    };
    expect(runCheck(check, 36, spec)).toEqual({
      reason,
      detail:
        'containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in securityContext.capabilities.add',
    });
  });

  it('counts a container without a security context or capabilities as not dropping ALL', () => {
    const spec = { containers: [{ name: 'a' }, { name: 'b', securityContext: {} }] };
    expect(runCheck(check, 36, spec)).toEqual({
      reason,
      detail: 'containers "a", "b" must set securityContext.capabilities.drop=["ALL"]',
    });
  });

  it('allows drop ALL with only NET_BIND_SERVICE added', () => {
    const caps = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] };
    expect(
      runCheck(check, 36, { containers: [{ name: 'a', securityContext: { capabilities: caps } }] }),
    ).toBeUndefined();
    const added = {
      containers: [
        { name: 'a', securityContext: { capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } } },
      ],
    };
    expect(runCheck(check, 36, added)).toEqual({
      reason,
      detail: 'container "a" must not include "SYS_ADMIN" in securityContext.capabilities.add',
    });
  });

  it('exists from v1.22 in place of capabilities_baseline and exempts Windows from v1.25', () => {
    const windows = { os: { name: 'windows' }, containers: [{ name: 'a' }] };
    expect(runCheck(check, 21, windows)).toBeUndefined();
    expect(runCheck(check, 22, windows)).toMatchObject({ reason });
    expect(runCheck(check, 24, windows)).toMatchObject({ reason });
    expect(runCheck(check, 25, windows)).toBeUndefined();
    expect(check.versions.map((v) => [v.since.minor, v.overrides])).toEqual([
      [22, ['capabilities_baseline']],
      [25, ['capabilities_baseline']],
    ]);
  });
});
