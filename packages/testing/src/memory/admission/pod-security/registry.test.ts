import { describe, expect, it } from 'vitest';
import type { CheckResult } from './check-result.js';
import type { Level } from './policy-level.js';
import { type Check, Evaluator } from './registry.js';

/** A check that always forbids, naming itself and the revision that ran. */
function check(id: string, level: Check['level'], ...revisions: [number, string[]?][]): Check {
  return {
    id,
    level,
    versions: revisions.map(([minor, overrides]) => ({
      since: { major: 1, minor },
      check: (): CheckResult => ({ reason: id, detail: `v1.${minor}` }),
      ...(overrides ? { overrides } : {}),
    })),
  };
}

const evaluator = new Evaluator([
  check('zeta', 'restricted', [22]),
  check('caps', 'restricted', [25, ['base-caps']]),
  check('base-caps', 'baseline', [0]),
  check('alpha', 'baseline', [0], [30]),
  check('future', 'baseline', [40]),
]);

const run = (level: Level, version: 'latest' | number) =>
  evaluator
    .evaluate(
      { level, version: version === 'latest' ? 'latest' : { major: 1, minor: version } },
      {},
      {},
    )
    .map((r) => `${r?.reason}@${r?.detail}`);

describe('Evaluator', () => {
  it('runs baseline checks first, each group in ID order', () => {
    expect(run('restricted', 29)).toEqual(['alpha@v1.0', 'caps@v1.25', 'zeta@v1.22']);
  });

  it("applies each check's latest revision at or before the version", () => {
    expect(run('baseline', 21)).toEqual(['alpha@v1.0', 'base-caps@v1.0']);
    expect(run('baseline', 30)).toEqual(['alpha@v1.30', 'base-caps@v1.0']);
  });

  it('lets a restricted revision replace the baseline checks it overrides', () => {
    expect(run('restricted', 24)).toEqual(['alpha@v1.0', 'base-caps@v1.0', 'zeta@v1.22']);
    expect(run('restricted', 25)).toEqual(['alpha@v1.0', 'caps@v1.25', 'zeta@v1.22']);
  });

  it("maps latest and newer versions to the newest revision, never past the server's version", () => {
    expect(run('baseline', 'latest')).toEqual(['alpha@v1.30', 'base-caps@v1.0']);
    expect(run('baseline', 99)).toEqual(run('baseline', 'latest'));
  });

  it('evaluates nothing for privileged', () => {
    expect(run('privileged', 'latest')).toEqual([]);
  });
});
