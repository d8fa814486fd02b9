import { isObject, type JsonObject } from '../../json.js';
import type { CheckPod } from './registry.js';

/**
 * Whether a Pod declares `spec.os.name: windows`: from policy v1.25 the checks of Linux-only
 * fields skip it (Pod validation already refuses those fields on a Windows Pod).
 */
export function isWindowsPod(spec: JsonObject): boolean {
  return isObject(spec.os) && spec.os.name === 'windows';
}

/**
 * Whether a Pod runs in its own user namespace (`hostUsers: false`): from policy v1.35 the
 * checks whose risk a user namespace removes allow such a Pod whatever it sets
 * (pod-security-admission v0.36 relaxes them unconditionally: no feature gate decides it).
 */
export function inUserNamespace(spec: JsonObject): boolean {
  return spec.hostUsers === false;
}

/** `check`, allowing a Windows Pod. */
export function exceptWindows(check: CheckPod): CheckPod {
  return (meta, spec) => (isWindowsPod(spec) ? undefined : check(meta, spec));
}

/** `check`, allowing a Pod in its own user namespace. */
export function exceptUserNamespace(check: CheckPod): CheckPod {
  return (meta, spec) => (inUserNamespace(spec) ? undefined : check(meta, spec));
}
