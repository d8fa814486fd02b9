import { expect, it } from 'vitest';
import { CostBudget, variableNames } from './policy-cost.js';

it('names the variables an expression uses', () => {
  expect(variableNames('variables.a + variables .b_2 + x.variables')).toEqual(['a', 'b_2']);
});

it('charges a variable once, to the first expression that uses it, through other variables', () => {
  const budget = new CostBudget(
    new Map([
      ['a', { cost: 4_000_000, names: [] }],
      ['b', { cost: 1_000_000, names: ['a'] }],
    ]),
  );
  expect(budget.charge('variables.b > 0', 10)).toBe(true); // 5,000,010 spent
  expect(budget.charge('variables.a > 0', 4_999_990)).toBe(true); // a already charged
  expect(budget.charge('true', 1)).toBe(false); // over 10,000,000
});
