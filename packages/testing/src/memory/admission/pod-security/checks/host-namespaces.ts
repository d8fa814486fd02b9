import type { Check } from '../registry.js';

/** Baseline: the Pod must not share the host's network, PID or IPC namespace. */
export const hostNamespaces: Check = {
  id: 'hostNamespaces',
  level: 'baseline',
  versions: [
    {
      since: { major: 1, minor: 0 },
      check(_meta, spec) {
        const shared = (['hostNetwork', 'hostPID', 'hostIPC'] as const)
          .filter((field) => spec[field] === true)
          .map((field) => `${field}=true`);
        return shared.length ? { reason: 'host namespaces', detail: shared.join(', ') } : undefined;
      },
    },
  ],
};
