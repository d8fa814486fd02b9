import { describe, expect, it } from 'vitest';
import {
  annotationsOf,
  controllerOf,
  finalizersOf,
  labelsOf,
  nameOf,
  namespaceOf,
  ownerReferencesOf,
  ownerRefTo,
} from './metadata.js';

const owner = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'n', uid: 'u-1' },
};

describe('metadata helpers', () => {
  it('read fields and give empty defaults', () => {
    const obj = {
      metadata: {
        name: 'a',
        namespace: 'n',
        labels: { l: '1' },
        annotations: { a: '2' },
        finalizers: ['f'],
      },
    };
    expect(nameOf(obj)).toBe('a');
    expect(namespaceOf(obj)).toBe('n');
    expect(labelsOf(obj)).toEqual({ l: '1' });
    expect(annotationsOf(obj)).toEqual({ a: '2' });
    expect(finalizersOf(obj)).toEqual(['f']);
    const bare = {};
    expect(nameOf(bare)).toBeUndefined();
    expect(namespaceOf({ metadata: { namespace: '' } })).toBeUndefined();
    expect(labelsOf(bare)).toEqual({});
    expect(annotationsOf(bare)).toEqual({});
    expect(finalizersOf(bare)).toEqual([]);
    expect(ownerReferencesOf(bare)).toEqual([]);
  });

  it('ownerRefTo() points at the owner, controller by default', () => {
    expect(ownerRefTo(owner)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'web',
      uid: 'u-1',
      controller: true,
      blockOwnerDeletion: true,
    });
    expect(ownerRefTo(owner, { controller: false, blockOwnerDeletion: false })).toMatchObject({
      controller: false,
      blockOwnerDeletion: false,
    });
  });

  it('ownerRefTo() names what is missing', () => {
    expect(() => ownerRefTo({ kind: 'X', metadata: { name: 'a' } })).toThrow(
      /no apiVersion, metadata.uid/,
    );
  });

  it('controllerOf() finds the controller reference only', () => {
    const child = {
      metadata: {
        ownerReferences: [
          ownerRefTo(owner, { controller: false }),
          ownerRefTo({ ...owner, kind: 'ReplicaSet' }),
        ],
      },
    };
    expect(controllerOf(child)?.kind).toBe('ReplicaSet');
    expect(ownerReferencesOf(child)).toHaveLength(2);
    expect(
      controllerOf({ metadata: { ownerReferences: [ownerRefTo(owner, { controller: false })] } }),
    ).toBeUndefined();
    expect(controllerOf({})).toBeUndefined();
  });
});
