import type { Json } from '../json.js';
import { goDiff } from './go-diff.js';
import { internalJson } from './go-internal-json.js';

/**
 * The diff kube-apiserver appends to the refusal of an immutable spec's change:
 * apimachinery's `diff.Diff` of the stored and the new value, both as the internal struct
 * `type` (`core.PodSpec`), which Go's `encoding/json` writes with Go field names.
 */
export function specDiff(old: Json | undefined, now: Json | undefined, type: string): string {
  return goDiff(internalJson(old, type), internalJson(now, type));
}
