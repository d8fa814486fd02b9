import { describe, expect, it } from 'vitest';
import { runCheck } from './check.test-helper.js';
import { procMountBaseline } from './proc-mount-baseline.js';

const mount = (name: string, procMount: string) => ({ name, securityContext: { procMount } });

describe('procMount (baseline)', () => {
  const spec = { containers: [mount('a', 'Unmasked'), mount('b', 'Default'), mount('c', 'Other')] };

  it('names containers that unmask /proc and the types sorted', () => {
    expect(runCheck(procMountBaseline, 'latest', spec)).toEqual({
      reason: 'procMount',
      detail: 'containers "a", "c" must not set securityContext.procMount to "Other", "Unmasked"',
    });
  });

  it('allows any procMount in a user namespace from v1.35 on', () => {
    const userNs = { ...spec, hostUsers: false };
    expect(runCheck(procMountBaseline, 35, userNs)).toBeUndefined();
    expect(runCheck(procMountBaseline, 34, userNs)?.reason).toBe('procMount');
    expect(runCheck(procMountBaseline, 35, { ...spec, hostUsers: true })?.reason).toBe('procMount');
  });
});
