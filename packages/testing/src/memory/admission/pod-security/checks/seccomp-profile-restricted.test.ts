import { describe, expect, it } from 'vitest';
import { checkAt, container, overridesAt } from './check-at.test-helper.js';
import { seccompProfileRestricted as check } from './seccomp-profile-restricted.js';

const reason = 'seccompProfile';
const unconfined = { seccompProfile: { type: 'Unconfined' } };

describe('seccompProfile_restricted', () => {
  it('requires RuntimeDefault or Localhost on the pod or each container', () => {
    expect(checkAt(check, 36, { containers: [container('a'), container('b', {})] })).toEqual({
      reason,
      detail:
        'pod or containers "a", "b" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
    });
    const pod = {
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [container('a')],
    };
    expect(checkAt(check, 36, pod)).toBeUndefined();
    const each = {
      containers: [
        container('a', { seccompProfile: { type: 'Localhost', localhostProfile: 'p' } }),
      ],
    };
    expect(checkAt(check, 36, each)).toBeUndefined();
  });

  it('names the pod and the containers that set a bad type, and the types sorted', () => {
    const spec = {
      securityContext: unconfined,
      containers: [
        container('a'),
        container('c', unconfined),
        container('d', { seccompProfile: { type: 'Bogus' } }),
      ],
    };
    expect(checkAt(check, 36, spec)).toEqual({
      reason,
      detail:
        'pod and containers "c", "d" must not set securityContext.seccompProfile.type to "Bogus", "Unconfined"',
    });
    expect(
      checkAt(check, 36, { securityContext: unconfined, containers: [container('a')] }),
    ).toEqual({
      reason,
      detail: 'pod must not set securityContext.seccompProfile.type to "Unconfined"',
    });
  });

  it('lets a container with a good profile override a bad pod one only for itself', () => {
    const spec = {
      securityContext: unconfined,
      containers: [container('a', { seccompProfile: { type: 'RuntimeDefault' } })],
    };
    expect(checkAt(check, 36, spec)).toEqual({
      reason,
      detail: 'pod must not set securityContext.seccompProfile.type to "Unconfined"',
    });
  });

  it('exists from v1.19 in place of seccompProfile_baseline and exempts Windows from v1.25', () => {
    const windows = { os: { name: 'windows' }, containers: [container('a')] };
    expect(checkAt(check, 18, windows)).toBe('absent');
    expect(checkAt(check, 19, windows)).toMatchObject({ reason });
    expect(checkAt(check, 24, windows)).toMatchObject({ reason });
    expect(checkAt(check, 25, windows)).toBeUndefined();
    expect(overridesAt(check, 19)).toEqual(['seccompProfile_baseline']);
    expect(overridesAt(check, 25)).toEqual(['seccompProfile_baseline']);
  });
});
