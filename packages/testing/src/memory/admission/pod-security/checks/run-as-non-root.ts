import type { CheckResult } from '../check-result.js';
import { exceptUserNamespace } from '../pod-spec.js';
import type { Check, CheckPod } from '../registry.js';
import { securityContextField } from '../security-context.js';
import { badSetters, containersText, containersWhere } from '../setters.js';

/** The pod, or else each container, must set `runAsNonRoot: true`; none may set it false. */
const requireNonRoot: CheckPod = (_meta, spec): CheckResult => {
  const pod = securityContextField(spec, 'runAsNonRoot');
  const explicit = containersWhere(spec, (c) => securityContextField(c, 'runAsNonRoot') === false);
  const implicit = containersWhere(
    spec,
    (c) => typeof securityContextField(c, 'runAsNonRoot') !== 'boolean' && pod !== true,
  );
  const setters = badSetters(pod === false, explicit);
  if (setters)
    return {
      reason: 'runAsNonRoot != true',
      detail: `${setters} must not set securityContext.runAsNonRoot=false`,
    };
  if (implicit.length)
    return {
      reason: 'runAsNonRoot != true',
      detail: `pod or ${containersText(implicit)} must set securityContext.runAsNonRoot=true`,
    };
  return undefined;
};

/**
 * Restricted: containers must run as non-root (from policy v1.0); from v1.35 a Pod in its own
 * user namespace (`hostUsers: false`) is exempt.
 */
export const runAsNonRoot: Check = {
  id: 'runAsNonRoot',
  level: 'restricted',
  versions: [
    { since: { major: 1, minor: 0 }, check: requireNonRoot },
    { since: { major: 1, minor: 35 }, check: exceptUserNamespace(requireNonRoot) },
  ],
};
