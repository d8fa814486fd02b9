import { describe, expect, test } from 'vitest';
import type { StatusCause } from '../errors.js';
import { affinityCauses, tolerationsCauses, topologySpreadCauses } from './pod-scheduling.js';

const lines = (causes: StatusCause[]) => causes.map((c) => `${c.field}: ${c.message}`);

describe('scheduling fields', () => {
  test('an empty required node selector has no terms', () => {
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } };
    expect(lines(affinityCauses(affinity, 'a'))).toEqual([
      'a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term',
    ]);
  });

  test('tolerations: an empty key tolerates everything only with Exists', () => {
    expect(lines(tolerationsCauses([{ operator: 'Exists' }, { key: 'k' }], 't'))).toEqual([]);
    expect(lines(tolerationsCauses([{ value: 'v' }], 't'))).toEqual([
      't[0].operator: Invalid value: "": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    ]);
  });

  test('topology spread: a repeated key and action is reported at the first of them', () => {
    const c = { maxSkew: 1, topologyKey: 'z', whenUnsatisfiable: 'ScheduleAnyway' };
    expect(lines(topologySpreadCauses([c, c, c], 's'))).toEqual([
      's[0].{topologyKey, whenUnsatisfiable}: Duplicate value: "{z, ScheduleAnyway}"',
      's[1].{topologyKey, whenUnsatisfiable}: Duplicate value: "{z, ScheduleAnyway}"',
    ]);
  });
});
