import { describe, expect, test } from 'vitest';
import { containerStateCauses } from './pod-container-states.js';

const terminated = (name: string, exitCode: number) => ({
  name,
  state: { terminated: { exitCode } },
});
const running = (name: string) => ({ name, state: { running: {} } });

describe('containerStateCauses', () => {
  const fields = (spec: Record<string, unknown>, old: unknown[], now: unknown[]) =>
    containerStateCauses(
      { containerStatuses: now } as never,
      { spec, status: { containerStatuses: old } } as never,
    ).map((c) => c.field);

  test('by the pod restart policy and the exit code', () => {
    const containers = [{ name: 'a' }];
    const old = [terminated('a', 1)];
    expect(fields({ restartPolicy: 'Always', containers }, old, [running('a')])).toEqual([]);
    expect(fields({ restartPolicy: 'OnFailure', containers }, old, [running('a')])).toEqual([]);
    expect(fields({ restartPolicy: 'Never', containers }, old, [running('a')])).toEqual([
      'status.containerStatuses[0].state',
    ]);
  });

  test('a status of no container of the spec may not run again', () => {
    expect(fields({ restartPolicy: 'Always' }, [terminated('x', 0)], [running('x')])).toEqual([
      'status.containerStatuses[0].state',
    ]);
  });

  test("a container's rules and policy come before the pod's", () => {
    const rules = [{ action: 'Restart', exitCodes: { operator: 'NotIn', values: [0] } }];
    const containers = [{ name: 'a', restartPolicy: 'Never', restartPolicyRules: rules }];
    const spec = { restartPolicy: 'Always', containers };
    expect(fields(spec, [terminated('a', 3)], [running('a')])).toEqual([]);
    expect(fields(spec, [terminated('a', 0)], [running('a')])).toEqual([
      'status.containerStatuses[0].state',
    ]);
  });
});
