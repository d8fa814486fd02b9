/**
 * Why one check forbids a Pod: a short reason that is always printed (`privileged`,
 * `host ports`) and an optional detail printed in parentheses after it when a single object
 * is checked (`container "c" must not set securityContext.privileged=true`).
 */
export interface Forbidden {
  readonly reason: string;
  readonly detail: string;
}

/** A check's result: `undefined` when it allows the Pod. */
export type CheckResult = Forbidden | undefined;

/** The forbidden results of a Pod's checks, as the admission plugin prints them. */
export interface AggregateResult {
  readonly allowed: boolean;
  /** The reasons joined by `, ` (what a namespace-wide check prints per Pod). */
  readonly reason: string;
  /** Each reason with its detail in parentheses when it has one, joined by `, `. */
  readonly detail: string;
}

/** Aggregates check results as pod-security-admission's AggregateCheckResults does. */
export function aggregate(results: readonly CheckResult[]): AggregateResult {
  const forbidden = results.filter((r): r is Forbidden => r !== undefined);
  return {
    allowed: forbidden.length === 0,
    reason: forbidden.map((f) => f.reason || 'unknown forbidden reason').join(', '),
    detail: forbidden
      .map((f) => {
        const reason = f.reason || 'unknown forbidden reason';
        return f.detail ? `${reason} (${f.detail})` : reason;
      })
      .join(', '),
  };
}

/** `"a", "b"`: names quoted and joined as the checks print them. */
export function joinQuote(items: readonly string[]): string {
  return items.length ? `"${items.join('", "')}"` : '';
}

/** `singular` for one, `plural` otherwise. */
export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}
