import { describe, expect, it } from 'vitest';
import { runCheck } from './check.test-helper.js';
import { hostNamespaces } from './host-namespaces.js';

describe('hostNamespaces', () => {
  it('names each shared namespace in a fixed order', () => {
    expect(
      runCheck(hostNamespaces, 'latest', { hostIPC: true, hostNetwork: true, hostPID: true }),
    ).toEqual({
      reason: 'host namespaces',
      detail: 'hostNetwork=true, hostPID=true, hostIPC=true',
    });
    expect(runCheck(hostNamespaces, 0, { hostPID: true })?.detail).toBe('hostPID=true');
  });

  it('allows unset and false', () => {
    expect(runCheck(hostNamespaces, 'latest', { hostNetwork: false })).toBeUndefined();
  });
});
