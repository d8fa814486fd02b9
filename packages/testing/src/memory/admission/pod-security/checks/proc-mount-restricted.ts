import { isObject, str } from '../../../json.js';
import { type CheckResult, joinQuote } from '../check-result.js';
import { allContainers } from '../containers.js';
import type { Check, CheckPod } from '../registry.js';
import { containersText } from '../setters.js';

/**
 * No container may set `securityContext.procMount` to anything but `Default` (unset is
 * fine), whatever the Pod's user namespace: baseline's procMount check before v1.35, and
 * restricted's from then on.
 */
export const defaultProcMount: CheckPod = (_meta, spec): CheckResult => {
  const bad: string[] = [];
  const types = new Set<string>();
  for (const c of allContainers(spec)) {
    if (!isObject(c.securityContext)) continue;
    const mount = c.securityContext.procMount;
    if (mount === undefined || mount === null || mount === 'Default') continue;
    bad.push(str(c.name));
    types.add(str(mount));
  }
  if (!bad.length) return undefined;
  return {
    reason: 'procMount',
    detail: `${containersText(bad)} must not set securityContext.procMount to ${joinQuote([...types].sort())}`,
  };
};

/**
 * Restricted: from policy v1.35, where baseline's procMount check lets a Pod in a user
 * namespace unmask /proc, restricted keeps refusing it for every Pod and replaces that check.
 */
export const procMountRestricted: Check = {
  id: 'procMount_restricted',
  level: 'restricted',
  versions: [{ since: { major: 1, minor: 35 }, check: defaultProcMount, overrides: ['procMount'] }],
};
