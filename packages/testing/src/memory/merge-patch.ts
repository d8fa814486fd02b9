import { isObject, type Json, type JsonObject } from './json.js';

/**
 * Applies an RFC 7386 JSON merge patch: objects merge recursively, `null` deletes a key,
 * anything else (arrays included) replaces. Returns a new value; inputs are not mutated.
 */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
