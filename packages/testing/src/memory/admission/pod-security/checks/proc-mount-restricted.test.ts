import { describe, expect, it } from 'vitest';
import { checkAt, container, overridesAt } from './check-at.test-helper.js';
import { procMountRestricted as check } from './proc-mount-restricted.js';

describe('procMount_restricted', () => {
  it('forbids any procMount but Default, naming the types sorted', () => {
    const spec = {
      containers: [
        container('a', { procMount: 'Unmasked' }),
        container('b', { procMount: 'Default' }),
        container('c', {}),
        container('d'),
      ],
      ephemeralContainers: [container('e', { procMount: 'Other' })],
    };
    expect(checkAt(check, 36, spec)).toEqual({
      reason: 'procMount',
      detail: 'containers "a", "e" must not set securityContext.procMount to "Other", "Unmasked"',
    });
    expect(
      checkAt(check, 36, { containers: [container('b', { procMount: 'Default' })] }),
    ).toBeUndefined();
  });

  it('refuses a Pod in a user namespace too', () => {
    const spec = { hostUsers: false, containers: [container('a', { procMount: 'Unmasked' })] };
    expect(checkAt(check, 36, spec)).toEqual({
      reason: 'procMount',
      detail: 'container "a" must not set securityContext.procMount to "Unmasked"',
    });
  });

  it('exists from v1.35, in place of baseline procMount', () => {
    const spec = { containers: [container('a', { procMount: 'Unmasked' })] };
    expect(checkAt(check, 34, spec)).toBe('absent');
    expect(checkAt(check, 35, spec)).toMatchObject({ reason: 'procMount' });
    expect(overridesAt(check, 35)).toEqual(['procMount']);
  });
});
