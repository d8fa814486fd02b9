import { describe, expect, it } from 'vitest';
import { runCheck } from './check.test-helper.js';
import { hostProbesAndHostLifecycle } from './host-probes-and-host-lifecycle.js';

describe('hostProbesAndHostLifecycle', () => {
  const spec = {
    containers: [
      {
        name: 'z',
        livenessProbe: { httpGet: { host: 'localhost', port: 80 } },
        readinessProbe: { tcpSocket: { host: '127.0.0.1', port: 80 } },
      },
      { name: 'ok', startupProbe: { httpGet: { host: '', port: 80 } } },
    ],
    initContainers: [
      {
        name: 'a',
        lifecycle: {
          preStop: { tcpSocket: { host: '::1', port: 1 } },
          postStart: { httpGet: { host: 'localhost', port: 1 } },
        },
      },
    ],
  };

  it('names containers and hosts as sorted sets', () => {
    expect(runCheck(hostProbesAndHostLifecycle, 'latest', spec)).toEqual({
      reason: 'probe or lifecycle host',
      detail: 'containers "a", "z" use probe or lifecycle hosts "127.0.0.1", "::1", "localhost"',
    });
    const one = { containers: [{ name: 'c', startupProbe: { httpGet: { host: 'h', port: 1 } } }] };
    expect(runCheck(hostProbesAndHostLifecycle, 34, one)?.detail).toBe(
      'container "c" uses probe or lifecycle host "h"',
    );
  });

  it('applies from v1.34 on', () => {
    expect(runCheck(hostProbesAndHostLifecycle, 34, spec)).toBeDefined();
    expect(runCheck(hostProbesAndHostLifecycle, 33, spec)).toBeUndefined();
  });
});
