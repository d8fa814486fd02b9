import { describe, expect, it } from 'vitest';
import { runCheck } from './check.test-helper.js';
import { windowsHostProcess } from './windows-host-process.js';

const hostProcess = (value: boolean) => ({
  securityContext: { windowsOptions: { hostProcess: value } },
});

describe('windowsHostProcess', () => {
  it('names the Pod and the containers that run as HostProcess', () => {
    const spec = {
      ...hostProcess(true),
      containers: [
        { name: 'c', ...hostProcess(true) },
        { name: 'off', ...hostProcess(false) },
      ],
      initContainers: [{ name: 'i', ...hostProcess(true) }],
    };
    expect(runCheck(windowsHostProcess, 'latest', spec)).toEqual({
      reason: 'hostProcess',
      detail:
        'pod and containers "i", "c" must not set securityContext.windowsOptions.hostProcess=true',
    });
    expect(
      runCheck(windowsHostProcess, 0, { containers: [{ name: 'c', ...hostProcess(true) }] })
        ?.detail,
    ).toBe('container "c" must not set securityContext.windowsOptions.hostProcess=true');
  });

  it('allows false', () => {
    expect(runCheck(windowsHostProcess, 'latest', hostProcess(false))).toBeUndefined();
  });
});
