import { describe, expect, it } from 'vitest';
import { allowPrivilegeEscalation as check } from './allow-privilege-escalation.js';
import { checkAt, container } from './check-at.test-helper.js';

const reason = 'allowPrivilegeEscalation != false';

describe('allowPrivilegeEscalation', () => {
  it('requires false on every container, init and ephemeral ones first-to-last', () => {
    const spec = {
      initContainers: [container('i', { allowPrivilegeEscalation: true })],
      containers: [
        container('a'),
        container('b', { allowPrivilegeEscalation: false }),
        container('c', {}),
      ],
      ephemeralContainers: [container('e', { allowPrivilegeEscalation: null })],
    };
    expect(checkAt(check, 36, spec)).toEqual({
      reason,
      detail:
        'containers "i", "a", "c", "e" must set securityContext.allowPrivilegeEscalation=false',
    });
    expect(checkAt(check, 36, { containers: [container('a')] })).toEqual({
      reason,
      detail: 'container "a" must set securityContext.allowPrivilegeEscalation=false',
    });
  });

  it('allows a Pod whose containers all set false', () => {
    const spec = { containers: [container('a', { allowPrivilegeEscalation: false })] };
    expect(checkAt(check, 36, spec)).toBeUndefined();
  });

  it('exists from v1.8 and exempts a Windows Pod from v1.25', () => {
    const windows = { os: { name: 'windows' }, containers: [container('a')] };
    expect(checkAt(check, 7, windows)).toBe('absent');
    expect(checkAt(check, 8, windows)).toMatchObject({ reason });
    expect(checkAt(check, 24, windows)).toMatchObject({ reason });
    expect(checkAt(check, 25, windows)).toBeUndefined();
    expect(checkAt(check, 25, { ...windows, os: { name: 'linux' } })).toMatchObject({ reason });
  });
});
