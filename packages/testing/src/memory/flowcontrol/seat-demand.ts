/**
 * A priority level's seat demand (seats in use plus seats of waiting requests), integrated
 * over time as kube-apiserver's API Priority and Fairness does between two adjustments of
 * the concurrency limits, and its statistics: the high watermark of the last period and a
 * smoothed envelope (`max(avg + stdDev, 0.977 × smoothed + 0.023 × (avg + stdDev))`).
 */
import { seconds } from './clock.js';

/** kube-apiserver's smoothing coefficient of the seat demand envelope. */
const SMOOTHING = 0.977;

/** One level's seat demand over the current period, and what past periods left. */
export class SeatDemand {
  private x = 0;
  private last = seconds();
  private elapsed = 0;
  private integral = 0;
  private integralSquares = 0;
  private max = 0;
  /** The highest demand of the last period, rounded. */
  highWatermark = 0;
  /** The smoothed envelope of the demand. */
  smoothed = 0;

  /** The demand now. */
  get value(): number {
    return this.x;
  }

  /** Records a new demand. */
  set(x: number): void {
    this.advance();
    this.x = x;
    if (x > this.max) this.max = x;
  }

  /** Ends the period: updates the statistics from it and starts the next one. */
  endPeriod(): void {
    this.advance();
    this.highWatermark = Math.round(this.max);
    if (this.elapsed > 0) {
      const avg = this.integral / this.elapsed;
      const variance = this.integralSquares / this.elapsed - avg * avg;
      const envelope = avg + (variance >= 0 ? Math.sqrt(variance) : 0);
      this.smoothed = Math.max(envelope, SMOOTHING * this.smoothed + (1 - SMOOTHING) * envelope);
    }
    this.elapsed = 0;
    this.integral = 0;
    this.integralSquares = 0;
    this.max = this.x;
  }

  private advance(): void {
    const now = seconds();
    const dt = now - this.last;
    this.last = now;
    this.elapsed += dt;
    this.integral += this.x * dt;
    this.integralSquares += this.x * this.x * dt;
  }
}
