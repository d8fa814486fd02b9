/**
 * Field paths in the API server's style: `spec.replicas`, `spec.items[0].name`,
 * `spec.labels.app` (map keys are joined with a dot, as the CRD validator does).
 */

/** The path of property `name` below `parent` (`''` is the root). */
export function childPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

/** The path of item `index` of the list at `parent`. */
export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}
