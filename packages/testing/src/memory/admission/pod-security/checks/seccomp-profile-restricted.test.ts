import { describe, expect, it } from 'vitest';
import { runCheck } from './check.test-helper.js';
import { seccompProfileRestricted as check } from './seccomp-profile-restricted.js';

const reason = 'seccompProfile';
const unconfined = { seccompProfile: { type: 'Unconfined' } };

describe('seccompProfile_restricted', () => {
  it('requires RuntimeDefault or Localhost on the pod or each container', () => {
    expect(
      runCheck(check, 36, { containers: [{ name: 'a' }, { name: 'b', securityContext: {} }] }),
    ).toEqual({
      reason,
      detail:
        'pod or containers "a", "b" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
    });
    const pod = {
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'a' }],
    };
    expect(runCheck(check, 36, pod)).toBeUndefined();
    const each = {
      containers: [
        {
          name: 'a',
          securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p' } },
        },
      ],
    };
    expect(runCheck(check, 36, each)).toBeUndefined();
  });

  it('names the pod and the containers that set a bad type, and the types sorted', () => {
    const spec = {
      securityContext: unconfined,
      containers: [
        { name: 'a' },
        { name: 'c', securityContext: unconfined },
        { name: 'd', securityContext: { seccompProfile: { type: 'Bogus' } } },
      ],
    };
    expect(runCheck(check, 36, spec)).toEqual({
      reason,
      detail:
        'pod and containers "c", "d" must not set securityContext.seccompProfile.type to "Bogus", "Unconfined"',
    });
    expect(
      runCheck(check, 36, { securityContext: unconfined, containers: [{ name: 'a' }] }),
    ).toEqual({
      reason,
      detail: 'pod must not set securityContext.seccompProfile.type to "Unconfined"',
    });
  });

  it('lets a container with a good profile override a bad pod one only for itself', () => {
    const spec = {
      securityContext: unconfined,
      containers: [{ name: 'a', securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }],
    };
    expect(runCheck(check, 36, spec)).toEqual({
      reason,
      detail: 'pod must not set securityContext.seccompProfile.type to "Unconfined"',
    });
  });

  it('exists from v1.19 in place of seccompProfile_baseline and exempts Windows from v1.25', () => {
    const windows = { os: { name: 'windows' }, containers: [{ name: 'a' }] };
    expect(runCheck(check, 18, windows)).toBeUndefined();
    expect(runCheck(check, 19, windows)).toMatchObject({ reason });
    expect(runCheck(check, 24, windows)).toMatchObject({ reason });
    expect(runCheck(check, 25, windows)).toBeUndefined();
    expect(check.versions.map((v) => [v.since.minor, v.overrides])).toEqual([
      [19, ['seccompProfile_baseline']],
      [25, ['seccompProfile_baseline']],
    ]);
  });
});
