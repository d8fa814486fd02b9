import { byteOrder } from '@kube-ts/schema/validation';
import { type JsonObject, str } from '../../json.js';
import { joinQuote, pluralize } from './check-result.js';
import { allContainers } from './containers.js';

/** `container "a"` or `containers "a", "b"`, as the checks name the containers they forbid. */
export function containersText(names: readonly string[]): string {
  return `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
}

/**
 * Who set a forbidden value, as the checks print it: `pod`, `container "a"`, or both
 * joined by ` and ` (`pod and containers "a", "b"`); empty when nobody did.
 */
export function badSetters(pod: boolean, containers: readonly string[]): string {
  const who = pod ? ['pod'] : [];
  if (containers.length) who.push(containersText(containers));
  return who.join(' and ');
}

/** Distinct items in Go's string order, as a Go `sets.List` of them prints. */
export function sortedSet(items: Iterable<string>): string[] {
  return [...new Set(items)].sort(byteOrder);
}

/** The names of a Pod spec's containers (init, regular, ephemeral) that `test` picks. */
export function containersWhere(spec: JsonObject, test: (c: JsonObject) => boolean): string[] {
  return allContainers(spec)
    .filter(test)
    .map((c) => str(c.name));
}
