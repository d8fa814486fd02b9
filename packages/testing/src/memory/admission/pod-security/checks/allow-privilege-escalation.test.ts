import { describe, expect, it } from 'vitest';
import { allowPrivilegeEscalation as check } from './allow-privilege-escalation.js';
import { runCheck } from './check.test-helper.js';

const reason = 'allowPrivilegeEscalation != false';

describe('allowPrivilegeEscalation', () => {
  it('requires false on every container, init and ephemeral ones first-to-last', () => {
    const spec = {
      initContainers: [{ name: 'i', securityContext: { allowPrivilegeEscalation: true } }],
      containers: [
        { name: 'a' },
        { name: 'b', securityContext: { allowPrivilegeEscalation: false } },
        { name: 'c', securityContext: {} },
      ],
      ephemeralContainers: [{ name: 'e', securityContext: { allowPrivilegeEscalation: null } }],
    };
    expect(runCheck(check, 36, spec)).toEqual({
      reason,
      detail:
        'containers "i", "a", "c", "e" must set securityContext.allowPrivilegeEscalation=false',
    });
    expect(runCheck(check, 36, { containers: [{ name: 'a' }] })).toEqual({
      reason,
      detail: 'container "a" must set securityContext.allowPrivilegeEscalation=false',
    });
  });

  it('allows a Pod whose containers all set false', () => {
    const spec = {
      containers: [{ name: 'a', securityContext: { allowPrivilegeEscalation: false } }],
    };
    expect(runCheck(check, 36, spec)).toBeUndefined();
  });

  it('exists from v1.8 and exempts a Windows Pod from v1.25', () => {
    const windows = { os: { name: 'windows' }, containers: [{ name: 'a' }] };
    expect(check.versions.map((v) => v.since.minor)).toEqual([8, 25]);
    expect(runCheck(check, 7, windows)).toBeUndefined();
    expect(runCheck(check, 8, windows)).toMatchObject({ reason });
    expect(runCheck(check, 24, windows)).toMatchObject({ reason });
    expect(runCheck(check, 25, windows)).toBeUndefined();
    expect(runCheck(check, 25, { ...windows, os: { name: 'linux' } })).toMatchObject({ reason });
  });
});
