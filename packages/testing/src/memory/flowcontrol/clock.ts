/**
 * The monotonic clock API Priority and Fairness measures by: seat demand periods, the fair
 * queuing progress meter and requests' service times all read it.
 */

/** Seconds on a monotonic clock (only differences mean anything). */
export function seconds(): number {
  return performance.now() / 1000;
}
