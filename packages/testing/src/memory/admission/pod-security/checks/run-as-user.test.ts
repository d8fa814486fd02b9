import { describe, expect, it } from 'vitest';
import { runCheck } from './check.test-helper.js';
import { runAsUser as check } from './run-as-user.js';

const reason = 'runAsUser=0';

describe('runAsUser', () => {
  it('names the pod and the containers that set 0', () => {
    const spec = {
      securityContext: { runAsUser: 0 },
      initContainers: [{ name: 'i', securityContext: { runAsUser: 0 } }],
      containers: [
        { name: 'a', securityContext: { runAsUser: 1000 } },
        { name: 'b', securityContext: { runAsUser: 0 } },
      ],
    };
    expect(runCheck(check, 36, spec)).toEqual({
      reason,
      detail: 'pod and containers "i", "b" must not set runAsUser=0',
    });
    expect(runCheck(check, 36, { securityContext: { runAsUser: 0 }, containers: [] })).toEqual({
      reason,
      detail: 'pod must not set runAsUser=0',
    });
  });

  it('allows unset and non-zero users', () => {
    const spec = {
      securityContext: { runAsUser: 1 },
      containers: [{ name: 'a' }, { name: 'b', securityContext: {} }],
    };
    expect(runCheck(check, 36, spec)).toBeUndefined();
  });

  it('exists from v1.23 and exempts a Pod in a user namespace from v1.35', () => {
    const spec = {
      hostUsers: false,
      containers: [{ name: 'a', securityContext: { runAsUser: 0 } }],
    };
    expect(check.versions.map((v) => v.since.minor)).toEqual([23, 35]);
    expect(runCheck(check, 22, spec)).toBeUndefined();
    expect(runCheck(check, 23, spec)).toEqual({
      reason,
      detail: 'container "a" must not set runAsUser=0',
    });
    expect(runCheck(check, 34, spec)).toMatchObject({ reason });
    expect(runCheck(check, 35, spec)).toBeUndefined();
  });
});
