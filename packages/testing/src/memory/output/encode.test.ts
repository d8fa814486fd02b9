import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { encodeBody } from './encode.js';

describe('encodeBody', () => {
  it('keeps JSON as is', () => {
    expect(encodeBody({ format: 'json' }, '{"b":1,"a":2}')).toBe('{"b":1,"a":2}');
  });

  it('writes YAML with sorted keys and unindented sequences, reading back the same value', () => {
    const json = '{"kind":"ConfigMapList","items":[{"metadata":{"resourceVersion":"5"}}]}';
    const yaml = encodeBody({ format: 'yaml' }, json);
    expect(yaml).toBe('items:\n- metadata:\n    resourceVersion: "5"\nkind: ConfigMapList\n');
    expect(parse(yaml)).toEqual(JSON.parse(json));
  });
});
