import { describe, expect, it } from 'vitest';
import { namespaceDeletionConditions } from './namespace-conditions.js';

describe('namespaceDeletionConditions', () => {
  it('names what remains as the namespace controller words it', () => {
    const conditions = namespaceDeletionConditions(
      {
        resources: new Map([
          ['pods.', 1],
          ['configmaps.', 2],
        ]),
        finalizers: new Map([['example.com/hold', 1]]),
      },
      undefined,
      't1',
    );
    expect(conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions'],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted'],
      ['NamespaceContentRemaining', 'True', 'SomeResourcesRemain'],
      ['NamespaceFinalizersRemaining', 'True', 'SomeFinalizersRemain'],
    ]);
    expect(conditions[3]?.message).toBe(
      'Some resources are remaining: configmaps. has 2 resource instances, pods. has 1 resource instances',
    );
    expect(conditions[4]?.message).toBe(
      'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
    );
  });

  it('keeps the transition time of a condition whose status did not change', () => {
    const none = { resources: new Map(), finalizers: new Map() };
    const first = namespaceDeletionConditions(none, undefined, 't1');
    const again = namespaceDeletionConditions(none, first, 't2');
    expect(again).toEqual(first);
    const held = namespaceDeletionConditions(
      { resources: new Map([['pods.', 1]]), finalizers: new Map() },
      first,
      't3',
    );
    expect(held.map((c) => c.lastTransitionTime)).toEqual(['t1', 't1', 't1', 't3', 't1']);
  });
});
