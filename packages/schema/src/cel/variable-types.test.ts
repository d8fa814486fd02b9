import { describe, expect, it } from 'vitest';
import { variableType } from './variable-types.js';

describe('variableType', () => {
  it('keeps primitives, lists and maps, and makes everything else dyn', () => {
    expect(variableType('int')).toBe('int');
    expect(variableType('google.protobuf.Timestamp')).toBe('google.protobuf.Timestamp');
    expect(variableType('map<string, list<int>>')).toBe('map<string, list<int>>');
    expect(variableType('list<kubernetes.UserInfo>')).toBe('list<dyn>');
    expect(variableType('map<string, optional<int>>')).toBe('map<string, dyn>');
    expect(variableType('kubernetes.UserInfo')).toBe('dyn');
    expect(variableType('optional<int>')).toBe('dyn');
    expect(variableType('type')).toBe('dyn');
    expect(variableType('list<T>')).toBe('list<dyn>');
  });
});
