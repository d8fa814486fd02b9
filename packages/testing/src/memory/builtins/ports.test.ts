import { describe, expect, test } from 'vitest';
import { portNameErrors, portNumberErrors } from './ports.js';

describe('portNameErrors', () => {
  test('IANA service names', () => {
    expect(portNameErrors('http')).toEqual([]);
    expect(portNameErrors('-a--b')).toEqual([
      'must not contain consecutive hyphens',
      'must not begin or end with a hyphen',
    ]);
    expect(portNameErrors('123')).toEqual(['must contain at least one letter (a-z)']);
    expect(portNameErrors('abcdefghijklmnop')).toEqual(['must be no more than 15 characters']);
  });

  test('port numbers in 1..65535', () => {
    expect(portNumberErrors(1)).toEqual([]);
    expect(portNumberErrors(65536)).toEqual(['must be between 1 and 65535, inclusive']);
  });
});
