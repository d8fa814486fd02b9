/**
 * The runtime cost budget of one ValidatingAdmissionPolicy invocation, as kube-apiserver's
 * validator keeps it: its validations, then its messageExpressions, share 10,000,000
 * (`RuntimeCELCostBudget`); a variable is evaluated lazily there, so its cost is charged to
 * the first expression that names it (directly or through another variable).
 */
import { RUNTIME_COST_BUDGET } from '@kube-ts/schema/validation';

/** A computed variable: what evaluating it cost and the variables its expression names. */
export interface VariableCost {
  readonly cost: number;
  readonly names: readonly string[];
}

/** The variables an expression names (`variables.<name>`). */
export function variableNames(expression: string): string[] {
  return [...expression.matchAll(/\bvariables\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)/g)].map(
    (m) => m[1] ?? '',
  );
}

/** What a policy invocation may still spend. */
export class CostBudget {
  private remaining = RUNTIME_COST_BUDGET;
  private readonly charged = new Set<string>();

  constructor(private readonly variables: ReadonlyMap<string, VariableCost>) {}

  /**
   * Charges an expression's cost and that of the variables it uses first; false (nothing
   * charged) when that is more than what is left.
   */
  charge(expression: string, cost: number): boolean {
    let total = cost;
    const seen = new Set<string>();
    const visit = (names: readonly string[]) => {
      for (const name of names) {
        const v = this.variables.get(name);
        if (!v || this.charged.has(name) || seen.has(name)) continue;
        seen.add(name);
        total += v.cost;
        visit(v.names);
      }
    };
    visit(variableNames(expression));
    if (total > this.remaining) return false;
    this.remaining -= total;
    for (const name of seen) this.charged.add(name);
    return true;
  }
}
