import { describe, expect, test } from 'vitest';
import { withPlugins } from './create-plugins.js';

describe('withPlugins', () => {
  test("the chain's second round runs the in-tree plugins, then the policies, on one object", () => {
    const calls: string[] = [];
    const obj = { kind: 'Pod' };
    const round = withPlugins(
      {
        applied: true,
        again: (o) => {
          calls.push(`policies ${String(o.kind)}`);
        },
      },
      (o) => {
        calls.push(`plugins ${String(o.kind)}`);
      },
    );
    expect(round.applied).toBe(true);
    round.again(obj);
    expect(calls).toEqual(['plugins Pod', 'policies Pod']);
  });
});
