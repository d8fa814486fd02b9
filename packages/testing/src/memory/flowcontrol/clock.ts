/**
 * The monotonic clock API Priority and Fairness measures by: seat demand periods, the fair
 * queuing progress meter and requests' service times all read it.
 */

/** Seconds on a monotonic clock (only differences mean anything). */
export function seconds(): number {
  return performance.now() / 1000;
}

/** The wall clock in nanoseconds since the Unix epoch (to the precision the clock has). */
export function wallNanos(): bigint {
  const origin = BigInt(Math.round(performance.timeOrigin * 1e6));
  return origin + BigInt(Math.round(performance.now() * 1e6));
}
