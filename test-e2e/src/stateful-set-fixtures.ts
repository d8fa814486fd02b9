/** The StatefulSets the StatefulSet controller's e2e files create. */

/**
 * A StatefulSet `name` whose Pods carry `app: <name>` (its selector, and the Service it
 * names), with one container; `spec` adds to or replaces the spec's fields.
 */
export function statefulSet(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name },
    spec: {
      serviceName: name,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'app', image: 'registry.invalid/app:1' }] },
      },
      ...spec,
    },
  };
}
