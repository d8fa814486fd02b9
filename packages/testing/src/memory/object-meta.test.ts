import { afterEach, describe, expect, test, vi } from 'vitest';
import { dropEmptyMaps, freeGeneratedName, generatedName } from './object-meta.js';
import { builtin } from './resource-types.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('freeGeneratedName', () => {
  test('generates again while the name is taken', () => {
    const taken = new Set(['gen-bbbbb', 'gen-ccccc']);
    // The first two names tried are taken, the third is free.
    const draws = [...Array(5).fill(0), ...Array(5).fill(1 / 27), ...Array(5).fill(2 / 27)];
    vi.spyOn(Math, 'random').mockImplementation(() => draws.shift() ?? 0.5);
    expect(freeGeneratedName('gen-', (n) => taken.has(n))).toBe('gen-ddddd');
  });

  test('gives up after 8 names, with the last one tried', () => {
    const random = vi.spyOn(Math, 'random');
    const name = freeGeneratedName('gen-', () => true);
    // 5 random characters a name.
    expect(random).toHaveBeenCalledTimes(8 * 5);
    expect(name).toMatch(/^gen-[a-z0-9]{5}$/);
  });

  test('keeps the prefix within 58 characters', () => {
    expect(generatedName('x'.repeat(70))).toMatch(/^x{58}[a-z0-9]{5}$/);
  });
});

describe('dropEmptyMaps', () => {
  test("decodes a custom resource's metadata into ObjectMeta, in place", () => {
    const widget = { ...builtin('x.dev', 'v1', 'Widget', 'widgets', true), builtin: false };
    const meta = {
      name: 'a',
      generateName: '',
      generation: 0,
      labels: { b: '2', a: '1' },
      annotations: {},
      ownerReferences: [],
      finalizers: [],
      managedFields: null,
    };
    const obj = { metadata: meta, spec: { empty: {}, none: [] } };
    dropEmptyMaps(widget, obj);
    expect(obj.metadata).toBe(meta);
    expect(JSON.stringify(obj)).toBe(
      '{"metadata":{"name":"a","labels":{"a":"1","b":"2"}},"spec":{"empty":{},"none":[]}}',
    );
  });

  test("drops only a built-in's empty labels, annotations and data maps", () => {
    const configMap = builtin('', 'v1', 'ConfigMap', 'configmaps', true);
    const obj = { metadata: { name: 'a', labels: {}, finalizers: [] }, data: {} };
    dropEmptyMaps(configMap, obj);
    expect(obj).toEqual({ metadata: { name: 'a', finalizers: [] } });
  });
});
