import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { fitsNode, restrictsNodes } from './node-affinity.js';

const node = {
  metadata: { name: 'node-1', labels: { 'kubernetes.io/os': 'linux', size: '8' } },
};

function required(...terms: JsonObject[]): JsonObject {
  return {
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms },
      },
    },
  };
}

describe('fitsNode', () => {
  test('checks the nodeSelector against the labels', () => {
    expect(fitsNode({ nodeSelector: { 'kubernetes.io/os': 'linux' } }, node)).toBe(true);
    expect(fitsNode({ nodeSelector: { 'kubernetes.io/os': 'windows' } }, node)).toBe(false);
    expect(fitsNode({}, node)).toBe(true);
  });

  test('needs one required term whose expressions and fields all hold', () => {
    const byName = (name: string) => ({
      matchFields: [{ key: 'metadata.name', operator: 'In', values: [name] }],
    });
    expect(fitsNode(required(byName('node-0')), node)).toBe(false);
    expect(fitsNode(required(byName('node-0'), byName('node-1')), node)).toBe(true);
    expect(
      fitsNode(
        required({
          matchExpressions: [
            { key: 'size', operator: 'Gt', values: ['4'] },
            { key: 'gpu', operator: 'DoesNotExist' },
            { key: 'kubernetes.io/os', operator: 'NotIn', values: ['windows'] },
          ],
        }),
        node,
      ),
    ).toBe(true);
    expect(
      fitsNode(
        required({ matchExpressions: [{ key: 'size', operator: 'Lt', values: ['4'] }] }),
        node,
      ),
    ).toBe(false);
    expect(fitsNode(required({}), node)).toBe(false);
  });
});

describe('restrictsNodes', () => {
  test('is true with a selector or required terms only', () => {
    expect(restrictsNodes({})).toBe(false);
    expect(restrictsNodes({ nodeSelector: { a: 'b' } })).toBe(true);
    expect(restrictsNodes(required())).toBe(true);
  });
});
