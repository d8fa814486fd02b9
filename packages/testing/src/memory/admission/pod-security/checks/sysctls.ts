import { objects, str } from '../../../json.js';
import type { Check, MinorVersion, VersionedCheck } from '../registry.js';
import { securityContextField } from '../security-context.js';

/** The safe sysctls each revision allows, each adding to the one before. */
const ADDED: readonly [number, readonly string[]][] = [
  [
    0,
    [
      'kernel.shm_rmid_forced',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.tcp_syncookies',
      'net.ipv4.ping_group_range',
      'net.ipv4.ip_unprivileged_port_start',
    ],
  ],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  [
    29,
    [
      'net.ipv4.tcp_keepalive_time',
      'net.ipv4.tcp_fin_timeout',
      'net.ipv4.tcp_keepalive_intvl',
      'net.ipv4.tcp_keepalive_probes',
    ],
  ],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
];

function revisions(): VersionedCheck[] {
  const allowed = new Set<string>();
  return ADDED.map(([minor, names]): VersionedCheck => {
    for (const name of names) allowed.add(name);
    const safe = new Set(allowed);
    const since: MinorVersion = { major: 1, minor };
    return {
      since,
      check(_meta, spec) {
        const forbidden = objects(securityContextField(spec, 'sysctls'))
          .map((s) => str(s.name))
          .filter((name) => !safe.has(name));
        return forbidden.length
          ? { reason: 'forbidden sysctls', detail: forbidden.join(', ') }
          : undefined;
      },
    };
  });
}

/** Baseline: the Pod may set only safe (namespaced, isolated) sysctls; the list grows by version. */
export const sysctls: Check = { id: 'sysctls', level: 'baseline', versions: revisions() };
