import { describe, expect, it } from 'vitest';
import { runCheck } from './check.test-helper.js';
import { hostPorts } from './host-ports.js';

describe('hostPorts', () => {
  it('names containers in init, regular, ephemeral order and the ports as sorted strings', () => {
    const spec = {
      ephemeralContainers: [{ name: 'e', ports: [{ containerPort: 1, hostPort: 80 }] }],
      containers: [
        { name: 'c', ports: [{ containerPort: 1 }, { containerPort: 2, hostPort: 10000 }] },
      ],
      initContainers: [{ name: 'i', ports: [{ containerPort: 3, hostPort: 80 }] }],
    };
    expect(runCheck(hostPorts, 'latest', spec)).toEqual({
      reason: 'hostPort',
      detail: 'containers "i", "c", "e" use hostPorts 10000, 80',
    });
  });

  it('uses the singular for one container and one port', () => {
    const spec = { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }] }] };
    expect(runCheck(hostPorts, 0, spec)?.detail).toBe('container "c" uses hostPort 8080');
  });

  it('allows ports without a hostPort or with 0', () => {
    const spec = { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 0 }] }] };
    expect(runCheck(hostPorts, 'latest', spec)).toBeUndefined();
  });
});
