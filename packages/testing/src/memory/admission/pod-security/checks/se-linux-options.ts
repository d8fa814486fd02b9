import { type JsonObject, str } from '../../../json.js';
import { type CheckResult, joinQuote, pluralize } from '../check-result.js';
import type { Check } from '../registry.js';
import { securityContextObject } from '../security-context.js';
import { badSetters, containersWhere, sortedSet } from '../setters.js';

const TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
const TYPES_1_31 = [...TYPES_1_0, 'container_engine_t'];

function forbiddenOptions(spec: JsonObject, allowedTypes: readonly string[]): CheckResult {
  const types: string[] = [];
  let user = false;
  let role = false;
  /** Whether `holder` sets forbidden options (noting which). */
  const forbids = (holder: JsonObject): boolean => {
    const opts = securityContextObject(holder, 'seLinuxOptions');
    if (!opts) return false;
    const type = str(opts.type);
    const badType = !allowedTypes.includes(type);
    if (badType) types.push(type);
    const setUser = str(opts.user) !== '';
    const setRole = str(opts.role) !== '';
    user ||= setUser;
    role ||= setRole;
    return badType || setUser || setRole;
  };
  const pod = forbids(spec);
  const containers = containersWhere(spec, forbids);
  if (!pod && !containers.length) return undefined;
  const distinct = sortedSet(types);
  const what = [
    ...(distinct.length
      ? [`${pluralize('type', 'types', distinct.length)} ${joinQuote(distinct)}`]
      : []),
    ...(user ? ['user may not be set'] : []),
    ...(role ? ['role may not be set'] : []),
  ];
  return {
    reason: 'seLinuxOptions',
    detail: `${badSetters(pod, containers)} set forbidden securityContext.seLinuxOptions: ${what.join('; ')}`,
  };
}

/**
 * Baseline: the Pod's and containers' SELinux options may set only a container type (from
 * v1.31 `container_engine_t` too), and no user or role.
 */
export const seLinuxOptions: Check = {
  id: 'seLinuxOptions',
  level: 'baseline',
  versions: [
    { since: { major: 1, minor: 0 }, check: (_meta, spec) => forbiddenOptions(spec, TYPES_1_0) },
    { since: { major: 1, minor: 31 }, check: (_meta, spec) => forbiddenOptions(spec, TYPES_1_31) },
  ],
};
