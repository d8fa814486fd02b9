import { describe, expect, it } from 'vitest';
import { runCheck } from './check.test-helper.js';
import { sysctls } from './sysctls.js';

const withSysctls = (...names: string[]) => ({
  securityContext: { sysctls: names.map((name) => ({ name, value: '1' })) },
});

describe('sysctls', () => {
  it('names the unsafe sysctls in spec order', () => {
    expect(
      runCheck(sysctls, 'latest', withSysctls('kernel.msgmax', 'net.ipv4.tcp_syncookies', 'a.b')),
    ).toEqual({
      reason: 'forbidden sysctls',
      detail: 'kernel.msgmax, a.b',
    });
  });

  it('allows more sysctls at v1.27, v1.29 and v1.32', () => {
    const cases: [string, number][] = [
      ['net.ipv4.ip_unprivileged_port_start', 0],
      ['net.ipv4.ip_local_reserved_ports', 27],
      ['net.ipv4.tcp_keepalive_probes', 29],
      ['net.ipv4.tcp_fin_timeout', 29],
      ['net.ipv4.tcp_wmem', 32],
    ];
    for (const [name, since] of cases) {
      expect(runCheck(sysctls, since, withSysctls(name))).toBeUndefined();
      expect(runCheck(sysctls, 'latest', withSysctls(name))).toBeUndefined();
      if (since) expect(runCheck(sysctls, since - 1, withSysctls(name))?.detail).toBe(name);
    }
  });
});
