/**
 * Kubernetes' CEL `sets` library (`sets.contains`, `sets.equivalent`, `sets.intersects`
 * over lists), which cel-js does not have. cel-js reads `sets.f(…)` as a method call on a
 * value named `sets`, so the library is a constant of its own type with those methods.
 */
import type { Environment } from '@marcbachmann/cel-js';

class SetsLibrary {}

/** CEL equality of two list elements (cel-js values: bigint/number compare by value). */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'bigint' || typeof b === 'bigint' || typeof a === 'number') {
    return typeof a !== 'object' && typeof b !== 'object' && Number(a) === Number(b);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (a instanceof Map && b instanceof Map) {
    return a.size === b.size && [...a].every(([k, v]) => b.has(k) && same(v, b.get(k)));
  }
  return a === b;
}

const has = (list: unknown[], x: unknown) => list.some((y) => same(x, y));

/** Adds `sets` to `env`. */
export function addSets(env: Environment): Environment {
  const T = 'kubernetes.sets';
  return env
    .registerType(T, SetsLibrary)
    .registerConstant('sets', T, new SetsLibrary())
    .registerFunction(
      `${T}.contains(list<dyn>, list<dyn>): bool`,
      (_: SetsLibrary, a: unknown[], b: unknown[]) => b.every((x) => has(a, x)),
    )
    .registerFunction(
      `${T}.equivalent(list<dyn>, list<dyn>): bool`,
      (_: SetsLibrary, a: unknown[], b: unknown[]) =>
        b.every((x) => has(a, x)) && a.every((x) => has(b, x)),
    )
    .registerFunction(
      `${T}.intersects(list<dyn>, list<dyn>): bool`,
      (_: SetsLibrary, a: unknown[], b: unknown[]) => b.some((x) => has(a, x)),
    );
}
