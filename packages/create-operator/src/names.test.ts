import { describe, expect, test } from 'vitest';
import { InvalidNameError, pluralize, resolveNames } from './names.js';

describe('resolveNames', () => {
  test('derives group, kind and plural defaults', () => {
    expect(resolveNames({ project: 'widget-operator' })).toEqual({
      project: 'widget-operator',
      group: 'example.com',
      kind: 'Widget',
      plural: 'widgets',
    });
  });

  test('keeps the given group and kind and pluralizes the kind', () => {
    expect(resolveNames({ project: 'db-op', group: 'db.acme.io', kind: 'Database' })).toMatchObject(
      {
        group: 'db.acme.io',
        kind: 'Database',
        plural: 'databases',
      },
    );
  });

  test.each([
    ['Widget-Operator', /lower-case letters/],
    ['-op', /starting and ending/],
    ['my_op', /lower-case letters/],
    ['a'.repeat(64), /at most 63/],
  ])('refuses project name %s with a message that says what to use', (project, message) => {
    expect(() => resolveNames({ project })).toThrow(InvalidNameError);
    expect(() => resolveNames({ project })).toThrow(message);
  });

  test('refuses a group without a dot and a kind that is not UpperCamelCase', () => {
    expect(() => resolveNames({ project: 'op', group: 'local' })).toThrow(/--group/);
    expect(() => resolveNames({ project: 'op', kind: 'widget' })).toThrow(/UpperCamelCase.*--kind/);
  });
});

test.each([
  ['widget', 'widgets'],
  ['class', 'classes'],
  ['box', 'boxes'],
  ['policy', 'policies'],
  ['gateway', 'gateways'],
  ['patch', 'patches'],
])('pluralize(%s) = %s', (word, plural) => {
  expect(pluralize(word)).toBe(plural);
});
