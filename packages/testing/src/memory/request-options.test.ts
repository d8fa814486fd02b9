import { describe, expect, test } from 'vitest';
import { writeOptions } from './request-options.js';
import { warningHeader, warningHeaders } from './warnings.js';

const q = (s: string) => new URLSearchParams(s);

describe('writeOptions', () => {
  test('defaults: Warn, no dry run, no force', () => {
    expect(writeOptions(q(''), 'CreateOptions')).toEqual({
      dryRun: false,
      force: false,
      fieldValidation: 'Warn',
    });
  });

  test('dryRun other than All is 422 on the options kind', () => {
    expect(() => writeOptions(q('dryRun=All&dryRun=x'), 'UpdateOptions')).toThrow(
      'UpdateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["All","x"]: supported values: "All"',
    );
  });

  test('force only on apply patches; apply needs a fieldManager', () => {
    expect(() => writeOptions(q('force=false'), 'PatchOptions')).toThrow(
      'force: Forbidden: may not be specified for non-apply patch',
    );
    expect(writeOptions(q('force=true&fieldManager=m'), 'PatchOptions', true)).toMatchObject({
      force: true,
      fieldManager: 'm',
    });
    expect(() => writeOptions(q(''), 'PatchOptions', true)).toThrow(
      'fieldManager: Required value: is required for apply patch',
    );
  });

  test('fieldValidation must be one of the three', () => {
    expect(writeOptions(q('fieldValidation=Strict'), 'CreateOptions').fieldValidation).toBe(
      'Strict',
    );
    expect(() => writeOptions(q('fieldValidation=strict'), 'CreateOptions')).toThrow(
      'fieldValidation: Unsupported value: "strict"',
    );
  });
});

test('warningHeader quotes like kube-apiserver', () => {
  expect(warningHeader('unknown field "a\\b"')).toBe('299 - "unknown field \\"a\\\\b\\""');
});

test('warningHeaders sends each text once, none empty or with a control character', () => {
  expect(warningHeaders(['a', '', 'b', 'a', 'line\nbreak', 'c\u0085'])).toEqual([
    '299 - "a"',
    '299 - "b"',
  ]);
});
