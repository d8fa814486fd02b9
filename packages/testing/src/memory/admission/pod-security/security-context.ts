import { isObject, type Json, type JsonObject, str } from '../../json.js';
import { containersWhere, sortedSet } from './setters.js';

/**
 * `securityContext[field]` of a Pod spec or a container, or undefined when either is
 * absent (Go's nil pointer, which the checks skip).
 */
export function securityContextField(holder: JsonObject, field: string): Json | undefined {
  const sc = holder.securityContext;
  return isObject(sc) ? sc[field] : undefined;
}

/** `securityContext[field]` when it is an object (a struct the checks look into). */
export function securityContextObject(holder: JsonObject, field: string): JsonObject | undefined {
  const v = securityContextField(holder, field);
  return isObject(v) ? v : undefined;
}

/** Who set a profile type the check forbids, and the types they set (Go's order: a set). */
export interface ForbiddenProfiles {
  readonly pod: boolean;
  readonly containers: readonly string[];
  readonly types: readonly string[];
}

/**
 * The Pod and containers (init, regular, ephemeral) whose `securityContext[field].type`
 * is set to a type outside `allowed` (AppArmor and seccomp profiles).
 */
export function forbiddenProfiles(
  spec: JsonObject,
  field: string,
  allowed: readonly string[],
): ForbiddenProfiles {
  const types: string[] = [];
  const forbids = (holder: JsonObject): boolean => {
    const profile = securityContextObject(holder, field);
    if (!profile) return false;
    const type = str(profile.type);
    if (allowed.includes(type)) return false;
    types.push(type);
    return true;
  };
  const pod = forbids(spec);
  const containers = containersWhere(spec, forbids);
  return { pod, containers, types: sortedSet(types) };
}
