import type { JsonObject } from '../../../json.js';
import type { CheckResult } from '../check-result.js';
import { type Check, Evaluator } from '../registry.js';

/**
 * Runs one check as the evaluator applies it at a level's version (`latest` or a minor
 * version of 1.x), on a Pod's metadata and spec (plain literals: the tests' JSON).
 */
export function runCheck(
  check: Check,
  version: 'latest' | number,
  spec: object,
  meta: object = {},
): CheckResult {
  const [result] = new Evaluator([check]).evaluate(
    { level: check.level, version: version === 'latest' ? 'latest' : { major: 1, minor: version } },
    meta as JsonObject,
    spec as JsonObject,
  );
  return result;
}
