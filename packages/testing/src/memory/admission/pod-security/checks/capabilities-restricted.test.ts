import { describe, expect, it } from 'vitest';
import { capabilitiesRestricted as check } from './capabilities-restricted.js';
import { checkAt, container, overridesAt } from './check-at.test-helper.js';

const reason = 'unrestricted capabilities';

describe('capabilities_restricted', () => {
  it('requires drop ALL and names the forbidden added capabilities sorted', () => {
    const spec = {
      containers: [
        container('a', { capabilities: { add: ['FOO', 'BAR'] } }),
        container('b', { capabilities: { add: ['BAR', 'BAZ'] } }),
        container('c', {
          capabilities: { add: ['NET_BIND_SERVICE', 'CHOWN'], drop: ['ALL', 'FOO'] },
        }),
      ],
    };
    expect(checkAt(check, 36, spec)).toEqual({
      reason,
      detail:
        'containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in securityContext.capabilities.add',
    });
  });

  it('counts a container without a security context or capabilities as not dropping ALL', () => {
    const spec = { containers: [container('a'), container('b', {})] };
    expect(checkAt(check, 36, spec)).toEqual({
      reason,
      detail: 'containers "a", "b" must set securityContext.capabilities.drop=["ALL"]',
    });
  });

  it('allows drop ALL with only NET_BIND_SERVICE added', () => {
    const caps = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] };
    expect(
      checkAt(check, 36, { containers: [container('a', { capabilities: caps })] }),
    ).toBeUndefined();
    const added = {
      containers: [container('a', { capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } })],
    };
    expect(checkAt(check, 36, added)).toEqual({
      reason,
      detail: 'container "a" must not include "SYS_ADMIN" in securityContext.capabilities.add',
    });
  });

  it('exists from v1.22 in place of capabilities_baseline and exempts Windows from v1.25', () => {
    const windows = { os: { name: 'windows' }, containers: [container('a')] };
    expect(checkAt(check, 21, windows)).toBe('absent');
    expect(checkAt(check, 22, windows)).toMatchObject({ reason });
    expect(checkAt(check, 24, windows)).toMatchObject({ reason });
    expect(checkAt(check, 25, windows)).toBeUndefined();
    expect(overridesAt(check, 22)).toEqual(['capabilities_baseline']);
    expect(overridesAt(check, 36)).toEqual(['capabilities_baseline']);
  });
});
