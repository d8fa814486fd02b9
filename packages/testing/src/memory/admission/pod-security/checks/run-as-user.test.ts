import { describe, expect, it } from 'vitest';
import { checkAt, container } from './check-at.test-helper.js';
import { runAsUser as check } from './run-as-user.js';

const reason = 'runAsUser=0';

describe('runAsUser', () => {
  it('names the pod and the containers that set 0', () => {
    const spec = {
      securityContext: { runAsUser: 0 },
      initContainers: [container('i', { runAsUser: 0 })],
      containers: [container('a', { runAsUser: 1000 }), container('b', { runAsUser: 0 })],
    };
    expect(checkAt(check, 36, spec)).toEqual({
      reason,
      detail: 'pod and containers "i", "b" must not set runAsUser=0',
    });
    expect(checkAt(check, 36, { securityContext: { runAsUser: 0 }, containers: [] })).toEqual({
      reason,
      detail: 'pod must not set runAsUser=0',
    });
  });

  it('allows unset and non-zero users', () => {
    const spec = {
      securityContext: { runAsUser: 1 },
      containers: [container('a'), container('b', {})],
    };
    expect(checkAt(check, 36, spec)).toBeUndefined();
  });

  it('exists from v1.23 and exempts a Pod in a user namespace from v1.35', () => {
    const spec = { hostUsers: false, containers: [container('a', { runAsUser: 0 })] };
    expect(checkAt(check, 22, spec)).toBe('absent');
    expect(checkAt(check, 23, spec)).toEqual({
      reason,
      detail: 'container "a" must not set runAsUser=0',
    });
    expect(checkAt(check, 34, spec)).toMatchObject({ reason });
    expect(checkAt(check, 35, spec)).toBeUndefined();
  });
});
