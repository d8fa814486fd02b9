import { describe, expect, test } from 'vitest';
import type { StatusCause } from '../errors.js';
import { gateCauses, identityCauses } from './pod-spec-fields.js';

const lines = (causes: StatusCause[]) => causes.map((c) => `${c.field}: ${c.message}`);

describe('pod spec fields', () => {
  test('activeDeadlineSeconds is at most 2^31-1', () => {
    expect(lines(identityCauses({ activeDeadlineSeconds: 2147483648 }, 'spec'))).toEqual([
      'spec.activeDeadlineSeconds: Invalid value: 2147483648: must be between 1 and 2147483647, inclusive',
    ]);
    expect(identityCauses({ activeDeadlineSeconds: 1 }, 'spec')).toEqual([]);
  });

  test('scheduling gates are unique qualified names', () => {
    const spec = { schedulingGates: [{ name: 'example.com/a' }, { name: 'example.com/a' }] };
    expect(lines(gateCauses(spec, 'spec'))).toEqual([
      'spec.schedulingGates[1]: Duplicate value: "example.com/a"',
    ]);
  });
});
