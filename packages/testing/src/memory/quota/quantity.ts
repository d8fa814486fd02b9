/**
 * Resource quantities (`500m`, `252Mi`, `1.5`, `2e3`) as exact integers of nano-units, for
 * ResourceQuota accounting: sums and comparisons must be exact (kube-apiserver's
 * resource.Quantity is exact too), which floating point is not for `0.1 + 0.2`.
 */

import { Quantity as ExactQuantity } from '@kube-ts/schema/validation';
import { formatNanos } from '../builtins/quantities.js';

const NANO = 1_000_000_000n;

/** A quantity in nano-units, and whether it was written with a binary suffix. */
export interface Quantity {
  nanos: bigint;
  binary: boolean;
}

/** Parses a quantity (the grammar is `@kube-ts/schema`'s); undefined when it is not one. */
export function parseQuantity(v: unknown): Quantity | undefined {
  const text = typeof v === 'number' ? String(v) : v;
  if (typeof text !== 'string') return undefined;
  const exact = ExactQuantity.parse(text);
  if (!exact) return undefined;
  // nanos = digits * 10^(9 - scale), rounded up as Kubernetes rounds to nano-units.
  const shift = 9 - exact.scale;
  let nanos: bigint;
  if (shift >= 0) nanos = exact.digits * 10n ** BigInt(shift);
  else {
    const div = 10n ** BigInt(-shift);
    const magnitude = exact.digits < 0n ? -exact.digits : exact.digits;
    const up = (magnitude + div - 1n) / div;
    nanos = exact.digits < 0n ? -up : up;
  }
  return { nanos, binary: /[KMGTPE]i$/.test(text) };
}

/** The canonical text of a quantity, as kube-apiserver writes it (`Quantity.String()`). */
export function formatQuantity(q: Quantity): string {
  return formatNanos(q.nanos, q.binary);
}

/** A quantity of `n` units (an object count). */
export function countQuantity(n: number): Quantity {
  return { nanos: BigInt(n) * NANO, binary: false };
}
