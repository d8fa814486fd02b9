import type { JsonObject } from '../../../json.js';
import type { CheckResult } from '../check-result.js';
import { exceptUserNamespace } from '../pod-spec.js';
import type { Check, CheckPod } from '../registry.js';
import { securityContextField } from '../security-context.js';
import { badSetters, containersWhere } from '../setters.js';

const isRoot = (holder: JsonObject) => securityContextField(holder, 'runAsUser') === 0;

/** Neither the pod nor any container may set `runAsUser: 0`. */
const forbidRoot: CheckPod = (_meta, spec): CheckResult => {
  const setters = badSetters(isRoot(spec), containersWhere(spec, isRoot));
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
    { since: { major: 1, minor: 35 }, check: exceptUserNamespace(forbidRoot) },
  ],
};
