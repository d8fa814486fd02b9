import type { JsonObject } from '../../../json.js';
import type { CheckResult } from '../check-result.js';
import type { Check } from '../registry.js';

/**
 * Runs the revision of `check` that policy version v1.`minor` applies to a Pod spec, or
 * returns `'absent'` when the check does not exist yet at that version.
 */
export function checkAt(check: Check, minor: number, spec: JsonObject): CheckResult | 'absent' {
  const revision = check.versions.findLast((r) => r.since.major === 1 && r.since.minor <= minor);
  return revision ? revision.check({}, spec) : 'absent';
}

/** The overrides of the revision of `check` at v1.`minor`. */
export function overridesAt(check: Check, minor: number): readonly string[] {
  return (
    check.versions.findLast((r) => r.since.major === 1 && r.since.minor <= minor)?.overrides ?? []
  );
}

/** A container spec named `name` with `securityContext` (none when undefined). */
export function container(name: string, securityContext?: JsonObject): JsonObject {
  return securityContext ? { name, image: 'i', securityContext } : { name, image: 'i' };
}
