import type { StructuralProblem } from './structural.js';

/**
 * Thrown at definition time (by `defineResource` or `mergeCrds`) when the definition
 * would be rejected by the API server or could not be expressed as a structural CRD.
 * `problems` lists each one with the field it concerns and the rule it breaks.
 */
export class ResourceDefinitionError extends Error {
  override readonly name = 'ResourceDefinitionError';
  /** Every problem found, each naming its field (`group`, `spec.replicas`, …). */
  readonly problems: readonly StructuralProblem[];

  /**
   * @param subject what was being defined, e.g. `Widget.example.com/v1`.
   * @param problems the problems found (at least one).
   */
  constructor(subject: string, problems: readonly StructuralProblem[]) {
    const lines = problems.map((p) => `  - ${p.field}: ${p.message}`).join('\n');
    super(
      `invalid resource definition ${subject}; fix these before the CRD reaches a cluster:\n${lines}`,
    );
    this.problems = problems;
  }
}
