import { str, strings } from '../../../json.js';
import { joinQuote } from '../check-result.js';
import { allContainers } from '../containers.js';
import type { Check } from '../registry.js';
import { securityContextObject } from '../security-context.js';
import { containersText, sortedSet } from '../setters.js';

/** The capabilities a container may add at baseline (the container runtimes' default set). */
const DEFAULT_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** Baseline: containers may add only capabilities of the default set. */
export const capabilitiesBaseline: Check = {
  id: 'capabilities_baseline',
  level: 'baseline',
  versions: [
    {
      since: { major: 1, minor: 0 },
      check(_meta, spec) {
        const containers: string[] = [];
        const added: string[] = [];
        for (const c of allContainers(spec)) {
          const capabilities = securityContextObject(c, 'capabilities');
          const extra = strings(capabilities?.add).filter((cap) => !DEFAULT_CAPABILITIES.has(cap));
          if (!extra.length) continue;
          containers.push(str(c.name));
          added.push(...extra);
        }
        if (!containers.length) return undefined;
        return {
          reason: 'non-default capabilities',
          detail: `${containersText(containers)} must not include ${joinQuote(sortedSet(added))} in securityContext.capabilities.add`,
        };
      },
    },
  ],
};
