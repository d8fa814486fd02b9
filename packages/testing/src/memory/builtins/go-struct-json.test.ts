import { describe, expect, it } from 'vitest';
import { type GoShape, goSemanticEqual, goStructJson } from './go-struct-json.js';

const SHAPE: GoShape = {
  struct: [
    ['Name', 'name', 'string'],
    ['Count', 'count', 'int'],
    ['On', 'on', 'bool'],
    ['Limit', 'limit', 'int-pointer'],
    ['Tags', 'tags', 'strings'],
    ['Inner', 'inner', { struct: [['Type', 'type', 'string']], pointer: true }],
    ['Items', 'items', { slice: { struct: [['Type', 'type', 'string']] } }],
  ],
};

describe('goStructJson', () => {
  it('writes Go field names in declaration order, zero values and nils', () => {
    expect(JSON.stringify(goStructJson({ count: 2, tags: ['a'], items: [{}] }, SHAPE))).toBe(
      '{"Name":"","Count":2,"On":false,"Limit":null,"Tags":["a"],"Inner":null,"Items":[{"Type":""}]}',
    );
  });

  it('compares as semantic equality does: an empty slice equals a missing one', () => {
    expect(goSemanticEqual({ tags: [] }, {}, SHAPE)).toBe(true);
    expect(goSemanticEqual({ inner: {} }, {}, SHAPE)).toBe(false);
    expect(goSemanticEqual({ count: 0 }, {}, SHAPE)).toBe(true);
  });
});
