import { describe, expect, test } from 'vitest';
import { ruleEnvironment } from './library.js';

const env = ruleEnvironment();
const run = (expr: string) => env.evaluate(expr, {});

describe('the semver library', () => {
  test.each([
    ["semver('1.2.3').major()", 1n],
    ["semver('v1.0', true).minor()", 0n],
    ["semver('01.01.01', true).patch()", 1n],
    ["isSemver('1.0.0-alpha.1+build.5')", true],
    ["isSemver('v1.0.0')", false],
    ["isSemver('1.0')", false],
    ["isSemver('v1.0', true)", true],
    ["isSemver('1.0.0-01')", false],
    ["semver('1.0.0-alpha').isLessThan(semver('1.0.0'))", true],
    ["semver('1.0.0-alpha.2').isLessThan(semver('1.0.0-alpha.10'))", true],
    ["semver('1.0.0-alpha.beta').isGreaterThan(semver('1.0.0-alpha.1'))", true],
    ["semver('1.0.0-alpha').isLessThan(semver('1.0.0-alpha.1'))", true],
    ["semver('1.0.0+b1').compareTo(semver('1.0.0+b2'))", 0n],
    ["semver('2.0.0').compareTo(semver('1.9.9'))", 1n],
    ["semver('1.2.3') == semver('1.2.3+x')", true],
  ])('%s is %s', (expr, want) => {
    expect(run(expr)).toBe(want);
  });

  // The words kube-apiserver 1.36.3 answered for each.
  test.each([
    ["semver('v1.0.0')", 'Invalid character(s) found in major number "v1"'],
    ["semver('1.0')", 'No Major.Minor.Patch elements found'],
    ["semver('1.01.0')", 'Minor number must not contain leading zeroes "01"'],
    ["semver('1.0.0-01')", 'Numeric PreRelease version must not contain leading zeroes "01"'],
    ["semver('')", 'Version string empty'],
    ["semver('1.0.0-')", 'Prerelease is empty'],
    ["semver('1.0.0+')", 'Build meta data is empty'],
    ["semver('1.0-a', true)", 'short version cannot contain PreRelease/Build meta data'],
    ["semver('1.0.x')", 'Invalid character(s) found in patch number "x"'],
    ["semver('1.0.0-a$')", 'Invalid character(s) found in prerelease "a$"'],
  ])('%s is an error', (expr, message) => {
    expect(() => run(expr)).toThrow(message);
  });
});
