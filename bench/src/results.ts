import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Figure, floorRatioOf, ratioOf } from './figure.js';
import type { MachineInfo } from './machine.js';

/** The content of `bench/results/latest.json`. */
export interface ResultFile {
  /** When the run started and finished (ISO 8601, UTC). */
  readonly startedAt: string;
  readonly finishedAt: string;
  /** 1, 5 and 15 minute load averages when the run finished (the start's are in `machine`). */
  readonly loadAverageAtEnd: readonly number[];
  /** `quick` (`--quick`) or `full`. */
  readonly mode: 'quick' | 'full';
  /** What the run ran on. */
  readonly machine: MachineInfo;
  /** Versions of what was compared. */
  readonly subjects: {
    readonly kubeTs: string;
    readonly peer: string;
    readonly floor: string;
    /** How each subject reads LIST pages (gzip or identity). */
    readonly compression: string;
  };
  /** Backends that ran, and those skipped with the reason. */
  readonly backends: readonly { readonly name: string; readonly skipped?: string }[];
  /** Scenario parameters (object counts, rates, runs). */
  readonly parameters: Record<string, unknown>;
  /**
   * Every figure, with `ratio` = kube-ts median / peer median and `floorRatio` = kube-ts
   * median / floor median where both exist.
   */
  readonly figures: readonly (Figure & { readonly ratio?: number; readonly floorRatio?: number })[];
}

/** Writes the result file (pretty JSON), creating its directory; each figure gets its ratios. */
export function writeResults(path: string, result: ResultFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const figures = result.figures.map((f) => ({
    ...f,
    ratio: ratioOf(f),
    floorRatio: floorRatioOf(f),
  }));
  writeFileSync(path, `${JSON.stringify({ ...result, figures }, null, 2)}\n`);
}
