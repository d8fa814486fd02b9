import { str, strings } from '../../../json.js';
import { type CheckResult, joinQuote } from '../check-result.js';
import { allContainers } from '../containers.js';
import { exceptWindows } from '../pod-spec.js';
import type { Check, CheckPod } from '../registry.js';
import { securityContextObject } from '../security-context.js';
import { containersText, sortedSet } from '../setters.js';

/** Every container must drop `ALL` and may add only `NET_BIND_SERVICE`. */
const dropAll: CheckPod = (_meta, spec): CheckResult => {
  const missingDrop: string[] = [];
  const adding: string[] = [];
  const added: string[] = [];
  for (const c of allContainers(spec)) {
    const name = str(c.name);
    const caps = securityContextObject(c, 'capabilities');
    if (!caps) {
      missingDrop.push(name);
      continue;
    }
    if (!strings(caps.drop).includes('ALL')) missingDrop.push(name);
    const forbidden = strings(caps.add).filter((cap) => cap !== 'NET_BIND_SERVICE');
    added.push(...forbidden);
    if (forbidden.length) adding.push(name);
  }
  const details: string[] = [];
  if (missingDrop.length)
    details.push(
      `${containersText(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`,
    );
  if (adding.length)
    details.push(
      `${containersText(adding)} must not include ${joinQuote(sortedSet(added))} in securityContext.capabilities.add`,
    );
  if (!details.length) return undefined;
  return { reason: 'unrestricted capabilities', detail: details.join('; ') };
};

/**
 * Restricted: containers must drop ALL capabilities and add none but NET_BIND_SERVICE
 * (from policy v1.22, replacing baseline's capabilities_baseline); from v1.25 a Windows Pod
 * is exempt.
 */
export const capabilitiesRestricted: Check = {
  id: 'capabilities_restricted',
  level: 'restricted',
  versions: [
    { since: { major: 1, minor: 22 }, check: dropAll, overrides: ['capabilities_baseline'] },
    {
      since: { major: 1, minor: 25 },
      check: exceptWindows(dropAll),
      overrides: ['capabilities_baseline'],
    },
  ],
};
