import type { JsonObject } from '../json.js';

/**
 * The lines of the two specs that differ (kube-apiserver appends a diff of its internal
 * structs to the refusal; this one lists the changed JSON lines instead).
 */
export function specDiff(a: JsonObject, b: JsonObject): string {
  const x = JSON.stringify(a, null, 1).split('\n');
  const y = JSON.stringify(b, null, 1).split('\n');
  let s = 0;
  while (s < x.length && s < y.length && x[s] === y[s]) s++;
  let e = 0;
  while (e < x.length - s && e < y.length - s && x[x.length - 1 - e] === y[y.length - 1 - e]) e++;
  const removed = x.slice(s, x.length - e).map((l) => `-${l}`);
  const added = y.slice(s, y.length - e).map((l) => `+${l}`);
  return [...removed, ...added, ''].join('\n');
}
