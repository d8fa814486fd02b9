import { joinQuote, pluralize } from './check-result.js';

/** `container "a"` or `containers "a", "b"`, as the checks name the containers they forbid. */
export function containersText(names: readonly string[]): string {
  return `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
}

/**
 * Who set a forbidden value, as the restricted checks print it: `pod`, `container "a"`,
 * or both joined by ` and ` (`pod and containers "a", "b"`); empty when nobody did.
 */
export function badSetters(pod: boolean, containers: readonly string[]): string {
  const who = pod ? ['pod'] : [];
  if (containers.length) who.push(containersText(containers));
  return who.join(' and ');
}
