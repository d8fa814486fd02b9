import { describe, expect, it } from 'vitest';
import { evaluatePod } from '../evaluate.js';

describe('baseline checks', () => {
  // One Pod violating every baseline check: the reasons come in check ID order.
  const spec = {
    hostNetwork: true,
    hostUsers: true,
    securityContext: {
      appArmorProfile: { type: 'Unconfined' },
      seccompProfile: { type: 'Unconfined' },
      seLinuxOptions: { user: 'u' },
      sysctls: [{ name: 'kernel.msgmax', value: '1' }],
      windowsOptions: { hostProcess: true },
    },
    volumes: [{ name: 'h', hostPath: { path: '/' } }],
    containers: [
      {
        name: 'c',
        ports: [{ containerPort: 80, hostPort: 80 }],
        livenessProbe: { httpGet: { host: 'h', port: 80 } },
        securityContext: {
          privileged: true,
          procMount: 'Unmasked',
          capabilities: { add: ['NET_RAW'] },
        },
      },
    ],
  };

  it('run in check ID order', () => {
    expect(evaluatePod({ level: 'baseline', version: 'latest' }, {}, spec).reason).toBe(
      'forbidden AppArmor profile, non-default capabilities, host namespaces, hostPath volumes, hostPort, ' +
        'probe or lifecycle host, privileged, procMount, seLinuxOptions, seccompProfile, forbidden sysctls, hostProcess',
    );
  });

  it('apply their revisions by version', () => {
    // v1.18: no probe host check, and seccomp looks at the (absent) annotations only.
    expect(
      evaluatePod({ level: 'baseline', version: { major: 1, minor: 18 } }, {}, spec).reason,
    ).toBe(
      'forbidden AppArmor profile, non-default capabilities, host namespaces, hostPath volumes, hostPort, ' +
        'privileged, procMount, seLinuxOptions, forbidden sysctls, hostProcess',
    );
  });
});
