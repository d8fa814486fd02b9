import type { JsonObject } from '../../json.js';
import { type AggregateResult, aggregate } from './check-result.js';
import { CHECKS } from './checks/index.js';
import type { LevelVersion } from './policy-level.js';
import { Evaluator } from './registry.js';

const evaluator = new Evaluator(CHECKS);

/**
 * Evaluates a Pod's metadata and spec (or a workload's Pod template's) against a level and
 * version of the Pod Security Standards.
 */
export function evaluatePod(lv: LevelVersion, meta: JsonObject, spec: JsonObject): AggregateResult {
  return aggregate(evaluator.evaluate(lv, meta, spec));
}
