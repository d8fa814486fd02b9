import { expect, it } from 'vitest';
import { CostBudget, LazyVariables } from './policy-cost.js';

const scope = { object: { data: { a: '1' } }, oldObject: null, request: {}, params: null };

it('evaluates a variable when first read, once, and charges it then', () => {
  const vars = new LazyVariables(
    [
      { name: 'a', expression: 'object.data.a' },
      { name: 'b', expression: "variables.a + '2'" },
      { name: 'broken', expression: 'object.data.missing' },
    ],
    scope,
  );
  expect(vars.takeCost()).toBe(0);
  expect(vars.values.b).toBe('12');
  const cost = vars.takeCost();
  expect(cost).toBeGreaterThan(0);
  expect(vars.values.b).toBe('12');
  expect(vars.takeCost()).toBe(0);
  expect(() => vars.values.broken).toThrow(/^composited variable "broken" fails to evaluate: /);
});

it('keeps the budget of one invocation', () => {
  const budget = new CostBudget();
  expect(budget.charge(9_000_000)).toBe(true);
  expect(budget.charge(1_000_001)).toBe(false);
  expect(budget.charge(1_000_000)).toBe(true);
});
