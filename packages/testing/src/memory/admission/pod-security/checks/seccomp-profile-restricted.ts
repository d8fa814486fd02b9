import { type CheckResult, joinQuote } from '../check-result.js';
import { exceptWindows } from '../pod-spec.js';
import type { Check, CheckPod } from '../registry.js';
import { forbiddenProfiles, securityContextObject } from '../security-context.js';
import { badSetters, containersText, containersWhere } from '../setters.js';

const ALLOWED = ['RuntimeDefault', 'Localhost'];

/** The pod, or else each container, must set a RuntimeDefault or Localhost seccomp profile. */
const requireProfile: CheckPod = (_meta, spec): CheckResult => {
  const { pod, containers, types } = forbiddenProfiles(spec, 'seccompProfile', ALLOWED);
  if (pod || containers.length)
    return {
      reason: 'seccompProfile',
      detail: `${badSetters(pod, containers)} must not set securityContext.seccompProfile.type to ${joinQuote(types)}`,
    };
  // No profile set anywhere is bad unless a valid pod-level one covers the container.
  const podSet = securityContextObject(spec, 'seccompProfile') !== undefined;
  const unset = podSet
    ? []
    : containersWhere(spec, (c) => securityContextObject(c, 'seccompProfile') === undefined);
  if (!unset.length) return undefined;
  return {
    reason: 'seccompProfile',
    detail: `pod or ${containersText(unset)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
  };
};

/**
 * Restricted: a RuntimeDefault or Localhost seccomp profile is required (from policy v1.19,
 * replacing baseline's seccompProfile_baseline); from v1.25 a Windows Pod is exempt.
 */
export const seccompProfileRestricted: Check = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  versions: [
    {
      since: { major: 1, minor: 19 },
      check: requireProfile,
      overrides: ['seccompProfile_baseline'],
    },
    {
      since: { major: 1, minor: 25 },
      check: exceptWindows(requireProfile),
      overrides: ['seccompProfile_baseline'],
    },
  ],
};
