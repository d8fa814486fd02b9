/**
 * The fair division kube-apiserver's API Priority and Fairness makes every time it adjusts
 * the priority levels' concurrency limits (KEP-1040 borrowing): one proportion `fairProp`
 * for all levels such that each level gets `fairProp × target` clamped to its bounds and
 * the allocations add up to the required sum. Our own solver of the same problem, because
 * how many seats a level has after an adjustment is this arithmetic.
 */

/** One priority level's part of the problem. */
export interface AllocationClass {
  /** What the level would like (its smoothed seat demand, at least its lower bound). */
  readonly target: number;
  readonly lowerBound: number;
  readonly upperBound: number;
}

/** A target below this is taken as this, so that no target is zero. */
const MIN_TARGET = 0.001;
const EPSILON = 0.0000001;

/**
 * The allocation of `requiredSum` seats among `classes`, or undefined when the bounds make
 * it impossible (kube-apiserver then keeps the current limits).
 */
export function allocateConcurrency(
  requiredSum: number,
  classes: readonly AllocationClass[],
): number[] | undefined {
  if (requiredSum < 0) return undefined;
  let lowSum = 0;
  let highSum = 0;
  for (const c of classes) {
    if (c.lowerBound < 0 || c.target < c.lowerBound || c.upperBound < c.lowerBound) {
      return undefined;
    }
    lowSum += c.lowerBound;
    highSum += c.upperBound;
  }
  if (lowSum - requiredSum > EPSILON || requiredSum - highSum > EPSILON) return undefined;
  if (requiredSum === 0) return classes.map(() => 0);
  if (lowSum - requiredSum > -EPSILON) return classes.map((c) => c.lowerBound);
  if (requiredSum - highSum > -EPSILON) return classes.map((c) => c.upperBound);
  const targets = classes.map((c) => Math.max(c.target, MIN_TARGET));
  const at = (prop: number, i: number) => {
    const c = classes[i]!;
    return Math.min(c.upperBound, Math.max(c.lowerBound, prop * targets[i]!));
  };
  const sumAt = (prop: number) => classes.reduce((sum, _, i) => sum + at(prop, i), 0);
  // The sum grows linearly between the proportions where a class meets a bound: find the
  // piece that reaches the required sum and solve it.
  const bounds = [
    ...new Set(classes.flatMap((c, i) => [c.lowerBound / targets[i]!, c.upperBound / targets[i]!])),
  ].sort((a, b) => a - b);
  let prop = bounds[bounds.length - 1]!;
  for (let k = 0; k + 1 < bounds.length; k++) {
    const low = bounds[k]!;
    const high = bounds[k + 1]!;
    if (sumAt(high) < requiredSum) continue;
    const mid = (low + high) / 2;
    let fixed = 0;
    let slope = 0;
    classes.forEach((c, i) => {
      const t = targets[i]!;
      if (c.lowerBound / t >= mid) fixed += c.lowerBound;
      else if (c.upperBound / t <= mid) fixed += c.upperBound;
      else slope += t;
    });
    prop = slope > 0 ? (requiredSum - fixed) / slope : low;
    break;
  }
  return classes.map((_, i) => at(prop, i));
}
