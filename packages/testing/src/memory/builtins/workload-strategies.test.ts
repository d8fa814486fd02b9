import { describe, expect, test } from 'vitest';
import type { StatusCause } from '../errors.js';
import {
  daemonSetStrategyCauses,
  deploymentStrategyCauses,
  statefulSetStrategyCauses,
} from './workload-strategies.js';

const messages = (causes: StatusCause[]) => causes.map((c) => `${c.field}: ${c.message}`);

describe('workload strategies', () => {
  test('a defaulted rolling update is valid in every kind', () => {
    expect(
      deploymentStrategyCauses({
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
      }),
    ).toEqual([]);
    expect(
      daemonSetStrategyCauses({
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
      }),
    ).toEqual([]);
    expect(
      statefulSetStrategyCauses({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } }),
    ).toEqual([]);
    expect(statefulSetStrategyCauses({ type: 'RollingUpdate' })).toEqual([]);
  });

  test('a string that is no percent counts as its integer (Go strconv.Atoi), else 0', () => {
    const ru = (maxUnavailable: string) =>
      messages(
        deploymentStrategyCauses({
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable, maxSurge: 0 },
        }),
      ).filter((m) => m.includes('may not be 0'));
    expect(ru('3')).toEqual([]);
    expect(ru('x')).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "x": may not be 0 when `maxSurge` is 0',
    ]);
  });

  test("a StatefulSet's maxUnavailable may not be 0 nor over 100%", () => {
    const causes = (maxUnavailable: number | string) =>
      messages(
        statefulSetStrategyCauses({
          type: 'RollingUpdate',
          rollingUpdate: { partition: 0, maxUnavailable },
        }),
      );
    expect(causes(0)).toEqual([
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0',
    ]);
    expect(causes('200%')).toEqual([
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "200%": must not be greater than 100%',
    ]);
  });

  test('a StatefulSet without a strategy type is told it is required', () => {
    expect(messages(statefulSetStrategyCauses({}))).toEqual([
      'spec.updateStrategy: Required value',
    ]);
  });
});
