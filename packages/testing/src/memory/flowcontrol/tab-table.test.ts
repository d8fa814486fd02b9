import { describe, expect, it } from 'vitest';
import { tabTable } from './tab-table.js';

describe('tabTable', () => {
  it('pads each column to its widest cell plus one, at least 8, and leaves the last cell', () => {
    expect(
      tabTable([
        ['Name,', 'LongerHeader,', 'Last'],
        ['a-much-longer-name,', '1,', '2'],
      ]),
    ).toBe('Name,               LongerHeader, Last\na-much-longer-name, 1,            2\n');
  });
});
