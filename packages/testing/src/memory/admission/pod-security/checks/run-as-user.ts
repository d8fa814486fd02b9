import { isObject, str } from '../../../json.js';
import type { CheckResult } from '../check-result.js';
import { allContainers } from '../containers.js';
import { exceptUserNamespace } from '../pod-spec.js';
import type { Check, CheckPod } from '../registry.js';
import { badSetters } from '../setters.js';

const isRoot = (context: unknown) => isObject(context) && context.runAsUser === 0;

/** Neither the pod nor any container may set `runAsUser: 0`. */
const forbidRoot: CheckPod = (_meta, spec): CheckResult => {
  const containers = allContainers(spec)
    .filter((c) => isRoot(c.securityContext))
    .map((c) => str(c.name));
  const setters = badSetters(isRoot(spec.securityContext), containers);
  return setters
    ? { reason: 'runAsUser=0', detail: `${setters} must not set runAsUser=0` }
    : undefined;
};

/**
 * Restricted: nothing may run as user 0 (from policy v1.23); from v1.35 a Pod in its own user
 * namespace (`hostUsers: false`) is exempt.
 */
export const runAsUser: Check = {
  id: 'runAsUser',
  level: 'restricted',
  versions: [
    { since: { major: 1, minor: 23 }, check: forbidRoot },
    {
      since: { major: 1, minor: 35 },
      check: exceptUserNamespace(forbidRoot),
    },
  ],
};
