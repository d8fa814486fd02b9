import { describe, expect, test } from 'vitest';
import { re2Refuses } from './re2.js';

describe('re2Refuses', () => {
  test('lookarounds, backreferences and escapes of letters RE2 does not know', () => {
    for (const p of [
      '(?=a)',
      'a(?!b)',
      '(?<=a)b',
      '(?<!a)b',
      '(a)\\1',
      '\\8',
      '\\Z',
      '\\e',
      '\\E',
      '[\\b]',
    ]) {
      expect(re2Refuses(p), p).toBe(true);
    }
  });

  test('what RE2 reads: octal escapes, known letters, quoted text, classes', () => {
    for (const p of [
      '\\12',
      '\\d\\w\\s\\b\\A\\z',
      '\\Q(?=\\E',
      '[\\d-z]',
      '[]a]',
      '\\-',
      '(?<n>a)',
      'a{,2}',
    ]) {
      expect(re2Refuses(p), p).toBe(false);
    }
  });
});
