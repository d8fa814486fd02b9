import type { CheckResult } from '../check-result.js';
import { exceptWindows } from '../pod-spec.js';
import type { Check, CheckPod } from '../registry.js';
import { securityContextField } from '../security-context.js';
import { containersText, containersWhere } from '../setters.js';

/** Every container must set `allowPrivilegeEscalation: false` (unset counts as true). */
const requireFalse: CheckPod = (_meta, spec): CheckResult => {
  const bad = containersWhere(
    spec,
    (c) => securityContextField(c, 'allowPrivilegeEscalation') !== false,
  );
  if (!bad.length) return undefined;
  return {
    reason: 'allowPrivilegeEscalation != false',
    detail: `${containersText(bad)} must set securityContext.allowPrivilegeEscalation=false`,
  };
};

/**
 * Restricted: containers must not allow privilege escalation (from policy v1.8, the field's
 * release); from v1.25 a Windows Pod is exempt.
 */
export const allowPrivilegeEscalation: Check = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  versions: [
    { since: { major: 1, minor: 8 }, check: requireFalse },
    { since: { major: 1, minor: 25 }, check: exceptWindows(requireFalse) },
  ],
};
