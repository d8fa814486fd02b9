import type { JsonObject } from '../../../json.js';
import { str } from '../../../json.js';
import type { CheckResult } from '../check-result.js';
import { joinQuote } from '../check-result.js';
import { allContainers } from '../containers.js';
import { exceptUserNamespace } from '../pod-spec.js';
import type { Check } from '../registry.js';
import { securityContextField } from '../security-context.js';
import { containersText, sortedSet } from '../setters.js';

/**
 * Forbids the containers (init, regular, ephemeral) whose `securityContext.procMount` is set to
 * anything but `Default`: baseline's check before v1.35, restricted's from then on (for
 * every Pod, a user-namespaced one too).
 */
export function defaultProcMounts(spec: JsonObject): CheckResult {
  const containers: string[] = [];
  const types: string[] = [];
  for (const c of allContainers(spec)) {
    const procMount = securityContextField(c, 'procMount');
    if (typeof procMount !== 'string' || procMount === 'Default') continue;
    containers.push(str(c.name));
    types.push(procMount);
  }
  if (!containers.length) return undefined;
  return {
    reason: 'procMount',
    detail: `${containersText(containers)} must not set securityContext.procMount to ${joinQuote(sortedSet(types))}`,
  };
}

/**
 * Baseline: containers must keep the default /proc masks (`procMount` unset or `Default`);
 * since v1.35 any procMount is allowed in a user namespace (`hostUsers: false`).
 */
export const procMountBaseline: Check = {
  id: 'procMount',
  level: 'baseline',
  versions: [
    { since: { major: 1, minor: 0 }, check: (_meta, spec) => defaultProcMounts(spec) },
    {
      since: { major: 1, minor: 35 },
      check: exceptUserNamespace((_meta, spec) => defaultProcMounts(spec)),
    },
  ],
};
