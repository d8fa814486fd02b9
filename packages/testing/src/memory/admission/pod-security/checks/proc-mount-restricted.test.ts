import { describe, expect, it } from 'vitest';
import { runCheck } from './check.test-helper.js';
import { procMountRestricted as check } from './proc-mount-restricted.js';

describe('procMount_restricted', () => {
  it('forbids any procMount but Default, naming the types sorted', () => {
    const spec = {
      containers: [
        { name: 'a', securityContext: { procMount: 'Unmasked' } },
        { name: 'b', securityContext: { procMount: 'Default' } },
        { name: 'c', securityContext: {} },
        { name: 'd' },
      ],
      ephemeralContainers: [{ name: 'e', securityContext: { procMount: 'Other' } }],
    };
    expect(runCheck(check, 36, spec)).toEqual({
      reason: 'procMount',
      detail: 'containers "a", "e" must not set securityContext.procMount to "Other", "Unmasked"',
    });
    expect(
      runCheck(check, 36, {
        containers: [{ name: 'b', securityContext: { procMount: 'Default' } }],
      }),
    ).toBeUndefined();
  });

  it('refuses a Pod in a user namespace too', () => {
    const spec = {
      hostUsers: false,
      containers: [{ name: 'a', securityContext: { procMount: 'Unmasked' } }],
    };
    expect(runCheck(check, 36, spec)).toEqual({
      reason: 'procMount',
      detail: 'container "a" must not set securityContext.procMount to "Unmasked"',
    });
  });

  it('exists from v1.35, in place of baseline procMount', () => {
    const spec = { containers: [{ name: 'a', securityContext: { procMount: 'Unmasked' } }] };
    expect(runCheck(check, 34, spec)).toBeUndefined();
    expect(runCheck(check, 35, spec)).toMatchObject({ reason: 'procMount' });
    expect(check.versions.map((v) => [v.since.minor, v.overrides])).toEqual([[35, ['procMount']]]);
  });
});
