/**
 * The conditions kube-controller-manager's namespace controller writes on a Terminating
 * namespace after each pass over its content: discovery, group-version parsing and
 * deletion went fine, and which resources (and finalizers) remain, worded as the
 * controller words them (`Some resources are remaining: pods. has 1 resource instances`).
 */
import { isObject, type Json, type JsonObject } from './json.js';

/** What a pass left behind: instances per `resource.group`, and per finalizer. */
export interface NamespaceRemains {
  readonly resources: ReadonlyMap<string, number>;
  readonly finalizers: ReadonlyMap<string, number>;
}

function listed(counts: ReadonlyMap<string, number>, word: string): string {
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, n]) => `${name} ${word} ${n} resource instances`)
    .join(', ');
}

/**
 * The namespace's conditions after a pass, keeping each unchanged condition's
 * `lastTransitionTime` from `previous`.
 */
export function namespaceDeletionConditions(
  remains: NamespaceRemains,
  previous: Json | undefined,
  now: string,
): JsonObject[] {
  const some = remains.resources.size > 0;
  const held = remains.finalizers.size > 0;
  const wanted: [string, boolean, string, string][] = [
    [
      'NamespaceDeletionDiscoveryFailure',
      false,
      'ResourcesDiscovered',
      'All resources successfully discovered',
    ],
    [
      'NamespaceDeletionGroupVersionParsingFailure',
      false,
      'ParsedGroupVersions',
      'All legacy kube types successfully parsed',
    ],
    [
      'NamespaceDeletionContentFailure',
      false,
      'ContentDeleted',
      'All content successfully deleted, may be waiting on finalization',
    ],
    some
      ? [
          'NamespaceContentRemaining',
          true,
          'SomeResourcesRemain',
          `Some resources are remaining: ${listed(remains.resources, 'has')}`,
        ]
      : ['NamespaceContentRemaining', false, 'ContentRemoved', 'All content successfully removed'],
    held
      ? [
          'NamespaceFinalizersRemaining',
          true,
          'SomeFinalizersRemain',
          `Some content in the namespace has finalizers remaining: ${listed(remains.finalizers, 'in')}`,
        ]
      : [
          'NamespaceFinalizersRemaining',
          false,
          'ContentHasNoFinalizers',
          'All content-preserving finalizers finished',
        ],
  ];
  const before = Array.isArray(previous) ? previous.filter(isObject) : [];
  return wanted.map(([type, on, reason, message]) => {
    const status = on ? 'True' : 'False';
    const old = before.find((c) => c.type === type);
    const since = old?.status === status && old.lastTransitionTime ? old.lastTransitionTime : now;
    return { type, status, lastTransitionTime: since, reason, message };
  });
}
