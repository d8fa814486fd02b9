import type { Summary } from './stats.js';

/** Which direction of a figure is the better one. */
export type Better = 'higher' | 'lower';

/** One measured figure of one scenario on one backend, kube-ts and (when it applies) the peer. */
export interface Figure {
  /** Backend the figure was measured on, e.g. `memory` or `kube-apiserver`. */
  readonly backend: string;
  /** Scenario name, e.g. `1 initial sync (10000)`. */
  readonly scenario: string;
  /** What is measured, e.g. `time to store ready`. */
  readonly metric: string;
  /** Unit of every sample, e.g. `ms`, `events/s`, `MiB`. */
  readonly unit: string;
  /** Whether a higher or a lower value is better. */
  readonly better: Better;
  /** kube-ts over its runs; absent when every kube-ts run failed. */
  readonly kubeTs?: Summary;
  /** The peer (@kubernetes/client-node) over its runs; absent when there is no peer equivalent. */
  readonly peer?: Summary;
  /** The floor (`workers/floor.ts`) over its runs; absent when there is no floor equivalent. */
  readonly floor?: Summary;
  /** Why a side has no value (a failed run, no peer equivalent). */
  readonly note?: string;
}

/** kube-ts median divided by the peer median, or undefined when either is missing. */
export function ratioOf(figure: Figure): number | undefined {
  return medianRatio(figure.kubeTs, figure.peer);
}

/** kube-ts median divided by the floor median, or undefined when either is missing. */
export function floorRatioOf(figure: Figure): number | undefined {
  return medianRatio(figure.kubeTs, figure.floor);
}

function medianRatio(a: Summary | undefined, b: Summary | undefined): number | undefined {
  if (!a || !b || b.median === 0) return undefined;
  return a.median / b.median;
}
