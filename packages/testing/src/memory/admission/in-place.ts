import { carryLiteral, cloneKeeping } from '../big-integers.js';
import { isObject, type JsonObject } from '../json.js';

/**
 * Makes `target` equal to `source` in place, its metadata too: the write path holds on to
 * the object (and its metadata) that admission changes.
 */
export function assignInPlace(target: JsonObject, source: JsonObject): void {
  for (const k of Object.keys(target)) if (!(k in source)) delete target[k];
  for (const [k, v] of Object.entries(source)) {
    const cur = target[k];
    if (k === 'metadata' && isObject(cur) && isObject(v)) assignInPlace(cur, v);
    else {
      target[k] = cloneKeeping(v);
      carryLiteral(source, k, target, k);
    }
  }
}
