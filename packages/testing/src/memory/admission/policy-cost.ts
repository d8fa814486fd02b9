/**
 * A policy invocation's variables and runtime cost budget, as kube-apiserver's validator
 * keeps them: its validations, then its messageExpressions, share 10,000,000
 * (`RuntimeCELCostBudget`); each variable is evaluated lazily, when an expression first
 * reads it, and what it cost is charged with that expression (a variable no expression
 * reads costs nothing and never fails).
 */
import { evaluatePolicyExpression, RUNTIME_COST_BUDGET } from '@kube-ts/schema/validation';
import { isObject, type JsonObject } from '../json.js';

/**
 * The `variables` of one policy invocation: each computed on first read (then kept), its
 * failure the reading expression's (`composited variable "x" fails to evaluate: …`).
 */
export class LazyVariables {
  /** The object expressions see as `variables`. */
  readonly values: Record<string, unknown> = {};
  private spent = 0;

  /** Declares `variables` (in order; each may read the ones before it) over `scope`. */
  constructor(variables: readonly JsonObject[], scope: Record<string, unknown>) {
    const inScope = { ...scope, variables: this.values };
    for (const v of variables.filter(isObject)) {
      const name = String(v.name);
      const expression = String(v.expression ?? '');
      let result: { value: unknown } | { error: string } | undefined;
      Object.defineProperty(this.values, name, {
        enumerable: true,
        get: () => {
          if (!result) {
            const r = evaluatePolicyExpression(expression, inScope);
            this.spent += r.cost;
            result =
              'error' in r
                ? { error: `composited variable "${name}" fails to evaluate: ${r.error}` }
                : { value: r.value };
          }
          if ('error' in result) throw new Error(result.error);
          return result.value;
        },
      });
    }
  }

  /** What the variables evaluated since the last call cost. */
  takeCost(): number {
    const cost = this.spent;
    this.spent = 0;
    return cost;
  }
}

/** What a policy invocation may still spend. */
export class CostBudget {
  private remaining = RUNTIME_COST_BUDGET;

  /** Charges `cost`; false (nothing charged) when that is more than what is left. */
  charge(cost: number): boolean {
    if (cost > this.remaining) return false;
    this.remaining -= cost;
    return true;
  }
}
