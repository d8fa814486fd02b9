/**
 * Scenario 9's measurement of two views of the same objects (two controllers that own
 * them), shared by the kube-ts and peer workers so both are measured the same way.
 */
import type { Measurements } from './protocol.js';
import { settledHeapUsed, type WorkerContext } from './workers/common.js';

/** How a worker starts and reads its two views (two controllers, two informers). */
export interface TwoViews {
  /** Starts the first view; resolves once it is synced, with the number of objects it holds. */
  startFirst(): Promise<number>;
  /** Starts the second view; resolves once it is synced. */
  startSecond(): Promise<void>;
  /** The objects cached now (read after the measurement, so that nothing is collected). */
  cached(): number;
}

/**
 * Starts the first view, then the second, and measures the retained heap each adds per
 * object (forced GCs, watches open); then tells the parent it is ready (it counts the
 * server's watches) and waits for `stop`. Throws when the first view does not hold
 * `objects`. The caller stops its views afterwards.
 */
export async function measureTwoViews(
  views: TwoViews,
  objects: number,
  ctx: WorkerContext,
): Promise<Measurements> {
  const heap0 = await settledHeapUsed();
  const size = await views.startFirst();
  if (size !== objects)
    throw new Error(`the first view holds ${size} objects, expected ${objects}`);
  const heap1 = await settledHeapUsed();
  await views.startSecond();
  const heap2 = await settledHeapUsed();
  ctx.ready();
  await ctx.stopped;
  return {
    firstViewBytesPerObject: (heap1 - heap0) / objects,
    secondViewBytesPerObject: (heap2 - heap1) / objects,
    // Keep both alive until after the measurement.
    cached: views.cached(),
  };
}
