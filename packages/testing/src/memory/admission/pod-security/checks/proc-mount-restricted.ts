import type { Check } from '../registry.js';
import { defaultProcMounts } from './proc-mount-baseline.js';

/**
 * Restricted: from policy v1.35, where baseline's procMount check lets a Pod in a user
 * namespace unmask /proc, restricted keeps refusing it for every Pod and replaces that check.
 */
export const procMountRestricted: Check = {
  id: 'procMount_restricted',
  level: 'restricted',
  versions: [
    {
      since: { major: 1, minor: 35 },
      check: (_meta, spec) => defaultProcMounts(spec),
      overrides: ['procMount'],
    },
  ],
};
